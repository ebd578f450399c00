"""`build`, department by department: load, audit, render and write each one on its own.

Nothing on a department's pages depends on another department (comparisons, trends and the
audits look only at the same department's other years), so each department is a separate job:
worker processes (one per core) write its pages and downloads straight into the staging folder
and report back only its problems and a small summary. The home page, the 404 page and the
sitemap — the only pages that see every department — are made from those summaries. Memory
stays at one department per process, and `buildcache` lets an unchanged department be reused.

The old output is replaced only when every department is free of blocking problems.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import checks, loader, memo, urls
from .audit import audit_document, rule_problems
from .buildcache import BuildCache, department_digest, file_stat, shared_digest
from .fanout import fork_is_safe
from .home import DocumentCard, department_summary, home_page, not_found_page
from .model import Department, Profile, Settings, Site
from .pages import Page, list_pages
from .problems import Problem, Problems
from .writer import Staging, WriteError, reuse_into, write_into

SITE_ROUTES = ("", "404.html")  # made by the parent process from the summaries


@dataclass(frozen=True)
class Job:
    """What every department's job needs; sent once to each worker process."""

    content: Path
    staging: Path | None  # None: only load and audit (`check`)
    settings: Settings | None
    profiles: dict[str, Profile]
    render: object  # build.RenderSettings
    audit: bool  # site.yaml, the profiles and their rules are sound
    strict: bool
    shared: str = ""  # `buildcache.shared_digest`; "" when nothing is cached
    made: set[str] = field(default_factory=set, compare=False)  # folders made in `staging` (each process its own)


@dataclass(frozen=True)
class DepartmentResult:
    """A department's problems and, when it was written, what the site-wide pages need."""

    slug: str
    problems: tuple[Problem, ...]
    summary: tuple[Department, tuple[DocumentCard, ...]] | None = None
    sitemap: tuple[tuple[str, str | None, date | None], ...] = ()  # build.sitemap_entries of its pages
    files: tuple[str, ...] = field(default=())
    key: str = ""  # its cache key (`buildcache.department_digest`), when the build is cached
    stats: tuple[tuple[int, int], ...] = ()  # each file's size and mtime_ns as written, when cached


def build_department(job: Job, slug: str) -> DepartmentResult:
    """Load, audit, and (unless something blocks) render and write one department."""
    with _one_collection() as loaded:
        return _build_department(job, slug, loaded)


@contextmanager
def _one_collection() -> Iterator[Callable[[], None]]:
    """The cyclic garbage collector paused while a department is built, and run once after.

    Rendering makes millions of short-lived objects, freed by reference counting, and the few
    cycles among them are small: the collector's passes cost ~7 % of the build at its default
    threshold, ~3 % at a threshold of 10,000, and pausing it leaves a worker's peak memory as
    it was (66 MB over 100 documents). The department is frozen once loaded (the model holds no
    reference cycles), so that the final pass does not scan it — unless this process keeps
    frozen objects of its own (the dev server). Afterwards the freeze is undone and the young
    generations collected: otherwise the next department's freeze would keep this one's
    cyclic garbage for good (a worker grew to 300 MB at 1,000 documents)."""
    enabled, may_freeze = gc.isenabled(), gc.get_freeze_count() == 0
    gc.disable()
    try:
        yield gc.freeze if may_freeze else lambda: None
    finally:
        if enabled:
            gc.enable()
        if may_freeze:
            gc.unfreeze()
        gc.collect(1)


def _build_department(job: Job, slug: str, loaded: Callable[[], None]) -> DepartmentResult:
    from .build import render_downloads, render_page, sitemap_entries
    from .cli import failed
    problems = Problems()
    key = department_digest(job.shared, job.content / slug) if job.shared else ""  # before the files are read
    with loader.collector_paused():
        dep = loader.load_department(job.content, job.content / slug, job.profiles, problems)
        loaded()
    if dep is None or problems.errors or not job.audit:
        return DepartmentResult(slug, tuple(problems.items))
    site = Site(job.settings, job.profiles, (dep,))
    findings = {doc.path: audit_document(doc, site) for doc in dep.documents}
    checks.remember(site, findings)
    try:
        for found in findings.values():
            problems.extend([f.to_problem(job.settings) for f in found])
        if job.staging is None or failed(problems.items, job.strict):
            return DepartmentResult(slug, tuple(problems.items))
        pages = [p for p in list_pages(site) if p.route not in SITE_ROUTES]
        written: dict[str, tuple[str, tuple[int, int] | None]] = {}  # by folded path: (path, stat)
        for page in pages:
            _write(job, urls.output_path(page.route), render_page(page, job.render), written)
        for doc in dep.documents:
            for path, data in render_downloads(doc, job.render):
                _write(job, path, data, written)
    finally:
        checks.forget(dep.documents)
        memo.forget_all()  # what was worked out from this department's objects
    files, stats = zip(*written.values(), strict=True) if written else ((), ())
    return DepartmentResult(slug, tuple(problems.items), department_summary(dep),
                            sitemap_entries(pages, job.render), files, key, stats if key else ())


def _write(job: Job, path: str, data: bytes, written: dict[str, tuple[str, tuple[int, int] | None]]) -> None:
    """Write one file, refusing a second one at the same path (as Windows and macOS fold case);
    note its stat for the build cache (here, in parallel, not in the parent)."""
    if path.casefold() in written:
        raise WriteError(f"两个文件要写到同一个路径：{path}")
    target = write_into(job.staging, path, data, job.made)
    written[path.casefold()] = path, file_stat(target) if job.shared else None


_JOB: Job | None = None  # set in each worker process by `_start_worker`


def _start_worker(job: Job) -> None:
    global _JOB
    _JOB = job


def _build_in_worker(slug: str) -> DepartmentResult:
    return build_department(_JOB, slug)


def run_departments(job: Job, slugs: list[str], jobs: int) -> list[DepartmentResult]:
    """Every department's result, in the order of `slugs`; `jobs` worker processes at most.

    The largest departments go first, so that no worker is left with a big one at the end
    while the others wait."""
    jobs = min(jobs, len(slugs))
    if jobs <= 1:
        return [build_department(job, slug) for slug in slugs]
    largest_first = sorted(slugs, key=lambda slug: -_folder_size(job.content / slug))
    with ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker, initargs=(job,)) as pool:
        found = dict(zip(largest_first, pool.map(_build_in_worker, largest_first), strict=True))
    return [found[slug] for slug in slugs]


def _folder_size(folder: Path) -> int:
    try:
        return sum(p.stat().st_size for p in folder.iterdir())
    except OSError:
        return 0


def _context():
    """Fork where it is safe (no other threads, e.g. the command line); else a clean start."""
    if fork_is_safe():
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        return os.cpu_count() or 1


@dataclass
class Plan:
    """The shared files loaded and every department's cache key looked up; nothing written yet."""

    content: Path
    problems: Problems
    settings: Settings | None
    profiles: dict[str, Profile]
    render: object | None
    sound: bool
    keys: dict[str, str]  # department → cache key; "" when nothing is cached for it (its worker
    # works the key out, in parallel) or the shared files are not sound
    hits: dict[str, DepartmentResult]  # departments the cache can give as they are
    shared: str = ""  # `buildcache.shared_digest`, "" when the build is not cached

    @property
    def complete(self) -> bool:
        return self.sound and len(self.hits) == len(self.keys)


def plan_build(content: Path, output: Path, render_for, cache: BuildCache) -> Plan:
    """Load site.yaml, the profiles and their rules; key every department; look up the cache.

    `render_for(settings)` gives the render settings (they are part of the keys)."""
    problems = Problems()
    settings, profiles = loader.load_shared(content, problems)
    sound = settings is not None and not problems.errors
    if sound:
        rules = rule_problems(Site(settings, profiles, ()))
        problems.extend(rules)
        sound = not rules.errors
    render = render_for(settings) if settings is not None else None
    keyed = sound and cache.folder is not None  # no cache: no need to read every file twice
    shared = shared_digest(content, render) if keyed else ""
    keys = {slug: department_digest(shared, content / slug) if keyed and cache.holds(slug) else ""
            for slug in loader.department_folders(content)}
    hits = {slug: hit for slug, key in keys.items() if key
            and (hit := cache.lookup(slug, key, output)) is not None}
    return Plan(content, problems, settings, profiles, render, sound, keys, hits, shared)


def execute(plan: Plan, staging: Staging, output: Path, *, strict: bool, jobs: int) -> list[DepartmentResult]:
    """Link the cached departments into `staging`, build the others; results in folder order."""
    for result in plan.hits.values():
        for path in result.files:
            reuse_into(staging.folder, path, output / path)
    job = Job(plan.content, staging.folder, plan.settings, plan.profiles, plan.render, plan.sound, strict,
              plan.shared)
    todo = [slug for slug in plan.keys if slug not in plan.hits]
    found = {**plan.hits, **{r.slug: r for r in run_departments(job, todo, jobs)}}
    return [found[slug] for slug in plan.keys]


def all_problems(plan: Plan, results: list[DepartmentResult]) -> list[Problem]:
    """The shared files' problems and every department's, sorted as `check` prints them."""
    problems = Problems()
    problems.extend(plan.problems)
    for r in results:
        problems.extend(list(r.problems))
    return problems.sorted()


def check_departments(content: Path, jobs: int) -> list[Problem]:
    """`check`: every problem of `content`, each department loaded and audited in a worker."""
    plan = plan_build(content.resolve(), content, lambda s: None, BuildCache(None))
    job = Job(plan.content, None, plan.settings, plan.profiles, None, plan.sound, strict=False)
    return all_problems(plan, run_departments(job, list(plan.keys), jobs))


def site_pages(settings: Settings, results: list[DepartmentResult]) -> list[Page]:
    """The home and 404 pages, from the departments' summaries."""
    return [home_page(settings, [r.summary for r in results if r.summary is not None]),
            not_found_page(settings)]
