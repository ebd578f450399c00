"""The Jinja environment: templates see its globals, and a template's own globals stay its own."""

from __future__ import annotations

from site_builder.render import make_environment


def test_templates_see_the_environment_globals_as_one_dict():
    env = make_environment()
    template = env.get_template("document.html")
    assert type(template.globals) is dict  # not a ChainMap copied key by key on every render
    assert template.globals["budget_table"] is env.globals["budget_table"]
    assert env.from_string("{{ range(3)|list }}").render() == "[0, 1, 2]"


def test_a_template_globals_do_not_reach_the_environment():
    env = make_environment()
    own = env.from_string("{{ extra }}-{{ performance_part is defined }}", globals={"extra": "x"})
    assert own.render() == "x-True"
    assert "extra" not in env.globals and "extra" not in env.get_template("base.html").globals


def test_money_is_format_even_for_equal_amounts_of_another_precision():
    from decimal import Decimal

    from site_builder.table_body import money
    for text in ("1.0", "1.00", "1", "1.0", "-1234.5", "1E+3", "0.00", "1.00"):
        value = Decimal(text)
        assert money(value) == money(value) == format(value, ",f"), text
