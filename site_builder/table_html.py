"""A published table as HTML (`budget_table`) and a 绩效目标表's indicator rows, in Python.

They were Jinja macros that drew the tables cell by cell, the most expensive part of the build;
the markup is exactly theirs (`tests/test_render_speed.py` keeps them as the reference). The
body rows (`table_body`) of a view are drawn once, as a `pieces.Piece` (UTF-8 bytes shared by
the pages showing the view); the link to the 数据核对 page is the only part that differs
between those pages, and is filled in per link target.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .pieces import Piece
from .table_body import CELL_INDENT, HREF, ROW_INDENT, UNSAFE, draw_body, escape
from .table_header import HeaderCell


def table_head(view: Any) -> Markup:
    """The header rows of `view` and the published column-number row, drawn once per grid."""
    layout = view.layout
    if "head" not in layout.memo:
        rows = ["<tr>" + "".join(CELL_INDENT + _header_cell(c) for c in row) + ROW_INDENT + "</tr>"
                for row in layout.header_rows]
        if layout.numbering:
            sticky = ' class="sticky"'
            cells = "".join(f"{CELL_INDENT}<td{sticky if leaf.sticky else ''}>{escape(n)}</td>"
                            for n, leaf in zip(layout.numbering, layout.leaves, strict=True))
            rows.append(f'<tr class="colnums">{cells}{ROW_INDENT}</tr>')
        layout.memo["head"] = Markup(ROW_INDENT.join(rows))
    return layout.memo["head"]


def _header_cell(c: HeaderCell) -> str:
    spans = (f' colspan="{c.colspan}"' if c.colspan > 1 else "") + \
            (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
    headers = f' headers="{escape(c.headers)}"' if c.headers else ""
    sticky = " sticky" if c.sticky else ""
    return (f'<th id="{escape(c.id)}" scope="{escape(c.scope)}"{spans}{headers} '
            f'class="h-{escape(c.role)}{sticky}">{escape(c.text)}</th>')


def budget_table(view: Any, doc: Any, url: Callable[[str], str], heading: str = "h3",
                 page_link: bool = True) -> Markup:
    """One published table (a `pages.TableView` of `doc`): heading, unit line, the grid in its
    own scroll box, the note of an empty table, downloads; `page_link` adds the links for the
    document page (to the table's own page and back to the contents)."""
    t, layout, e = view.table, view.layout, escape
    label, title, unit, lid = e(t.spec.label), e(t.title), e(t.spec.unit), e(layout.id)
    rows = table_rows(view, url)
    note = f'  <p class="table-note">{e(t.note)}</p>\n' if t.note and rows else ""
    body = f"        {rows.token}\n" if rows else (
        f'        <tr>\n          <td colspan="{layout.width}" class="empty-note">'
        f'{e(t.note or "本表没有数据。")}</td>\n        </tr>\n')
    links = "".join(f'    <li><a href="{e(url(d.route))}" download>下载 {label} {e(d.title)}</a></li>\n'
                    for d in view.downloads)
    if page_link:
        links += (f'    <li><a href="{e(url(view.route))}">单独查看{label}</a></li>\n'
                  '    <li><a href="#toc-title">回到目录</a></li>\n')
    two_sided = " two-sided" if len(t.spec.sides) > 1 else ""
    return Markup(
        f'<section class="budget-table" id="{e(view.anchor)}" aria-labelledby="{lid}-title">\n'
        f'  <{e(heading)} class="table-title" id="{lid}-title">{label}　{title}</{e(heading)}>\n'
        f'  <p class="table-meta"><span>编制部门：{e(doc.meta.publisher)}</span> <span>单位：{unit}</span></p>\n'
        f'{note}  <div class="table-scroll" role="region" aria-labelledby="{lid}-title" tabindex="0">\n'
        f'    <table class="data{two_sided}">\n'
        f'      <caption class="visually-hidden">{label} {title}（单位：{unit}）</caption>\n'
        f"      <thead>\n        {table_head(view)}\n      </thead>\n      <tbody>\n{body}      </tbody>\n"
        f"    </table>\n  </div>\n"
        f'  <ul class="downloads" aria-label="{label} 下载">\n{links}  </ul>\n</section>\n')


def indicator_rows(view: Any) -> Markup:
    """The <tbody> rows of a 绩效目标表's indicators (a `pages.PerformanceView`), with the
    repeated 一级/二级指标 merged (`rowspan`) as published and the weight column numeric."""
    weight = [' class="num"' if column == view.table.weight_column else "" for column in view.table.columns]
    shown = str if UNSAFE.search("".join(text for row in view.grid for text, _ in row)) is None else escape
    lines = []
    for row in view.grid:
        cells = "".join(f"<td{_rowspan(span)}{weight[n]}>{shown(text)}</td>"
                        for n, (text, span) in enumerate(row) if span)
        lines.append(f"        <tr>\n{cells}        </tr>")
    return Markup("\n".join(lines))


def _rowspan(span: int) -> str:
    return f' rowspan="{span}"' if span > 1 else ""


def table_rows(view: Any, url: Callable[[str], str]) -> Piece:
    """The body rows of `view` (a `pages.TableView`), for the page whose links `url` makes;
    empty when the table has no rows."""
    routes = sorted({m.route for m in view.marks.values()})
    hrefs = tuple(url(route) for route in routes)
    memo = view.memo
    if hrefs not in memo:
        if "body" not in memo:
            memo["body"] = draw_body(view.table, view.layout, view.marks, routes)
        html = memo["body"]
        for n, href in enumerate(hrefs):
            html = html.replace(HREF.format(n).encode(), escape(href).encode())
        memo[hrefs] = Piece(html)
    return memo[hrefs]
