"""The `build` verb and the writer: two phases, staging + swap, refusals, determinism, links."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from site_builder import writer
from site_builder.build import build_site, render_settings, render_site
from site_builder.cli import main
from site_builder.loader import load_site
from site_builder.writer import MARKER, WriteError, check_paths, write_site

FIXTURE = Path(__file__).parent / "fixtures" / "site"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def content(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE, copy)
    return copy


def test_build_writes_the_site(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--content", str(FIXTURE), "--output", str(out)]) == 0
    assert "已生成" in capsys.readouterr().out
    for path in ("index.html", "404.html", "sitemap.xml", ".nojekyll", MARKER, "static/site.css",
                 "xinjiang-demo/2024/table-6/index.html", "shanghai-demo/index.html"):
        assert (out / path).is_file(), path


def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build_site(FIXTURE, tmp_path / "a")
    build_site(FIXTURE, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_build_date_only_from_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build_site(FIXTURE, tmp_path / "a")
    assert "生成日期" not in (tmp_path / "a" / "index.html").read_text("utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build_site(FIXTURE, tmp_path / "b")
    assert "生成日期：2023-11-14" in (tmp_path / "b" / "index.html").read_text("utf-8")


def test_content_error_fails_and_keeps_old_output(content, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--output", str(out)]) == 0
    before = tree(out)
    doc = content / "xinjiang-demo" / "2024-yusuan.yaml"
    doc.write_text(doc.read_text("utf-8").replace("预算数: 300.16}", "预算数: 30x.16}", 1), "utf-8")
    assert main(["build", "--content", str(content), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"xinjiang-demo/2024-yusuan\.yaml:\d+:\d+: error: ", err)
    assert "检查完成：1 个错误" in err and "保持原样" in err
    assert tree(out) == before


def test_strict_fails_on_warnings(content, tmp_path, capsys):
    doc = content / "xinjiang-demo" / "2024-yusuan.yaml"
    text = doc.read_text("utf-8")
    doc.write_text(text.replace("{name: 合计, 合计: 2.28,", "{name: 合计, 合计: ２.28,"), "utf-8")
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "o")]) == 0
    assert "warning" in capsys.readouterr().out
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "p"), "--strict"]) == 1
    assert not (tmp_path / "p").exists()


def test_refuses_to_clean_a_foreign_folder(tmp_path, capsys):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.docx").write_text("do not delete")
    assert main(["build", "--content", str(FIXTURE), "--output", str(out)]) == 1
    assert "拒绝清空" in capsys.readouterr().err
    assert (out / "thesis.docx").read_text() == "do not delete"


def test_interrupted_write_leaves_old_output(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_site([("a.html", b"old")], out)

    def interrupted(path, mode="r", *args, **kwargs):
        if Path(path).name == "b.html":
            raise KeyboardInterrupt
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(writer, "open", interrupted, raising=False)  # the writer's own file opens
    with pytest.raises(KeyboardInterrupt):
        write_site([("a.html", b"new"), ("b.html", b"x")], out)
    assert (out / "a.html").read_bytes() == b"old"
    assert not list(tmp_path.glob(".build-staging-*"))


def test_stale_staging_is_cleaned(tmp_path):
    stale = tmp_path / ".build-staging-out-999999"
    stale.mkdir()
    (stale / MARKER).write_text("x")
    write_site([("a.html", b"x")], tmp_path / "out")
    assert not stale.exists() and (tmp_path / "out" / "a.html").exists()


@pytest.mark.parametrize("paths", [
    [("../escape.html", b"")], [("/etc/passwd", b"")], [("a/../../x", b"")],
    [("a.html", b""), ("A.html", b"")], [("a/b.html", b""), ("a/./b.html", b"")],
])
def test_writer_refuses_bad_paths(paths):
    with pytest.raises(WriteError):
        check_paths(paths)


def test_links_are_relative_and_404_uses_base_url(tmp_path):
    report = build_site(FIXTURE, tmp_path / "out", base_url="/budget-site/")
    assert report.ok
    page = (tmp_path / "out" / "xinjiang-demo" / "2024" / "table-6" / "index.html").read_text("utf-8")
    assert 'href="../../../static/site.css"' in page
    assert 'href="../table-7/"' in page
    not_found = (tmp_path / "out" / "404.html").read_text("utf-8")
    assert 'href="/budget-site/static/site.css"' in not_found and 'href="/budget-site/"' in not_found


def test_file_links_point_at_index_files(tmp_path):
    build_site(FIXTURE, tmp_path / "out", file_links=True)
    page = (tmp_path / "out" / "xinjiang-demo" / "2024" / "table-6" / "index.html").read_text("utf-8")
    assert 'href="../table-7/index.html"' in page and 'href="../../../index.html"' in page
    assert 'href="../../../static/site.css"' in page


def test_sitemap_and_canonical_use_site_url(tmp_path):
    build_site(FIXTURE, tmp_path / "out")
    sitemap = (tmp_path / "out" / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://example.github.io/budget-site/xinjiang-demo/2024/table-6/</loc>" in sitemap
    assert "<lastmod>2024-02-23</lastmod>" in sitemap and "404" not in sitemap
    page = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.github.io/budget-site/">' in page


def test_render_site_is_pure_and_complete():
    site, _ = load_site(FIXTURE)
    files = render_site(site, render_settings(site))
    assert all(isinstance(v, bytes) for v in files.values())
    assert "xinjiang-demo/2024/index.html" in files and not any(k.startswith("static/") for k in files)


def test_document_page_content():
    site, _ = load_site(FIXTURE)
    files = render_site(site, render_settings(site))
    page = files["shanghai-demo/2024/index.html"].decode("utf-8")
    assert '<html lang="zh-CN">' in page and 'class="skip-link" href="#main"' in page
    assert "156,211,123" in page and "比上年增加 6,211,123 元（增长 4.14%）" in page
    assert "注:本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。" in page
    xj = files["xinjiang-demo/2024/index.html"].decode("utf-8")
    assert "<script" not in xj and "javascript:" not in xj and "onclick" not in xj
    assert "*81.10" in xj and "1,234,567.80" in xj
    assert "（一）" in xj and "部门联系人" in xj and "tel:18509943311" in xj
    assert xj.index("部门概况") < xj.index("部门预算公开表") < xj.index("情况说明") < xj.index("名词解释")
    table6 = files["xinjiang-demo/2024/table-6/index.html"].decode("utf-8")
    row = table6[table6.index(">商品和服务支出</th>"):].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:3]] == ["0", "", "0.00"]
    assert "<caption" in table6 and "表6 一般公共预算基本支出情况表" in table6
    assert "编制部门：昌吉回族自治州干部综合考核评价信息服务中心</span> <span>单位：万元" in table6
    sh = page
    assert '其他年份：<a href="../2023/">2023年预算</a>' in sh
    table3 = files["shanghai-demo/2024/table-3/index.html"].decode("utf-8")
    assert '<a href="../../2023/table-3/">2023年预算</a>' in table3
    assert sh.index('<h2 id="glossary-title">') < sh.index('<h2 id="part-3-title">编制说明') \
        < sh.index('<h2 id="tables-title">')


def test_extension_points_add_pages_and_overview_links(monkeypatch):
    from site_builder import pages
    monkeypatch.setattr(pages, "_PAGE_PROVIDERS", [])
    monkeypatch.setattr(pages, "_LINK_PROVIDERS", [])

    @pages.register_pages
    def findings(site):
        yield pages.Page("findings/", "404.html", "数据核对", {"settings": site.settings})

    pages.register_document_links(lambda site, doc: [pages.Link("数据核对", "findings/", "本文件的核对结果")])
    pages.register_pages(findings)  # registering twice has no effect
    site, _ = load_site(FIXTURE)
    files = render_site(site, render_settings(site))
    assert "findings/index.html" in files
    doc = files["xinjiang-demo/2024/index.html"].decode("utf-8")
    assert '<a href="../../findings/">数据核对</a>：本文件的核对结果' in doc
    assert files["sitemap.xml"].decode("utf-8").count("/findings/</loc>") == 1
