"""The fast load (runs of one-line rows read by a regex, rows and records made from their
texts) gives exactly what the strict path gives: the same nodes, documents and problems.

The strict path is `yamlsource._compose` (libyaml's composer) with the careful readers
(`tables._row`, `Reader.dataclass`) that every node then goes through.
"""

from __future__ import annotations

import pickle
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from contentkit import MINIMAL_DOC, REPO, make_content, parse_outcome

from site_builder import yamlfast as yf
from site_builder import yamlsource as ys
from site_builder.loader import load_site
from site_builder.model import CellPositions, Pos, Row
from site_builder.plainrows import FlowCells
from site_builder.reader import Reader

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

EXAMPLES = sorted((REPO / "content").rglob("*.yaml")) + sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))

ROW = "{code: 201 32 50, name: 事业运行, 总计: 160.92}"
TRICKY_ROWS = [
    "{a: '=100%', b: 1}", "{a: 'x, y'}", "{a: 'x: y'}", "{a: 'it''s'}", "{a: ''}", "{a: ' x '}",
    '{a: "q"}', "{a: '工作资料,说明材料', b: '0'}", "{a: 'x,', b: ':'}", "{a: 1} # note", "{a: 1}  ",
    "{a: x #y}", "{a: 1, }", "{a: 1,}", "{a: }", "{a:1}", "{a: ~, b: null, c: Null}", "{a: ※12.00}",
    "{a: '*81.10'}", "{a: #1}", "{a: *1}", "{a: &x 1}", "{a: !!str 1}", "{a: 1\t}", "{a: \t1}",
    "{a: 1, a: 2}", "{a: x:y}", "{a: b: c}", "{a: [1]}", "{a: {b: 1}}", "{a b: x  y}", "{a: -1.5}",
    "{a: - 1}", "{a: -x}", "{? a: 1}", "{a: 1\ufeff}", "{a: 1\u00a0}", "{a: R}", "{a: '待填'}",
    "{a: 1\x85}", "{'a': 1}", "{a: 1\u2028}", "{a: %x}", "{a: @x}", "{a: 1}}", "{{a: 1}",
]


def _same_nodes(text: str) -> None:
    assert parse_outcome(ys.parse_text, text) == parse_outcome(ys._compose, text)


def _runs(row: str) -> list[str]:
    """Documents with `row` alone, first, amid and last in runs of rows, and at the end."""
    other = "    - " + ROW
    return [
        f"t:\n  rows:\n    - {row}\nx: 1\n",
        f"t:\n  rows:\n    - {row}\n{other}\n{other}\n  more: 1\n",
        f"t:\n  rows:\n{other}\n    - {row}\n{other}\nx: 1\n",
        f"t:\n  rows:\n{other}\n{other}\n    - {row}\n",
        f"t:\n  rows:\n{other}\n    - {row}",
        f"t:\n  rows:\n{other}\n\n    - {row}\n    # a comment\n{other}\n",
        f"rows:\n- {row}\n- {row}\n",
    ]


@pytest.mark.parametrize("row", TRICKY_ROWS)
def test_tricky_rows_give_the_strict_nodes(row):
    for text in _runs(row):
        _same_nodes(text)
        _same_nodes(text.replace("\n", "\r\n"))


@pytest.mark.parametrize("text", [
    "- {a: 1}\n  - {b: 2}\n", "- {a: 1}\n- {b: 2}\n  c: 3\n", "- {a: 1}\n- {b: 2}\n  # deeper\n",
    "a:\n  - {a: 1}\n  - {b: 2}\n b: 1\n", "a:\n  - {a: 1}\n- {b: 2}\n", "a: [\n  - {a: 1}\n]\n",
    "b: |\n  - {a: 1}\n  - {a: 2}\n", "b: >\n  x\n  - {a: 1}\n", "b: 'x\n  - {a: 1}\n  - {b: 1}\n  '\n",
    "b: x\n  - {a: 1}\n  - {b: 2}\n", "- - {a: 1}\n  - {b: 2}\n", "? - {a: 1}\n: x\n", "- {a: 1}\n---\n- {b: 1}\n",
    "\ufeff- {a: 1}\n- {b: 2}\n", "- {a: 1}\r- {b: 2}\r", "- {a: 1}\r\n- {b: 2}\n", "- R\n- {a: 1}\n",
    "a:\n  - {a: 1}\n  - {a: 1}\n  - {a: 1}\nb:\n  - {a: 1}\n", "a:\n\t- {a: 1}\n",
])
def test_odd_places_for_rows_give_the_strict_nodes(text):
    _same_nodes(text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_example_files_give_the_strict_nodes(path):
    text = ys.decode_bytes(path.read_bytes())
    _same_nodes(text)
    _same_nodes(text.replace("\n", "\r\n"))


def test_runs_of_rows_are_one_placeholder():
    text = f"t:\n  rows:\n    - {ROW}\n    - {ROW}\n    - {{a: '1'}}\n  x: 1\n"
    replaced, rows = yf._flow_rows(text)
    assert replaced == "t:\n  rows:\n    - R\n\n\n  x: 1\n"
    assert list(rows) == [(3, 7)] and [(row.line, row.column) for row in rows[3, 7].items] == [(3, 7), (4, 7), (5, 7)]
    assert rows[3, 7].items[2].parts == ["a", "'1'"] and rows[3, 7].items[2].entries["a"].text == "1"
    assert ys.parse_text(text).entries["t"].entries["rows"].items == rows[3, 7].items


def test_a_row_libyaml_must_read_ends_a_run_and_the_rest_go_on():
    text = f"rows:\n  - {ROW}\n  - {ROW}\n  - {ROW} # note\n  - {ROW}\n  - {{a: 1\t}}\n  - {ROW}\n"
    replaced, rows = yf._flow_rows(text)
    assert sorted(rows) == [(2, 5), (5, 5), (7, 5)] and [len(run.items) for run in rows.values()] == [2, 1, 1]
    assert replaced.splitlines()[1:4] == ["  - R", "", f"  - {ROW} # note"]
    _same_nodes(text)


def _load(content: Path, strict: bool, monkeypatch):
    """load_site's site and formatted problems, by the fast or the strict path."""
    with monkeypatch.context() as patch:
        if strict:  # libyaml's composed nodes, each read the careful way
            patch.setattr(ys, "parse_text", ys._compose)
            patch.setattr(Reader, "quick", lambda self, node, hint: None)
        site, problems = load_site(content)
    return site, [p.format() for p in problems.items]


def _same_load(content: Path, monkeypatch):
    fast, strict = _load(content, False, monkeypatch), _load(content, True, monkeypatch)
    assert fast == strict and repr(fast) == repr(strict)  # repr: the order of keys too
    return fast


def test_example_site_loads_the_same(monkeypatch):
    site, _ = _same_load(REPO / "content", monkeypatch)
    assert site is not None and any(type(row.__dict__["_cells"]) is str and type(row.cell_pos) is FlowCells
                                    for doc in site.documents for t in doc.tables.values() for row in t.rows())


def test_generated_corpus_with_mistakes_loads_the_same(tmp_path, monkeypatch):
    generate(tmp_path / "content", departments=4, years=2, seed=11, mistakes=6)
    site, _ = _same_load(tmp_path / "content", monkeypatch)
    assert site is not None and len(site.documents) == 8


TABLE_ROWS = [
    "{code: 201, name: 一般公共服务支出, 总计: '10.00'}", "{code: 201, name: 一般公共服务支出, 总计: ~}",
    "{code: 201, name: 一般公共服务支出, 总计: ※10.00, 一般公共预算: '*10.00'}", "{code: 201, name: 待填, 总计: 1}",
    "{code: 201, name: x, 总计: 1, 一般公共预付: 2}", "{code: 20132, name: x}", "{code: 201 32 50 01, name: x}",
    "{code: 201 3 5, name: x}", "{code: ~, name: x}", "{name: x, 总计: １０.００}", "{name: x, 总计: 1.234}",
    "{name: x, 总计: 1,234}", "{name: x, 总计: 12万}", "{name: x, 总计: ※}", "{name: x, 总计: ※ 1.00}",
    "{name: x, level: ２}", "{name: x, level: x}", "{name: x, level: -1}", "{总计: 1.00}", "{name: ~, 总计: 1}",
    "{name: 总 计, 总计: 10.00}", "{name: x, 总计: +1.}", "{name: x, 总计: .5}", "{name: x, 总计: ٣}",
    "{name: x, 总计: 1e3}", "{code: 201, code2: 1}", "{name: x, 总计: 1, 总计: 2}",
]


@pytest.mark.parametrize("row", TABLE_ROWS)
def test_tricky_table_rows_load_the_same(row, tmp_path, monkeypatch):
    doc = MINIMAL_DOC.replace("      - {code: 201 32 50", f"      - {row}\n      - {{code: 201 32 50")
    _same_load(make_content(tmp_path, doc), monkeypatch)


@pytest.mark.parametrize("record", [
    "{name: 李娜, phone: '18509943311', role: 部门联系人}", "{name: 待填}", "{name: '待填'}", "{phone: 1}",
    "{name: x, phone: ~}", "{name: x, phone: ''}", "{name: x, nmae: y}", "{name: x, phone: 2024-01-01}",
])
def test_tricky_records_load_the_same(record, tmp_path, monkeypatch):
    doc = MINIMAL_DOC.replace("  published: 2024-02-23\n", f"  published: 2024-02-23\n  contacts:\n    - {record}\n")
    doc += ("facts:\n  projects:\n    - {name: 项目, amount: 1.00, period: 2024年}\n"
            "    - {name: 项目, amount: '1.001'}\n"
            "performance:\n  overall:\n    title: 表\n    indicators:\n      - {a: '=100%', b: 1}\n"
            "      - {a: 待填}\n    funds:\n      - {label: x, amount: ~}\n      - {label: x, amount: 2}\n")
    _same_load(make_content(tmp_path, doc), monkeypatch)


def test_crlf_and_bom_files_load_the_same(tmp_path, monkeypatch):
    doc = MINIMAL_DOC.replace("一般公共预算: 10.00}", "一般公共预算: 10.00, 一般公共预付: 1}", 1)
    content = make_content(tmp_path, doc)
    path = content / "demo" / "2024-yusuan.yaml"
    path.write_bytes(ys.BOM + path.read_bytes().replace(b"\n", b"\r\n"))
    _, problems = _same_load(content, monkeypatch)
    line, column = next((i, text.index("一般公共预付") + 1)
                        for i, text in enumerate(doc.splitlines(), 1) if "一般公共预付" in text)
    assert len(problems) == 1 and f"2024-yusuan.yaml:{line}:{column}: error" in problems[0]


def test_flow_cells_are_the_positions_of_the_cells():
    inside = "code: 201, name: 一般, 总计: ※1.00, 一般公共预算: 1.00"
    cells = FlowCells(Pos("f.yaml", 12, 9), inside, {"总计": 1, "一般公共预算": 1})
    columns = {"总计": 10 + inside.index("※"), "一般公共预算": 10 + inside.rindex("1.00")}  # after the brace
    plain = CellPositions("f.yaml", {key: 12 << 32 | column for key, column in columns.items()})
    assert cells == plain and list(cells) == ["总计", "一般公共预算"] and "name" not in cells
    assert cells["总计"] == Pos("f.yaml", 12, 35) and cells.get("name", 0) == 0
    assert pickle.loads(pickle.dumps(cells)) == plain and repr(cells) == repr(plain)


def test_a_row_read_from_its_line_works_its_cell_positions_out_when_asked():
    inside = "code: 201, name: 一般, 总计: 1.00"
    pos, amounts = Pos("f.yaml", 12, 9), {"总计": Decimal("1.00")}
    from_text = Row("一般", "201", 1, False, amounts, {}, {}, pos, inside)
    careful = Row("一般", "201", 1, False, amounts, {}, {}, pos, CellPositions("f.yaml", {"总计": 12 << 32 | 35}))
    assert type(from_text.cell_pos) is FlowCells and from_text.cell_pos["总计"] == Pos("f.yaml", 12, 10 + inside.index("1.00"))
    assert from_text == careful and repr(from_text) == repr(careful)
    assert pickle.loads(pickle.dumps(from_text)) == careful and "cell_pos" not in vars(from_text)


@pytest.mark.parametrize("fields", [
    "overview:\n  staff:\n    establishment: {}\n    actual: 3\n", "overview:\n  functions:\n    items: [a, {}]\n",
    "facts:\n  operating_costs: {}\n", "facts:\n  projects:\n    - name: {}\n      amount: {}\n      quarterly: [1.00, {}]\n",
    "performance:\n  overall:\n    title: {}\n    columns: [a, {}]\n    funds:\n      - label: x\n        amount: {}\n",
    "glossary:\n  - term: {}\n    definition: x\n", "glossary_numbering: {}\n",
])
@pytest.mark.parametrize("text", ["5", "1.001", "１２.００", "待填", "'待填'", "~", "''", "12万", "-3", "' 5'", "2024-13-01", "x"])
def test_tricky_fields_load_the_same(fields, text, tmp_path, monkeypatch):
    """Fields and list items that read plainly skip their labels; the rest give the same problems."""
    _same_load(make_content(tmp_path, MINIMAL_DOC + fields.replace("{}", text)), monkeypatch)
