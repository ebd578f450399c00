"""Tables whose lines are the same in both years pair in place, exactly as the passes pair them."""

from __future__ import annotations

import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from site_builder.loader import load_site
from site_builder.matching import _in_step, pair_by_passes, pair_rows
from site_builder.model import Pos, Row

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate  # noqa: E402

POS = Pos("content/demo/2024-yusuan.yaml", 10, 7)


def row(name: str, code: str | None = None, total: bool = False, project: str | None = None) -> Row:
    level = 0 if total else len(code.split()) if code else 1
    return Row(name, code, level, total, {"合计": D(1)}, {"项目": project} if project else {}, {}, POS, {})


def _sides(site):
    """(this year's rows, last year's rows, label key) of every table side of consecutive years."""
    for dep in site.departments:
        docs = sorted(dep.documents, key=lambda d: d.year)
        for before, doc in zip(docs, docs[1:], strict=False):
            for label, table in doc.tables.items():
                last = before.table(label)
                for side in table.spec.sides if last is not None else ():
                    key = side.text_keys[0] if side.text_keys else None
                    yield table.rows(side.key), last.rows(side.key), key


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    content = tmp_path_factory.mktemp("pairing") / "content"
    generate(content, departments=3, years=3, seed=5, mistakes=0)
    return [load_site(content)[0], load_site(Path(__file__).resolve().parent.parent / "content")[0]]


def test_pairing_in_place_is_what_the_passes_give(sites):
    in_step = 0
    for site in sites:
        for current, previous, key in _sides(site):
            fast, slow = pair_rows(current, previous, key), pair_by_passes(current, previous, key)
            assert fast.pairs == slow.pairs and fast.findings == slow.findings
            in_step += _in_step(current, previous)
    assert in_step >= 10


def test_lines_in_place_but_not_one_to_one_by_code_go_through_the_passes():
    coded = (row("合计", total=True), row("工资", "301 01"), row("津贴", "301 02"))
    assert _in_step(coded, coded)
    same_key = (row("工资", "301 2", project="甲"), row("工资", "301 02", project="乙"))
    assert not _in_step(same_key, same_key)  # one matching code twice: names decide
    swapped = (same_key[1], same_key[0])
    assert pair_rows(same_key, same_key, "项目").pairs == pair_by_passes(same_key, same_key, "项目").pairs
    assert not _in_step(swapped, same_key)
    uncoded = (row("一、工资"), row("二、津贴"))
    assert _in_step(uncoded, uncoded)  # the same names in the same places: in place
    assert pair_rows(uncoded, uncoded).pairs == pair_by_passes(uncoded, uncoded).pairs
    assert not _in_step(uncoded, uncoded[::-1]) and not _in_step(uncoded, (uncoded[0], row("二、补贴")))
    assert not _in_step(coded, coded[:2]) and not _in_step(coded, (coded[0], coded[2], coded[1]))


def test_a_line_made_from_rows_is_the_line_the_constructor_makes():
    from site_builder.compare import LineChange, _lines
    line = _lines([(row("工资", "301 01"), row("工资", "301 01"), "code")], "合计", None)[0]
    assert type(line) is LineChange and len(line) == len(LineChange._fields)
    assert line.change == D(0) and line == LineChange("301 01", "工资", 2, False, D(1), D(1), "matched")
    removed = _lines([(None, row("工资", "301 01"), "removed")], "合计", None)[0]
    assert removed == LineChange("301 01", "工资", 2, False, D(1), None, "removed") and removed.change == D(-1)
    import copy
    import pickle
    assert pickle.loads(pickle.dumps(line)) == line and copy.copy(removed) == removed
