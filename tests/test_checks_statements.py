"""Reading formulaic prose into statements, with the file line of each figure."""

from __future__ import annotations

from decimal import Decimal

from site_builder.model import Pos, Section
from site_builder.statements import parse_section


def _parse(body: str):
    section = Section("情况说明", "二、收入预算情况说明", body, Pos("f.yaml", 10, 5), Pos("f.yaml", 12, 11))
    return parse_section(section)


def test_reference_sentence_with_spaces():
    [st] = _parse("一般公共预算 294.06 万元，占 97.97%，比上年预算增加 13.83 万元，增\n"
                  "长 4.94%，主要原因是人员政策性增资，工资福利支出增加。")
    assert (st.subject, st.amount, st.share, st.direction, st.change, st.rate) == \
        ("一般公共预算", Decimal("294.06"), Decimal("97.97"), 1, Decimal("13.83"), Decimal("4.94"))
    assert st.basis == "上年预算" and st.reason == "人员政策性增资，工资福利支出增加"
    assert (st.pos.line, st.pos.column) == (13, 7 + 7)  # body line 1 → file line 13


def test_shanghai_item_with_execution_basis():
    [st] = _parse("31. “住房保障支出（类）住房改革支出（款）住房公积金（项）”350.35万元，主要用于住房公积金。"
                  "2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年预算执行数增加0.53%。"
                  "主要原因是：住房公积金经费增加。")
    assert st.path == ("住房保障支出", "住房改革支出", "住房公积金")
    assert (st.amount, st.executed, st.arranged, st.rate) == \
        (Decimal("350.35"), Decimal("348.52"), Decimal("352.67"), Decimal("0.53"))
    assert st.basis == "执行数" and st.purpose == "住房公积金" and st.reason == "住房公积金经费增加"


def test_thousands_separator_and_a_reason_for_all():
    statements = _parse("财政拨款收入18,976.76万元，比2024年预算增加3,355.65万元；事业收入0.00万元。\n\n"
                        "财政拨款收入支出增加的主要原因是项目调整。")
    assert [(s.subject, s.amount, s.change, s.reason) for s in statements] == [
        ("财政拨款收入", Decimal("18976.76"), Decimal("3355.65"), "项目调整"),
        ("事业收入", Decimal("0.00"), None, None)]


def test_list_of_amounts_and_change_only_statements():
    statements = _parse("政府采购预算5.00万元，其中：货物2.00万元、工程0万元、服务3.00万元。\n\n"
                        "“三公”经费预算比上年预算增加0.00万元，增长0.00%，其中：因公出国（境）费增加0.00万元。")
    assert [(s.subject, s.amount) for s in statements[:4]] == [
        ("政府采购预算", Decimal("5.00")), ("货物", Decimal("2.00")), ("工程", Decimal("0")),
        ("服务", Decimal("3.00"))]
    assert [(s.subject, s.change, s.basis) for s in statements[4:]] == [
        ("“三公”经费预算", Decimal("0.00"), "上年预算"), ("因公出国（境）费", Decimal("0.00"), "上年预算")]
