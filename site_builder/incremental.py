"""Rebuild for the dev server, rendering again only what a change can have affected.

Parsed documents are kept by path and file time and size (and bytes, while the time is too
recent to trust), so an unchanged document is not read or parsed again (its problems are
replayed). Page lists are kept per department: after one
document changes, its department's page list is made again (document pages and the pages that
providers add, such as comparisons and charts), and of those only the changed document's pages
and the pages of the next year that compares with it are rendered again; the home and 404 pages
always are, the sitemap when a page comes or goes. The rest of the last site stays where it was
written (the rebuilder remembers which document each file showed, not its bytes). A change to
site.yaml, a profile, a template or a static file renders everything, in worker processes where
that is safe (`fanout`). `tests/test_serve.py` checks the result equals a full build.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from . import urls
from .build import (
    STATIC,
    RenderSettings,
    read_static,
    render_downloads,
    render_page,
    render_settings,
    render_sitemap,
    sitemap_entries,
    static_paths,
)
from .checks import AuditMemo, check_site
from .fanout import Listed, list_departments, listed, render_departments
from .filecache import DocumentCache
from .home import not_found_page, site_home_page
from .model import Document, Site
from .pages import Page, list_pages, previous_document
from .problems import Problem
from .render import TEMPLATES, reset_environment
from .watch import snapshot


@dataclass
class Rebuild:
    """The outcome of one rebuild: the files to write, and which files of the last site stay."""

    ok: bool
    problems: list[Problem]
    files: Iterable[tuple[str, bytes]] = ()  # rendered this time; made while iterated (once)
    keep: frozenset[str] = frozenset()  # files of the last site that stay as they are
    whole: bool = False  # `files` are the whole site: write them as a fresh folder
    parsed: int = 0
    seconds: float = 0.0  # loading, auditing and listing (the files are made while written)
    pending: tuple[Document, ...] = ()  # documents whose downloads `finish()` makes
    replaced: frozenset[str] = frozenset()  # their old downloads: in `keep` until then
    rendered: tuple[str, ...] = ()  # filled in by the writer: what it wrote


class Rebuilder:
    """Load (with the parse cache), check, and render what changed since the last good build."""

    def __init__(self, content: Path, templates: Path = TEMPLATES, static: Path = STATIC, jobs: int = 1):
        self.content, self.templates, self.static, self.jobs = content, templates, static, jobs
        self.documents = DocumentCache()
        self.audits = AuditMemo()
        self.pages: dict[str, Document | None] = {}  # output path → the document it shows
        self.downloads: dict[str, tuple[Document, tuple[str, ...]]] = {}  # doc.path → its files
        self.departments: dict[str, tuple] = {}
        self.known: dict[str, Document] = {}  # the documents of the last good build
        self.shared_key: tuple | None = None
        self.settings: RenderSettings | None = None
        self.listed: dict[str, list[Listed]] = {}  # department slug → its pages
        self.sitewide = False  # a provider makes pages outside the departments: list all
        self.sitemap: tuple[tuple, bytes] | None = None  # (entries, bytes) of the last sitemap

    def rebuild(self, complete: bool = True) -> Rebuild:
        """Rebuild now; on failure the caches (and so the last good site) are left alone.

        With `complete=False` the downloads of changed documents are left for `finish()`, so
        the pages can be shown first (a reload never asks for a download). A whole site
        (the first build, or after a template, profile or site.yaml change) is always complete.
        """
        from .cli import failed
        started, parsed = time.perf_counter(), self.documents.parsed
        shared = self._shared_key()
        if shared != self.shared_key:  # profiles, settings, templates or static changed
            if self.shared_key is None or shared[0] != self.shared_key[0]:
                self.documents.entries.clear()  # documents are read through their profile
            reset_environment()
        site, found, _findings = check_site(self.content, self.documents, self.audits)  # as `build` does
        if site is None or failed(found, False):
            return Rebuild(False, found, parsed=self.documents.parsed - parsed,
                           seconds=time.perf_counter() - started)
        if shared != self.shared_key:
            self.pages.clear(), self.downloads.clear(), self.departments.clear(), self.known.clear()
            self.listed.clear()
            self.sitemap = None
            self.shared_key = shared
        self.settings = render_settings(site, "/", dev=True)
        result = self._plan(site, self.settings, complete)
        return replace(result, problems=found, parsed=self.documents.parsed - parsed,
                       seconds=time.perf_counter() - started)

    def finish(self, result: Rebuild) -> Rebuild:
        """The downloads that `rebuild(complete=False)` left out (made while iterated)."""
        return Rebuild(True, result.problems, self._downloads(result.pending), result.keep - result.replaced)

    def _downloads(self, documents) -> Iterator[tuple[str, bytes]]:
        for doc in documents:
            files = list(render_downloads(doc, self.settings))
            self.downloads[doc.path] = (doc, tuple(path for path, _ in files))
            yield from files

    def _plan(self, site: Site, settings: RenderSettings, complete: bool) -> Rebuild:
        """Which pages and downloads to make again, and which files of the last site stay."""
        whole = not self.pages
        stale = self._stale(site)
        self.downloads = {k: v for k, v in self.downloads.items() if k in self.known}
        if whole:
            return Rebuild(True, [], self._whole(site, settings), whole=True)
        affected = {doc.department for doc in site.documents if doc.path in stale}
        pages = self._pages(site, affected)
        slugs = {dep.slug for dep in site.departments}
        todo = [p for p in pages if not self._still_good(site, p, slugs, affected, stale)]
        redo = {urls.output_path(p.route) for p in todo}
        keep = {path for path in map(urls.output_path, (p.route for p in pages)) if path not in redo}
        self.pages = {urls.output_path(p.route): p.document for p in pages}
        pending = [doc for doc in site.documents if self.downloads.get(doc.path, (None,))[0] is not doc]
        keep |= {path for doc_, paths in self.downloads.values() for path in paths}
        replaced = {path for doc in pending for path in self.downloads.get(doc.path, (None, ()))[1]}
        sitemap = self._sitemap(pages, settings)
        files = self._changed(todo, settings, sitemap, pending if complete else ())
        keep |= {".nojekyll", *static_paths(self.static)}
        if not sitemap[0]:
            keep.add("sitemap.xml")
        if complete:
            return Rebuild(True, [], files, frozenset(keep - replaced))
        return Rebuild(True, [], files, frozenset(keep), pending=tuple(pending), replaced=frozenset(replaced))

    def _still_good(self, site: Site, page: Page | Listed, slugs: set[str], affected: set[str],
                    stale: set[str]) -> bool:
        """Whether the page's last rendering is still right."""
        path = urls.output_path(page.route)
        if path not in self.pages:
            return False
        slug = page.route.split("/", 1)[0]
        shown = self.pages[path]
        if slug in slugs and slug not in affected and shown is page.document:
            return True  # a department nothing changed in
        return _reusable(site, page, shown, stale)

    def _whole(self, site: Site, settings: RenderSettings) -> Iterator[tuple[str, bytes]]:
        """Every file of the site, department by department (`fanout`: in worker processes
        where possible); what to remember of them is recorded as they come."""
        yield from read_static(self.static).items()
        yield ".nojekyll", b""
        documents = {doc.path: doc for doc in site.documents}
        found: list[Listed] = []
        for files in render_departments(site, settings, self.jobs):
            for route, path, in_sitemap, data in files.pages:
                found.append(Listed(route, documents.get(path), in_sitemap))
                yield urls.output_path(route), data
            for path, made in files.downloads:
                self.downloads[path] = (documents[path], tuple(name for name, _ in made))
                yield from made
        self.listed, self.sitewide = _by_department(found, site.departments)
        everything = [site_home_page(site), not_found_page(site.settings)]
        for page in everything:
            yield urls.output_path(page.route), render_page(page, settings)
        everything += found
        self.pages = {urls.output_path(p.route): p.document for p in everything}
        yield "sitemap.xml", self._sitemap(everything, settings)[1]

    def _changed(self, pages: list[Page], settings: RenderSettings, sitemap: tuple[bool, bytes],
                 documents) -> Iterator[tuple[str, bytes]]:
        for page in pages:
            yield urls.output_path(page.route), render_page(page, settings)
        if sitemap[0]:
            yield "sitemap.xml", sitemap[1]
        yield from self._downloads(documents)

    def _sitemap(self, pages: list[Page], settings: RenderSettings) -> tuple[bool, bytes]:
        """The sitemap, and whether it changed: rendered again only when a page or a
        publication date did."""
        entries = sitemap_entries(pages, settings)
        if self.sitemap is None or self.sitemap[0] != entries:
            self.sitemap = (entries, render_sitemap(entries, settings))
            return True, self.sitemap[1]
        return False, self.sitemap[1]

    def _pages(self, site: Site, affected: set[str]) -> list[Page | Listed]:
        """The pages `pages.list_pages` gives: listed again (as pages to render) for the
        affected departments, as the records of the last build for the others."""
        fresh = [dep for dep in site.departments if dep.slug in affected or dep.slug not in self.listed]
        if self.sitewide or len(fresh) == len(site.departments):
            everything = list_pages(site)
            self.listed, self.sitewide = _by_department([listed(p) for p in everything], site.departments)
            return everything
        found = list_departments(site, fresh) if fresh else []
        grouped, outside = _by_department([listed(p) for p in found], fresh)
        if outside:  # a provider made a page outside every department: list everything
            self.sitewide = True
            return self._pages(site, affected)
        slugs = {dep.slug for dep in site.departments}
        self.listed = {slug: v for slug, v in {**self.listed, **grouped}.items() if slug in slugs}
        kept = [p for slug, group in self.listed.items() if slug not in grouped for p in group]
        return sorted([site_home_page(site), not_found_page(site.settings), *found, *kept], key=lambda p: p.route)

    def forget(self) -> None:
        """Drop every cache (after a failure half-way): the next rebuild renders everything."""
        self.documents.entries.clear()
        self.audits = AuditMemo()
        self.pages.clear(), self.downloads.clear(), self.departments.clear(), self.known.clear()
        self.listed.clear()
        self.sitemap = None
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
        settings = self.content / "site.yaml"
        rest = snapshot([self.templates, self.static]) | {settings: _stat(settings)}
        return tuple(tuple(sorted((str(p), v) for p, v in files.items())) for files in (profiles, rest))


def _reusable(site: Site, page: Page | Listed, shown: Document | None, stale: set[str]) -> bool:
    """Whether the page's last rendering is still right; site-wide pages are always rendered."""
    doc = page.document
    if doc is None or shown is not doc or doc.path in stale:
        return False
    # every page of a document also shows the previous year: comparisons, charts, and the
    # 数据核对 findings (on the 数据核对 page and as marks on table rows) check against it
    previous = previous_document(site, doc)
    return previous is None or previous.path not in stale


def _by_department(found: list[Listed], departments) -> tuple[dict[str, list[Listed]], bool]:
    """Pages grouped by the department whose folder holds them; True if one lies elsewhere."""
    groups: dict[str, list[Listed]] = {dep.slug: [] for dep in departments}
    outside = False
    for page in found:
        slug = page.route.split("/", 1)[0] if "/" in page.route else None
        if slug in groups:
            groups[slug].append(page)
        elif page.route not in ("", "404.html"):
            outside = True
    return groups, outside


def _stat(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)


