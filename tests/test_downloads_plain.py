"""The downloads' shortcut for tables with no character to quote or escape (`_Grid.plain`) says
what `csv.writer` and the XML escaping say, and tables that need them still get them."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from pathlib import Path

import pytest

from site_builder.downloads import _grid, table_csv, table_xlsx
from site_builder.loader import load_site
from site_builder.table_layout import layout_table

CONTENT = Path(__file__).resolve().parent.parent / "content"
ODD = 'A, "B" & <C>\r\nD'


@pytest.fixture(scope="module")
def tables():
    site, problems = load_site(CONTENT)
    assert site is not None, [p.format() for p in problems.items]
    return [(doc, table) for dep in site.departments for doc in dep.documents for table in doc.tables.values()
            if any(table.rows(side.key) for side in table.spec.sides)]


def _by_csv_writer(table) -> bytes:
    layout = layout_table(table, f"t{table.spec.number}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["/".join(leaf.path) for leaf in layout.leaves])
    writer.writerows(_grid(table, layout).texts)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _with_odd_name(table):
    side = table.spec.sides[0].key
    rows = table.rows(side)
    return dataclasses.replace(table, parts={**table.parts, side: (dataclasses.replace(rows[0], name=ODD), *rows[1:])})


def test_plain_tables_are_written_as_csv_writer_writes_them(tables):
    plain = [(doc, table) for doc, table in tables
             if _grid(table, layout_table(table, f"t{table.spec.number}")).plain]
    assert plain
    for doc, table in plain:
        if not _grid(table, layout_table(table, f"t{table.spec.number}")).marked:
            assert table_csv(doc, table) == _by_csv_writer(table)


def test_a_name_to_quote_and_escape_takes_the_general_path(tables):
    doc, table = tables[0]
    odd = _with_odd_name(table)
    assert not _grid(odd, layout_table(odd, f"t{odd.spec.number}")).plain
    text = table_csv(doc, odd)
    assert text == _by_csv_writer(odd) and b'"A, ""B"" & <C>\r\nD"' in text
    with zipfile.ZipFile(io.BytesIO(table_xlsx(doc, odd))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "A, \"B\" &amp; &lt;C&gt;\r\nD" in sheet
