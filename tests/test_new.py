"""`new`: next year's draft from the latest document, and a new department from a profile."""

from __future__ import annotations

import re
from pathlib import Path

from contentkit import MINIMAL_DOC, make_content

from site_builder.checks import collect_problems
from site_builder.cli import main
from site_builder.loader import load_site
from site_builder.reader import PLACEHOLDER

DOC_WITH_PROSE = MINIMAL_DOC + """\
sections:
  - part: 情况说明
    title: 一、关于测试中心2024年收支预算情况总体说明
    body: |
      收支总预算10.00万元。

      比上年增加1.00万元。
facts:
  operating_costs: 3.50
  three_public: {total: 0.28, reception: 0.28}
"""


def placeholder_lines(path: Path) -> list[int]:
    """Line numbers of every 待填 outside comments, one entry per occurrence."""
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        lines += [number] * line.split("#")[0].count(PLACEHOLDER)
    return lines


def test_draft_asks_for_exactly_the_figures_and_texts_of_last_year(tmp_path):
    content = make_content(tmp_path, DOC_WITH_PROSE)
    assert main(["new", "--content", str(content), "demo", "2025"]) == 0
    draft = content / "demo" / "2025-yusuan.yaml"
    problems = [p for p in collect_problems(content) if p.file.endswith("2025-yusuan.yaml")]
    assert {p.code for p in problems} == {"to-fill"}, [p.format() for p in problems]
    assert sorted(p.line for p in problems) == placeholder_lines(draft)
    # 18 amounts in the tables + published date + one table note per empty table (5)
    # + the section body + 3 facts
    assert len(problems) == 18 + 1 + 5 + 1 + 3


def test_draft_keeps_codes_names_and_notes_last_years_figures(tmp_path):
    content = make_content(tmp_path, DOC_WITH_PROSE)
    main(["new", "--content", str(content), "demo", "2025"])
    text = (content / "demo" / "2025-yusuan.yaml").read_text(encoding="utf-8")
    assert ("- {code: 201 32 50, name: 事业运行, 总计: 待填, 财政拨款小计: 待填, 一般公共预算: 待填}"
            "  # 2024年：总计 10.00，财政拨款小计 10.00，一般公共预算 10.00") in text
    assert "year: 2025\n" in text and "title: 2025年测试中心部门预算" in text
    assert "title: 一、关于测试中心2025年收支预算情况总体说明" in text
    assert "    # 2024年原文：\n    #   收支总预算10.00万元。\n    #\n    #   比上年增加1.00万元。\n    body: 待填\n" in text
    assert "  # 2024年原文：\n  #   本单位没有项目支出。\n  表7: {note: 待填}\n" in text  # a flow mapping
    assert "operating_costs: 待填  # 2024年：operating_costs 3.50" in text


def fill_from_comments(text: str) -> str:
    """Fill each 待填 with last year's value from the line's comment, texts with 文字."""
    out = []
    for line in text.splitlines(keepends=True):
        body, _, note = line.partition("  # 2024年：")
        values = [item.rsplit(" ", 1)[1] for item in note.strip().split("，")] if note else []
        for value in values:
            body = body.replace(PLACEHOLDER, f"'{value}'" if value.startswith("*") else value, 1)
        out.append(body.replace(PLACEHOLDER, "文字") + ("\n" if note else ""))
    return "".join(out)


def test_draft_filled_with_the_same_figures_loads_like_last_year(tmp_path):
    content = make_content(tmp_path, DOC_WITH_PROSE)
    main(["new", "--content", str(content), "demo", "2025"])
    draft = content / "demo" / "2025-yusuan.yaml"
    draft.write_text(fill_from_comments(draft.read_text(encoding="utf-8")), encoding="utf-8")
    site, problems = load_site(content)
    assert site is not None, [p.format() for p in problems.sorted()]
    old, new = site.departments[0].documents
    assert (old.year, new.year) == (2024, 2025)
    for label, table in old.tables.items():
        for side, rows in table.parts.items():
            got = new.tables[label].parts[side]
            assert [(r.code, r.name, dict(r.amounts)) for r in got] == \
                   [(r.code, r.name, dict(r.amounts)) for r in rows]
    assert new.facts.operating_costs == old.facts.operating_costs
    assert new.meta.published.isoformat() == "2024-02-23"


def test_new_refuses_to_overwrite(tmp_path, capsys):
    content = make_content(tmp_path)
    assert main(["new", "--content", str(content), "demo", "2025"]) == 0
    draft = content / "demo" / "2025-yusuan.yaml"
    draft.write_text("mine", encoding="utf-8")
    assert main(["new", "--content", str(content), "demo", "2025"]) == 1
    assert draft.read_text(encoding="utf-8") == "mine"
    assert "已经存在，不会覆盖" in capsys.readouterr().err


def test_new_department_from_profile_lists_every_table(tmp_path):
    content = make_content(tmp_path)
    assert main(["new", "--content", str(content), "fresh", "2025", "--profile", "xinjiang-11"]) == 0
    folder = content / "fresh"
    assert sorted(p.name for p in folder.iterdir()) == ["2025-yusuan.yaml", "department.yaml"]
    problems = [p for p in collect_problems(content) if "/fresh/" in p.file]
    assert {p.code for p in problems} == {"to-fill"}, [p.format() for p in problems]
    for p in problems:
        assert p.line in placeholder_lines(content.parent / p.file), p.format()
    mentioned = {m.group(0) for p in problems for m in [re.match(r"表\d+", p.message)] if m}
    assert mentioned == {f"表{i}" for i in range(1, 12)}


def test_new_department_needs_a_known_profile(tmp_path, capsys):
    content = make_content(tmp_path)
    assert main(["new", "--content", str(content), "fresh", "2025"]) == 1
    assert "--profile" in capsys.readouterr().err
    assert main(["new", "--content", str(content), "fresh", "2025", "--profile", "nope"]) == 1
    err = capsys.readouterr().err
    assert "找不到表样模板“nope”" in err and "xinjiang-11" in err
    assert not (content / "fresh").exists()


def test_existing_department_keeps_its_profile(tmp_path, capsys):
    content = make_content(tmp_path)
    assert main(["new", "--content", str(content), "demo", "2025",
                 "--profile", "shanghai-district-9"]) == 1
    assert "已经使用表样模板“xinjiang-11”" in capsys.readouterr().err
    assert not (content / "demo" / "2025-yusuan.yaml").exists()
