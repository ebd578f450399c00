"""Render many departments' pages and downloads at once, in forked workers where that is safe.

For `serve`'s first build (and a full re-render), which would take minutes in one process at
a province's scale. The workers are forked from the process that loaded, audited and listed
the site, so they share its documents and pages without sending them; each renders one
department's files and sends back the bytes, which the caller writes as they come (memory
stays at a few departments' files). Where fork is not safe (Windows, other threads running),
everything is rendered here, one department after another.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from . import memo, urls
from .model import Document
from .pages import Page

Files = list[tuple[str, bytes]]


@dataclass(frozen=True)
class Group:
    """One department's share of the work: pages to render and documents whose downloads to make."""

    pages: tuple[Page, ...]
    documents: tuple[Document, ...]


_WORK: tuple[list[Group], object] | None = None  # (groups, render settings), inherited by fork


def render_groups(groups: list[Group], settings, jobs: int) -> Iterator[tuple[Files, list[Files]]]:
    """Each group's rendered pages and, per document, its downloads, in the order of `groups`."""
    global _WORK
    if jobs <= 1 or len(groups) < 2 or not fork_is_safe():
        yield from (render_group(group, settings) for group in groups)
        return
    _WORK = (groups, settings)
    gc.freeze()  # the collector would otherwise touch (and so copy) every inherited object
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(jobs, len(groups)), mp_context=context) as pool:
            yield from pool.map(_render_inherited, range(len(groups)))
    finally:
        _WORK = None
        gc.unfreeze()


def fork_is_safe() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def render_group(group: Group, settings) -> tuple[Files, list[Files]]:
    from .build import render_downloads, render_page
    pages = [(urls.output_path(page.route), render_page(page, settings)) for page in group.pages]
    return pages, [list(render_downloads(doc, settings)) for doc in group.documents]


def _render_inherited(index: int) -> tuple[Files, list[Files]]:
    groups, settings = _WORK
    try:
        return render_group(groups[index], settings)
    finally:
        memo.forget_all()  # this worker's copies of what was worked out for the department
