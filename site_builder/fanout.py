"""Render a whole site department by department for `serve`, in forked workers where safe.

The preview's first build (and a full re-render after a template change) would take minutes
in one process at a province's scale, and holding every page's context would take gigabytes.
So each department is listed and rendered on its own, and only a small record of each page
(`Listed`) is kept. The workers are forked from the process that loaded and audited the site:
they share its documents and findings without sending them, and send back only bytes, which
the caller writes as they come. Where fork is not safe (Windows, other threads running), the
departments are rendered here, one after another.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from . import memo
from .model import Department, Document, Site
from .pages import Page, department_page, document_pages

Files = list[tuple[str, bytes]]


@dataclass(frozen=True)
class Listed:
    """What the preview keeps of a page it has written; not its context, which can be large."""

    route: str
    document: Document | None
    in_sitemap: bool


def listed(page: Page) -> Listed:
    return Listed(page.route, page.document, page.in_sitemap)


def list_departments(site: Site, departments: Sequence[Department]) -> list[Page]:
    """The pages `pages.list_pages` gives for these departments (without home and 404)."""
    from .pages import _PAGE_PROVIDERS  # no public accessor yet
    found = [department_page(site, dep) for dep in departments]
    found += [p for dep in departments for doc in dep.documents for p in document_pages(site, doc)]
    part = replace(site, departments=tuple(departments))  # providers see only these departments
    for provider in _PAGE_PROVIDERS:
        found.extend(provider(part))
    return found


@dataclass(frozen=True)
class DepartmentFiles:
    """A department's pages (route, document path, in the sitemap, bytes) and downloads."""

    pages: list[tuple[str, str | None, bool, bytes]]
    downloads: list[tuple[str, Files]]  # document path, its files


def department_files(site: Site, dep: Department, settings) -> DepartmentFiles:
    from .build import render_downloads, render_page
    pages = [(p.route, p.document.path if p.document else None, p.in_sitemap, render_page(p, settings))
             for p in list_departments(site, [dep])]
    return DepartmentFiles(pages, [(doc.path, list(render_downloads(doc, settings))) for doc in dep.documents])


def render_departments(site: Site, settings, jobs: int) -> Iterator[DepartmentFiles]:
    """Every department's files, in the order of `site.departments`."""
    return fork_map(lambda dep: department_files(site, dep, settings), site.departments, jobs)


_WORK: tuple[Callable, Sequence] | None = None  # (function, items), inherited by the workers


def fork_map(function: Callable, items: Sequence, jobs: int) -> Iterator:
    """`function(item)` for each item, in order: in `jobs` forked workers where that is safe.

    Values worked out on the way (`memo`) are dropped after each item, so memory stays at
    one item per process."""
    global _WORK
    if jobs <= 1 or len(items) < 2 or not fork_is_safe():
        yield from map(_forgetting(function), items)
        return
    _WORK = (function, items)
    # A worker copies each memory page it touches, and dropping a reference touches the object:
    # so derived values are dropped before forking (a worker then drops only what it made),
    # and the collector must not walk the inherited objects either.
    memo.forget_all()
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(jobs, len(items)), mp_context=context) as pool:
            yield from pool.map(_inherited, range(len(items)))
    finally:
        _WORK = None
        gc.unfreeze()


def fork_is_safe() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _forgetting(function: Callable) -> Callable:
    def run(item):
        try:
            return function(item)
        finally:
            memo.forget_all()
    return run


def _inherited(index: int):
    function, items = _WORK
    return _forgetting(function)(items[index])
