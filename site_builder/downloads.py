"""Downloadable data: each table as CSV (UTF-8 with BOM) and XLSX (xlsx_table.py; the
document's JSON is document_json.py).

All three are byte-for-byte deterministic: the XLSX archive carries a fixed timestamp
(SOURCE_DATE_EPOCH when set); see xlsx.py for why it is not written with openpyxl.
Codes stay text everywhere ("05" is not 5); amounts keep their published precision.

A table's CSV and XLSX share one grid of texts made straight from its rows (download_grid.py);
tests/test_downloads_speed.py checks all three against the plain, cell-by-cell way of writing them.
"""

from __future__ import annotations

import csv
import io

from .download_grid import table_grid
from .model import Document, Row, Table
from .table_layout import layout_table
from .xlsx_table import FIXED_TIME, table_xlsx, unit_line

__all__ = ["FIXED_TIME", "table_csv", "table_xlsx", "unit_line"]


def table_csv(doc: Document, table: Table) -> bytes:
    """One header row (group titles joined with “/”) and the rows as published."""
    layout = layout_table(table, f"t{table.spec.number}")
    grid = table_grid(table, layout)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["/".join(leaf.path) for leaf in layout.leaves]
    if not grid.marked:
        writer.writerow(header)
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
