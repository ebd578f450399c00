"""Lay a published table out as a grid: multi-level header cells and body rows.

Pure functions of the model. The header grid (`table_header`) is shared by the HTML pages and
the CSV/XLSX downloads; the body as `Cell`s (`TableLayout.body`, laid out when asked for) is
the reference for where each cell goes, which `table_html` and the downloads draw straight
from the rows (their tests compare them with it). Two-sided tables (收/支) are laid out side by side as
published, with their total rows together on the last line.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from .model import Row, Table
from .table_header import HeaderCell, Leaf, header_grid

MARK_NOTE = "（原表数字前印有该符号）"


class Cell(NamedTuple):
    """One body cell; `value` is a Decimal for amounts, text otherwise, None when blank.

    A named tuple, not a frozen dataclass: a site has hundreds of thousands of cells, and a
    tuple is made several times faster."""

    value: Decimal | str | None
    role: str
    mark: str = ""
    header: bool = False  # the row's name cell: <th scope="row">
    id: str = ""
    headers: str = ""
    level: int = 1
    sticky: bool = False
    key: str = ""  # the column key of an amount cell
    row: str = ""  # `row_anchor` of the published row this cell belongs to
    opens: bool = False  # the first cell of that row (where a second side's anchor goes)


@dataclass(frozen=True)
class BodyRow:
    cells: tuple[Cell, ...]
    is_total: bool
    id: str = ""  # the <tr>'s id: the anchor of its first published row
    anchors: tuple[str, ...] = ()  # one per side present on this line, in side order


def row_anchor(table_id: str, side: str, index: int) -> str:
    """The stable id of row `index` of `Table.rows(side)`: `t6-main-14` (1-based, as numbered)."""
    return f"{table_id}-{side}-{index + 1}"


@dataclass(frozen=True)
class TableLayout:
    id: str
    header_rows: tuple[tuple[HeaderCell, ...], ...]
    leaves: tuple[Leaf, ...]
    numbering: tuple[str, ...] = ()
    # The table, weakly: a layout in the cache must not keep its table alive (see _CACHE).
    source: Callable[[], Table | None] = field(default=lambda: None, compare=False, repr=False)
    # What is drawn from the header grid alone (`table_html`: the header rows, the cell plans),
    # shared by every table whose grid this is (see table_header._GRIDS).
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def width(self) -> int:
        return len(self.leaves)

    @functools.cached_property
    def body(self) -> tuple[BodyRow, ...]:
        """The body rows as cells, laid out when first asked for (the pages and downloads draw
        their rows from the table itself, the same cells in the same places)."""
        table = self.source()
        if table is None:
            raise ReferenceError(f"表格 {self.id} 已释放，无法再排版表体（table_layout.TableLayout.body）")
        return tuple(_body(table, list(self.leaves), self.id))


_CACHE: dict[tuple[int, str], tuple[weakref.ref, TableLayout]] = {}
# A layout is small (its grid is shared) until its body is asked for (~80 KB): 2,048 is far
# more tables than a department has (a build renders one department's pages, then its
# downloads), ~160 MB at most even with every body laid out. An entry also leaves when its
# table is freed, so a build that moves on to the next department does not keep the last one's.
_LIMIT = 2048


def layout_table(table: Table, table_id: str) -> TableLayout:
    """The grid of one table, memoised while the table lives: its pages and downloads share it.

    (The old cache held 1,024 entries and was cleared when full: rendering all pages of 100
    documents, then their downloads, laid every one of the 1,050 tables out twice.)"""
    key = (id(table), table_id)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is table:
        return hit[1]
    if len(_CACHE) >= _LIMIT:
        _CACHE.clear()
    layout = _layout_table(table, table_id)
    _CACHE[key] = (weakref.ref(table, lambda _ref, key=key: _CACHE.pop(key, None)), layout)
    return layout


def _layout_table(table: Table, table_id: str) -> TableLayout:
    """The grid of one table (its body on demand); `table_id` prefixes every cell id."""
    header_rows, leaves, numbering, memo = header_grid(table, table_id)
    return TableLayout(table_id, header_rows, leaves, numbering, weakref.ref(table), memo)


def paired_rows(table: Table) -> list[tuple[Row | None, ...]]:
    """Rows aligned across sides: body rows first, total rows together at the end."""
    sides = table.spec.sides
    parts = [table.rows(s.key) for s in sides]
    if len(sides) == 1:
        return [(row,) for row in parts[0]]
    bodies = [[r for r in rows if not r.is_total] for rows in parts]
    totals = [[r for r in rows if r.is_total] for rows in parts]
    return _zip_longest(bodies) + _zip_longest(totals)


def _zip_longest(columns: list[list[Row]]) -> list[tuple[Row | None, ...]]:
    height = max((len(c) for c in columns), default=0)
    return [tuple(c[i] if i < len(c) else None for c in columns) for i in range(height)]


def _body(table: Table, leaves: list[Leaf], table_id: str):
    sides = [(side, [leaf for leaf in leaves if leaf.side is side], side.has_name, side.code_depth)
             for side in table.spec.sides]
    index = {(side.key, id(row)): n for side in table.spec.sides
             for n, row in enumerate(table.rows(side.key))}
    for i, group in enumerate(paired_rows(table), start=1):
        cells: list[Cell] = []
        anchors = []
        for side_index, ((side, side_leaves, has_name, depth), row) in enumerate(zip(sides, group, strict=True)):
            row_id = f"{table_id}-r{i}" + (f"-{side_index + 1}" if len(group) > 1 else "")
            anchor = "" if row is None else row_anchor(table_id, side.key, index[side.key, id(row)])
            own = _row_cells(row, side_leaves, row_id, side_index == 0, has_name, depth, anchor)
            if anchor and own:
                anchors.append(anchor)
            cells.extend(own)
        yield BodyRow(tuple(cells), any(r is not None and r.is_total for r in group),
                      anchors[0] if anchors else "", tuple(anchors))


def _row_cells(row: Row | None, leaves: list[Leaf], row_id: str, first: bool,
               has_name: bool, code_depth: int, anchor: str = "") -> list[Cell]:
    """The cells of one side of a line; the first carries `opens` (where `anchor` goes).

    Cells are made with positional arguments: keywords make a named tuple several times slower,
    and a site has hundreds of thousands of cells. Field order: value, role, mark, header, id,
    headers, level, sticky, key, row, opens."""
    if row is None:
        return [Cell(None, "name", "", False, "", "", 1, first) if leaf.column.role == "name"
                else Cell(None, leaf.column.role, "", False, "", leaf.headers) for leaf in leaves]
    name_id = row_id if has_name else ""
    cells, code_index, segments = [], 0, row.segments
    amounts, marks = row.amounts, row.marks
    for n, leaf in enumerate(leaves):
        own = leaf.headers
        headers = f"{own} {name_id}" if name_id else own
        role = leaf.column.role
        if role == "name":
            name = row.name if code_depth or not row.code else f"{row.code} {row.name}"
            cells.append(Cell(name, role, "", True, row_id, own, row.level, first, "", anchor, n == 0))
        elif role == "code":
            value = segments[code_index] if code_index < len(segments) else None
            cells.append(Cell(value, role, "", False, "", headers, 1, False, "", anchor, n == 0))
            code_index += 1
        elif role == "text":
            value = row.texts.get(leaf.column.key) or None
            cells.append(Cell(value, role, "", False, "", headers, 1, False, "", anchor, n == 0))
        else:
            key = leaf.column.key
            cells.append(Cell(amounts.get(key), role, marks.get(key, ""), False, "", headers, 1, False,
                              key, anchor, n == 0))
    return cells


def merge_repeats(rows: list[list[str]], columns: int = 2) -> list[list[tuple[str, int]]]:
    """Rowspans for the leading columns whose values repeat (一级/二级指标 as published).

    Each cell becomes (text, rowspan); rowspan 0 means the cell is covered by the one above.
    A column only merges within the merged block of the column before it: a row continues a
    block only where it is covered in that column too.
    """
    out = [[(text, 1) for text in row] for row in rows]
    for col in range(min(columns, min((len(r) for r in rows), default=0))):
        start = 0
        for i in range(1, len(rows) + 1):
            text = rows[i][col] if i < len(rows) else ""
            if text and text == rows[start][col] and (col == 0 or out[i][col - 1][1] == 0):
                continue
            out[start][col] = (rows[start][col], i - start)
            for j in range(start + 1, i):
                out[j][col] = (rows[j][col], 0)
            start = i
    return out
