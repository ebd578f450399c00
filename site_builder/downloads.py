"""Downloadable data: each table as CSV (UTF-8 with BOM) and XLSX, the document as JSON.

All three are byte-for-byte deterministic: the XLSX is re-zipped with a fixed timestamp
(SOURCE_DATE_EPOCH when set) because openpyxl stamps the current time into the archive.
Codes stay text everywhere ("05" is not 5); amounts keep their published precision.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import zipfile
from collections.abc import Mapping
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .model import Document, Pos, Profile, Row, Table
from .table_layout import Cell, TableLayout, layout_table

FIXED_TIME = dt.datetime(2000, 1, 1)


def unit_line(doc: Document, table: Table) -> str:
    """The line printed above every published table."""
    return f"编制部门：{doc.meta.publisher}　单位：{table.spec.unit}"


def table_csv(doc: Document, table: Table) -> bytes:
    """One header row (group titles joined with “/”) and the rows as published."""
    layout = layout_table(table, "t")
    marks = any(c.mark for row in layout.body for c in row.cells)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["/".join(leaf.path) for leaf in layout.leaves]
    writer.writerow(header + (["原表标记"] if marks else []))
    for row in layout.body:
        values = [_plain(c) for c in row.cells]
        if marks:
            values.append("；".join(f"{h}：{c.mark}" for h, c in zip(header, row.cells) if c.mark))
        writer.writerow(values)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(cell: Cell) -> str:
    if cell.value is None:
        return ""
    return format(cell.value, "f") if isinstance(cell.value, Decimal) else cell.value


def table_xlsx(doc: Document, table: Table, epoch: int | None = None) -> bytes:
    """A workbook laid out like the published table: title, unit line, merged headers."""
    layout = layout_table(table, "t")
    wb = Workbook()
    ws = wb.active
    ws.title = table.spec.label
    ws.append([f"{table.spec.label} {table.title}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([unit_line(doc, table)])
    top = 3
    _write_headers(ws, layout, top)
    row_no = top + len(layout.header_rows)
    if layout.numbering:
        for col, text in enumerate(layout.numbering, start=1):
            ws.cell(row_no, col, text).alignment = Alignment(horizontal="center")
        row_no += 1
    ws.freeze_panes = ws.cell(row_no, 1)
    for body in layout.body:
        for col, cell in enumerate(body.cells, start=1):
            _write_cell(ws.cell(row_no, col), cell, body.is_total)
        row_no += 1
    if table.note:
        ws.cell(row_no + 1, 1, table.note)
    for col in range(1, layout.width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 16
    return _stable_zip(wb, epoch)


def _write_headers(ws, layout: TableLayout, top: int) -> None:
    occupied: set[tuple[int, int]] = set()
    for r, cells in enumerate(layout.header_rows):
        col = 1
        for cell in cells:
            while (top + r, col) in occupied:
                col += 1
            ws.cell(top + r, col, cell.text).alignment = Alignment(horizontal="center", vertical="center",
                                                                   wrap_text=True)
            ws.cell(top + r, col).font = Font(bold=True)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((top + r + dr, col + dc))
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(start_row=top + r, start_column=col,
                               end_row=top + r + cell.rowspan - 1, end_column=col + cell.colspan - 1)
            col += cell.colspan


def _write_cell(target, cell: Cell, total: bool) -> None:
    if isinstance(cell.value, Decimal):
        target.value = cell.value
        places = max(0, -cell.value.as_tuple().exponent)
        target.number_format = "#,##0" + ("." + "0" * places if places else "")
        if cell.mark:
            target.number_format = f'"{cell.mark}"' + target.number_format
    elif cell.value is not None:
        target.value = cell.value
        target.data_type = "s"
        target.number_format = "@"
        if cell.role == "name" and cell.level > 1:
            target.alignment = Alignment(indent=cell.level - 1)
    if total:
        target.font = Font(bold=True)


def _stable_zip(wb: Workbook, epoch: int | None) -> bytes:
    """Save, then rewrite the archive with one fixed timestamp for every member."""
    when = dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None) if epoch else FIXED_TIME
    wb.properties.creator = "budget-site"
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            member = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def document_json(doc: Document) -> bytes:
    """The whole document as JSON: Decimals as strings, codes as text, no source positions."""
    data = {"department": doc.department, "year": doc.year, "kind": doc.kind, "title": doc.title,
            "profile": doc.profile.id, "unit": doc.unit,
            "meta": _data(doc.meta), "overview": _data(doc.overview),
            "tables": [_table_data(t) for t in doc.tables.values()],
            "sections": _data(doc.sections), "facts": _data(doc.facts),
            "performance": _data(doc.performance), "glossary": _data(doc.glossary)}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


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
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (Pos, Profile)):  # never reached through documents; kept defensive
        return None
    if dataclasses.is_dataclass(value):
        return {f.name: _data(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("pos", "cell_pos")}
    if isinstance(value, Mapping):
        return {str(k): _data(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_data(v) for v in value]
    return value
