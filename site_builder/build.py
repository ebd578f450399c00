"""`build`: load and check everything, render the site in memory, then write it in one swap.

Rendering is a pure function from the model to `{relative path: bytes}` (`render_site`,
`render_document`), so the dev server can re-render only what changed and tests need no disk.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import (
    checks_page,  # noqa: F401  (registers the 数据核对 pages and the row marks)
    compare_pages,  # noqa: F401  (registers the comparison, chart and trend pages)
    urls,
)
from .checks import check_loaded
from .downloads import document_json, table_csv, table_xlsx
from .loader import load_site
from .model import Document, Site
from .pages import Page, document_pages, list_pages
from .problems import Problem
from .render import TEMPLATES, render_template
from .writer import WriteError, write_site

STATIC = Path(__file__).resolve().parent.parent / "static"


@dataclass(frozen=True)
class RenderSettings:
    """What rendering needs besides the model; nothing here depends on the clock."""

    urls: urls.Urls
    title: str = ""
    organisation: str = ""
    description: str = ""
    language: str = "zh-CN"
    dev: bool = False
    epoch: int | None = None  # SOURCE_DATE_EPOCH, the only allowed source of a build date
    templates: Path = TEMPLATES


@dataclass(frozen=True)
class BuildReport:
    ok: bool
    problems: list[Problem]
    files: int = 0
    seconds: float = 0.0
    output: Path | None = None
    error: str = ""  # why the output could not be written
    pages: tuple[str, ...] = field(default=())


def build_site(content: Path, output: Path, *, base_url: str | None = None, strict: bool = False,
               dev: bool = False, file_links: bool = False, one_shot: bool = False) -> BuildReport:
    """Load → check → render → write. The old output stays untouched unless all succeed.

    `one_shot`: the process ends after this build, so the loaded model is frozen out of the
    cyclic collector (`gc.freeze`) and never collected; never for a caller that builds again."""
    started = time.perf_counter()
    site, found = load_checked(content, freeze=one_shot)
    if site is None or _blocked(found, strict):
        return BuildReport(False, found, seconds=time.perf_counter() - started)
    settings = render_settings(site, base_url, dev, file_links)
    files = _collect(render_site(site, settings).items(), read_static(STATIC))
    try:
        count = write_site(files.items(), output)
    except (WriteError, OSError) as exc:
        return BuildReport(False, found, seconds=time.perf_counter() - started, error=str(exc))
    return BuildReport(True, found, count, time.perf_counter() - started, output,
                       pages=tuple(p for p in files if p.endswith(".html")))


def run_build(content: Path, output: Path, base_url: str | None, strict: bool,
              file_links: bool = False) -> int:
    """The `build` verb: print problems like `check`, then the result; return the exit code."""
    from .cli import print_problems
    report = build_site(content, output, base_url=base_url, strict=strict, file_links=file_links,
                        one_shot=True)
    if report.problems or not report.ok:
        print_problems(report.problems, sys.stderr if not report.ok else sys.stdout)
    if report.error:
        print(f"无法写入输出：{report.error}", file=sys.stderr)
    if not report.ok:
        print(f"构建失败，{output} 保持原样。", file=sys.stderr)
        return 1
    print(f"已生成 {report.files} 个文件到 {output}（{report.seconds:.2f} 秒）。")
    print(f"首页：{(output / 'index.html').resolve()}")
    print("预览（保存文件后自动刷新）：python build.py serve，然后在浏览器打开 http://127.0.0.1:8000/")
    return 0


def load_checked(content: Path, freeze: bool = False) -> tuple[Site | None, list[Problem]]:
    """Phase one: load, check and audit everything, exactly as `check` does; nothing is written.

    The audits' findings block per the site setting `blocking` (see docs/checks.md); the
    pages reuse them through `checks.document_findings`. `freeze`: move everything loaded
    to the collector's permanent generation, so that later collections skip the model."""
    site, problems = load_site(content)
    if freeze:
        gc.freeze()
    site, found, _findings = check_loaded(site, problems)
    return site, found


def _blocked(problems: list[Problem], strict: bool) -> bool:
    from .cli import failed
    return failed(problems, strict)


def render_settings(site: Site, base_url: str | None = None, dev: bool = False,
                    file_links: bool = False) -> RenderSettings:
    """Settings from site.yaml, with the command line's --base-url taking precedence."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    base = urls.normalise_base_url(base_url if base_url is not None else site.settings.base_url)
    s = site.settings
    return RenderSettings(urls.Urls(base, "" if dev else s.site_url, file_links), s.title, s.organisation,
                          s.description, s.language, dev,
                          int(epoch) if epoch and epoch.isdigit() else None)


def render_site(site: Site, settings: RenderSettings) -> dict[str, bytes]:
    """Every generated file of the site (static assets excluded), by output path."""
    pages = list_pages(site)
    files = _collect(_render_pages(pages, settings))
    for doc in site.documents:
        files.update(_collect(render_downloads(doc, settings), files))
    files["sitemap.xml"] = render_sitemap(pages, settings)
    files[".nojekyll"] = b""
    return files


def render_document(site: Site, doc: Document, settings: RenderSettings) -> dict[str, bytes]:
    """The files of one document (its pages and downloads), for partial re-rendering."""
    files = _collect(_render_pages(document_pages(site, doc), settings))
    return _collect(render_downloads(doc, settings), files)


def render_downloads(doc: Document, settings: RenderSettings) -> Iterable[tuple[str, bytes]]:
    for table in doc.tables.values():
        yield urls.table_download_route(doc, table.spec, "csv"), table_csv(doc, table)
        yield urls.table_download_route(doc, table.spec, "xlsx"), table_xlsx(doc, table, settings.epoch)
    yield urls.document_json_route(doc), document_json(doc)


def _render_pages(pages: list[Page], settings: RenderSettings) -> Iterable[tuple[str, bytes]]:
    for page in pages:
        yield urls.output_path(page.route), render_page(page, settings)


def _collect(items: Iterable[tuple[str, bytes]], into: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Gather files, refusing two different files at one path."""
    files = {} if into is None else into
    for path, data in items:
        if path in files:
            raise WriteError(f"两个文件要写到同一个路径：{path}")
        files[path] = data
    return files


def render_page(page: Page, settings: RenderSettings) -> bytes:
    """One page: the common frame (title, links, breadcrumbs) plus the page's own context."""
    u = settings.urls
    absolute = page.route == "404.html"  # served at any address, so links must not be relative

    def url(route: str) -> str:
        return u.absolute(route) if absolute else u.href(page.route, route)

    frame = {"page": page, "url": url, "lang": settings.language, "dev": settings.dev,
             "site_title": settings.title, "organisation": settings.organisation,
             "description": settings.description,
             "canonical": None if absolute else u.canonical(page.route),
             "built": _build_date(settings.epoch)}
    return render_template(page.template, {**page.context, **frame}, settings.templates)


def render_sitemap(pages: list[Page], settings: RenderSettings) -> bytes:
    entries = [(settings.urls.canonical(p.route), p.document.meta.published if p.document else None)
               for p in pages if p.in_sitemap]
    return render_template("sitemap.xml", {"entries": [e for e in entries if e[0]]}, settings.templates)


def read_static(folder: Path) -> dict[str, bytes]:
    """Static assets (CSS, the vendored chart library) under `static/`."""
    return {f"static/{p.relative_to(folder).as_posix()}": p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def _build_date(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return time.strftime("%Y-%m-%d", time.gmtime(epoch))
