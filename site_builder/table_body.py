"""The body rows of a published table as HTML, drawn from the table's rows.

A table's body is most of the HTML of the site (a few hundred cells per table, each table shown
on the document page and on its own page), and the Jinja macros that drew it cell by cell were
the most expensive part of the build. The markup is exactly theirs (`tests/test_render_speed.py`
keeps them as the reference). Each side's cells are prepared once per header grid as a
list of text pieces with a gap per varying part; the table is then read column by column (the
codes, the names, each amount column) and the lines are written from the pieces and the columns
without a Python call per line. Names, codes and
texts are escaped only in a column with a character that needs it; each amount object is
formatted once. The lines are drawn as UTF-8 bytes (`pieces`): each column is encoded with one
call, and the lines are joined without widening the markup to the names' Chinese characters
and encoding every character of it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import repeat, zip_longest
from string import Formatter
from typing import Any

from .model import Row, Side, Table
from .table_header import Leaf
from .table_layout import TableLayout, paired_rows, row_anchor

ROW_INDENT = "\n        "  # the rows sit inside <tbody> (`budget_table`)
_ROW_INDENT = ROW_INDENT.encode()
CELL_INDENT = "\n          "
UNSAFE = re.compile(r"[&<>'\"]")  # what `escape` changes
# Where the link to a row's findings goes, until the page's own relative link replaces it. Text
# in the body is escaped, so no `<` of a value can make it; no tag of the body starts with `<@`.
HREF = "<@{}>"


def escape(value: object) -> str:
    """Jinja's autoescape (markupsafe): the same five characters, the same entities."""
    text = value if isinstance(value, str) else str(value)
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


class _Format:
    """A `_SidePlan.format` string taken apart once: its text pieces, and which column fills
    each gap. A table's lines are then drawn together: `zip` lays each row's pieces and values
    side by side, and one `join` per line writes it (`str.format` parses its format on every
    call, and `%` scans every character of it)."""

    def __init__(self, fmt: str) -> None:
        self.parts: list[bytes | int] = []  # a text piece, or the column filling the gap
        for literal, slot, _, _ in Formatter().parse(fmt):
            if literal:
                self.parts.append(literal.encode())
            if slot is not None:
                self.parts.append(int(slot))

    def draw(self, columns: Sequence[Iterable[bytes]]) -> list[bytes]:
        """One line per row; gap n of row j is `columns[n][j]`."""
        lanes = [repeat(part) if isinstance(part, bytes) else columns[part] for part in self.parts]
        return list(map(b"".join, zip(*lanes, strict=False)))  # the pieces repeat without end

    def draw_row(self, columns: Sequence[Sequence[bytes]], j: int) -> bytes:
        """The line of row j alone."""
        return b"".join(part if isinstance(part, bytes) else columns[part][j] for part in self.parts)


class _SidePlan:
    """How one side of a table is drawn: the cells' markup with a gap per varying part (and,
    for a one-sided table, the whole line's), and the columns that fill the gaps (`columns`).
    A plan belongs to one header grid, and so to one table id (`t6`) and side."""

    def __init__(self, side: Side, leaves: tuple[Leaf, ...], first: bool, table_id: str, suffix: str) -> None:
        self.side, self.leaves, self.first = side, leaves, first  # first: name cells are sticky
        self.line_id = f"{_literal(table_id)}-r{{0}}{_literal(suffix)}"  # `t6-r14`, `t1-r3-2`
        roles = [leaf.column.role for leaf in leaves]
        self.codes = roles.count("code")
        self.amounts = tuple(leaf.column.key for leaf in leaves if leaf.column.role == "amount")
        self.texts = tuple(leaf.column.key for leaf in leaves if leaf.column.role == "text")
        self.cells = _Format(self.format())
        self.anchors = row_anchor(table_id, side.key, -1)[:-1]  # `t6-main-`: + the row's number
        total = 5 + self.codes + len(self.amounts) + len(self.texts)  # the line's class follows the cells'
        self.line = _Format(f'<tr id="{_literal(self.anchors)}{{0}}"{{{total}}}>{self.format()}{ROW_INDENT}</tr>')
        self.flagged: dict[frozenset[str], _Format] = {}  # the cells of marked rows, by columns
        self.empty = "".join(
            CELL_INDENT + (f'<td class="name{" sticky" if first else ""}"></td>' if role == "name"
                           else f'<td headers="{escape(leaf.headers)}" class="{_class(role)}"></td>')
            for leaf, role in zip(leaves, roles, strict=True)).encode()

    def format(self, flagged: frozenset[str] = frozenset()) -> str:
        """The cells of a line where the side has a row, as a format: {0} the line's number,
        {1} the row's anchor (in the first cell), {2} its level, {3} the link to its findings
        (in the name cell), then the codes, the name, the amounts and the texts."""
        out, n_code, n_amount, n_text = [], 0, 0, 0
        first_amount = 5 + self.codes
        for n, leaf in enumerate(self.leaves):
            own = _literal(leaf.headers)
            opens, role = "{1}" if n == 0 else "", leaf.column.role
            if role == "name":
                sticky = " sticky" if self.first else ""
                out.append(f'<th scope="row" id="{self.line_id}" headers="{own}" class="name lvl-{{2}}{sticky}">'
                           f"{opens}{{{4 + self.codes}}}{{3}}</th>")
                continue
            if role == "code":
                slot, n_code = 4 + n_code, n_code + 1
            elif role == "amount":
                slot, n_amount = first_amount + n_amount, n_amount + 1
            else:
                slot, n_text = first_amount + len(self.amounts) + n_text, n_text + 1
            headers = f"{own} {self.line_id}" if self.side.has_name else own
            flag = " flagged" if role == "amount" and leaf.column.key in flagged else ""
            out.append(f'<td headers="{headers}" class="{_class(role)}{flag}">{opens}{{{slot}}}</td>')
        return "".join(CELL_INDENT + cell for cell in out)

    def marked(self, flagged: frozenset[str]) -> _Format:
        """The cells of a row whose `flagged` amount cells have findings."""
        if flagged not in self.flagged:
            self.flagged[flagged] = _Format(self.format(flagged))
        return self.flagged[flagged]

    def columns(self, rows: Sequence[Row], head: list[Iterable[bytes]]) -> list[Iterable[bytes]]:
        """The gaps' bytes, column by column: `head` gives the first four (line number, anchor,
        level, link); the rows give the codes, names, amounts with their published marker, and
        texts, escaped where a column has a character that needs it."""
        if self.codes:
            split = [row.code.split() if row.code else () for row in rows]
            codes = list(zip_longest(*split, fillvalue=""))[:self.codes]
            codes = [_escaped(column) for column in codes] + [("",) * len(rows)] * (self.codes - len(codes))
            names = _escaped([row.name for row in rows])
        else:
            codes, names = [], _escaped([f"{row.code} {row.name}" if row.code else row.name for row in rows])
        texts = [_escaped([row.texts.get(key) or "" for row in rows]) for key in self.texts]
        if any(row.marks for row in rows):
            amounts = [[_marked(row.amounts.get(key), row.marks.get(key)) for row in rows] for key in self.amounts]
        else:
            amounts = [["" if (value := row.amounts.get(key)) is None else money(value) for row in rows]
                       for key in self.amounts]
        return [*head, *map(_encoded, (*codes, names, *amounts, *texts))]


def _literal(text: str) -> str:
    """Text escaped for HTML, as the literal part of a `_SidePlan.format`."""
    return escape(text).replace("{", "{{").replace("}", "}}")


def _encoded(column: Sequence[str]) -> list[bytes]:
    """A column of escaped texts as UTF-8, encoded with one call (cut where a `<` joins them:
    escaped text has none)."""
    return "<".join(column).encode().split(b"<") if column else []


def _escaped(column: Sequence[str]) -> Sequence[str]:
    """The column's texts as autoescape writes them (most columns have nothing to escape)."""
    return [escape(text) for text in column] if UNSAFE.search("".join(column)) else column


# An amount as shown, by value; the entry holds its very object, as equal amounts of another
# precision (1.0, 1.00) are shown otherwise. The loader reads each amount's text once, so a
# site's tables repeat a few thousand objects (c100: 62,224 cells, 6,207 amounts).
_SHOWN: dict[Decimal, tuple[Decimal, str]] = {}
_SHOWN_LIMIT = 20_000  # a department has a few thousand; ~3 MB at most


def money(value: Decimal) -> str:
    """`format(value, ",f")` (`1,234.50`), worked out once per amount object."""
    hit = _SHOWN.get(value)
    if hit is not None and hit[0] is value:
        return hit[1]
    if len(_SHOWN) >= _SHOWN_LIMIT:
        _SHOWN.clear()
    text = format(value, ",f")
    _SHOWN[value] = (value, text)
    return text


# Line numbers and levels as text: `str` of an int costs more than the rest of a cell.
_NUMBERS = {n: str(n) for n in range(1000)}


def _numbers(values: Iterable[int]) -> list[str]:
    return [_NUMBERS.get(n) or str(n) for n in values]


def _marked(value: Decimal | None, mark: str | None) -> str:
    """An amount with the marker printed before it (`*81.10`); blank without an amount."""
    if value is None:
        return ""
    return f"{escape(mark)}{money(value)}" if mark else money(value)


def _class(role: str) -> str:
    return "num" if role == "amount" else escape(role)


def draw_body(table: Table, layout: TableLayout, marks: Mapping[str, Any], routes: list[str]) -> bytes:
    """Every line of the table, as UTF-8; findings' links point at `HREF` slots numbered as `routes`."""
    sides = table.spec.sides
    if "plans" not in layout.memo:  # the same for every table with this grid
        layout.memo["plans"] = [_SidePlan(side, tuple(leaf for leaf in layout.leaves if leaf.side is side), n == 0,
                                          layout.id, f"-{n + 1}" if len(sides) > 1 else "")
                                for n, side in enumerate(sides)]
    plans = layout.memo["plans"]
    if len(sides) == 1 and not marks:
        return _draw_plain(plans[0], table.rows(sides[0].key))
    return _draw_paired(table, plans, marks, routes)


def _draw_plain(plan: _SidePlan, rows: tuple[Row, ...]) -> bytes:
    """The lines of a one-sided table without marks (most tables): line i shows row i."""
    head = [_encoded(_numbers(range(1, len(rows) + 1))), repeat(b""),
            _encoded(_numbers([row.level for row in rows])), repeat(b"")]
    total = [b' class="total"' if row.is_total else b"" for row in rows]
    return _ROW_INDENT.join(plan.line.draw([*plan.columns(rows, head), total]))


def _draw_paired(table: Table, plans: list[_SidePlan], marks: Mapping[str, Any], routes: list[str]) -> bytes:
    """The lines of a two-sided or marked table: the sides' rows paired (`paired_rows`), a line's
    id the anchor of its first row, later rows' anchors in a <span>, rows with findings marked."""
    groups = paired_rows(table)
    lines: list[list[bytes]] = [[] for _ in groups]  # each line's cells, side by side
    opened = [""] * len(groups)  # each line's id: the anchor of its first row
    flagged = [False] * len(groups)
    for n, plan in enumerate(plans):
        placed = [i for i, group in enumerate(groups) if group[n] is not None]
        anchors, cells, marked = _draw_side(plan, table, [groups[i][n] for i in placed], placed,
                                            [bool(opened[i]) for i in placed], marks, routes)
        drawn = dict(zip(placed, cells, strict=True))
        for i, line in enumerate(lines):
            line.append(drawn.get(i, plan.empty))
        for i, anchor, found in zip(placed, anchors, marked, strict=True):
            opened[i], flagged[i] = opened[i] or anchor, flagged[i] or found
    out = []
    for group, line, first, found in zip(groups, lines, opened, flagged, strict=True):
        total = any(row is not None and row.is_total for row in group)
        names = ("total has-finding" if found else "total") if total else "has-finding" if found else ""
        attrs = f' id="{first}" class="{names}"' if names else f' id="{first}"'
        out.append(b"".join((b"<tr", attrs.encode(), b">", *line, _ROW_INDENT, b"</tr>")))
    return _ROW_INDENT.join(out)


def _draw_side(plan: _SidePlan, table: Table, rows: list[Row], lines: list[int], after: list[bool],
               marks: Mapping[str, Any], routes: list[str]) -> tuple[list[str], list[bytes], list[bool]]:
    """One side's `rows`, shown on `lines` (0-based): their anchors as HTML ids, their cells, and
    whether each has findings; `after`: whether an earlier side's row opens the line."""
    index = {id(row): k for k, row in enumerate(table.rows(plan.side.key), start=1)}
    prefix = plan.anchors
    numbers, shown = _numbers([index[id(row)] for row in rows]), escape(prefix)
    anchors, html_ids = [prefix + k for k in numbers], [shown + k for k in numbers]
    found = [marks.get(anchor) for anchor in anchors] if marks else [None] * len(rows)
    spans = [f'<span id="{h}" class="row-anchor"></span>'.encode() if a else b""
             for h, a in zip(html_ids, after, strict=True)]
    links = [_finding_link(mark, routes).encode() if mark else b"" for mark in found]
    head = [_encoded(_numbers([i + 1 for i in lines])), spans, _encoded(_numbers([row.level for row in rows])), links]
    columns = plan.columns(rows, head)
    cells = plan.cells.draw(columns)
    for j, mark in enumerate(found):
        if mark:
            cells[j] = plan.marked(mark.columns).draw_row(columns, j)
    return html_ids, cells, [anchor in marks for anchor in anchors]


def _finding_link(mark: Any, routes: list[str]) -> str:
    """The link from a row's name to its first finding (its href an `HREF` slot)."""
    return (f' <a class="finding-mark" href="{HREF.format(routes.index(mark.route))}#'
            f'{escape(mark.fragment)}" title="本行有 {escape(mark.count)} 条数据核对结果">核'
            '<span class="visually-hidden">（有核对结果）</span></a>')
