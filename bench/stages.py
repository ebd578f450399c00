#!/usr/bin/env python3
"""CPU time per stage of the build, per document, in one process (no profiler overhead).

    python bench/stages.py CONTENT [--repeat N]

Each department goes through the same stages as `pipeline.build_department`: load, audit,
list the pages (this is where tables are laid out and comparisons worked out, lazily), render
each page (by template), and the downloads (CSV, XLSX, JSON), with the garbage collector set as
`pipeline.build_department` sets it. Nothing is written. Figures are
process CPU time, so they hold on a busy machine better than wall time; the last line is
`documents=N ms_per_doc=… load=… audit=… …` (ms per document). With --repeat, later passes
reuse what the process keeps between departments (converted prose, header grids, key texts):
the figures compare code; a build pays about what the first pass does.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_builder import build, checks, loader, memo, pipeline  # noqa: E402
from site_builder.audit import audit_document  # noqa: E402
from site_builder.buildcache import BuildCache  # noqa: E402
from site_builder.model import Site  # noqa: E402
from site_builder.pages import list_pages  # noqa: E402
from site_builder.problems import Problems  # noqa: E402


class Clock:
    """Adds the CPU time of `with clock("stage"):` blocks to a counter."""

    def __init__(self) -> None:
        self.spent: Counter[str] = Counter()
        self.stage = ""

    def __call__(self, stage: str) -> Clock:
        self.stage = stage
        return self

    def __enter__(self) -> None:
        self.started = time.process_time()

    def __exit__(self, *exc) -> None:
        self.spent[self.stage] += time.process_time() - self.started


def measure(content: Path) -> tuple[int, Counter[str]]:
    """Documents built and CPU seconds per stage."""
    plan = pipeline.plan_build(content, content.parent / "unused-output",
                               lambda s: build._render_settings(s, None, False, False), BuildCache(None))
    clock, documents = Clock(), 0
    for slug in plan.keys:
        with pipeline._one_collection() as loaded:  # the collector as a build's department has it
            documents += _department(content, slug, plan, clock, loaded)
    return documents, clock.spent


def _department(content: Path, slug: str, plan: pipeline.Plan, clock: Clock, loaded) -> int:
    """One department through the stages; the number of its documents."""
    with clock("load"), loader.collector_paused():
        dep = loader.load_department(content, content / slug, plan.profiles, Problems())
        loaded()
    site = Site(plan.settings, plan.profiles, (dep,))
    with clock("audit"):
        checks.remember(site, {doc.path: audit_document(doc, site) for doc in dep.documents})
    with clock("list_pages"):
        pages = [p for p in list_pages(site) if p.route not in pipeline.SITE_ROUTES]
    for page in pages:
        with clock(page.template.removesuffix(".html")):
            build.render_page(page, plan.render)
    for doc in dep.documents:
        for table in doc.tables.values():
            with clock("csv"):
                build.table_csv(doc, table)
            with clock("xlsx"):
                build.table_xlsx(doc, table, plan.render.epoch)
        with clock("json"):
            build.document_json(doc)
    checks.forget(dep.documents)
    memo.forget_all()
    return len(dep.documents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="measure N times, keep each stage's lowest")
    args = parser.parse_args()
    best: Counter[str] = Counter()
    for _ in range(args.repeat):
        documents, spent = measure(args.content.resolve())
        best = spent if not best else Counter({k: min(v, best[k]) for k, v in spent.items()})
    total = sum(best.values())
    print(f"{documents} documents, {total:.2f} s CPU, {total / documents * 1000:.1f} ms per document")
    for stage, seconds in best.most_common():
        print(f"  {stage:14s} {seconds:6.2f} s {seconds / documents * 1000:6.1f} ms/doc {seconds / total:6.1%}")
    figures = " ".join(f"{k}={v / documents * 1000:.1f}" for k, v in best.most_common())
    print(f"documents={documents} ms_per_doc={total / documents * 1000:.1f} {figures}")


if __name__ == "__main__":
    main()
