"""The <tbody> rows of a published table as HTML, built in Python rather than in a macro.

A table's body is most of the HTML of the site (a few hundred cells per table, each table shown
on the document page and on its own page), and the Jinja macro that drew it cell by cell was
the most expensive part of the build. The markup is exactly what `_table.html` used to produce;
`_table.html` keeps the heading, the header rows and the downloads. The rows of one view are
drawn once and reused by every page that shows it with the same link targets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from .table_layout import BodyRow, Cell, HeaderCell

ROW_INDENT = "\n        "  # the rows sit inside <tbody> in `_table.html`
CELL_INDENT = "\n          "


def escape(value: object) -> str:
    """Jinja's autoescape (markupsafe): the same five characters, the same entities."""
    text = value if isinstance(value, str) else str(value)
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def table_head(view: Any) -> Markup:
    """The header rows of `view` and the published column-number row, drawn once per view."""
    if "head" not in view.memo:
        layout = view.layout
        rows = ["<tr>" + "".join(CELL_INDENT + _header_cell(c) for c in row) + ROW_INDENT + "</tr>"
                for row in layout.header_rows]
        if layout.numbering:
            sticky = ' class="sticky"'
            cells = "".join(f"{CELL_INDENT}<td{sticky if leaf.sticky else ''}>{escape(n)}</td>"
                            for n, leaf in zip(layout.numbering, layout.leaves, strict=True))
            rows.append(f'<tr class="colnums">{cells}{ROW_INDENT}</tr>')
        view.memo["head"] = Markup(ROW_INDENT.join(rows))
    return view.memo["head"]


def _header_cell(c: HeaderCell) -> str:
    spans = (f' colspan="{c.colspan}"' if c.colspan > 1 else "") + \
            (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
    headers = f' headers="{escape(c.headers)}"' if c.headers else ""
    sticky = " sticky" if c.sticky else ""
    return (f'<th id="{escape(c.id)}" scope="{escape(c.scope)}"{spans}{headers} '
            f'class="h-{escape(c.role)}{sticky}">{escape(c.text)}</th>')


def table_rows(view: Any, url: Callable[[str], str]) -> Markup:
    """The body rows of `view` (a `pages.TableView`), for the page whose links `url` makes."""
    marks: Mapping[str, Any] = view.marks
    hrefs = {m.route: url(m.route) for m in marks.values()}
    key = tuple(sorted(hrefs.items()))
    memo = view.memo
    if key not in memo:
        layout = view.layout
        # Cell ids and `headers` are the table id plus generated suffixes (`t6-r3-1`): when the
        # table id needs no escaping, neither do they, and escaping them was half the work.
        ids = str if escape(layout.id) == layout.id else escape
        memo[key] = Markup(ROW_INDENT.join(_row(row, marks, hrefs, ids) for row in layout.body))
    return memo[key]


def _row(row: BodyRow, marks: Mapping[str, Any], hrefs: Mapping[str, str],
         ids: Callable[[str], str]) -> str:
    flagged = marks and any(a in marks for a in row.anchors)
    attrs = f' id="{escape(row.id)}"' if row.id else ""
    if row.is_total or flagged:
        names = ("total" if row.is_total else "") + (" " if row.is_total and flagged else "") + \
                ("has-finding" if flagged else "")
        attrs += f' class="{names}"'
    cells = "".join(CELL_INDENT + _cell(c, row.id, marks, hrefs, ids) for c in row.cells)
    return f"<tr{attrs}>{cells}{ROW_INDENT}</tr>"


def _cell(c: Cell, row_id: str, marks: Mapping[str, Any], hrefs: Mapping[str, str],
          ids: Callable[[str], str]) -> str:
    m = marks.get(c.row) if c.row and marks else None
    anchor = f'<span id="{escape(c.row)}" class="row-anchor"></span>' if c.opens and c.row != row_id else ""
    if c.role == "amount":
        flagged = " flagged" if m and c.key in m.columns else ""
        value = "" if c.value is None else (escape(c.mark) if c.mark else "") + _money(c.value)
        return f'<td headers="{ids(c.headers)}" class="num{flagged}">{anchor}{value}</td>'
    if c.header:
        sticky = " sticky" if c.sticky else ""
        link = ""
        if m:
            link = (f' <a class="finding-mark" href="{escape(hrefs[m.route])}#{escape(m.fragment)}"'
                    f' title="本行有 {escape(m.count)} 条数据核对结果">核<span class="visually-hidden">'
                    "（有核对结果）</span></a>")
        return (f'<th scope="row" id="{ids(c.id)}" headers="{ids(c.headers)}" '
                f'class="name lvl-{c.level}{sticky}">{anchor}{escape(c.value)}{link}</th>')
    headers = f' headers="{ids(c.headers)}"' if c.headers else ""
    sticky = " sticky" if c.sticky else ""
    value = "" if c.value is None else escape(c.value)
    return f'<td{headers} class="{escape(c.role)}{sticky}">{anchor}{value}</td>'


def _money(value: Decimal) -> str:
    """The `money` filter (render.format_money): digits, separators, point, sign; nothing to escape."""
    return format(value, ",f")
