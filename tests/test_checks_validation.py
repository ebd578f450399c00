"""Profile rules are validated at load time; findings map to problems under `blocking`."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from site_builder.checks import collect_problems
from site_builder.findings import Finding, Place, blocks, grade_percent, half_unit, tolerance
from site_builder.model import Pos, Settings

FIXTURE = Path(__file__).parent / "fixtures" / "checks"


def _site(tmp_path: Path, old: str, new: str, name: str = "profiles/mini.yaml") -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return content


def test_unknown_table_in_a_rule(tmp_path):
    content = _site(tmp_path, "right: 表3/302 17/合计}", "right: 表9/302 17/合计}")
    [problem] = collect_problems(content)
    assert (problem.file, problem.line, problem.code) == ("content/profiles/mini.yaml", 64, "bad-rule")
    assert problem.message == ("checks 第 4 条：“表9/302 17/合计”：模板里没有 表9；"
                               "有 表1、表2、表3、表4、表5。")


def test_unknown_column_and_rule(tmp_path):
    content = _site(tmp_path, "{rule: columns, total: 合计, of: [人员经费, 公用经费]}",
                    "{rule: colums, total: 合计, of: [人员经费, 公用经费]}")
    [problem] = collect_problems(content)
    assert problem.line == 39
    assert problem.message == "表3.checks 第 1 条：不认识的规则“colums”；表内可用：columns、sum。"


def test_unknown_fact(tmp_path):
    content = _site(tmp_path, "left: facts/operating_costs,", "left: facts/operating_cost,")
    [problem] = collect_problems(content)
    assert "facts 里没有这一项" in problem.message


def test_blocking_decides_severity():
    finding = Finding("sum-children", "warning", "rounding", "x", "m", "d",
                      (Place(Pos("d", 1, 1)),))
    assert not blocks(finding, Settings("t", "o"))
    assert blocks(finding, Settings("t", "o", blocking=("error", "rounding")))
    assert finding.to_problem(Settings("t", "o")).severity == "warning"
    assert finding.to_problem(Settings("t", "o")).message == "[舍入差异] m"


def test_rounding_arithmetic_is_exact():
    assert half_unit(Decimal("16.62")) == Decimal("0.005")
    assert half_unit(Decimal("3503499")) == Decimal("0.5")
    assert tolerance([Decimal("1.00")] * 13) == Decimal("0.065")
    assert tolerance([Decimal("1.00")], Settings("t", "o", rounding_tolerance=Decimal("0.02"))) \
        == Decimal("0.02")
    assert grade_percent(Decimal("80.22"), Decimal("80.2285")) == ("warning", "rounding")
    assert grade_percent(Decimal("97.97"), Decimal("97.9677")) is None
    assert grade_percent(Decimal("314.82"), Decimal("289.1174")) == ("error", "content")


def test_a_wan_yuan_figure_in_a_yuan_table(tmp_path):
    import dataclasses

    import pytest

    from site_builder.audit_names import audit_names
    from site_builder.loader import load_site

    content = Path(__file__).resolve().parent.parent / "content"
    if not (content / "wanli-jiedao" / "2024-yusuan.yaml").exists():
        pytest.skip("real documents not transcribed yet")
    site, _ = load_site(content)
    doc = next(d for d in site.documents if d.path.endswith("wanli-jiedao/2024-yusuan.yaml"))
    table = doc.tables["表3"]
    rows = list(table.rows())
    rows[1] = dataclasses.replace(rows[1], amounts={**rows[1].amounts, "合计": Decimal("25.77")})
    tables = {**doc.tables, "表3": dataclasses.replace(table, parts={"main": tuple(rows)})}
    found = [f for f in audit_names(dataclasses.replace(doc, tables=tables), None)
             if f.rule == "unit-magnitude"]
    assert [f.message for f in found] == [
        f"表3 {rows[1].code} {rows[1].name}“合计”为 25.77 元，表里其他数都是整数元："
        "疑似把“万元”数填进了“元”的表。"]
