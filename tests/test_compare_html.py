"""compare_html draws, byte for byte, what the loops of compare.html drew (kept here as the reference)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from jinja2 import Environment

from site_builder.compare import LineChange, TableComparison
from site_builder.compare_html import change_items, comparison_rows, comparison_section, headline_rows
from site_builder.compare_pages import Headline, comparison_context, previous_document, worked_out
from site_builder.loader import load_site
from site_builder.render import format_change, format_money

SECTIONS = """{% for c in comparisons %}
{% set with_reason = c.has_reasons %}
{% set tid = "cmp-" ~ loop.index %}
<section class="compare-table" id="{{ tid }}" aria-labelledby="{{ tid }}-title">
  <h2 id="{{ tid }}-title">{% if c.label %}{{ c.label }}　{% endif %}{{ c.title }}{% if c.side %}（{{ c.side }}）{% endif %}</h2>
  <p class="table-meta"><span>比较列：{{ c.column }}</span> <span>单位：{{ c.unit }}</span> <span>上年数来源：{{ c.sources|join("、") }}</span></p>
  <div class="table-scroll" role="region" aria-labelledby="{{ tid }}-title" tabindex="0">
    <table class="data compare">
      <caption class="visually-hidden">{{ c.label }} {{ c.title }} 与上年比较（单位：{{ c.unit }}）</caption>
      <thead><tr>
        <th scope="col">科目</th><th scope="col">上年</th><th scope="col">本年</th>
        <th scope="col">增减额</th><th scope="col">增减率</th>
        {% if execution_column %}<th scope="col">上年执行数（据说明，万元）</th>{% endif %}
        {% if with_reason %}<th scope="col">主要原因（据文字说明）</th>{% endif %}
      </tr></thead>
      <tbody>
{{ compare_rows(c, execution_column) }}      </tbody>
    </table>
  </div>
</section>
{% endfor %}
"""

HEADLINES = """      <tbody>
        {% for h in headlines %}{% set ln = h.line %}
        <tr>
          <th scope="row" class="name">{{ ln.name }}</th>
          <td class="num">{{ ln.previous|money }}</td>
          <td class="num">{{ ln.current|money }}</td>
          <td class="num change {{ 'up' if ln.change and ln.change > 0 else ('down' if ln.change and ln.change < 0 else '') }}">{{ ln.change|change }}</td>
          <td class="num">{{ ln.rate_text }}</td>
          <td class="nowrap">{{ h.unit }}</td>
          <td class="nowrap">{{ "上年公开文件" if ln.source == "document" else "本年文字说明" }}</td>
          <td class="reason">{{ ln.reason or "" }}</td>
        </tr>
        {% endfor %}
      </tbody>
"""

ITEMS = """    <ol class="change-list">
      {% for ln in items %}
      <li><span class="name">{{ ln.label }}</span>：{{ ln.previous|money if ln.previous is not none else "—" }} → {{ ln.current|money if ln.current is not none else "—" }} {{ unit }}，<strong>{{ ln.change|change }}</strong>（{{ ln.rate_text }}）{% if ln.reason %}<br><span class="reason">主要原因：{{ ln.reason }}</span>{% endif %}</li>
      {% endfor %}
    </ol>
"""


@pytest.fixture(scope="module")
def former():
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(money=format_money, change=format_change)
    return {name: env.from_string(text) for name, text in
            (("sections", SECTIONS), ("headlines", HEADLINES), ("items", ITEMS))}


def _draw(context: dict) -> dict[str, str]:
    """What the Python functions draw where the loops were."""
    execution, unit = context["execution_column"], context["unit"]
    return {"sections": "".join(comparison_section(c, i, execution)
                                for i, c in enumerate(context["comparisons"], start=1)),
            "headlines": f"      <tbody>\n{headline_rows(context['headlines'])}      </tbody>\n",
            "items": [f'    <ol class="change-list">\n{change_items(items, unit)}    </ol>\n'
                      for items in (context["ups"], context["downs"])]}


def _former(former, context: dict) -> dict:
    shown = {"sections": former["sections"].render(context, compare_rows=comparison_rows),
             "headlines": former["headlines"].render(context)}
    shown["items"] = [former["items"].render(items=items, unit=context["unit"])
                      for items in (context["ups"], context["downs"])]
    return shown


def test_every_comparison_page_of_the_example_site_is_the_former_loops(former):
    site, _ = load_site(Path(__file__).resolve().parent.parent / "content")
    pages = 0
    for dep in site.departments:
        for doc in dep.documents:
            work = worked_out(doc, previous_document(site, doc))
            if work.comparisons or work.headlines:
                context = comparison_context(doc, site, work)
                assert _draw(context) == _former(former, context)
                pages += bool(context["headlines"] and context["ups"])
    assert pages >= 2


def test_texts_are_escaped_like_autoescape(former):
    lines = (LineChange(None, "合计<&>", 0, True, D("10"), D("12.5"), "matched", reason="因'\""),
             LineChange("201 01", "A<&>\"'", 2, False, D("3"), D("3.5"), "new", source="prose",
                        previous_name="旧&名", reason="原因<b>"),
             LineChange("205", "去", 1, False, D("-2.50"), None, "removed", match="fuzzy",
                        stated_previous=D("1234567.8"), stated_unit="万元"))
    comparisons = [TableComparison("表3<", "t&", "支出'", "合计\"", "万<元>", lines),
                   TableComparison("", "文字说明", "", "上年预算", "万元", lines[1:])]
    for execution in (False, True):
        context = {"comparisons": comparisons, "execution_column": execution, "unit": "万<元>",
                   "headlines": [Headline(ln, "万&元") for ln in lines],
                   "ups": list(lines[:2]), "downs": list(lines[2:])}
        drawn = _draw(context)
        assert drawn == _former(former, context) and "&lt;b&gt;" in drawn["headlines"]
