"""Downloadable data: each table as CSV (UTF-8 with BOM) and XLSX (the document's JSON is
document_json.py).

All three are byte-for-byte deterministic: the XLSX archive carries a fixed timestamp
(SOURCE_DATE_EPOCH when set); see xlsx.py for why it is not written with openpyxl.
Codes stay text everywhere ("05" is not 5); amounts keep their published precision.

Written for speed (a build writes tens of thousands of these files): a table's CSV and XLSX
share one grid of texts made straight from its rows, in the cells `table_layout` would lay
out; the JSON's rows are written directly (jsontext.py). tests/test_downloads_speed.py checks
all three against the plain, cell-by-cell way of writing them.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import operator
import re
from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from itertools import chain, compress
from typing import NamedTuple

from .memo import ObjectCache
from .model import Document, Pos, Row, Table
from .table_layout import TableLayout, layout_table, paired_rows
from .xlsx import TEXT_FORMAT, Sheet, Style, column_letter, write_xlsx, xml_text

FIXED_TIME = dt.datetime(2000, 1, 1)


def unit_line(doc: Document, table: Table) -> str:
    """The line printed above every published table."""
    return f"编制部门：{doc.meta.publisher}　单位：{table.spec.unit}"


def table_csv(doc: Document, table: Table) -> bytes:
    """One header row (group titles joined with “/”) and the rows as published."""
    layout = layout_table(table, f"t{table.spec.number}")
    grid = _grid(table, layout)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["/".join(leaf.path) for leaf in layout.leaves]
    if not grid.marked:
        writer.writerow(header)
        if grid.plain and len(header) > 1:  # no field to quote (nor a line of one blank field: "")
            out.write("\r\n".join([*map(",".join, grid.texts), ""]))
        else:
            writer.writerows(grid.texts)
    else:
        writer.writerow([*header, "原表标记"])
        writer.writerows([*texts, _marks(header, grid.columns, rows)]
                         for texts, rows in zip(grid.texts, grid.rows, strict=True))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _marks(header: list[str], columns: list[tuple[int, str, str]], rows: tuple[Row | None, ...]) -> str:
    """The marks printed before a line's amounts, as “column：mark”, joined with “；”."""
    marks = [(title, rows[side].marks.get(key))
             for title, (side, role, key) in zip(header, columns, strict=True)
             if role == "amount" and rows[side] is not None]
    return "；".join(f"{title}：{mark}" for title, mark in marks if mark)


class _Grid(NamedTuple):
    """A table's body as text, shared by its CSV and XLSX: the cells `table_layout` lays out
    (`_body`: each line the sides' leaves in side order), without making them.

    Each line as published is a row of each side (or None), side by side: `texts[i]`, `rows[i]`
    and `totals[i]` describe line i."""

    columns: list[tuple[int, str, str]]  # (side index, role, key) of each column
    texts: list[tuple[str, ...]]  # one per line: amounts with their published decimals, blanks ""
    rows: list[tuple[Row | None, ...]]
    totals: list[bool]
    marked: bool  # some amount carries a published mark (the CSV adds a column for them)
    plain: bool  # no cell holds a character the CSV quotes or XML escapes (`_UNPLAIN`)


class _Plan(NamedTuple):
    """What fills one side's columns: (role, key) of each, in column order."""

    own: list[tuple[str, str]]
    codes: int  # the number of code columns: a row's segments are padded with blanks to it
    coded_name: bool  # no code columns: the name column shows “code name”


def _grid(table: Table, layout: TableLayout) -> _Grid:
    """The table's grid, made once for its CSV and its XLSX."""
    return _GRIDS.get(table, lambda table: _make_grid(table, layout))


_GRIDS: ObjectCache[Table, _Grid] = ObjectCache(64)  # the CSV, then the XLSX of a table


def _make_grid(table: Table, layout: TableLayout) -> _Grid:
    """The lines of `paired_rows`, each row written into its side's columns by its `_Plan`."""
    sides = table.spec.sides
    if "download plans" not in layout.memo:  # the same for every table with this header grid
        columns = [(n, leaf.column.role, leaf.column.key) for n, side in enumerate(sides)
                   for leaf in layout.leaves if leaf.side is side]
        layout.memo["download plans"] = columns, [_plan(columns, n, side.code_depth) for n, side in enumerate(sides)]
    columns, plans = layout.memo["download plans"]
    if len(plans) == 1:  # the lines of `paired_rows`, made faster
        rows = list(zip(table.rows()))
        totals = [row.is_total for row in table.rows()]
    else:
        rows = paired_rows(table)
        totals = [any(r is not None and r.is_total for r in group) for group in rows]
    if len(plans) == 1:
        side_rows: list[Sequence[Row]] = [table.rows()]
    else:  # an absent row: blank cells on its side of the line
        side_rows = [[group[n] or _NO_ROW for group in rows] for n in range(len(plans))]
    by_column = _texts(side_rows, plans, str)
    amounts = [role == "amount" for _, role, _ in columns]
    if "E" in "".join(chain.from_iterable(compress(by_column, amounts))):  # maybe an exponent
        by_column = _texts(side_rows, plans, _figure)
    words = "".join(chain.from_iterable(compress(by_column, [not a for a in amounts])))
    texts = list(zip(*by_column, strict=True)) if by_column else [()] * len(rows)
    marked = any(row.marks.get(key) for n, side in enumerate(sides) for row in table.rows(side.key)
                 if row.marks for s, role, key in columns if s == n and role == "amount")
    return _Grid(columns, texts, rows, totals, marked, not _UNPLAIN.search(words))


# What `csv.writer` quotes a field for (QUOTE_MINIMAL) and what `xlsx.xml_text` changes
# (amounts, written by `str`, hold none of them).
_UNPLAIN = re.compile(r'[,"\r\n&<>\x00-\x1f]')


def _texts(sides: list[Sequence[Row]], plans: list[_Plan], figure: Callable[[Decimal], str]) -> list[list[str]]:
    """The texts of each column: its side's rows, written by its plan."""
    return [column for plan, rows in zip(plans, sides, strict=True) for column in _columns(plan, rows, figure)]


_NO_ROW = Row("", None, 0, False, {}, {}, {}, Pos("", 0, 0), {})  # no row on this side of a line


def _figure(value: Decimal) -> str:
    return format(value, "f")


def _plan(columns: list[tuple[int, str, str]], side: int, code_depth: int) -> _Plan:
    """What fills the columns of side number `side` among a line's `columns`."""
    own = [(role, key) for s, role, key in columns if s == side]
    return _Plan(own, sum(role == "code" for role, _ in own), not code_depth)


def _columns(plan: _Plan, rows: Sequence[Row], figure: Callable[[Decimal], str]) -> list[list[str]]:
    """One side's rows as the texts of its columns, a column at a time, as
    `table_layout._row_cells` lays them out (fewer code segments than columns: blanks).

    Amounts are written with `str`, which writes a Decimal as published unless it chooses an
    exponent (`_make_grid` then writes the table again with `format(value, "f")`)."""
    blanks = [""] * plan.codes
    segments = iter(zip(*[(row.code.split() + blanks)[:plan.codes] if row.code else blanks for row in rows],
                        strict=True))
    if plan.coded_name:
        names = [f"{row.code} {row.name}" if row.code else row.name for row in rows]
    else:
        names = [row.name for row in rows]
    amounts = [row.amounts for row in rows]
    columns = []
    for role, key in plan.own:
        if role == "code":
            columns.append(next(segments, [""] * len(rows)))
        elif role == "name":
            columns.append(names)
        elif role == "amount":
            columns.append([figure(published[key]) if key in published else "" for published in amounts])
        elif role == "text":
            columns.append([row.texts.get(key, "") for row in rows])
        else:
            columns.append([""] * len(rows))
    return columns


def table_xlsx(doc: Document, table: Table, epoch: int | None = None) -> bytes:
    """A workbook laid out like the published table: title, unit line, merged headers."""
    layout = layout_table(table, f"t{table.spec.number}")
    grid = _grid(table, layout)
    sheet = Sheet(table.spec.label)
    sheet.add(1, [(1, f"{table.spec.label} {table.title}", _TITLE)])
    sheet.add(2, [(1, unit_line(doc, table), Style())])
    head = _head(layout)
    for style in head.styles:  # numbered as in `_head`'s sheet: after the same two
        sheet.style(style)
    sheet.rows += head.rows
    sheet.merges += head.merges
    sheet.width = max(sheet.width, head.width)
    sheet.frozen_rows = head.last
    _write_body(sheet, grid, head.last + 1)
    if table.note:
        sheet.add(head.last + len(grid.texts) + 2, [(1, table.note, Style())])
    return write_xlsx(sheet, _stamp(epoch))


@functools.lru_cache(maxsize=8)
def _stamp(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    """The time every archive member carries (SOURCE_DATE_EPOCH or `FIXED_TIME`), worked out once."""
    when = dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch else FIXED_TIME
    return when.timetuple()[:6]


_TITLE = Style(bold=True, size=14)
_TOP = 3  # the first header row, below the title and the unit line


class _Head(NamedTuple):
    """A sheet's header rows (and numbering row) as written, the same for every table of a grid."""

    rows: list[str]
    merges: list[tuple[int, int, int, int]]
    styles: list[Style]  # in the order the sheet numbers them, after Style() and the title's
    width: int
    last: int  # the number of the last header row


def _head(layout: TableLayout) -> _Head:
    """The header rows of a layout, written once per header grid (`layout.memo` is the grid's)."""
    if "xlsx head" not in layout.memo:
        sheet = Sheet("")
        sheet.style(_TITLE)  # as in `table_xlsx`, where the title row comes first
        _write_headers(sheet, layout, _TOP)
        last = _TOP + len(layout.header_rows) - 1
        if layout.numbering:
            last += 1
            centred = Style(center=True)
            sheet.add(last, [(col, text, centred) for col, text in enumerate(layout.numbering, start=1)])
        layout.memo["xlsx head"] = _Head(sheet.rows, sheet.merges, list(sheet.styles)[2:], sheet.width, last)
    return layout.memo["xlsx head"]


def _write_headers(sheet: Sheet, layout: TableLayout, top: int) -> None:
    occupied: set[tuple[int, int]] = set()
    style = Style(bold=True, center=True, wrap=True)
    for r, cells in enumerate(layout.header_rows):
        placed, col = [], 1
        for cell in cells:
            while (top + r, col) in occupied:
                col += 1
            placed.append((col, cell.text, style))
            occupied.update((top + r + dr, col + dc)
                            for dr in range(cell.rowspan) for dc in range(cell.colspan))
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge(top + r, col, top + r + cell.rowspan - 1, col + cell.colspan - 1)
            col += cell.colspan
        sheet.add(top + r, placed)


def _write_body(sheet: Sheet, grid: _Grid, first: int) -> None:
    """Amounts are numbers shown with their published decimals (and mark); codes and names text.

    The hot loop of the downloads: one string per filled cell, its style number looked up by
    what decides it — total (a dict per line), then decimals and mark for amounts, indent for
    names. The cells are written as `xlsx.number_cell` and `xlsx.text_cell` write them."""
    columns = [(f'<c r="{column_letter(n)}', side, role == "amount", role == "name", key)
               for n, (side, role, key) in enumerate(grid.columns, start=1)]
    amount_styles = {bold: _Styles(sheet, lambda key, bold=bold: _amount_style(*key, bold)) for bold in (False, True)}
    text_styles = {bold: _Styles(sheet, lambda indent, bold=bold: _text_style(bold, indent)) for bold in (False, True)}
    marked, plain, body = grid.marked, grid.plain, sheet.rows
    for number, (texts, rows, total) in enumerate(zip(grid.texts, grid.rows, grid.totals, strict=True), first):
        cells, row, amounts, words = [], str(number), amount_styles[total], text_styles[total]
        for (head, side, amount, name, key), text in compress(zip(columns, texts, strict=True), texts):  # filled
            if amount:
                style = amounts[len(text.partition(".")[2]), rows[side].marks.get(key, "") if marked else ""]
                cells.append(f'{head}{row}" s="{style}"><v>{text}</v></c>')
            else:
                style = words[rows[side].level - 1 if name and rows[side].level > 1 else 0]
                cells.append(f'{head}{row}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                             f'{text if plain else xml_text(text)}</t></is></c>')
        if cells:  # as `Sheet.add_row` writes a row
            body.append(f'<row r="{row}">{"".join(cells)}</row>')
    filled = (n for n in range(len(columns), 0, -1) if any(map(operator.itemgetter(n - 1), grid.texts)))
    sheet.width = max(sheet.width, next(filled, 0))


class _Styles(dict):
    """A sheet's style numbers (as text) by what decides them; a new key makes its style.

    The sheet numbers styles in the order it first uses them, whichever `_Styles` asks."""

    def __init__(self, sheet: Sheet, make: Callable[[Hashable], Style]) -> None:
        super().__init__()
        self.sheet, self.make = sheet, make

    def __missing__(self, key: Hashable) -> str:
        self[key] = number = str(self.sheet.style(self.make(key)))
        return number


@functools.cache
def _amount_style(places: int, mark: str, bold: bool) -> Style:
    """The number format that shows an amount with its published decimals (and mark)."""
    fmt = "#,##0" + ("." + "0" * places if places else "")
    if mark:
        fmt = f'"{mark}"{fmt}'
    return Style(fmt, bold=bold)


@functools.cache
def _text_style(bold: bool, indent: int) -> Style:
    return Style(TEXT_FORMAT, bold=bold, indent=indent)
