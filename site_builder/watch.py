"""For the dev server: notice saved files (debounced) and rebuild only what they affect.

Watching polls file times and sizes a few times a second: content folders are small (a few
dozen files), polling behaves the same on Windows, macOS, Linux and network drives, and needs
no extra package. A burst of saves is one change: the rebuild starts once nothing has moved
for `quiet` seconds.

Rebuilding keeps two caches. Parsed documents are kept by path and (mtime, size, content
digest), so an unchanged document is not parsed again (its problems are replayed). Rendered
files are kept per document: after one document changes, its own pages and downloads are
rendered again, the overview pages of the other years of its department (they compare with
it), and the site-wide pages (home, departments, sitemap, pages added by providers); the rest
is reused. A change to site.yaml, a profile, a template or a static file renders everything.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import urls
from .build import STATIC, RenderSettings, read_static, render_downloads, render_page, render_settings
from .build import render_sitemap
from .loader import load_document, load_site
from .model import Document, Site
from .pages import Page, list_pages, previous_document
from .problems import Problem, Problems
from .render import TEMPLATES, reset_environment

Snapshot = dict[Path, tuple[int, int]]
_IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".crdownload", ".part")


def snapshot(roots: Iterable[Path], exclude: Iterable[Path] = ()) -> Snapshot:
    """(mtime, size) of every file under `roots`, skipping `exclude`, dot-files and editor temps."""
    skip = {p.resolve() for p in exclude}
    files: Snapshot = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            dirnames[:] = [d for d in dirnames
                           if not d.startswith(".") and (here / d).resolve() not in skip]
            for name in filenames:
                if name.startswith((".", "~$", "#")) or name.endswith(_IGNORED_SUFFIXES):
                    continue
                try:
                    stat = (here / name).stat()
                except OSError:  # deleted while we looked
                    continue
                files[here / name] = (stat.st_mtime_ns, stat.st_size)
    return files


@dataclass
class Watcher:
    """Poll `roots`; `wait()` returns the changed paths once a burst of saves is over."""

    roots: tuple[Path, ...]
    exclude: tuple[Path, ...] = ()
    interval: float = 0.1
    quiet: float = 0.25
    state: Snapshot = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.state = snapshot(self.roots, self.exclude)

    def wait(self, stop: threading.Event) -> set[Path] | None:
        """Block until something changed and then stayed still; None when `stop` is set."""
        changed: set[Path] = set()
        last = 0.0
        while not stop.wait(self.interval):
            current = snapshot(self.roots, self.exclude)
            diff = {p for p in self.state.keys() | current.keys() if self.state.get(p) != current.get(p)}
            self.state = current
            if diff:
                changed |= diff
                last = time.monotonic()
            elif changed and time.monotonic() - last >= self.quiet:
                return changed
        return None


class DocumentCache:
    """`load_document` with memory: same path, time, size and bytes → the same Document."""

    def __init__(self) -> None:
        self.entries: dict[Path, tuple[tuple, Document | None, list[Problem]]] = {}
        self.parsed = 0

    def __call__(self, path: Path, rel: str, slug: str, profiles: dict, problems: Problems):
        stat = path.stat()
        data = path.read_bytes()  # cheap next to parsing; guards against coarse file times
        # Profiles are not in the key: the Rebuilder empties this cache when a profile changes.
        key = (stat.st_mtime_ns, stat.st_size, hashlib.sha1(data).digest(), slug)
        hit = self.entries.get(path)
        if hit and hit[0] == key:
            problems.extend(hit[2])
            return hit[1]
        own = Problems()
        doc = load_document(path, rel, slug, profiles, own)
        problems.extend(own)
        self.entries[path] = (key, doc, list(own.items))
        self.parsed += 1
        return doc


@dataclass
class Rebuild:
    """The outcome of one rebuild; `files` is the whole site when `ok`."""

    ok: bool
    problems: list[Problem]
    files: dict[str, bytes] = field(default_factory=dict)
    rendered: int = 0
    parsed: int = 0
    seconds: float = 0.0
    pending: tuple[Document, ...] = ()  # documents whose downloads `finish()` still renders


class Rebuilder:
    """Load (with the parse cache), check, and render what changed since the last good build."""

    def __init__(self, content: Path, templates: Path = TEMPLATES, static: Path = STATIC):
        self.content, self.templates, self.static = content, templates, static
        self.documents = DocumentCache()
        self.pages: dict[str, tuple[Document | None, bytes]] = {}  # output path → (doc, bytes)
        self.downloads: dict[str, tuple[Document, dict[str, bytes]]] = {}  # doc.path → files
        self.departments: dict[str, tuple] = {}
        self.known: dict[str, Document] = {}  # the documents of the last good build
        self.shared_key: tuple | None = None
        self.static_files: dict[str, bytes] = {}
        self.settings: RenderSettings | None = None

    def rebuild(self, complete: bool = True) -> Rebuild:
        """Rebuild now; on failure the caches (and so the last good site) are left alone.

        With `complete=False` the downloads of changed documents are left for `finish()`, so
        the pages can be shown first (a reload never asks for a download).
        """
        from .cli import failed
        started, parsed = time.perf_counter(), self.documents.parsed
        shared = self._shared_key()
        if shared != self.shared_key:  # profiles, settings, templates or static changed
            if self.shared_key is None or shared[0] != self.shared_key[0]:
                self.documents.entries.clear()  # documents are read through their profile
            reset_environment()
        site, problems = load_site(self.content, self.documents)
        found = problems.sorted()
        if site is None or failed(found, False):
            return Rebuild(False, found, parsed=self.documents.parsed - parsed,
                           seconds=time.perf_counter() - started)
        if shared != self.shared_key:
            self.pages.clear(), self.downloads.clear(), self.departments.clear(), self.known.clear()
            self.static_files = read_static(self.static)
            self.shared_key = shared
        self.settings = render_settings(site, "/", dev=True)
        files, rendered, pending = self._render(site, self.settings)
        result = Rebuild(True, found, files, rendered, self.documents.parsed - parsed,
                         time.perf_counter() - started, tuple(pending))
        return self.finish(result) if complete else result

    def finish(self, result: Rebuild) -> Rebuild:
        """Render the downloads that `rebuild(complete=False)` left out."""
        started, files, rendered = time.perf_counter(), dict(result.files), result.rendered
        for doc in result.pending:
            downloads = dict(render_downloads(doc, self.settings))
            self.downloads[doc.path] = (doc, downloads)
            files.update(downloads)
            rendered += len(downloads)
        return replace(result, files=files, rendered=rendered, pending=(),
                       seconds=result.seconds + time.perf_counter() - started)

    def _render(self, site: Site, settings: RenderSettings) -> tuple[dict[str, bytes], int, list]:
        stale = self._stale(site)
        files, rendered = dict(self.static_files), 0
        pages = list_pages(site)
        for page in pages:
            path = urls.output_path(page.route)
            cached = self.pages.get(path)
            if _reusable(site, page, cached, stale):
                data = cached[1]
            else:
                data, rendered = render_page(page, settings), rendered + 1
            self.pages[path] = (page.document, data)
            files[path] = data
        pending = []
        for doc in site.documents:
            cached_doc = self.downloads.get(doc.path)
            if cached_doc is None or cached_doc[0] is not doc:
                pending.append(doc)
            else:
                files.update(cached_doc[1])
        files["sitemap.xml"] = render_sitemap(pages, settings)
        files[".nojekyll"] = b""
        live = {urls.output_path(p.route) for p in pages}
        self.pages = {k: v for k, v in self.pages.items() if k in live}
        self.downloads = {k: v for k, v in self.downloads.items() if k in self.known}
        return files, rendered + 1, pending

    def forget(self) -> None:
        """Drop every cache (after a failure half-way): the next rebuild renders everything."""
        self.documents.entries.clear()
        self.pages.clear(), self.downloads.clear(), self.departments.clear(), self.known.clear()
        self.shared_key = None

    def _stale(self, site: Site) -> set[str]:
        """Documents to render again: changed ones, and all of a department that changed
        its name or its set of documents (names show on every page; "previous year" moves)."""
        stale = set()
        for dep in site.departments:
            signature = (dep.name, dep.short_name, dep.region, dep.description,
                         tuple(d.path for d in dep.documents))
            if self.departments.get(dep.slug) != signature:
                stale |= {d.path for d in dep.documents}
            self.departments[dep.slug] = signature
            stale |= {d.path for d in dep.documents if self.known.get(d.path) is not d}
        self.known = {d.path: d for d in site.documents}
        return stale

    def _shared_key(self) -> tuple:
        """What every page depends on: settings, profiles, templates, static files."""
        profiles = snapshot([self.content / "profiles"])
        rest = snapshot([self.templates, self.static]) | {self.content / "site.yaml": _stat(self.content / "site.yaml")}
        return tuple(tuple(sorted((str(p), v) for p, v in files.items())) for files in (profiles, rest))


def _reusable(site: Site, page: Page, cached: tuple | None, stale: set[str]) -> bool:
    """Whether the page's last bytes are still right; site-wide pages are always rendered."""
    doc = page.document
    if cached is None or doc is None or cached[0] is not doc or doc.path in stale:
        return False
    if any(page.route == urls.table_route(doc, t.spec) for t in doc.tables.values()):
        return True  # a table page shows its own document only
    # overview, comparison and chart pages also show the previous year
    previous = previous_document(site, doc)
    return previous is None or previous.path not in stale


def _stat(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)


def watch_loop(preview, watcher: Watcher, stop: threading.Event) -> None:
    """Wait for a burst of saves to end, rebuild `preview` (serve.Preview), repeat."""
    while True:
        changed = watcher.wait(stop)
        if changed is None:
            return
        names = "、".join(sorted(p.name for p in changed)[:3]) + ("…" if len(changed) > 3 else "")
        print(f"检测到修改：{names}", flush=True)
        report(preview.rebuild())


def report(result: Rebuild, first: bool = False) -> None:
    """Print the outcome like `build` does: problems with file and line, then one summary line."""
    from .cli import print_problems
    if result.problems:
        print_problems(result.problems, sys.stdout)
    if not result.ok:
        print("内容有错误，网站没有更新：浏览器里显示上面这些问题，改好保存后会自动重新生成。", flush=True)
    elif first:
        print(f"已生成 {len(result.files)} 个文件（{result.seconds:.2f} 秒）。", flush=True)
    else:
        print(f"已更新：重新读取 {result.parsed} 个文件，重新生成 {result.rendered} 个文件"
              f"（{result.seconds:.2f} 秒）。", flush=True)
