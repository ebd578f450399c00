"""A third province's template needs only a new profile file."""

from __future__ import annotations

import shutil
from pathlib import Path

from contentkit import make_content

from site_builder.loader import load_site

FIXTURE = Path(__file__).parent / "fixtures" / "third-profile"

DOC = """\
profile: hunan-juesuan-3
department: demo
year: 2023
kind: 决算
title: 2023年度测试局部门决算
meta: {publisher: 测试局}
tables:
  表1:
    income:
      - {name: 一、财政拨款收入, 决算数: 120.50}
      - {name: 本年收入合计, 决算数: 120.50}
    expenditure:
      - {code: 201, name: 一般公共服务支出, 决算数: 120.50}
      - {name: 本年支出合计, 决算数: 120.50}
  表2:
    rows:
      - {name: 合计, 本年支出合计: 120.50, 基本支出: 100.00, 项目支出: 20.50}
      - {code: 201, name: 一般公共服务支出, 本年支出合计: 120.50, 基本支出: 100.00, 项目支出: 20.50}
      - {code: 201 01, name: 人大事务, 本年支出合计: 120.50, 基本支出: 100.00, 项目支出: 20.50}
      - {code: 201 01 01, name: 行政运行, 本年支出合计: 100.00, 基本支出: 100.00}
      - {code: 201 01 04, name: 人大会议, 本年支出合计: 20.50, 项目支出: 20.50}
  表3:
    rows:
      - {name: 合计, 年初预算数: 20.00, 决算数: 20.50}
      - {name: 人大会议经费, 实施单位: 测试局, 年初预算数: 20.00, 决算数: 20.50}
"""


def third_content(tmp_path: Path) -> Path:
    content = make_content(tmp_path, DOC, name="2023-juesuan.yaml")
    shutil.copy(FIXTURE / "hunan-juesuan-3.yaml", content / "profiles")
    return content


def test_made_up_third_profile_loads_a_juesuan_document(tmp_path):
    site, problems = load_site(third_content(tmp_path))
    assert site is not None, [p.format() for p in problems.items]
    doc = site.documents[0]
    assert (doc.kind, doc.profile.id, list(doc.tables)) == ("决算", "hunan-juesuan-3", ["表1", "表2", "表3"])
    assert doc.tables["表1"].title == "2023年度收入支出决算总表"
    table3 = doc.tables["表3"]
    assert table3.rows()[1].texts == {"实施单位": "测试局"}
    assert [r.is_total for r in table3.rows()] == [True, False]
    assert [r.level for r in doc.tables["表2"].rows()] == [0, 1, 2, 3, 3]


def test_third_profile_column_keys_are_enforced(tmp_path):
    content = third_content(tmp_path)
    path = content / "demo" / "2023-juesuan.yaml"
    path.write_text(DOC.replace("年初预算数: 20.00, 决算数: 20.50}\n", "年初预算: 20.00, 决算数: 20.50}\n", 1),
                    encoding="utf-8")
    problems = load_site(content)[1].errors
    assert [p.code for p in problems] == ["unknown-key"]
    assert "是不是“年初预算数”" in problems[0].message
