"""The 数据核对 page of each document and the marks on the table rows its findings concern.

URL: `/<dept>/<year>/checks/`. Importing this module registers the page, the link to it from
the document's overview, and the row marks with `pages.py`. The findings are those of the
build's own audit (`checks.document_findings`); nothing here changes a published figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import urls
from .checks import document_findings
from .findings import KINDS, Finding, Place, fmt_diff
from .model import Document, Site, Table
from .pages import (
    Link,
    Page,
    _department,
    register_document_links,
    register_pages,
    register_row_marks,
    table_id,
    table_view,
)
from .table_layout import row_anchor

ORDER = ("content", "completeness", "sanity", "rounding")  # 不一致, 缺漏, 疑点, 舍入差异
MAINTAINER_RULES = frozenset({"ack-unused"})  # about the content file, not the publication
SHOWN_PLACES = Decimal("0.0001")  # a computed figure with more places is shown rounded, with ≈


def checks_route(doc: Document) -> str:
    """`wanli-jiedao/2024/checks/`."""
    return f"{urls.document_route(doc)}checks/"


@dataclass(frozen=True)
class RowLink:
    """A table row a finding concerns: 表6 第14行 302 商品和服务支出."""

    text: str
    route: str
    anchor: str


@dataclass(frozen=True)
class FindingView:
    """One finding as the page shows it; the figures are already text."""

    anchor: str
    finding: Finding
    published: str
    computed: str
    difference: str
    unit: str
    rows: tuple[RowLink, ...]


@dataclass(frozen=True)
class KindGroup:
    kind: str
    title: str
    items: tuple[FindingView, ...]


@dataclass(frozen=True)
class RowMark:
    """A table row with findings: where the first one is listed, and the cells concerned."""

    route: str
    fragment: str
    columns: frozenset[str]
    count: int


def public_findings(site: Site, doc: Document) -> list[tuple[str, Finding]]:
    """The findings shown to readers, in page order, each with its stable anchor (`f-3`)."""
    shown = [f for f in document_findings(site, doc) if f.rule not in MAINTAINER_RULES]
    shown.sort(key=lambda f: ORDER.index(f.kind))  # stable: keeps the audit's order within a kind
    return [(f"f-{n}", f) for n, f in enumerate(shown, start=1)]


def show(value: Decimal | None, text=lambda v: f"{v:f}") -> str:
    """A computed figure as text: exactly as it is; a long quotient rounded, marked ≈."""
    if value is None:
        return ""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        return f"≈{text(value.quantize(SHOWN_PLACES))}"
    return text(value)


def show_difference(value: Decimal | None) -> str:
    return show(value, fmt_diff)


def table_places(doc: Document, finding: Finding) -> list[Place]:
    """The finding's places that are rows of this document's tables, without repeats."""
    seen, out = set(), []
    for place in finding.places:
        key = (place.table, place.side, place.row)
        if place.table in doc.tables and key not in seen:  # row None: the table as a whole
            seen.add(key)
            out.append(place)
    return out


def row_link(doc: Document, place: Place) -> RowLink:
    """The link to the row of `place` on its table page (to the page for a whole table)."""
    table = doc.tables[place.table]
    view = table_view(doc, table)
    if place.row is None:
        return RowLink(f"{table.spec.label} {table.title}", view.route, "")
    side = place.side or table.spec.sides[0].key
    row = table.rows(side)[place.row]
    name = " ".join(part for part in (row.code, row.name) if part)
    side_title = next((s.title for s in table.spec.sides if s.key == side), "")
    where = f"（{side_title}）" if len(table.spec.sides) > 1 else ""
    return RowLink(f"{table.spec.label}{where} {name}".strip(), view.route,
                   row_anchor(view.layout.id, side, place.row))


def finding_view(doc: Document, anchor: str, f: Finding) -> FindingView:
    published = "" if f.published is None else f"{f.published:f}"  # exactly as published
    return FindingView(anchor, f, published, show(f.computed), show_difference(f.difference),
                       f.unit, tuple(row_link(doc, p) for p in table_places(doc, f)))


def kind_groups(site: Site, doc: Document) -> list[KindGroup]:
    """The findings grouped by kind in ORDER; empty kinds are left out."""
    views = [finding_view(doc, anchor, f) for anchor, f in public_findings(site, doc)]
    return [KindGroup(kind, KINDS[kind], tuple(v for v in views if v.finding.kind == kind))
            for kind in ORDER if any(v.finding.kind == kind for v in views)]


@register_pages
def checks_pages(site: Site) -> Iterable[Page]:
    """One 数据核对 page per document, with or without findings."""
    for doc in site.documents:
        dep = _department(site, doc)
        groups = kind_groups(site, doc)
        crumbs = (Link("首页", ""), Link(dep.short_name, urls.department_route(dep)),
                  Link(f"{doc.year}年{doc.kind}", urls.document_route(doc)))
        yield Page(checks_route(doc), "checks.html", f"{doc.title}：数据核对", {
            "doc": doc, "doc_route": urls.document_route(doc), "groups": groups,
            "total": sum(len(g.items) for g in groups),
            "verified": sum(1 for g in groups for v in g.items if v.finding.acknowledged),
        }, crumbs, doc, crumb="数据核对")


@register_document_links
def checks_link(site: Site, doc: Document) -> Iterable[Link]:
    """The link from a document's overview to its 数据核对 page."""
    found = public_findings(site, doc)
    verified = sum(1 for _, f in found if f.acknowledged)
    if not found:
        text = "核对表内加总、表间关系和文字说明，没有发现问题"
    else:
        text = f"{len(found)} 条核对结果" + (f"，其中 {verified} 条已核实为原文问题" if verified else "")
    yield Link("数据核对", checks_route(doc), text)


@register_row_marks
def finding_marks(site: Site, doc: Document, table: Table) -> dict[str, RowMark]:
    """Marks for the rows of `table` that a finding names first in this table."""
    found: dict[str, tuple[str, set[str], int]] = {}
    prefix = table_id(table)
    for anchor, f in public_findings(site, doc):
        first = next((p for p in table_places(doc, f)
                      if p.table == table.spec.label and p.row is not None), None)
        if first is None:
            continue
        row = row_anchor(prefix, first.side or table.spec.sides[0].key, first.row)
        fragment, columns, count = found.get(row, (anchor, set(), 0))
        found[row] = (fragment, columns | ({first.column} if first.column else set()), count + 1)
    return {row: RowMark(checks_route(doc), fragment, frozenset(columns), count)
            for row, (fragment, columns, count) in found.items()}
