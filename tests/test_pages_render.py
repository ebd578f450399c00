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
