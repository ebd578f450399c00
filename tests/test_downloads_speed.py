"""The fast download writers say exactly what the plain, cell-by-cell ways of writing them say.

Expectations are worked out here from `table_layout`'s cells (the grid the pages and the old
writers used) and from `json.dumps`, for every table of the example content; the archive is
checked against what `zipfile` writes for the same parts.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from site_builder import xlsx
from site_builder.document_json import _data, _row_data, _table_data, document_json, figure
from site_builder.downloads import FIXED_TIME, table_csv, table_xlsx, unit_line
from site_builder.loader import load_site
from site_builder.table_layout import layout_table

CONTENT = Path(__file__).resolve().parent.parent / "content"
MEMBERS = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
           "xl/styles.xml", "xl/worksheets/sheet1.xml"]


@pytest.fixture(scope="module")
def documents():
    site, problems = load_site(CONTENT)
    assert site is not None, [p.format() for p in problems.items]
    docs = [doc for dep in site.departments for doc in dep.documents]
    assert sum(len(doc.tables) for doc in docs) > 30
    return docs


def _tables(documents):
    return [(doc, table) for doc in documents for table in doc.tables.values()]


@pytest.mark.parametrize("text", ["0", "0.00", "-0.00", "12345.67", "-3.5", "1E+2", "1.20E+3",
                                  "1E-7", "0.000001", "0E-10", "123456789012.3456"])
def test_figure_is_format_f(text):
    assert figure(Decimal(text)) == format(Decimal(text), "f")


def test_every_figure_of_the_example_is_written_as_published(documents):
    amounts = [v for doc in documents for t in doc.tables.values() for s in t.spec.sides
               for row in t.rows(s.key) for v in row.amounts.values()]
    assert amounts and all(figure(v) == format(v, "f") for v in amounts)


def _csv_from_cells(table) -> bytes:
    """The CSV as the cell-by-cell writer made it from the laid-out grid."""
    layout = layout_table(table, f"t{table.spec.number}")
    marks = any(c.mark for row in layout.body for c in row.cells)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["/".join(leaf.path) for leaf in layout.leaves]
    writer.writerow(header + (["原表标记"] if marks else []))
    for row in layout.body:
        values = ["" if c.value is None else format(c.value, "f") if isinstance(c.value, Decimal)
                  else c.value for c in row.cells]
        if marks:
            values.append("；".join(f"{h}：{c.mark}" for h, c in zip(header, row.cells, strict=True) if c.mark))
        writer.writerow(values)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def test_csv_is_the_laid_out_grid(documents):
    tables = _tables(documents)
    for doc, table in tables:
        assert table_csv(doc, table) == _csv_from_cells(table), (doc.path, table.spec.label)
    assert any("原表标记" in table_csv(d, t).decode("utf-8-sig").split("\r\n")[0] for d, t in tables)


def _json_of_plain_data(doc) -> bytes:
    """What the document's JSON must be: `json.dumps` of its plain data (the former writer)."""
    data = {"department": doc.department, "year": doc.year, "kind": doc.kind, "title": doc.title,
            "profile": doc.profile.id, "unit": doc.unit,
            "meta": _data(doc.meta), "overview": _data(doc.overview),
            "tables": [_table_data(t) for t in doc.tables.values()],
            "sections": _data(doc.sections), "facts": _data(doc.facts),
            "performance": _data(doc.performance), "glossary": _data(doc.glossary)}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def test_json_is_json_dumps_of_the_plain_data(documents):
    for doc in documents:
        assert document_json(doc) == _json_of_plain_data(doc)
        rows = [r for t in doc.tables.values() for s in t.spec.sides for r in t.rows(s.key)]
        assert all(_row_data(r)["amounts"].keys() == r.amounts.keys() for r in rows)


def test_xlsx_archive_is_what_zipfile_writes(documents):
    doc, table = _tables(documents)[0]
    for epoch in (None, 1_700_000_000):
        data = table_xlsx(doc, table, epoch)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
            assert archive.namelist() == MEMBERS
            parts = {name: archive.read(name) for name in MEMBERS}
            stamp = archive.infolist()[0].date_time
        assert stamp == (FIXED_TIME.timetuple()[:6] if epoch is None else (2023, 11, 14, 22, 13, 20))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in MEMBERS:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, parts[name], compresslevel=xlsx.LEVEL)
        assert out.getvalue() == data
        assert table_xlsx(doc, table, epoch) == data


def _expected_cells(doc, table):
    """(row, column) → (value, number format, bold, size, indent, centred) of every filled cell."""
    layout = layout_table(table, f"t{table.spec.number}")
    cells = {(1, 1): (f"{table.spec.label} {table.title}", "General", True, 14, 0, False),
             (2, 1): (unit_line(doc, table), "General", False, 11, 0, False)}
    merges, occupied, top = set(), set(), 3
    for r, row in enumerate(layout.header_rows, start=top):
        col = 1
        for cell in row:
            while (r, col) in occupied:
                col += 1
            cells[r, col] = (cell.text, "General", True, 11, 0, True)
            occupied.update((r + dr, col + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            if cell.rowspan > 1 or cell.colspan > 1:
                merges.add(f"{openpyxl.utils.get_column_letter(col)}{r}:"
                           f"{openpyxl.utils.get_column_letter(col + cell.colspan - 1)}{r + cell.rowspan - 1}")
            col += cell.colspan
    r = top + len(layout.header_rows)
    for col, text in enumerate(layout.numbering, start=1):
        cells[r, col] = (text, "General", False, 11, 0, True)
    first = r + (1 if layout.numbering else 0)
    for r, row in enumerate(layout.body, start=first):
        for col, c in enumerate(row.cells, start=1):
            if isinstance(c.value, Decimal):
                places = max(0, -c.value.as_tuple().exponent)
                fmt = (f'"{c.mark}"' if c.mark else "") + "#,##0" + ("." + "0" * places if places else "")
                cells[r, col] = (c.value, fmt, row.is_total, 11, 0, False)
            elif c.value:
                indent = c.level - 1 if c.role == "name" and c.level > 1 else 0
                cells[r, col] = (c.value, "@", row.is_total, 11, indent, False)
    if table.note:
        cells[first + len(layout.body) + 1, 1] = (table.note, "General", False, 11, 0, False)
    return cells, merges, first - 1, layout.width


def test_xlsx_reads_back_as_the_laid_out_table(documents):
    for doc, table in _tables(documents):
        cells, merges, frozen, width = _expected_cells(doc, table)
        sheet = openpyxl.load_workbook(io.BytesIO(table_xlsx(doc, table))).active
        assert sheet.title == table.spec.label
        found = {}
        for row in sheet.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                value = Decimal(str(c.value)) if c.data_type == "n" else c.value
                assert c.fill.fill_type is None and c.border.left.style is None
                found[c.row, c.column] = (value, c.number_format, c.font.b, c.font.sz,
                                          c.alignment.indent, c.alignment.horizontal == "center")
        assert found == cells, (doc.path, table.spec.label)
        assert {str(r) for r in sheet.merged_cells.ranges} == merges
        assert sheet.freeze_panes == (f"A{frozen + 1}" if frozen else None)
        widths = {col: dim.width for col, dim in sheet.column_dimensions.items() if dim.customWidth}
        assert widths == {"A": 16} and sheet.column_dimensions["A"].max == width
