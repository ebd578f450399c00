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
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .build import STATIC, RenderSettings, read_static, render_downloads, render_page, render_settings
from .build import render_sitemap
from .loader import load_document, load_site
from .model import Document, Site
from .pages import list_pages
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


class Rebuilder:
    """Load (with the parse cache), check, and render what changed since the last good build."""

    def __init__(self, content: Path, templates: Path = TEMPLATES, static: Path = STATIC):
        self.content, self.templates, self.static = content, templates, static
        self.documents = DocumentCache()
        self.pages: dict[str, tuple[Document | None, bytes]] = {}  # output path → (doc, bytes)
        self.downloads: dict[str, tuple[Document, dict[str, bytes]]] = {}  # doc.path → files
        self.departments: dict[str, tuple] = {}
        self.shared_key: tuple | None = None
        self.static_files: dict[str, bytes] = {}

    def rebuild(self) -> Rebuild:
        """Rebuild now; on failure the caches (and so the last good site) are left alone."""
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
            self.pages.clear(), self.downloads.clear(), self.departments.clear()
            self.static_files = read_static(self.static)
            self.shared_key = shared
        files, rendered = self._render(site, render_settings(site, "/", dev=True))
        return Rebuild(True, found, files, rendered, self.documents.parsed - parsed,
                       time.perf_counter() - started)

    def _render(self, site: Site, settings: RenderSettings) -> tuple[dict[str, bytes], int]:
        stale_docs, stale_deps = self._stale(site)
        files, rendered = dict(self.static_files), 0
        pages = list_pages(site)
        for page in pages:
            path = urls.output_path(page.route)
            cached = self.pages.get(path)
            reusable = (cached is not None and page.document is not None and cached[0] is page.document
                        and _document_page(page.document, page.route)
                        and page.document.path not in stale_docs
                        and not (page.document.department in stale_deps
                                 and page.route == urls.document_route(page.document)))
            data = cached[1] if reusable else render_page(page, settings)
            rendered += not reusable
            self.pages[path] = (page.document, data)
            files[path] = data
        for doc in site.documents:
            cached_doc = self.downloads.get(doc.path)
            if cached_doc is None or cached_doc[0] is not doc:
                cached_doc = (doc, dict(render_downloads(doc, settings)))
                rendered += len(cached_doc[1])
                self.downloads[doc.path] = cached_doc
            files.update(cached_doc[1])
        files["sitemap.xml"] = render_sitemap(pages, settings)
        files[".nojekyll"] = b""
        live = {urls.output_path(p.route) for p in pages}
        self.pages = {k: v for k, v in self.pages.items() if k in live}
        return files, rendered + 1

    def _stale(self, site: Site) -> tuple[set[str], set[str]]:
        """Documents that changed, and departments with a changed document or name."""
        stale_docs, stale_deps = set(), set()
        for dep in site.departments:
            signature = (dep.name, dep.short_name, dep.region, dep.description,
                         tuple(id(d) for d in dep.documents))
            before = self.departments.get(dep.slug)
            if before != signature:
                stale_deps.add(dep.slug)
                if before is None or before[:4] != signature[:4]:  # its name shows on every page
                    stale_docs |= {d.path for d in dep.documents}
            self.departments[dep.slug] = signature
            stale_docs |= {d.path for d in dep.documents
                           if self.downloads.get(d.path, (None,))[0] is not d}
        return stale_docs, stale_deps

    def _shared_key(self) -> tuple:
        """What every page depends on: settings, profiles, templates, static files."""
        profiles = snapshot([self.content / "profiles"])
        rest = snapshot([self.templates, self.static]) | {self.content / "site.yaml": _stat(self.content / "site.yaml")}
        return tuple(tuple(sorted((str(p), v) for p, v in files.items())) for files in (profiles, rest))


def _document_page(doc: Document, route: str) -> bool:
    """A page that `document_pages` makes (overview or table), not one added by a provider."""
    return route == urls.document_route(doc) or any(
        route == urls.table_route(doc, t.spec) for t in doc.tables.values())


def _stat(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)
