"""Unit tests of tools/convert_shanghai.py on small inline snippets of pdfplumber text."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
import yaml
from contentkit import SEEDS, seeds_missing

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("convert_shanghai", ROOT / "tools" / "convert_shanghai.py")
cs = importlib.util.module_from_spec(_spec)
sys.modules["convert_shanghai"] = cs  # dataclasses look their module up while the tool loads
_spec.loader.exec_module(cs)

SOURCES = Path(os.environ.get("SHANGHAI_SOURCES", SEEDS / "examples"))
FUNCTIONAL_KEYS = ["合计", "基本支出", "项目支出"]


@pytest.fixture(scope="module")
def profile():
    from site_builder.problems import Problems
    from site_builder.profiles import load_profile
    return load_profile(cs.PROFILE, "shanghai-district-9.yaml", Problems())


def test_read_pages_splits_text_and_table_cells() -> None:
    header, pages = cs.read_pages(
        "# source: somewhere.pdf\n=== page 3 ===\n标题\n[table 1, 2 rows]\n"
        "201 |  |  | 一般公共服务支出 | 2,932,700 | 0 | 2,932,700\n合计 |  |  |  |  |  | \n[/table]\n")
    assert header == {"source": "somewhere.pdf"}
    assert pages[0].number == 3 and pages[0].lines == ["标题"]
    assert pages[0].tables[0][0] == ["201", "", "", "一般公共服务支出", "2,932,700", "0", "2,932,700"]
    assert pages[0].tables[0][1] == ["合计", "", "", "", "", "", ""]


def test_continuation_pages_drop_repeated_header_rows() -> None:
    head = [["项目", "", "", "", "一般公共预算支出", "", ""],
            ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
            ["类", "款", "项", "", "", "", ""]]
    first = head + [["201", "", "", "一般公共服务支出", "2,932,700", "0", "2,932,700"]]
    repeated = head + [["204", "", "", "公共安全支出", "1,633,000", "0", "1,633,000"]]
    plain = [["205", "", "", "教育支出", "250,000", "0", "250,000"]]
    header, data = cs.merge_pages([first, repeated, plain], {"合计"})
    assert header == head
    assert [row[0] for row in data] == ["201", "204", "205"]


def test_codes_are_split_as_printed() -> None:
    row = cs.coded_row(["201", "05", "07", "专项普查活动", "257,700", "0", "257,700"], 3,
                       FUNCTIONAL_KEYS, "合计", "表3")
    assert row == {"code": "201 05 07", "name": "专项普查活动", "合计": "257700",
                   "基本支出": "0", "项目支出": "257700"}
    economic = cs.coded_row(["301", "2", "津贴补贴", "16,623,810", "16,623,810", "0"], 2,
                            ["合计", "人员经费", "公用经费"], "合计", "表8")
    assert economic["code"] == "301 2"
    with pytest.raises(cs.ConvertError):
        cs.coded_row(["2O1", "", "", "x", "1"], 3, FUNCTIONAL_KEYS, "合计", "表3")


def test_blank_cells_stay_absent_and_printed_zero_stays_zero() -> None:
    keys = ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    blank = cs.coded_row(["204", "", "", "公共安全支出", "1,252,300", "1,252,300"], 3, keys, "合计", "t")
    zero = cs.coded_row(["204", "", "", "公共安全支出", "1,633,000", "1,633,000", "0", "0", "0"], 3,
                        keys, "合计", "t")
    assert "事业收入" not in blank and "其他收入" not in blank
    assert zero["事业收入"] == "0" and zero["其他收入"] == "0"


def test_total_rows_with_and_without_merged_blanks() -> None:
    full = cs.coded_row(["合计", "", "", "", "164,978,640", "164,978,640"], 3,
                        ["合计", "财政拨款收入", "事业收入"], "合计", "t")
    collapsed = cs.coded_row(["合计", "156,211,123", "99,706,020", "56,505,103"], 3,
                             FUNCTIONAL_KEYS, "合计", "t")
    empty = cs.coded_row(["合计", "", "", "", "", "", ""], 3, FUNCTIONAL_KEYS, "合计", "t")
    assert full == {"name": "合计", "合计": "164978640", "财政拨款收入": "164978640"}
    assert collapsed == {"name": "合计", "合计": "156211123", "基本支出": "99706020",
                         "项目支出": "56505103"}
    assert empty == {"name": "合计"}


def test_unreadable_amount_stops_the_conversion() -> None:
    with pytest.raises(cs.ConvertError, match="12,34"):
        cs.amount("12,34", "表2")


def test_lines_broken_by_the_pdf_are_joined() -> None:
    full = 40  # widest line of this snippet
    lines = ["1. “一般公共服务支出（类）”25.77万元，主要用于专项",  # numbered: runs to the next number
             "普查活动。",
             "2023年当年预算执行数为60.13万元。",
             "2. 第二项。",
             "三、政府采购预算情况",
             "2024年本部门政府采购预算1662.44万元，其中：货物",
             "93.98万元。",
             "2024年本部门面向中小企业预留。"]
    paras = cs.paragraphs(lines, full)
    assert paras == ["1. “一般公共服务支出（类）”25.77万元，主要用于专项普查活动。"
                     "2023年当年预算执行数为60.13万元。",
                     "2. 第二项。",
                     "三、政府采购预算情况",
                     "2024年本部门政府采购预算1662.44万元，其中：货物93.98万元。",
                     "2024年本部门面向中小企业预留。"]


def test_a_full_width_line_ending_a_sentence_does_not_end_the_paragraph() -> None:
    long = "甲" * 30 + "。"  # as wide as the widest line: the PDF broke it, not the author
    assert cs.paragraphs([long, "乙。", "丙。"], cs.width(long)) == [long + "乙。", "丙。"]


def test_decimal_continuation_is_not_an_ordinal() -> None:
    assert cs.paragraphs(["比2023年预算执行数增加", "28.89%。"], 40) == ["比2023年预算执行数增加28.89%。"]


def test_flow_mappings_read_back_as_the_same_text() -> None:
    row = {"三级指标": "按计划数量完成", "值": "慰问人数不少于100人,宣传用品不少于20000份",
           "大于": ">6.00(次)", "change": "-10", "code": "201 05 07", "空": "null"}
    text = cs.flow(row)
    assert yaml.load(text, Loader=yaml.BaseLoader) == row


def test_header_overrides_only_where_the_print_differs(profile) -> None:
    spec = profile.table("表9")
    header = [["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"],
              ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""],
              ["", "", "", "小计", "购置费", "运行费", ""]]
    assert cs.header_overrides(spec, header, 2025) == {
        "三公经费预算数": "“三公”经费预算数", "机关运行经费预算数": "机关运行经费预算数"}
    header[0] = ["2024年“三公”经费预算数", "", "", "", "", "", "2024年机关运行经费预算数"]
    assert cs.header_overrides(spec, header, 2024) == {}


def test_performance_table_fills_merged_cells_down() -> None:
    rows = [["财政项目支出绩效目标填报表", "", "", "", "", "", "", ""],
            ["（2023年度）", "", "", "", "", "", "", ""],
            ["项目名称", "", "甲项目", "", "项目性质", "经常性项目", "项目类别", "特定目标类"],
            ["项目资金（元）", "", "项目资金总额", "", "4,100,000.00", "年度资金申请总额", "", "7595500.00"],
            ["", "", "", "", "", "上年结转资金", "", "0.00"],
            ["项目绩效目标", "项目总目标", "", "", "", "年度总体目标", "", ""],
            ["", "总目标。", "", "", "", "年度目标。", "", ""],
            ["", "一级指标", "二级指标", "三级指标", "", "", "年度(/项目)指标值", ""],
            ["绩效指标", "产出指标", "数量指标", "甲", "", "", ">6.00(次)", ""],
            ["", "", "", "乙", "", "", "达标", ""],
            ["", "效益指标", "社会效益指标", "丙", "", "", "提升", ""]]
    table = cs.convert_performance(rows)
    assert table["name"] == "甲项目" and table["funds_unit"] == "元"
    assert table["funds"] == [{"label": "项目资金总额", "amount": "4100000.00"},
                              {"label": "年度资金申请总额", "amount": "7595500.00"},
                              {"label": "上年结转资金", "amount": "0.00"}]
    assert (table["goal"], table["annual_goal"]) == ("总目标。", "年度目标。")
    assert table["indicators"][1] == {"一级指标": "产出指标", "二级指标": "数量指标",
                                      "三级指标": "乙", "年度(/项目)指标值": "达标"}


@pytest.mark.skipif(seeds_missing(SOURCES), reason="上海原文不存在")
def test_conversion_is_deterministic_and_loads() -> None:
    text = (SOURCES / "2024_wanli-jiedao_yusuan.txt").read_text(encoding="utf-8")
    first, second = (cs.write_document(cs.convert(text)) for _ in range(2))
    assert first == second
    assert first.startswith("# yaml-language-server: $schema=../../schema/budget-document.schema.json\n")
    assert yaml.load(first, Loader=yaml.BaseLoader)["tables"]["表8"]["rows"][2]["code"] == "301 2"
