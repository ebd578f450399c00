"""The fast paths of loading and auditing give exactly what the plain paths give.

yamlsource reads most documents from libyaml's events and simple table rows with a regex;
`_compose` (libyaml's composer + conversion) is the reference. paragraphs.Places finds a
character's position on demand; audit_tables.balanced skips lines that add up.
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from types import SimpleNamespace

import pytest
from contentkit import parse_outcome

from site_builder import yamlfast as yf
from site_builder import yamlsource as ys
from site_builder.audit_tables import balanced, compare
from site_builder.findings import Place
from site_builder.model import CellPositions, Pos, Section
from site_builder.paragraphs import paragraphs
from site_builder.rules import Value

ROWS = "t:\n  rows:\n    - {code: 201 32 50, name: 事业运行, 总计: 160.92}\n    - {name: 合计, 总计: -1.5}\nx: 1\n"
CASES = [
    ROWS, ROWS.replace("x: 1", "  - {a: 1}"), ROWS.replace("x: 1", "      more"), "", "# c\n", "---\n",
    "a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: *x\n", "a: !!str 1\n", "? [a]\n: 1\n",
    "b: |\n  - {a: 1}\n  text\n", "b: 'q\n  - {a: 1}\n  '\n", "b: plain\n  - {a: 1}\n", "- {a: 1, a: 2}\n",
    "- {a: 1,b: 2}\n", "- {a b: x  y}\n", "- {a: ~, b: null}\n", "- {a: R}\n- R\n", "[\n- {a: 1}\n]\n",
    "- {a: 1}\n  b: 2\n", "- {a: 1}\r\n- {b: 2}\r\n", "- {a: 1}\n\t- {b: 2}\n", "- {a: x #y}\n",
    "- {a: 1}\n  # deeper comment\n", "- {a: 1, b: {c: 2}}\n", "- {a: x:y}\n", "a: b: c\n", "a: {b: 1\n",
]


@pytest.mark.parametrize("text", CASES)
def test_parse_text_is_what_libyaml_composes(text):
    assert parse_outcome(ys.parse_text, text) == parse_outcome(ys._compose, text)


def test_simple_rows_are_read_without_libyaml():
    text, rows = yf._flow_rows(ROWS)
    assert len(rows[3, 7].items) == 2 and "{" not in text
    row = rows[3, 7].items[0]
    assert (row.keys["name"].line, row.keys["name"].column) == (3, 25)
    assert (row.entries["总计"].text, row.entries["总计"].column) == ("160.92", 41)


def test_a_row_inside_a_text_block_stays_text():
    text = "b: |\n  - {a: 1}\n"
    assert ys.parse_text(text).entries["b"].text == "- {a: 1}\n"


def test_places_are_the_positions_of_the_characters_left():
    body = "一般公共预算 294.06 万元，\n占 97.97%。\n\n  第二 段"
    section = Section("说明", "一、收入", body, Pos("f.yaml", 10, 3), Pos("f.yaml", 10, 9))
    (first, places), (second, more) = paragraphs(section)
    assert first == "一般公共预算294.06万元，占97.97%。"
    assert [places[i] for i in (0, 6, 12, 15)] == [Pos("f.yaml", 11, 5), Pos("f.yaml", 11, 12),
                                                   Pos("f.yaml", 11, 19), Pos("f.yaml", 12, 5)]
    assert places[-1] == places[len(places) - 1] and second == "第二段" and more[2] == Pos("f.yaml", 14, 10)
    with pytest.raises(IndexError):
        places[len(places)]


@pytest.mark.parametrize("total, parts", [
    ("3.00", ["1.00", "2.00"]), ("3.00", ["1.00", "2.01"]), (None, ["0", None]), (None, ["1"]),
    ("0", [None, None]), ("5", []), ("3", ["1.5", "1.50"]),
])
def test_balanced_is_compare_finding_nothing(total, parts):
    def value(text):
        return Value(None if text is None else Decimal(text), "万元", Place(Pos("f", 1, 1)), "x")
    found = compare(SimpleNamespace(path="f"), "sum", "s", value(total), [value(p) for p in parts], None)
    amounts = [None if p is None else Decimal(p) for p in parts]
    assert balanced(None if total is None else Decimal(total), amounts) == (found is None)


def test_huge_figures_are_left_to_compare():
    assert not balanced(Decimal("1e20"), [Decimal("1e20")])


def test_cell_positions_read_like_a_dict():
    cells = CellPositions("f.yaml", {"总计": 12 << 32 | 40})
    assert cells == {"总计": Pos("f.yaml", 12, 40)} and cells.get("x", 1) == 1 and "总计" in cells
    assert pickle.loads(pickle.dumps(cells)) == cells and repr(cells) == repr(dict(cells))
