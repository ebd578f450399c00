"""Downloadable data: each table as CSV (UTF-8 with BOM) and XLSX, the document as JSON.

All three are byte-for-byte deterministic: the XLSX archive carries a fixed timestamp
(SOURCE_DATE_EPOCH when set); see xlsx.py for why it is not written with openpyxl.
Codes stay text everywhere ("05" is not 5); amounts keep their published precision.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
from collections.abc import Mapping
from decimal import Decimal
from json.encoder import encode_basestring as _string  # the C escaper, ensure_ascii=False

from .model import Document, Pos, Profile, Row, Table
from .table_layout import Cell, TableLayout, layout_table
from .xlsx import TEXT_FORMAT, Sheet, Style, column_letter, number_cell, text_cell, write_xlsx

FIXED_TIME = dt.datetime(2000, 1, 1)


def unit_line(doc: Document, table: Table) -> str:
    """The line printed above every published table."""
    return f"编制部门：{doc.meta.publisher}　单位：{table.spec.unit}"


def table_csv(doc: Document, table: Table) -> bytes:
    """One header row (group titles joined with “/”) and the rows as published."""
    layout = layout_table(table, f"t{table.spec.number}")
    marks = any(c.mark for row in layout.body for c in row.cells)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["/".join(leaf.path) for leaf in layout.leaves]
    writer.writerow(header + (["原表标记"] if marks else []))
    for row in layout.body:
        values = [_plain(c) for c in row.cells]
        if marks:
            marked = zip(header, row.cells, strict=True)
            values.append("；".join(f"{h}：{c.mark}" for h, c in marked if c.mark))
        writer.writerow(values)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(cell: Cell) -> str:
    if cell.value is None:
        return ""
    return format(cell.value, "f") if isinstance(cell.value, Decimal) else cell.value


def table_xlsx(doc: Document, table: Table, epoch: int | None = None) -> bytes:
    """A workbook laid out like the published table: title, unit line, merged headers."""
    layout = layout_table(table, f"t{table.spec.number}")
    sheet = Sheet(table.spec.label)
    sheet.add(1, [(1, f"{table.spec.label} {table.title}", Style(bold=True, size=14))])
    sheet.add(2, [(1, unit_line(doc, table), Style())])
    top = 3
    _write_headers(sheet, layout, top)
    row_no = top + len(layout.header_rows)
    if layout.numbering:
        centred = Style(center=True)
        sheet.add(row_no, [(col, text, centred) for col, text in enumerate(layout.numbering, start=1)])
        row_no += 1
    sheet.frozen_rows = row_no - 1
    _write_body(sheet, layout, row_no)
    if table.note:
        sheet.add(row_no + len(layout.body) + 1, [(1, table.note, Style())])
    when = dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch else FIXED_TIME
    return write_xlsx(sheet, when.timetuple()[:6])


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


def _write_body(sheet: Sheet, layout: TableLayout, first: int) -> None:
    """Amounts are numbers shown with their published decimals (and mark); codes and names text.

    The hot loop of the downloads: one string per cell, the style number looked up by what
    decides it — decimals, mark and total for amounts; total and indent for text."""
    columns = [(col, column_letter(col)) for col in range(1, layout.width + 1)]
    amount_styles: dict[tuple[int, str, bool], int] = {}
    text_styles: dict[tuple[bool, int], int] = {}
    for row, body in enumerate(layout.body, start=first):
        total, cells, last = body.is_total, [], 0
        for (col, letter), cell in zip(columns, body.cells):
            value = cell.value
            if value is None or value == "":
                continue
            if type(value) is Decimal:
                text = format(value, "f")
                dot = text.find(".")
                key = (len(text) - dot - 1 if dot >= 0 else 0, cell.mark, total)
                style = amount_styles.get(key)
                if style is None:
                    style = amount_styles[key] = sheet.style(_amount_style(*key))
                cells.append(number_cell(f"{letter}{row}", style, text))
            else:
                key = (total, cell.level - 1 if cell.role == "name" and cell.level > 1 else 0)
                style = text_styles.get(key)
                if style is None:
                    style = text_styles[key] = sheet.style(_text_style(*key))
                cells.append(text_cell(f"{letter}{row}", style, value))
            last = col
        sheet.add_row(row, cells, last)


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


def document_json(doc: Document) -> bytes:
    """The whole document as JSON: Decimals as strings, codes as text, no source positions."""
    data = {"department": doc.department, "year": doc.year, "kind": doc.kind, "title": doc.title,
            "profile": doc.profile.id, "unit": doc.unit,
            "meta": _data(doc.meta), "overview": _data(doc.overview),
            "tables": [_table_data(t) for t in doc.tables.values()],
            "sections": _data(doc.sections), "facts": _data(doc.facts),
            "performance": _data(doc.performance), "glossary": _data(doc.glossary)}
    return (dumps(data) + "\n").encode("utf-8")


def dumps(data: object) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=1)`, the same text, about three times faster.

    The standard library's C encoder is used only without `indent`; this writes the same layout
    for the plain data `_data` returns and leaves anything else to `json.dumps`."""
    out: list[str] = []
    try:
        _dump(data, out, "\n")
    except _Unusual:
        return json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(out)


class _Unusual(Exception):
    """A value or key type the fast path does not write exactly like `json.dumps`."""


def _dump(value: object, out: list[str], newline: str) -> None:
    """Append `value` as `json.dumps(indent=1)` writes it at the depth `newline` indents to."""
    inner = newline + " "
    if type(value) is dict:
        if not value:
            out.append("{}")
            return
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            if type(key) is not str:
                raise _Unusual
            _item(item, f"{',' if n else ''}{inner}{_string(key)}: ", out, inner)
        out.append(newline + "}")
    elif type(value) is list or type(value) is tuple:
        if not value:
            out.append("[]")
            return
        out.append("[")
        for n, item in enumerate(value):
            _item(item, "," + inner if n else inner, out, inner)
        out.append(newline + "]")
    else:
        _item(value, "", out, newline)


def _item(value: object, prefix: str, out: list[str], newline: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(prefix + _string(value))
    elif value is None:
        out.append(prefix + "null")
    elif kind is bool:
        out.append(prefix + ("true" if value else "false"))
    elif kind is int:
        out.append(prefix + int.__repr__(value))
    elif kind is dict or kind is list or kind is tuple:
        out.append(prefix)
        _dump(value, out, newline)
    else:
        raise _Unusual


def _table_data(table: Table) -> dict:
    spec = table.spec
    sides = []
    for side in spec.sides:
        sides.append({"key": side.key, "title": side.title,
                      "columns": [{"key": c.key, "title": table.header(c), "role": c.role}
                                  for c in side.leaves],
                      "rows": [_row_data(r) for r in table.rows(side.key)]})
    return {"label": spec.label, "slug": spec.slug, "title": table.title, "unit": spec.unit,
            "note": table.note, "sides": sides}


def _row_data(row: Row) -> dict:
    data = {"code": row.code, "name": row.name, "level": row.level, "total": row.is_total,
            "amounts": {k: format(v, "f") for k, v in row.amounts.items()}}
    if row.texts:
        data["texts"] = dict(row.texts)
    if row.marks:
        data["marks"] = dict(row.marks)
    return data


def _data(value):
    """Plain JSON data from the model; positions and profiles are left out."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (Pos, Profile)):  # never reached through documents; kept defensive
        return None
    if dataclasses.is_dataclass(value):
        return {name: _data(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, Mapping):
        return {str(k): _data(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_data(v) for v in value]
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a model class that go into the JSON, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls)
                 if not f.metadata.get("internal") and not f.name.endswith("pos"))
