"""Build small content folders in tmp_path for tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from site_builder.loader import load_site

REPO = Path(__file__).resolve().parent.parent
# The published source texts live in ../shared beside the checkout (also in CI).
SEEDS = REPO.parent / "shared" / "seeds"


def seeds_missing(path: Path) -> bool:
    """Skip source-text tests on a machine without ../shared, but never in CI."""
    if path.exists():
        return False
    if os.environ.get("CI"):
        raise FileNotFoundError(f"CI needs the published source texts at {path}")
    return True

MINIMAL_DOC = """\
profile: xinjiang-11
department: demo
year: 2024
kind: 预算
title: 2024年测试中心部门预算
meta:
  publisher: 测试中心
  published: 2024-02-23
tables:
  表1:
    income:
      - {name: 一、本年收入, 预算数: 10.00}
      - {name: 收入总计, 预算数: 10.00}
    expenditure:
      - {code: 201, name: 一般公共服务支出, 预算数: 10.00}
      - {name: 支出总计, 预算数: 10.00}
  表2:
    rows:
      - {name: 总计, 总计: 10.00, 财政拨款小计: 10.00, 一般公共预算: 10.00}
      - {code: 201 32 50, name: 事业运行, 总计: 10.00, 财政拨款小计: 10.00, 一般公共预算: 10.00}
  表3: {rows: [{name: 总计, 合计: 10.00, 基本支出: 10.00}]}
  表4: {income: [{name: 收入总计, 合计: 10.00}], expenditure: [{name: 支出总计, 合计: 10.00}]}
  表5: {rows: [{name: 总计, 合计: 10.00, 基本支出: 10.00}]}
  表6: {rows: [{name: 总计, 合计: 10.00, 人员经费: 10.00}]}
  表7: {note: 本单位没有项目支出。}
  表8: {note: 空表。}
  表9: {note: 空表。}
  表10: {note: 空表。}
  表11: {note: 空表。}
"""


def make_content(tmp_path: Path, doc: str = MINIMAL_DOC, name: str = "2024-yusuan.yaml",
                 slug: str = "demo") -> Path:
    """A content folder with the repo's settings and profiles and one document."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(REPO / "content" / "site.yaml", content / "site.yaml")
    shutil.copytree(REPO / "content" / "profiles", content / "profiles")
    folder = content / slug
    folder.mkdir()
    (folder / "department.yaml").write_text("name: 测试中心\n", encoding="utf-8")
    (folder / name).write_text(doc, encoding="utf-8")
    return content


def problems_for(tmp_path: Path, doc: str, **kwargs) -> list:
    """Load a one-document content folder and return its problems, sorted."""
    content = make_content(tmp_path, doc, **kwargs)
    return load_site(content)[1].sorted()


def only_error(problems: list):
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, [p.format() for p in problems]
    return errors[0]


def parse_outcome(parse, text: str) -> tuple:
    """What a YAML parser (yamlsource.parse_text or _compose) makes of `text`, comparably."""
    from site_builder import yamlsource
    try:
        return ("tree", plain_node(parse(text)))
    except yamlsource.YamlProblem as exc:
        return ("problem", exc.line, exc.column, exc.code, exc.message)


def plain_node(node) -> tuple | None:
    """A node as nested tuples, key nodes included (their line and column are in messages)."""
    if node is None:
        return None
    head = (node.kind, node.line, node.column, node.text, node.plain)
    if node.kind == "seq":
        return head + tuple(plain_node(item) for item in node.items)
    if node.kind == "map":
        return head + tuple((plain_node(node.keys[k]), plain_node(v)) for k, v in node.entries.items())
    return head
