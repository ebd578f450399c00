"""The audits' shared passes find what the per-item passes found (sections scanned whole, …)."""

from __future__ import annotations

from types import SimpleNamespace

from site_builder.audit_text import _scan
from site_builder.model import Pos, Section
from site_builder.paragraphs import paragraphs

MARKED = ("比2023年预算增加增加XX万元，\n2024年预算安排1万元。\n\n"
          "某某单位 比2022年 预算 执行数\u3000减少。\n\n"
          "平常的句子，没有年份。\n\n"
          "  2022年当年预算执行数为3万元，2025年预算数为 4 万元，ＸＸＸ。\n"
          "万元万元xx×××\n\n"
          "末段XX")


def test_a_section_scanned_whole_gives_the_findings_of_its_paragraphs_scanned_one_by_one():
    doc = SimpleNamespace(year=2024, path="f.yaml")
    section = Section("情况说明", "一、说明", MARKED, Pos("f.yaml", 10, 3), Pos("f.yaml", 10, 9))
    paras = paragraphs(section)
    whole = _scan(doc, "一、说明", paras)
    one_by_one = [f for para in paras for f in _scan(doc, "一、说明", [para])]
    assert len(whole) >= 8 and {f.rule for f in whole} == {"placeholder", "doubled-word", "wrong-year"}
    key = lambda f: (f.pos.line, f.pos.column, f.rule, f.message)  # noqa: E731 - the audit's order
    assert sorted(whole, key=key) == sorted(one_by_one, key=key)
