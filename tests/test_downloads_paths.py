"""The fast download writers' less common paths write what the plain ways write: amounts that
`str` writes with an exponent, names with an “E”, “%” in keys and titles, a NUL in a note, rows
without a code, a side without rows, and values `dumps` leaves to `json.dumps` (at any depth).

The references are those of test_downloads_speed.py: the laid-out grid for the CSV and XLSX,
`json.dumps` of the plain data for the JSON.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl
import pytest
from test_downloads_speed import CONTENT, _csv_from_cells, _expected_cells, _json_of_plain_data

from site_builder.document_json import _table_data, document_json
from site_builder.downloads import table_csv, table_xlsx
from site_builder.jsontext import Written, dumps
from site_builder.loader import load_site
from site_builder.xlsx import xml_text


@pytest.fixture(scope="module")
def document():
    site, problems = load_site(CONTENT)
    assert site is not None, [p.format() for p in problems.items]
    return next(doc for doc in site.documents if len(doc.tables) > 5)


def _unusual(doc):
    """The document with a coded table's rows, note and column titles made awkward."""
    label, table = next((label, t) for label, t in doc.tables.items()
                        if len(t.spec.sides) == 1 and t.spec.sides[0].code_depth and len(t.rows()) > 3)
    side = table.spec.sides[0]
    rows = list(table.rows(side.key))
    keys = [leaf.key for leaf in side.leaves if leaf.role == "amount"]
    first, second, third = [n for n, row in enumerate(rows) if row.code][:3]
    assert len(keys) > 1
    rows[first] = dataclasses.replace(rows[first], amounts={keys[0]: Decimal("1E+2"), keys[-1]: Decimal("-1.20E+3")})
    rows[second] = dataclasses.replace(rows[second], name="PPP项目E类 100% <&>", code=None,
                                       amounts={keys[0]: Decimal("0E-7"), "a%s%%": Decimal("3.5")})
    rows[third] = dataclasses.replace(rows[third], marks={keys[0]: "*"}, texts={"说明": "a\tb%d"})
    parts = {**table.parts, side.key: tuple(rows)}
    headers = {**table.headers, keys[0]: "金额（%s）"}
    odd_table = dataclasses.replace(table, parts=parts, note="注\x00：%s 100%", headers=headers)
    return dataclasses.replace(doc, tables={**doc.tables, label: odd_table}), odd_table


def test_exponents_marks_and_percent_signs_in_the_json(document):
    doc, _ = _unusual(document)
    written = document_json(doc)
    assert written == _json_of_plain_data(doc)
    assert '"100"' in written.decode() and '"-1200"' in written.decode() and "E+" not in written.decode()


def test_exponents_and_marks_in_the_csv_and_xlsx(document):
    doc, table = _unusual(document)
    assert table_csv(doc, table) == _csv_from_cells(table)
    written = table_csv(doc, table).decode("utf-8-sig")
    assert ",100," in written and ",-1200" in written and "E+" not in written
    table = dataclasses.replace(table, note="注：%s 100%")  # the XLSX leaves out what XML forbids (NUL)
    cells, _, _, _ = _expected_cells(doc, table)
    sheet = openpyxl.load_workbook(io.BytesIO(table_xlsx(doc, table))).active
    found = {(c.row, c.column): (Decimal(str(c.value)) if c.data_type == "n" else c.value, c.number_format,
                                 c.font.b, c.font.sz, c.alignment.indent, c.alignment.horizontal == "center")
             for row in sheet.iter_rows() for c in row if c.value is not None}
    assert found == cells


def test_a_side_without_rows(document):
    label, table = next(iter(document.tables.items()))
    empty = dataclasses.replace(table, parts={side.key: () for side in table.spec.sides}, note=None)
    doc = dataclasses.replace(document, tables={label: empty})
    expected = json.dumps([_table_data(empty)], ensure_ascii=False, indent=1).replace("\n", "\n ")
    assert f'"tables": {expected}' in document_json(doc).decode()
    assert table_csv(doc, empty) == _csv_from_cells(empty)


class Text(str):
    """A subclass of str: `json.dumps` writes it as text, so `dumps` leaves it to `json.dumps`."""


@pytest.mark.parametrize("value", [
    {"a": Decimal("1.50"), "b": [1, None, True, False, "x\n\"y\x00"], "c": {}, "d": [], "e": ()},
    {"float": 1.5, "list": [2.0, Decimal("3")]},
    {1: "int key", "s": Text("sub")},
    {True: "bool key", None: "null key"},
    [Decimal("1E+2"), {"nested": [{"deeper": Decimal("-0.00")}]}],
])
@pytest.mark.parametrize("newline", ["\n", "\n   "])
def test_dumps_is_json_dumps_with_default_at_any_depth(value, newline):
    expected = json.dumps(value, ensure_ascii=False, indent=1, default=str).replace("\n", newline)
    assert dumps(value, str, newline) == expected


def test_a_written_piece_is_its_data_when_json_dumps_writes():
    piece = Written(lambda newline: "[]", lambda: [1, {"two": 2}])
    value = {"piece": piece, "float": 1.5}  # the float sends it all to `json.dumps`
    plain = {"piece": [1, {"two": 2}], "float": 1.5}
    assert dumps(value) == json.dumps(plain, ensure_ascii=False, indent=1)
    assert dumps({"piece": piece}) == '{\n "piece": []\n}'


@pytest.mark.parametrize("text", ["一般公共服务支出", "201", "a&b <c>", "\x00控制\x1f字符", "tab\tand\nnewline", ""])
def test_xml_text_escapes_and_drops_what_xml_forbids(text):
    assert xml_text(text) == escape(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text))
