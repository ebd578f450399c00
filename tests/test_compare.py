"""The comparison engine on small hand-made tables: matching, new/removed, zero base, prose."""

from __future__ import annotations

from decimal import Decimal as D

from site_builder.compare import (LineChange, largest_changes, match_code, match_name,
                                  pair_rows)
from site_builder.model import Pos, Row

POS = Pos("content/demo/2024-yusuan.yaml", 10, 7)


def row(name: str, amount: str | None, code: str | None = None, total: bool = False,
        texts: dict | None = None) -> Row:
    amounts = {} if amount is None else {"合计": D(amount)}
    level = 0 if total else len(code.split()) if code else 1
    return Row(name, code, level, total, amounts, texts or {}, {}, POS, {})


def pairs(current, previous, label_key=None):
    result = pair_rows(tuple(current), tuple(previous), label_key)
    return [(c.name if c else None, p.name if p else None, how) for c, p, how in result.pairs]


def test_codes_are_normalised_for_matching_only():
    assert match_code("301 2") == match_code("301 02") == "301 02"
    assert match_code("2013250") == "201 32 50"
    assert match_code(None) is None
    assert match_name("（一）1、工资 福利") == "工资福利"


def test_lines_match_by_code_even_when_published_differently():
    result = pair_rows((row("基本工资", "5.00", "301 2"),), (row("基本工资", "4.00", "301 02"),))
    cur, prev, how = result.pairs[0]
    assert (cur.code, prev.code, how) == ("301 2", "301 02", "code")
    assert not result.findings


def test_renamed_line_keeps_its_code_match_and_last_years_name():
    from site_builder.compare import _line
    cur, prev = row("新名称", "3.00", "201 32 50"), row("事业运行", "2.00", "201 32 50")
    line = _line(cur, prev, "code", "合计", None)
    assert line.status == "matched" and line.previous_name == "事业运行"
    assert line.change == D("1.00")


def test_new_and_removed_lines_are_marked_and_removed_stays_in_place():
    current = [row("总计", "10", total=True), row("甲", "4", "201"), row("丙", "6", "205")]
    previous = [row("总计", "9", total=True), row("甲", "3", "201"), row("乙", "6", "203")]
    assert pairs(current, previous) == [
        ("总计", "总计", "total"), ("甲", "甲", "code"), (None, "乙", "removed"),
        ("丙", None, "new")]


def test_uncoded_rows_match_by_name_and_similar_names_with_a_warning():
    current = [row("1、一般公共预算拨款", "5"), row("其中：一般财力资金", "5")]
    previous = [row("一般公共预算拨款", "4"), row("其中：一般财力", "4")]
    result = pair_rows(tuple(current), tuple(previous))
    assert [how for _, _, how in result.pairs] == ["name", "fuzzy"]
    assert [f.code for f in result.findings] == ["fuzzy-match"]
    assert "content/demo/2024-yusuan.yaml:10" in result.findings[0].format()


def test_dissimilar_names_are_not_matched():
    result = pair_rows((row("对个人和家庭的补助", "5"),), (row("资本性支出", "4"),))
    assert sorted(how for _, _, how in result.pairs) == ["new", "removed"]


def test_project_rows_match_by_code_and_project_name():
    current = [row("其他", "20", "201 32 99", texts={"项目名称": "信息化"}),
               row("其他", "55", "201 32 99", texts={"项目名称": "考核"})]
    previous = [row("其他", "50", "201 32 99", texts={"项目名称": "考核"}),
                row("其他", "30", "201 32 99", texts={"项目名称": "信息化"})]
    result = pair_rows(tuple(current), tuple(previous), "项目名称")
    assert [(c.amounts["合计"], p.amounts["合计"]) for c, p, _ in result.pairs] == [
        (D("20"), D("30")), (D("55"), D("50"))]


def test_rate_is_exact_and_rounded_half_up_only_for_display():
    line = LineChange("201", "甲", 1, False, D("280.23"), D("294.06"), "matched")
    assert line.change == D("13.83")
    assert line.rate == D("13.83") / D("280.23") * 100
    assert line.rate_text == "4.94%"
    half = LineChange("201", "甲", 1, False, D("8"), D("8.00001"), "matched")
    assert half.rate_text == "0.00%"
    up = LineChange("201", "甲", 1, False, D("200"), D("200.01"), "matched")  # 0.005% → 0.01%
    assert up.rate_text == "0.01%"


def test_zero_base_has_no_rate():
    line = LineChange("201", "甲", 1, False, D("0.00"), D("25.00"), "matched")
    assert line.rate is None and line.rate_text == "新增"
    both_zero = LineChange("201", "甲", 1, False, D("0.00"), D("0.00"), "matched")
    assert both_zero.rate is None and both_zero.rate_text == "—"
    new = LineChange("201", "甲", 1, False, None, D("3"), "new")
    assert new.change == D("3") and new.rate_text == "新增"
    removed = LineChange("201", "甲", 1, False, D("3"), None, "removed")
    assert removed.change == D("-3") and removed.rate_text == "取消"


def test_largest_changes_use_leaf_lines_sorted_by_size():
    from site_builder.compare import TableComparison
    lines = (LineChange("201", "类", 1, False, D("10"), D("30"), "matched"),
             LineChange("201 01", "款甲", 2, False, D("5"), D("20"), "matched"),
             LineChange("201 02", "款乙", 2, False, D("5"), D("10"), "matched"),
             LineChange("205", "丙", 1, False, D("9"), D("1"), "matched"))
    comp = TableComparison("表3", "t", "", "合计", "万元", lines)
    ups, downs = largest_changes([comp])
    assert [ln.name for ln in ups] == ["款甲", "款乙"]
    assert [ln.name for ln in downs] == ["丙"]
