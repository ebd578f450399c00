"""The document page's parts drawn in Python write exactly what their `_parts.html` macros did."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from site_builder.loader import load_site
from site_builder.model import LabelledAmount, LabelledValue
from site_builder.pages import PerformanceView, performance_views
from site_builder.parts_html import performance_part
from site_builder.render import make_environment
from site_builder.table_html import indicator_rows

ROOT = Path(__file__).resolve().parent.parent

# The macro that `parts_html.performance_part` replaced, as it was in `_parts.html`.
MACRO_PERFORMANCE = """\
{% macro performance_part(views, intro) %}
{{ intro|markdown }}
{% for v in views %}
{% set t = v.table %}
<section class="perf" id="{{ v.anchor }}" aria-labelledby="{{ v.anchor }}-title">
  <h3 id="{{ v.anchor }}-title">{{ t.title }}{% if t.name %}（{{ t.name }}）{% endif %}</h3>
  {% if t.fields or t.funds %}
  <table class="kv">
    <caption class="visually-hidden">{{ t.title }} 基本信息</caption>
    <tbody>
      {% for f in t.fields %}
      <tr><th scope="row">{{ f.label }}</th><td>{{ f.value }}</td></tr>
      {% endfor %}
      {% for f in t.funds %}
      <tr><th scope="row">{{ f.label }}</th><td class="num">{% if f.amount is not none %}{{ f.amount|money }}{% if t.funds_unit not in f.label %} {{ t.funds_unit }}{% endif %}{% endif %}</td></tr>
      {% endfor %}
    </tbody>
  </table>
  {% endif %}
  {% if t.goal %}
  <h4>{{ "总体目标" if t.annual_goal else "绩效目标" }}</h4>
  {{ t.goal|markdown }}
  {% endif %}
  {% if t.annual_goal %}
  <h4>年度目标</h4>
  {{ t.annual_goal|markdown }}
  {% endif %}
  {% if t.columns and t.indicators %}
  <div class="table-scroll" role="region" aria-labelledby="{{ v.anchor }}-title" tabindex="0">
    <table class="data indicators">
      <caption class="visually-hidden">{{ t.title }} 绩效指标</caption>
      <thead><tr>{% for col in t.columns %}<th scope="col">{{ col }}</th>{% endfor %}</tr></thead>
      <tbody>
{{ indicator_rows(v) }}
      </tbody>
    </table>
  </div>
  {% endif %}
</section>
{% endfor %}
{% endmacro %}
[  {{ performance_part(views, intro) }}
]"""


@pytest.fixture(scope="module")
def documents():
    """The documents of the example site and of the test fixture."""
    out = []
    for content in (ROOT / "content", ROOT / "tests" / "fixtures" / "site"):
        site, problems = load_site(content)
        assert site is not None, [p.format() for p in problems.items]
        out += site.documents
    return out


def _by_macro(views, intro: str) -> str:
    """The macro's output, as `document.html` placed it (indented, followed by a newline)."""
    macro = make_environment().from_string(MACRO_PERFORMANCE)
    text = macro.render(views=views, intro=intro, indicator_rows=indicator_rows)
    return text.removeprefix("[  ").removesuffix("\n]")


def _odd_views(views: list[PerformanceView]) -> list[PerformanceView]:
    """The same tables with what the real ones rarely have: markup characters, a fund without an
    amount or with the unit in its label, a goal without an annual goal, no grid, a name."""
    t = views[0].table
    odd = dataclasses.replace(
        t, title="<表> & 'x'", name="项目\"甲\"", funds_unit="元<>",
        fields=(LabelledValue("a<b", "c&d"), LabelledValue("空", "")),
        funds=(LabelledAmount("年度资金总额（元<>）", Decimal("1234567.5")), LabelledAmount("其中 & 财政", None),
               LabelledAmount("其他", Decimal("-0.00"))),
        goal="**目标**\n\n1. 甲\n\n2. 乙 <b>", annual_goal="")
    bare = dataclasses.replace(t, fields=(), funds=(), goal="", annual_goal="目标", columns=())
    return [PerformanceView(odd, "perf-<1>", views[0].grid), PerformanceView(bare, "perf-2", [])]


def test_performance_part_matches_the_macro(documents):
    seen = 0
    for doc in documents:
        views = performance_views(doc)
        seen += len(views)
        assert str(performance_part(views, doc.performance.intro)) == _by_macro(views, doc.performance.intro)
    assert seen > 5


def test_performance_part_on_unusual_tables(documents):
    views = next(performance_views(doc) for doc in documents if performance_views(doc))
    odd = _odd_views(views)
    for intro in ("", "说明 <i>", "第一段\n\n第二段"):
        assert str(performance_part(odd, intro)) == _by_macro(odd, intro)
    assert str(performance_part([], "")) == _by_macro([], "") == "\n"
