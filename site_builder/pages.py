"""Which pages the site has, and the small explicit context each template receives.

Extension points for later stages (comparisons, trends, charts, 数据核对):
- `register_pages(provider)`: a provider `(site) -> Iterable[Page]` adds whole pages;
- `register_document_links(provider)`: `(site, doc) -> Iterable[Link]` adds links to the
  "更多" box of a document's overview (e.g. to its comparison page);
- `register_row_marks(provider)`: `(site, doc, table) -> Mapping[row anchor, mark]` marks
  table rows (e.g. rows with 数据核对 findings); `table_html` shows the marks.
Providers must be pure and deterministic; pages are rendered in route order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import urls
from .headlines import compare, headlines
from .model import Department, Document, PerformanceTable, Site, Table
from .table_layout import TableLayout, layout_table, merge_repeats


@dataclass(frozen=True)
class Link:
    title: str
    route: str
    description: str = ""


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes, which template, and exactly what the template sees."""

    route: str
    template: str
    title: str
    context: Mapping[str, Any]
    breadcrumbs: tuple[Link, ...] = ()  # from the home page down to the parent of this page
    document: Document | None = None  # set for a document's pages (lets the server re-render one)
    in_sitemap: bool = True
    crumb: str = ""  # short name in the breadcrumb trail (defaults to the title)


@dataclass(frozen=True)
class TableView:
    """A table with its grid, its page and its downloads."""

    table: Table
    layout: TableLayout
    route: str
    anchor: str
    downloads: tuple[Link, ...]
    marks: Mapping[str, Any] = field(default_factory=dict)  # row anchor → mark (register_row_marks)
    # the body rows as HTML by link targets, drawn once for the document page and the table page
    memo: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Part:
    """One part of a document page, in the profile's order."""

    kind: str  # overview | tables | sections | performance | glossary
    anchor: str
    title: str
    sections: tuple = field(default=())


PageProvider = Callable[[Site], Iterable[Page]]
LinkProvider = Callable[[Site, Document], Iterable[Link]]
MarkProvider = Callable[[Site, Document, Table], Mapping[str, Any]]
_PAGE_PROVIDERS: list[PageProvider] = []
_LINK_PROVIDERS: list[LinkProvider] = []
_MARK_PROVIDERS: list[MarkProvider] = []
PART_TITLES = {"overview": "部门概况", "tables": "部门预算公开表", "performance": "绩效目标表",
               "glossary": "名词解释"}


def register_pages(provider: PageProvider) -> PageProvider:
    """Add a page provider (usable as a decorator); registering twice has no effect."""
    if provider not in _PAGE_PROVIDERS:
        _PAGE_PROVIDERS.append(provider)
    return provider


def register_document_links(provider: LinkProvider) -> LinkProvider:
    """Add a provider of links shown in every document's overview."""
    if provider not in _LINK_PROVIDERS:
        _LINK_PROVIDERS.append(provider)
    return provider


def register_row_marks(provider: MarkProvider) -> MarkProvider:
    """Add a provider of marks on table rows, keyed by `table_layout.row_anchor`."""
    if provider not in _MARK_PROVIDERS:
        _MARK_PROVIDERS.append(provider)
    return provider


def list_pages(site: Site) -> list[Page]:
    """Every HTML page of the site, sorted by route."""
    from .home import not_found_page, site_home_page  # home.py builds on this module
    pages = [site_home_page(site), not_found_page(site.settings)]
    for dep in site.departments:
        pages.append(department_page(site, dep))
        for doc in dep.documents:
            pages.extend(document_pages(site, doc))
    for provider in _PAGE_PROVIDERS:
        pages.extend(provider(site))
    return sorted(pages, key=lambda p: p.route)


def department_page(site: Site, dep: Department) -> Page:
    documents = [(doc, headlines(doc)) for doc in sorted(dep.documents, key=lambda d: (-d.year, d.kind))]
    return Page(urls.department_route(dep), "department.html", dep.name,
                {"department": dep, "documents": documents,
                 "doc_routes": [urls.document_route(doc) for doc, _ in documents]},
                (Link("首页", ""),), crumb=dep.short_name)


def document_pages(site: Site, doc: Document) -> list[Page]:
    """The document's overview page and one page per table."""
    dep = _department(site, doc)
    crumbs = (Link("首页", ""), Link(dep.short_name, urls.department_route(dep)))
    views = [table_view(doc, table, row_marks(site, doc, table)) for table in doc.tables.values()]
    prev, others = previous_document(site, doc), _others(dep, doc)
    pages = [Page(urls.document_route(doc), "document.html", doc.title, {
        "doc": doc, "department": dep, "tables": views, "parts": document_parts(doc),
        "changes": compare(headlines(doc), headlines(prev) if prev else []),
        "previous": Link(f"{prev.year}年{prev.kind}", urls.document_route(prev)) if prev else None,
        "links": document_links(site, doc), "json": urls.document_json_route(doc),
        "performance": performance_views(doc),
        "other_years": [Link(f"{d.year}年{d.kind}", urls.document_route(d)) for d in others],
    }, crumbs, doc, crumb=f"{doc.year}年{doc.kind}")]
    doc_crumbs = (*crumbs, Link(f"{doc.year}年{doc.kind}", urls.document_route(doc)))
    for i, view in enumerate(views):
        title = f"{view.table.spec.label} {view.table.title}（{dep.short_name} {doc.year}年{doc.kind}）"
        pages.append(Page(view.route, "table.html", title, {
            "doc": doc, "department": dep, "view": view,
            "prev": views[i - 1] if i else None, "next": views[i + 1] if i + 1 < len(views) else None,
            "json": urls.document_json_route(doc), "doc_route": urls.document_route(doc),
            "other_years": [Link(f"{d.year}年{d.kind}", urls.table_route(d, view.table.spec))
                            for d in others if d.profile.id == doc.profile.id],
        }, doc_crumbs, doc, crumb=view.table.spec.label))
    return pages


def _others(dep: Department, doc: Document) -> list[Document]:
    """The department's other documents, newest first."""
    return [d for d in sorted(dep.documents, key=lambda d: (-d.year, d.kind)) if d is not doc]


def table_view(doc: Document, table: Table, marks: Mapping[str, Any] | None = None) -> TableView:
    spec = table.spec
    downloads = (Link("CSV", urls.table_download_route(doc, spec, "csv"), "CSV（UTF-8，可用 Excel 打开）"),
                 Link("Excel", urls.table_download_route(doc, spec, "xlsx"), "Excel 工作簿（.xlsx）"))
    return TableView(table, layout_table(table, table_id(table)), urls.table_route(doc, spec),
                     spec.slug, downloads, marks or {})


def table_id(table: Table) -> str:
    """The prefix of the table's ids in HTML (`t6`: `t6-title`, `t6-main-14`)."""
    return f"t{table.spec.number}"


@dataclass(frozen=True)
class PerformanceView:
    """A 绩效目标表 with its indicator grid; repeated 一级/二级指标 are merged as published."""

    table: PerformanceTable
    anchor: str
    grid: list


def performance_views(doc: Document) -> list[PerformanceView]:
    tables = [t for t in (doc.performance.overall, *doc.performance.projects) if t is not None]
    return [PerformanceView(t, f"perf-{i}", merge_repeats(
        [[row.get(col, "") for col in t.columns] for row in t.indicators]))
        for i, t in enumerate(tables, start=1)]


def document_parts(doc: Document) -> list[Part]:
    """The parts in the profile's `order`; `sections:编制说明` places one part's sections."""
    claimed = {entry.split(":", 1)[1] for entry in doc.profile.order if entry.startswith("sections:")}
    parts: list[Part] = []
    for entry in doc.profile.order:
        kind, _, part = entry.partition(":")
        if kind != "sections":
            parts.append(Part(kind, kind, PART_TITLES.get(kind, kind)))
            continue
        chosen = [s for s in doc.sections if (s.part == part if part else s.part not in claimed)]
        for title in dict.fromkeys(s.part for s in chosen):
            group = tuple(s for s in chosen if s.part == title)
            parts.append(Part("sections", f"part-{len(parts) + 1}", title, group))
    return [p for p in parts if _has_content(doc, p)]


def _has_content(doc: Document, part: Part) -> bool:
    if part.kind == "performance":
        return bool(doc.performance.overall or doc.performance.projects or doc.performance.intro)
    if part.kind == "glossary":
        return bool(doc.glossary)
    return True


def previous_document(site: Site, doc: Document) -> Document | None:
    """Last year's document of the same department and kind, when present."""
    dep = _department(site, doc)
    return next((d for d in dep.documents if d.year == doc.year - 1 and d.kind == doc.kind), None)


def document_links(site: Site, doc: Document) -> list[Link]:
    return [link for provider in _LINK_PROVIDERS for link in provider(site, doc)]


def row_marks(site: Site, doc: Document, table: Table) -> dict[str, Any]:
    return {k: v for provider in _MARK_PROVIDERS for k, v in provider(site, doc, table).items()}


def _department(site: Site, doc: Document) -> Department:
    return next(dep for dep in site.departments if dep.slug == doc.department)
