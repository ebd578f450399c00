"""A table as an XLSX workbook laid out like the published table: title, unit line, merged
headers, then the body, amounts as numbers shown with their published decimals (and mark).

Written for speed (a build writes a workbook per table): what every table of one header grid
shares — its header rows, their styles, merges — is written once per grid (`_frame`), and a
body line is one `str.format` of the template for its shape (`_line_key`: which cells are
filled, the decimals and marks of its amounts, total or not, its rows' levels). A table has a
handful of shapes; the templates are kept per header grid.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Callable, Iterator
from itertools import chain, repeat
from typing import NamedTuple

from .download_grid import Grid, table_grid
from .model import Document, Table
from .table_layout import TableLayout, layout_table
from .xlsx import TEXT_FORMAT, Sheet, Style, column_letter, text_cell, write_xlsx, xml_text

FIXED_TIME = dt.datetime(2000, 1, 1)
_TITLE = Style(bold=True, size=14)
_TOP = 3  # the first header row, below the title and the unit line
_ESCAPED = re.compile(r"[&<>\x01-\x08\x0b\x0c\x0e-\x1f]")  # what `xml_text` changes (and NUL)
# Where a value goes in a line's template, and what parts the texts of a body being encoded:
# no text written keeps a NUL (`xml_text` drops it).
_GAP = "\x00"


def unit_line(doc: Document, table: Table) -> str:
    """The line printed above every published table."""
    return f"编制部门：{doc.meta.publisher}　单位：{table.spec.unit}"


def table_xlsx(doc: Document, table: Table, epoch: int | None = None) -> bytes:
    """A workbook laid out like the published table: title, unit line, merged headers."""
    layout = layout_table(table, f"t{table.spec.number}")
    grid = table_grid(table, layout)
    frame = _frame(layout)
    sheet = Sheet(table.spec.label)
    sheet.styles = styles = _Numbers(frame.styles)
    body, width = _body(grid, layout, frame.last + 1, styles)
    sheet.rows = [_text_row(1, f"{table.spec.label} {table.title}", 1), _text_row(2, unit_line(doc, table), 0),
                  *frame.rows, body]
    if table.note:
        sheet.rows.append(_text_row(frame.last + len(grid.texts) + 2, table.note, 0))
    sheet.merges, sheet.frozen_rows, sheet.width = frame.merges, frame.last, max(frame.width, width)
    return write_xlsx(sheet, _stamp(epoch))


@functools.lru_cache(maxsize=8)
def _stamp(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    """The time every archive member carries: `epoch` (SOURCE_DATE_EPOCH), or `FIXED_TIME`."""
    when = dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch else FIXED_TIME
    return when.timetuple()[:6]


def _text_row(number: int, text: str, style: int) -> bytes:
    """A row of one text cell in column A, as `Sheet.add` writes it."""
    return f'<row r="{number}">{text_cell("A", str(number), str(style), xml_text(text))}</row>'.encode()


class _Numbers(dict):
    """A sheet's style numbers by style, numbered in the order the sheet first uses them."""

    def __missing__(self, style: Style) -> int:
        self[style] = number = len(self)
        return number


class _Frame(NamedTuple):
    """A sheet's header rows (and numbering row) as written, the same for every table of a grid."""

    rows: list[str]
    merges: list[tuple[int, int, int, int]]
    styles: dict[Style, int]  # numbered as the sheet numbers them: Style(), the title's, the header's
    width: int
    last: int  # the number of the last header row


def _frame(layout: TableLayout) -> _Frame:
    """The header rows of a layout, written once per header grid (`layout.memo` is the grid's)."""
    if "xlsx frame" not in layout.memo:
        sheet = Sheet("")
        sheet.style(_TITLE)  # as in `table_xlsx`, where the title row comes first
        _write_headers(sheet, layout, _TOP)
        last = _TOP + len(layout.header_rows) - 1
        if layout.numbering:
            last += 1
            centred = Style(center=True)
            sheet.add(last, [(col, text, centred) for col, text in enumerate(layout.numbering, start=1)])
        layout.memo["xlsx frame"] = _Frame(sheet.rows, sheet.merges, sheet.styles, sheet.width, last)
    return layout.memo["xlsx frame"]


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


def _body(grid: Grid, layout: TableLayout, first: int, styles: _Numbers) -> tuple[bytes, int]:
    """The body lines as sheet rows (numbered from `first`), in UTF-8, and the last column they fill.

    Amounts are numbers shown with their published decimals (and mark); codes and names text.
    Each line is written by the template of its shape (`_Line`), the shapes taken in order of
    first use, so that the sheet numbers the styles in the order it first uses them. The lines
    are put together as bytes: a join of text in several scripts copies it a character at a time."""
    keys = _line_keys(grid)
    lines = layout.memo.setdefault("xlsx lines", {})
    plans, width = {}, 0
    for key in dict.fromkeys(keys):
        if key not in lines:
            lines[key] = _line(grid.columns, key)
        line = lines[key]
        numbers = tuple(map(styles.__getitem__, line.styles))
        if numbers not in line.pieces:
            line.pieces[numbers] = tuple((line.template % numbers).encode().split(_GAP.encode()))
        plans[key] = line.pick, line.pieces[numbers]
        width = max(width, line.filled)
    written = []
    numbers = map(b"%d".__mod__, range(first, first + len(keys)))
    for key, number, texts in zip(keys, numbers, _encoded(grid), strict=True):
        pick, pieces = plans[key]
        written.append(pick((number, *texts, *pieces)))
    return b"".join(chain.from_iterable(written)), width


def _encoded(grid: Grid) -> Iterator[tuple[bytes, ...]]:
    """The grid's lines, each text through `xml_text` and in UTF-8 (encoded all at once)."""
    texts = list(chain.from_iterable(grid.texts))
    if not texts:  # no line, or no column
        return iter(grid.texts)
    joined = _GAP.join(texts)
    if _ESCAPED.search(joined) or joined.count(_GAP) != len(texts) - 1:  # or a text has a NUL
        joined = _GAP.join(map(xml_text, texts))
    encoded = iter(joined.encode().split(_GAP.encode()))
    return zip(*[encoded] * len(grid.columns), strict=True)  # a line at a time


def _line_keys(grid: Grid) -> list[tuple]:
    """Each line's shape: (total, its rows' levels, `_decimals` of each text, marks of each amount)."""
    if grid.rows and len(grid.rows[0]) == 1:
        levels = [(group[0].level,) for group in grid.rows]
    else:
        levels = [tuple(0 if row is None else row.level for row in group) for group in grid.rows]
    if len(_DECIMALS) > 100_000:  # names and codes come here too: a bound on memory
        _DECIMALS.clear()
    shapes = [tuple(map(_DECIMALS.__getitem__, line)) for line in grid.texts]
    marks = _line_marks(grid) if grid.marked else [()] * len(shapes)
    return list(zip(grid.totals, levels, shapes, marks, strict=True))


def _line_marks(grid: Grid) -> list[tuple[str, ...]]:
    """The mark of each amount of each line ("" where none)."""
    amounts = [(side, key) for side, role, key in grid.columns if role == "amount"]
    return [tuple("" if rows[side] is None else rows[side].marks.get(key, "") for side, key in amounts)
            for rows in grid.rows]


class _Decimals(dict):
    """The decimals a cell's text shows (`12.50`: 2), -1 for a blank cell, by text."""

    def __missing__(self, text: str) -> int:
        self[text] = places = len(text.partition(".")[2]) if text else -1
        return places


_DECIMALS = _Decimals()


class _Line(NamedTuple):
    """How a line of one shape is written, the same for every table of a header grid.

    Its text is `template`'s pieces (split at `_GAP`) with a value between each two: the row
    number or a text. `pick` puts them in that order, given (row number, the line's texts…,
    the pieces…), so that a line is one join, without parsing a format."""

    styles: tuple[Style, ...]  # the styles of its cells, in cell order
    template: str  # a %-format of the style numbers: the cells as `xlsx.number_cell`, `xlsx.text_cell` write them
    pick: Callable[[tuple[bytes, ...]], tuple[bytes, ...]]
    filled: int  # the last column it fills (0: none)
    pieces: dict[tuple[int, ...], tuple[bytes, ...]]  # by the numbers a sheet gives `styles`


def _line(columns: list[tuple[int, str, str]], key: tuple) -> _Line:
    """How a line of shape `key` (see `_line_keys`) is written."""
    total, levels, shape, marks = key
    amount_marks = iter(marks or repeat(""))
    styles, cells, values = [], [], [0]  # value 0: the row number; n: the text of column n
    for n, ((side, role, _), places) in enumerate(zip(columns, shape, strict=True), start=1):
        mark = next(amount_marks) if role == "amount" else ""
        if places < 0:
            continue
        letter = column_letter(n)
        values += (0, n)
        if role == "amount":
            styles.append(_amount_style(places, mark, total))
            cells.append(f'<c r="{letter}{_GAP}" s="%s"><v>{_GAP}</v></c>')
        else:
            level = levels[side]
            styles.append(_text_style(total, level - 1 if role == "name" and level > 1 else 0))
            cells.append(f'<c r="{letter}{_GAP}" s="%s" t="inlineStr"><is><t xml:space="preserve">{_GAP}</t></is></c>')
    if not cells:  # a line without a filled cell is not written
        return _Line((), "", operator.itemgetter(slice(0, 0)), 0, {})
    first_piece = 1 + len(columns)  # where `template`'s pieces start in what `pick` is given
    order = [first_piece]
    for n, value in enumerate(values, start=first_piece + 1):
        order += (value, n)
    return _Line(tuple(styles), f'<row r="{_GAP}">{"".join(cells)}</row>', operator.itemgetter(*order),
                 values[-1], {})


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
