"""`build`: load, check, render and write the site (per department, see `pipeline`), then swap it in.

Rendering is a pure function from the model to bytes (`render_page`, `render_downloads`);
`render_site` gives a whole site in memory, the reference the dev server's tests compare with.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import (
    checks_page,  # noqa: F401  (registers the 数据核对 pages and the row marks)
    compare_pages,  # noqa: F401  (registers the comparison, chart and trend pages)
    urls,
)
from .buildcache import BuildCache, cache_folder
from .document_json import document_json
from .downloads import table_csv, table_xlsx
from .model import Document, Settings, Site
from .pages import Page, list_pages
from .pipeline import DepartmentResult, all_problems, default_jobs, execute, plan_build, site_pages
from .problems import Problem
from .render import TEMPLATES, render_template
from .writer import Staging, WriteError

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
    reused: int = 0  # departments taken unchanged from the last output (the build cache)


def build_site(content: Path, output: Path, *, base_url: str | None = None, strict: bool = False,
               dev: bool = False, file_links: bool = False, jobs: int = 1, cache: bool = False) -> BuildReport:
    """Load → check → render → write, department by department (`pipeline`), `jobs` processes.

    The old output stays untouched unless everything succeeds. `cache`: reuse unchanged
    departments from the last output (`buildcache`); when nothing changed at all, the output
    is left as it is."""
    started = time.perf_counter()
    store = BuildCache(cache_folder(output) if cache else None)
    plan = plan_build(content.resolve(), output, lambda s: _render_settings(s, base_url, dev, file_links), store)
    found: list[Problem] = []
    try:
        if plan.complete:
            results = [plan.hits[slug] for slug in plan.keys]
            found = all_problems(plan, results)
            if _blocked(found, strict):
                return BuildReport(False, found, seconds=time.perf_counter() - started)
            files = site_files(plan.settings, results, plan.render)
            if _unchanged(output, files):
                return _report(output, found, files, results, len(results), started)
        with Staging(output) as staging:
            results = execute(plan, staging, output, strict=strict, jobs=jobs)
            found = all_problems(plan, results)
            if not plan.sound or _blocked(found, strict) or any(r.summary is None for r in results):
                return BuildReport(False, found, seconds=time.perf_counter() - started)
            files = site_files(plan.settings, results, plan.render)
            for path, data in files.items():
                staging.write(path, data)
            staging.commit()
    except (WriteError, OSError) as exc:
        return BuildReport(False, found or plan.problems.sorted(), seconds=time.perf_counter() - started,
                           error=str(exc))
    for r in results:
        if r.key and r.slug not in plan.hits:  # a key: the build is cached
            store.store(r.slug, r.key, r, dict(zip(r.files, r.stats, strict=True)))
    store.keep_only(set(plan.keys))
    return _report(output, found, files, results, len(plan.hits), started)


def _report(output: Path, found: list[Problem], files: dict[str, bytes], results: list[DepartmentResult],
            reused: int, started: float) -> BuildReport:
    written = [*files, *(path for r in results for path in r.files)]
    return BuildReport(True, found, len(written), time.perf_counter() - started, output,
                       pages=tuple(sorted(p for p in written if p.endswith(".html"))), reused=reused)


def _unchanged(output: Path, files: dict[str, bytes]) -> bool:
    """Whether the output already holds exactly these site-wide files (all else is cached)."""
    try:
        return all((output / path).read_bytes() == data for path, data in files.items())
    except OSError:
        return False


def site_files(settings: Settings, results: list[DepartmentResult], render: RenderSettings) -> dict[str, bytes]:
    """The files that see the whole site: home, 404, sitemap, static assets, `.nojekyll`."""
    pages = site_pages(settings, results)
    files = {urls.output_path(p.route): render_page(p, render) for p in pages}
    files["sitemap.xml"] = render_sitemap([*sitemap_entries(pages, render), *(e for r in results for e in r.sitemap)],
                                          render)
    files[".nojekyll"] = b""
    files.update(read_static(STATIC))
    taken = {path.casefold(): path for r in results for path in r.files}
    clash = next((path for path in files if path.casefold() in taken), None)
    if clash:
        raise WriteError(f"部门的文件和网站自身的文件要写到同一个路径：{clash}（请给部门文件夹换个名字）。")
    return files


def run_build(content: Path, output: Path, base_url: str | None, strict: bool,
              file_links: bool = False, jobs: int | None = None, cache: bool = True) -> int:
    """The `build` verb: print problems like `check`, then the result; return the exit code."""
    from .cli import print_problems
    report = build_site(content, output, base_url=base_url, strict=strict, file_links=file_links,
                        jobs=jobs or default_jobs(), cache=cache)
    if report.problems or not report.ok:
        print_problems(report.problems, sys.stderr if not report.ok else sys.stdout)
    if report.error:
        print(f"无法写入输出：{report.error}", file=sys.stderr)
    if not report.ok:
        print(f"构建失败，{output} 保持原样。", file=sys.stderr)
        return 1
    reused = f"，其中 {report.reused} 个部门没有改动，沿用上次的结果" if report.reused else ""
    print(f"已生成 {report.files} 个文件到 {output}（{report.seconds:.2f} 秒{reused}）。")
    print(f"首页：{(output / 'index.html').resolve()}")
    print("预览（保存文件后自动刷新）：python build.py serve，然后在浏览器打开 http://127.0.0.1:8000/")
    return 0


def _blocked(problems: list[Problem], strict: bool) -> bool:
    from .cli import failed
    return failed(problems, strict)


def render_settings(site: Site, base_url: str | None = None, dev: bool = False,
                    file_links: bool = False) -> RenderSettings:
    """Settings from site.yaml, with the command line's --base-url taking precedence."""
    return _render_settings(site.settings, base_url, dev, file_links)


def _render_settings(s: Settings, base_url: str | None, dev: bool, file_links: bool) -> RenderSettings:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    base = urls.normalise_base_url(base_url if base_url is not None else s.base_url)
    return RenderSettings(urls.Urls(base, "" if dev else s.site_url, file_links), s.title, s.organisation,
                          s.description, s.language, dev,
                          int(epoch) if epoch and epoch.isdigit() else None)


def render_site(site: Site, settings: RenderSettings) -> dict[str, bytes]:
    """Every generated file of the site (static assets excluded), by output path."""
    pages = list_pages(site)
    files = _collect(_render_pages(pages, settings))
    for doc in site.documents:
        files.update(_collect(render_downloads(doc, settings), files))
    files["sitemap.xml"] = render_sitemap(sitemap_entries(pages, settings), settings)
    files[".nojekyll"] = b""
    return files


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
    url = u.absolute if absolute else functools.partial(u.href, page.route)  # no Python frame per link
    frame = {"page": page, "url": url, "lang": settings.language, "dev": settings.dev,
             "site_title": settings.title, "organisation": settings.organisation,
             "description": settings.description,
             "canonical": None if absolute else u.canonical(page.route),
             "built": _build_date(settings.epoch)}
    return render_template(page.template, {**page.context, **frame}, settings.templates)


SitemapEntry = tuple[str, str | None, date | None]  # route, full address (None without site_url), published


def sitemap_entries(pages: list[Page], settings: RenderSettings) -> tuple[SitemapEntry, ...]:
    return tuple((p.route, settings.urls.canonical(p.route), p.document.meta.published if p.document else None)
                 for p in pages if p.in_sitemap)


def render_sitemap(entries: Iterable[SitemapEntry], settings: RenderSettings) -> bytes:
    """The sitemap of these entries, in route order; nothing is listed without a site_url."""
    listed = [(address, published) for _, address, published in sorted(entries, key=lambda e: e[0]) if address]
    return render_template("sitemap.xml", {"entries": listed}, settings.templates)


def read_static(folder: Path) -> dict[str, bytes]:
    """Static assets (CSS, the vendored chart library) under `static/`."""
    return {path: (folder / path.removeprefix("static/")).read_bytes() for path in static_paths(folder)}


def static_paths(folder: Path) -> list[str]:
    """The output paths of the static assets (`static/site.css`, …)."""
    return [f"static/{p.relative_to(folder).as_posix()}"
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")]


def _build_date(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return time.strftime("%Y-%m-%d", time.gmtime(epoch))
