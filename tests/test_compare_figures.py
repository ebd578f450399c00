"""Chart.figure draws, byte for byte, what the former `chart_figure` macro of partials/chart.html drew."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from jinja2 import Environment

from site_builder.charts import Chart, ChartTable, hbar_spec
from site_builder.compare_pages import previous_document, worked_out
from site_builder.document_charts import trend_charts
from site_builder.loader import load_site
from site_builder.trends import department_trends

MACRO = """{% macro plot_height(spec) -%}
{%- set narrow = spec.get("narrow") -%}
{%- set light = narrow if narrow and spec.data[0].type == "sunburst" else spec -%}
{%- set first = light.data[0] -%}
{%- if first.type == "pie" -%}{%- set need = 148 + 20 * (first.labels|length) -%}
{%- else -%}{%- set need = ((first.y if first.get("orientation") == "h" else first.x)|length) * (28 + 18 * (light.data|length)) -%}
{%- endif -%}
{{- [need, spec.layout.height, narrow.layout.height if narrow else 0]|max -}}
{%- endmacro %}

{% macro chart_figure(c, heading="h2") %}
<figure class="chart" id="{{ c.id }}-figure" aria-labelledby="{{ c.id }}-title">
  <{{ heading }} class="chart-title" id="{{ c.id }}-title">{{ c.title }}</{{ heading }}>
  <p class="chart-summary" id="{{ c.id }}-summary">{{ c.summary }} <span class="chart-unit">单位：{{ c.unit }}</span></p>
  <div class="chart-plot" id="{{ c.id }}" style="height:{{ plot_height(c.spec) }}px" role="img" aria-labelledby="{{ c.id }}-title" aria-describedby="{{ c.id }}-summary"></div>
  <script type="application/json" data-chart-for="{{ c.id }}">{{ c.json }}</script>
  <details class="chart-data" id="{{ c.id }}-data" open>
    <summary>图表数据（表格）</summary>
    <div class="table-scroll" role="region" aria-label="{{ c.title }} 数据" tabindex="0">
      <table class="data chart-table">
        <caption class="visually-hidden">{{ c.title }}（单位：{{ c.unit }}）</caption>
        <thead><tr>{% for col in c.table.columns %}<th scope="col">{{ col }}</th>{% endfor %}</tr></thead>
        <tbody>
{% for row in c.table.rows %}
          <tr>{% for cell in row %}{% if loop.first %}<th scope="row">{{ cell }}</th>{% else %}<td class="num">{{ cell }}</td>{% endif %}{% endfor %}</tr>
{% endfor %}
        </tbody>
      </table>
    </div>
  </details>
</figure>
{% endmacro %}"""


@pytest.fixture(scope="module")
def macro():
    """The former macro, drawing a list of charts as the templates' loop did."""
    figure = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(MACRO).module.chart_figure
    return lambda charts: "".join(str(figure(c)) for c in charts)


def _site_charts() -> list[Chart]:
    site, _ = load_site(Path(__file__).resolve().parent.parent / "content")
    charts: list[Chart] = []
    for dep in site.departments:
        for doc in dep.documents:
            charts += worked_out(doc, previous_document(site, doc)).charts
        charts += trend_charts(department_trends(dep))
    return charts


def test_every_chart_of_the_example_site_is_the_former_macros_figure(macro):
    charts = _site_charts()
    kinds = {c.spec["data"][0]["type"] for c in charts} | {"narrow" for c in charts if "narrow" in c.spec}
    assert {"pie", "bar", "sunburst", "scatter", "narrow"} <= kinds  # every branch of the height
    assert "".join(c.figure for c in charts) == macro(charts)


def test_titles_and_cells_are_escaped_like_autoescape(macro):
    spec = hbar_spec(["A<&>", "B"], [("金额", [D("1"), D("2.50")], None)], "元")
    rows = (('名"称\'', "1,234.50"), ("—", "<b>"), (), ("x",))
    chart = Chart("chart-x", "标题<&>", "摘要 \"a\" & 'b'", "万<元>", spec,
                  ChartTable(("名称<", "金额&"), rows))
    plain = Chart("chart-y", "标题", "摘要", "元", spec, ChartTable(("名称", "金额"), (("a", "1"),)))
    assert chart.figure == macro([chart])
    assert "&lt;b&gt;" in chart.figure and plain.figure == macro([plain])
    assert chart.figure is chart.figure  # drawn once per chart


def test_a_figure_is_formatted_once_and_equal_figures_keep_their_own_precision():
    from site_builder.table_body import money  # shared by the tables, charts and comparisons
    one, one_and_zeros, big = D("1.0"), D("1.00"), D("1234567.80")
    assert money(one) == "1.0" and money(one_and_zeros) == "1.00"
    assert money(one) == "1.0" and money(big) == "1,234,567.80"
    assert money(big) is money(big)  # kept, not formatted again
