"""Chart specs: plain JSON, safe to embed, readable, exact numbers in hover and tables."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from site_builder.charts import OKABE_ITO, Chart, ChartTable, compact, format_amount, format_share, nice_ticks
from site_builder.compare import compare_documents
from site_builder.document_charts import _tree_nodes, document_charts, trend_charts
from site_builder.loader import load_site
from site_builder.trends import department_trends, document_figures

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site():
    loaded, problems = load_site(REPO / "content")
    assert loaded is not None, [p.format() for p in problems.errors]
    return loaded


def _department(site, slug):
    return next(d for d in site.departments if d.slug == slug)


def _font_sizes(node):
    """Every font size anywhere in a spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("font", "tickfont", "textfont", "insidetextfont") and isinstance(value, dict) \
                    and "size" in value:
                yield value["size"]
            yield from _font_sizes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _font_sizes(item)


def test_json_cannot_close_its_script_element():
    chart = Chart("chart-x", "t", "s", "元", {"data": [{"name": "</script><b>&"}]},
                  ChartTable((), ()))
    text = str(chart.json)
    assert "</script>" not in text and "<" not in text and "&" not in text
    assert json.loads(text)["data"][0]["name"] == "</script><b>&"


def test_amounts_keep_their_published_precision_and_shares_round_half_up():
    assert format_amount(D("156211123")) == "156,211,123"
    assert format_amount(D("6.10")) == "6.10"
    assert format_share(D("1"), D("8")) == "12.50%"
    assert format_share(D("1"), D("0")) == "—"
    assert format_share(D("0.125"), D("100")) == "0.13%"  # half up, not half even


def test_ticks_are_round_and_labelled_in_chinese_magnitudes():
    ticks = nice_ticks(156211123)
    assert ticks[0] == 0 and ticks[-1] >= 156211123 and len(ticks) <= 6
    assert [compact(t, "元") for t in ticks] == ["0", "5,000万", "1亿", "1.5亿", "2亿"]
    assert compact(30000, "万元") == "3亿"
    assert compact(250, "万元") == "250"


def test_tree_nodes_plot_remainders_so_rounding_never_breaks_the_sunburst():
    nodes = _tree_nodes([("201", "类", D("10.00")), ("201 01", "款", D("6.00")),
                         ("201 01 01", "项甲", D("3.01")), ("201 01 02", "项乙", D("3.00"))])
    by_id = {n[0]: n for n in nodes}
    assert by_id["201 01"][1] == "201" and by_id["201 01 01"][1] == "201 01"
    assert by_id["201"][4] == D("4.00")  # 10.00 − 6.00 drawn for the 类 itself
    assert by_id["201 01"][4] == D("0")  # children sum to 6.01 > 6.00: clamp, never negative
    assert by_id["201 01"][3] == D("6.00")  # the hover shows the published figure


def test_reference_document_charts_have_summaries_tables_and_readable_text(site):
    doc = _department(site, "changji-kaoping").documents[0]
    charts = document_charts(doc)
    ids = [c.id for c in charts]
    assert ids == ["chart-income", "chart-functional", "chart-split", "chart-economic",
                   "chart-three-public"]
    assert len(set(ids)) == len(ids)
    for chart in charts:
        assert chart.summary.endswith("。") and chart.table.rows
        spec = json.loads(str(chart.json))
        assert spec["layout"]["colorway"] == list(OKABE_ITO)
        assert min(_font_sizes(spec)) >= 12
        for trace in spec["data"]:
            assert "hovertemplate" in trace and "<extra></extra>" in trace["hovertemplate"]
    functional = charts[1]
    assert ("201 32 50", "事业运行", "160.92", "53.61%") in functional.table.rows
    assert "narrow" in json.loads(str(functional.json))


def test_charts_are_deterministic(site):
    doc = _department(site, "changji-kaoping").documents[0]
    assert [str(c.json) for c in document_charts(doc)] == [str(c.json) for c in document_charts(doc)]


def test_changes_chart_uses_the_expenditure_table_and_last_years_three_public(site):
    docs = _department(site, "wanli-jiedao").documents
    current, previous = docs[1], docs[0]
    charts = {c.id: c for c in document_charts(current, compare_documents(current, previous),
                                               document_figures(previous))}
    assert "（表3）" in charts["chart-changes"].summary
    three = charts["chart-three-public"]
    assert [t["name"] for t in three.spec["data"]] == ["上年", "本年"]
    assert ("公务用车购置费", "0", "25", "+25") in three.table.rows


def test_trend_charts_cover_every_year(site):
    dep = _department(site, "wanli-jiedao")
    charts = trend_charts(department_trends(dep))
    assert [c.id for c in charts][:2] == ["chart-trend-total", "chart-trend-split"]
    assert [row[0] for row in charts[0].table.rows] == ["2023年", "2024年", "2025年"]
    assert charts[0].table.rows[1][1] == "156,211,123"


def test_chart_javascript_stays_within_the_budget():
    """≤ 450 KB gzip of chart JavaScript on any page: the bundle plus charts.js."""
    import gzip
    bundle = (REPO / "static/vendor/plotly-budget.min.js").read_bytes()
    script = (REPO / "static/js/charts.js").read_bytes()
    total = len(gzip.compress(bundle, 9)) + len(gzip.compress(script, 9))
    assert total <= 450_000, total
    pinned = json.loads((REPO / "tools/plotly-bundle/package.json").read_text())["devDependencies"]
    assert bundle.startswith(f"/*! plotly-budget: plotly.js {pinned['plotly.js']} ".encode())


def test_a_year_without_a_figure_is_a_gap_not_zero(site):
    from dataclasses import replace
    dep = _department(site, "wanli-jiedao")
    first = dep.documents[0]
    tables = {k: v for k, v in first.tables.items() if k != "表8"}  # no 人员经费/公用经费
    docs = (replace(first, tables=tables), *dep.documents[1:])
    trend = next(t for t in department_trends(replace(dep, documents=docs)) if t.key == "economic")
    assert trend.series[0].values[0] is None and trend.series[0].values[1] is not None
    chart = next(c for c in trend_charts([trend]))
    assert chart.table.rows[0][1] == "—"
    assert json.loads(str(chart.json))["data"][0]["y"][0] is None


def test_pages_are_byte_identical_across_builds(site):
    from site_builder.compare_pages import comparison_pages
    from site_builder.render import render_template

    def render():
        return [render_template(p.template, {**p.context, "page": p, "url": lambda r: r,
                                             "lang": "zh-CN", "dev": False, "site_title": "t",
                                             "organisation": "o", "description": "",
                                             "canonical": None, "built": ""})
                for p in comparison_pages(site)]
    first = render()
    assert len(first) >= 8 and first == render()


def test_chart_table_body_is_the_former_template_loop():
    """ChartTable.body draws what the cell-by-cell loop of partials/chart.html drew."""
    from jinja2 import Environment
    loop = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(
        "{% for row in rows %}\n"
        "          <tr>{% for cell in row %}{% if loop.first %}<th scope=\"row\">{{ cell }}</th>"
        "{% else %}<td class=\"num\">{{ cell }}</td>{% endif %}{% endfor %}</tr>\n"
        "{% endfor %}\n")
    rows = (("A<&>\"'", "1,234.50", "12.00%"), ("—", "—"), (), ("x",))
    table = ChartTable(("名称", "金额", "占比"), rows)
    assert str(table.body) == loop.render(rows=rows)
    assert table.body is table.body  # drawn once


def test_the_compare_page_shares_the_chart_pages_charts(site):
    from site_builder.compare_pages import comparison_context, worked_out
    last, doc = _department(site, "wanli-jiedao").documents[:2]
    work = worked_out(doc, last)
    shown = comparison_context(doc, site, work)["charts"]
    assert shown and all(any(c is mine for mine in work.charts) for c in shown)
