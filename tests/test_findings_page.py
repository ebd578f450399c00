"""The audits in `build` and `serve`, the 数据核对 page, and the marks on table rows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from site_server import build_example

from site_builder.cli import main
from site_builder.preview_http import notice
from site_builder.serve import Preview

REPO = Path(__file__).resolve().parent.parent
CHECKS = Path(__file__).parent / "fixtures" / "checks"
WRONG_TOTAL = ("{code: 302 01, name: 办公费, 合计: 9.00", "{code: 302 01, name: 办公费, 合计: 9.50")
ROUNDING = ("办公费, 合计: 9.00, 公用经费: 9.00}", "办公费, 合计: 9.01, 公用经费: 9.01}")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_example(tmp_path_factory.mktemp("real") / "out")


def read(root: Path, route: str) -> str:
    return (root / route / "index.html").read_text(encoding="utf-8")


def finding(page: str, text: str) -> str:
    """The <li> of the one finding on `page` that contains `text`."""
    items = re.findall(r'<li class="finding[^"]*" id="f-\d+">.*?</li>', page, re.S)
    hits = [item for item in items if text in item]
    assert len(hits) == 1, (text, len(hits))
    return hits[0]


def section_of(page: str, item: str) -> str:
    """The kind heading (不一致, 舍入差异 …) the finding is listed under."""
    before = page[:page.index(item)]
    return re.findall(r'<h2 id="kind-\w+-title">(\w+)', before)[-1]


def test_restated_amount_is_listed_as_verified(site):
    page = read(site, "wanli-jiedao/2024/checks/")
    item = finding(page, "352.67")
    assert section_of(page, item) == "不一致"
    assert "<dt>公开数</dt><dd>352.67 万元</dd>" in item
    assert "<dt>计算数</dt><dd>350.3499 万元</dd>" in item and "3503499 元" in item
    assert "已核实：原文如此：住房公积金" in item
    assert 'href="../table-5/#t5-main-63"' in item


def test_rounding_difference_links_to_the_marked_row(site):
    page = read(site, "changji-kaoping/2024/checks/")
    item = finding(page, "表6 302 商品和服务支出“合计”：")
    assert section_of(page, item) == "舍入差异"
    assert "<dd>16.62 万元</dd>" in item and "<dd>16.61 万元</dd>" in item
    assert "<dt>差额</dt><dd>+0.01 万元</dd>" in item and "已核实" not in item
    target = re.search(r'表中位置：<a href="\.\./table-6/#([\w-]+)"', item).group(1)
    table = read(site, "changji-kaoping/2024/table-6/")
    row = re.search(rf'<tr id="{target}"[^>]*>.*?</tr>', table, re.S).group(0)
    assert 'class="has-finding"' in row and ">302<" in row
    mark = re.search(r'<a class="finding-mark" href="\.\./checks/#(f-\d+)"', row).group(1)
    assert "302 商品和服务支出" in re.search(rf'id="{mark}">.*?</li>', page, re.S).group(0)
    assert row.count('class="num flagged"') == 2  # 合计 and 公用经费
    assert '详见<a href="../checks/">数据核对</a>' in table


def test_every_row_link_reaches_an_id_on_its_table_page(site):
    pages = sorted(site.glob("*/*/checks/index.html"))
    assert len(pages) == 4
    links = 0
    for page in pages:
        for route, anchor in re.findall(r'href="\.\./(table-\d+)/#([\w-]+)"', page.read_text("utf-8")):
            links += 1
            assert f'id="{anchor}"' in (page.parent.parent / route / "index.html").read_text("utf-8")
    assert links > 50


def test_every_table_row_has_a_unique_stable_id(site):
    table = read(site, "changji-kaoping/2024/table-1/")  # two-sided: 收入 | 支出
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>", body)
    assert len(rows) == 31 and all(re.match(r'<tr id="t1-(income|expenditure)-\d+"', r) for r in rows)
    ids = re.findall(r'id="(t1-(?:income|expenditure)-\d+)"', table)
    assert len(ids) == len(set(ids)) and "t1-expenditure-31" in ids


def test_overview_links_to_the_checks_page(site):
    overview = read(site, "wanli-jiedao/2024/")
    assert '<a href="checks/">数据核对</a>：9 条核对结果，其中 9 条已核实为原文问题' in overview


def copy_checks(tmp_path: Path, edit: tuple[str, str] | None = None, blocking: str = "[error]") -> Path:
    content = tmp_path / "content"
    shutil.copytree(CHECKS, content)
    (content / "site.yaml").write_text(f"title: 检查测试\norganisation: 测试\nblocking: {blocking}\n",
                                       encoding="utf-8")
    if edit:
        doc = content / "unit" / "2024-yusuan.yaml"
        text = doc.read_text(encoding="utf-8")
        assert edit[0] in text
        doc.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    return content


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_document_without_findings_says_so(tmp_path):
    out = tmp_path / "out"
    assert main(["build", "--content", str(copy_checks(tmp_path)), "--output", str(out)]) == 0
    assert "核对没有发现不一致、缺漏、疑点或舍入差异" in read(out, "unit/2024/checks/")
    assert 'class="has-finding"' not in read(out, "unit/2024/table-3/")


def test_a_wrong_total_blocks_build_as_check_and_keeps_the_old_output(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--content", str(copy_checks(tmp_path / "good")), "--output", str(out)]) == 0
    before = tree(out)
    content = copy_checks(tmp_path / "bad", WRONG_TOTAL)
    capsys.readouterr()
    assert main(["check", "--content", str(content)]) == 1
    checked = capsys.readouterr().out
    assert main(["build", "--content", str(content), "--output", str(out)]) == 1
    built = capsys.readouterr().err
    assert "[不一致] 表3 302 商品和服务支出“合计”：公开数 10.00" in built
    assert built.startswith(checked.rstrip("\n"))  # the same problems, printed the same way
    assert "保持原样" in built and tree(out) == before


def test_blocking_empty_lets_the_build_publish_the_finding(tmp_path):
    out = tmp_path / "out"
    content = copy_checks(tmp_path, WRONG_TOTAL, blocking="[]")
    assert main(["build", "--content", str(content), "--output", str(out)]) == 0
    item = finding(read(out, "unit/2024/checks/"), "表3 302 商品和服务支出")
    assert "<dt>差额</dt><dd>-0.5 万元</dd>" in item
    assert main(["build", "--strict", "--content", str(content), "--output", str(out)]) == 1


def test_rounding_blocks_neither_build_nor_strict_build(tmp_path):
    content = copy_checks(tmp_path, ROUNDING)
    assert main(["build", "--strict", "--content", str(content), "--output", str(tmp_path / "o")]) == 0
    content = copy_checks(tmp_path / "r", ROUNDING, blocking="[error, rounding]")
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "o")]) == 1


def test_dev_server_shows_a_blocking_finding_like_a_loader_error(tmp_path):
    preview = Preview(copy_checks(tmp_path, WRONG_TOTAL), tmp_path / "preview")
    assert not preview.rebuild().ok and not preview.paths
    shown = notice(preview)
    assert "内容有 2 个错误，网站没有更新" in shown  # sum-children and sum-columns
    assert "error: [不一致] 表3 302 商品和服务支出“合计”：公开数 10.00" in shown
