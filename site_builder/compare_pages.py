"""The comparison, chart and trend pages, and the small context each template receives.

URLs: `/<dept>/<year>/compare/` (与上年比较), `/<dept>/<year>/charts/` (图表),
`/<dept>/trend/` (历年趋势). Importing this module registers the pages and the links to them
with `pages.py`; nothing here touches the disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import urls
from .charts import Chart
from .compare import Finding, LineChange, TableComparison, compare_documents, largest_changes
from .compare_html import change_items, comparison_section, headline_rows
from .document_charts import (
    _expenditure_label,
    changes_chart,
    changes_source,
    document_charts,
    trend_charts,
)
from .memo import ObjectCache
from .model import Department, Document, Site
from .pages import Link, Page, _department, previous_document, register_document_links, register_pages
from .prior import StatedFigure, annotate, prose_comparisons, stated_figures, stated_lines, to_unit
from .trends import GROUPS, Figure, department_trends, document_figures

PLOTLY_JS = "static/vendor/plotly-budget.min.js"
CHARTS_JS = "static/js/charts.js"
CHARTS_CSS = "static/css/charts.css"
BASIS_NOTES = {
    "prose": "上年数由本年文字说明推算：本年预算数 − 所述“比上年预算增加（减少）”的金额。",
    "prose-execution": "上年数取自本年文字说明所述的“上年预算执行数”，与本年预算口径不同"
                       "（执行数不是上年预算数），增减仅供参考。",
}


def compare_route(doc: Document) -> str:
    """`wanli-jiedao/2024/compare/`."""
    return f"{urls.document_route(doc)}compare/"


def charts_route(doc: Document) -> str:
    """`wanli-jiedao/2024/charts/`."""
    return f"{urls.document_route(doc)}charts/"


def trend_route(dep: Department) -> str:
    """`wanli-jiedao/trend/`."""
    return f"{urls.department_route(dep)}trend/"


def chart_assets(charts: list) -> dict:
    """The scripts and stylesheet a page with charts loads (none without charts)."""
    if not charts:
        return {"chart_scripts": [], "chart_styles": []}
    return {"chart_scripts": [PLOTLY_JS, CHARTS_JS], "chart_styles": [CHARTS_CSS]}


def comparisons_for(doc: Document, previous: Document | None,
                    stated: dict | None = None) -> list[TableComparison]:
    """Last year's document where present (with the prose's reasons); else the prose's figures."""
    stated = stated_lines(doc) if stated is None else stated
    if previous is None:
        return prose_comparisons(doc, stated)
    return [annotate(c, stated, c.unit) for c in compare_documents(doc, previous)]


def prose_previous_figures(doc: Document, stated: dict[str, StatedFigure] | None = None
                           ) -> dict[str, Figure]:
    """Last year's key figures from the prose (amount − stated change), in the prose's unit."""
    stated = stated_figures(doc, document_figures(doc)) if stated is None else stated
    return {k: Figure(k, s.previous, s.unit, "文字说明") for k, s in stated.items()}


@dataclass(frozen=True)
class Headline:
    """A key figure in both years, with its unit (key figures differ in unit: 元 and 万元)."""

    line: LineChange
    unit: str


def headline_changes(doc: Document, previous: Document | None,
                     stated: dict[str, StatedFigure] | None = None
                     ) -> tuple[list[Headline], list[Finding]]:
    """Key figures against last year's document, else against the prose; disagreements found."""
    now = document_figures(doc)
    before = document_figures(previous) if previous else {}
    stated = stated_figures(doc, now) if stated is None else stated
    out, findings = [], []
    for key in (k for _, keys in GROUPS.values() for k in keys):
        figure, p, s = now.get(key), before.get(key), stated.get(key)
        reason = s.reason if s else None
        if figure is not None and p is not None and p.unit == figure.unit:
            out.append(Headline(LineChange(None, key, 1, False, p.amount, figure.amount, "matched",
                                           reason=reason, match="name"), figure.unit))
            if s is not None and to_unit(p.amount, p.unit, s.unit, s.previous) != s.previous:
                findings.append(Finding("disagreement", (
                    f"{key}：本年文字说明推算的上年数为 {s.previous} {s.unit}，上年公开文件（{p.source}）"
                    f"为 {p.amount} {p.unit}；比较采用上年公开文件。"), s.pos))
        elif figure is not None and s is not None and previous is None:
            out.append(Headline(LineChange(None, key, 1, False, s.previous, s.amount, "matched",
                                           source="prose", reason=reason, match="prose"), s.unit))
    return out, findings


@dataclass(frozen=True)
class WorkedOut:
    """One document against last year: what its comparison and chart pages and links show."""

    previous: Document | None
    comparisons: list[TableComparison]
    headlines: list[Headline]
    disagreements: list[Finding]
    charts: list[Chart]  # the chart page's


_WORKED: ObjectCache[Document, WorkedOut] = ObjectCache(256)


def worked_out(doc: Document, previous: Document | None) -> WorkedOut:
    """The comparisons and charts of `doc` against `previous`, worked out once per pair
    (the entry keeps `previous` alive, so its id in the key stays its own)."""
    return _WORKED.get(doc, lambda d: _work_out(d, previous), id(previous))


def _work_out(doc: Document, previous: Document | None) -> WorkedOut:
    comparisons = comparisons_for(doc, previous)
    stated = stated_figures(doc, document_figures(doc))
    before = document_figures(previous) if previous else prose_previous_figures(doc, stated)
    headlines, disagreements = headline_changes(doc, previous, stated)
    charts = document_charts(doc, comparisons if previous else [], before)
    return WorkedOut(previous, comparisons, headlines, disagreements, charts)


def comparison_context(doc: Document, site: Site, work: WorkedOut) -> dict:
    """What compare.html sees: the comparisons, the summary of largest changes, the charts."""
    comparisons, previous, headlines = work.comparisons, work.previous, work.headlines
    label = _expenditure_label(doc)
    main = [c for c in comparisons if c.label == label] or comparisons[:1]
    ups, downs = largest_changes(main, 5)
    charts = [c for c in (_chart(work, "chart-three-public"), _changes(work, main, label)) if c]
    findings: list[Finding] = [f for c in comparisons for f in c.findings] + work.disagreements
    lines = [ln for c in comparisons for ln in c.lines]
    sources = sorted({ln.source for ln in lines} | {h.line.source for h in headlines})
    return {
        "doc": doc, "department": _department(site, doc), "previous": previous,
        "doc_route": urls.document_route(doc),
        "previous_route": compare_route(previous) if previous else None,
        "previous_doc_route": urls.document_route(previous) if previous else None,
        "headlines": headlines, "comparisons": comparisons, "main_label": main[0].label if main else None,
        "ups": ups, "downs": downs, "unit": main[0].unit if main else doc.unit,
        "findings": findings, "charts": charts, "compare_section": comparison_section,
        "headline_rows": headline_rows, "change_items": change_items,
        "basis_notes": [BASIS_NOTES[s] for s in sources if s in BASIS_NOTES],
        "execution_column": any(ln.stated_previous is not None for ln in lines),
        **chart_assets(charts),
    }


def _chart(work: WorkedOut, chart_id: str) -> Chart | None:
    return next((c for c in work.charts if c.id == chart_id), None)


def _changes(work: WorkedOut, main: list[TableComparison], label: str | None) -> Chart | None:
    """The changes chart of `main`: the chart page's own when it draws the same comparison."""
    mine, theirs = changes_source(main, label), changes_source(work.comparisons, label)
    shared = _chart(work, "chart-changes")
    if shared is not None and mine and theirs and mine[0] is theirs[0]:
        return shared
    return changes_chart(main, label)


def charts_context(doc: Document, site: Site, work: WorkedOut) -> dict:
    """What doc_charts.html sees: every chart of one document."""
    return {"doc": doc, "department": _department(site, doc), "charts": work.charts,
            "doc_route": urls.document_route(doc), **chart_assets(work.charts)}


def trend_context(department: Department, site: Site) -> dict:
    """What trend.html sees: one chart (with its table) per series of figures."""
    charts = trend_charts(department_trends(department))
    documents = [(d, urls.document_route(d)) for d in department.documents if d.kind == "预算"]
    return {"department": department, "charts": charts, "documents": documents,
            **chart_assets(charts)}


def _crumbs(dep: Department, doc: Document | None = None) -> tuple[Link, ...]:
    crumbs = (Link("首页", ""), Link(dep.short_name, urls.department_route(dep)))
    if doc is not None:
        crumbs += (Link(f"{doc.year}年{doc.kind}", urls.document_route(doc)),)
    return crumbs


@register_pages
def comparison_pages(site: Site) -> Iterable[Page]:
    """Per document: the comparison page (when there is anything to compare) and the charts."""
    for dep in site.departments:
        for doc in dep.documents:
            work = worked_out(doc, previous_document(site, doc))
            if work.comparisons or work.headlines:
                yield Page(compare_route(doc), "compare.html", f"{doc.title}：与上年比较",
                           comparison_context(doc, site, work), _crumbs(dep, doc), doc,
                           crumb="与上年比较")
            if work.charts:
                charts = charts_context(doc, site, work)
                yield Page(charts_route(doc), "doc_charts.html", f"{doc.title}：图表",
                           charts, _crumbs(dep, doc), doc, crumb="图表")
        context = trend_context(dep, site)
        if len(context["documents"]) >= 2 and context["charts"]:
            yield Page(trend_route(dep), "trend.html", f"{dep.name}：历年趋势", context,
                       _crumbs(dep), crumb="历年趋势")


@register_document_links
def comparison_links(site: Site, doc: Document) -> Iterable[Link]:
    """Links from a document's overview to its charts, comparison and the trend page."""
    previous = previous_document(site, doc)
    work = worked_out(doc, previous)
    if any(c.id != "chart-changes" for c in work.charts):  # not for the changes alone
        yield Link("图表", charts_route(doc), "收支构成、功能分类与经济分类图")
    if previous is not None:
        yield Link("与上年比较", compare_route(doc), f"逐表比较 {previous.year} 年与 {doc.year} 年")
    elif work.comparisons or work.headlines:
        yield Link("与上年比较", compare_route(doc), "按文字说明所述的上年数比较")
    dep = _department(site, doc)
    if sum(1 for d in dep.documents if d.kind == "预算") >= 2 and department_trends(dep):
        yield Link("历年趋势", trend_route(dep), "各年总额、基本与项目支出、“三公”经费")
