"""A table's XLSX on less common paths: body texts XML forbids or must escape (a NUL among
them), a table without rows, and tables of one header grid written in another order (what is
kept per grid must not carry one sheet's style numbers into another)."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import openpyxl
import pytest
from test_downloads_speed import CONTENT, _expected_cells

from site_builder.downloads import table_xlsx
from site_builder.loader import load_site


@pytest.fixture(scope="module")
def documents():
    site, problems = load_site(CONTENT)
    assert site is not None, [p.format() for p in problems.items]
    return [doc for doc in site.documents if doc.tables]


def _coded_table(doc):
    return next(t for t in doc.tables.values() if len(t.spec.sides) == 1 and len(t.rows()) > 3)


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize(("name", "written"), [("a\x00b\x01<c>&\x02d", "ab&lt;c&gt;&amp;d"),
                                               ("only a\x00NUL", "only aNUL")])
def test_texts_with_nul_control_characters_and_markup(documents, name, written):
    doc = documents[0]
    table = _coded_table(doc)
    rows = list(table.rows())
    rows[1] = dataclasses.replace(rows[1], name=name)
    odd = dataclasses.replace(table, parts={**table.parts, table.spec.sides[0].key: tuple(rows)})
    xml = _sheet_xml(table_xlsx(doc, odd))
    assert f'<t xml:space="preserve">{written}</t>' in xml and "\x00" not in xml
    assert xml.count("<row ") == _sheet_xml(table_xlsx(doc, table)).count("<row ")


def test_a_table_without_rows(documents):
    doc = documents[0]
    table = _coded_table(doc)
    empty = dataclasses.replace(table, parts={side.key: () for side in table.spec.sides})
    cells, _, frozen, _ = _expected_cells(doc, empty)
    sheet = openpyxl.load_workbook(io.BytesIO(table_xlsx(doc, empty))).active
    found = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    assert found == {place: cell[0] for place, cell in cells.items()}
    assert max(row for row, _ in found) <= frozen + 2  # the header, then at most the note


def test_every_table_twice_in_another_order(documents):
    """Writing the tables again, last first, gives the same bytes."""
    tables = [(doc, t) for doc in documents for t in doc.tables.values()]
    first = [table_xlsx(doc, t) for doc, t in tables]
    assert [table_xlsx(doc, t) for doc, t in reversed(tables)] == first[::-1]
