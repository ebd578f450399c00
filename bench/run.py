#!/usr/bin/env python3
"""Benchmark the build on a synthetic corpus (and optionally Hugo on the same data).

    python bench/run.py --departments 200 --years 5 [--hugo] [--runs 3] [--stage build]
    python bench/run.py --scaling [--years 5] [--hugo]

Every measured step is a fresh process, timed by wall clock; its CPU time comes from
os.wait4's rusage (it includes the build's worker processes), so `cpu/wall` above 1 shows
that both cores were used. Peak memory is the largest sum of the proportional set sizes (PSS)
of the build process and its workers, sampled every 200 ms from /proc (on other systems: the
largest single process). Steps: cold (output and build cache removed), no change (the same command again),
one document edited (a comment appended to one document, then the same command). The
figures are medians of --runs runs; with --hugo, the cold runs of the project and of Hugo
alternate, so that the machine's drift hits both alike. Before every run the file system is
synced and the machine left alone for a second, so that no run pays for the writing of the
one before. The last line is machine-readable:
    documents=N build_s=… docs_per_s=… peak_mb=… cpu_s=… rebuild_s=… edit_s=… pages=…
    [hugo_s=… ratio=… rebuild_ratio=… hugo_cpu_s=… cpu_ratio=…]
On a shared machine the wall times include waiting for the CPU; cpu_s and cpu_ratio do not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SAMPLE_S = 0.2  # between memory samples: at 0.05 s, sampling slowed a 1,000-document build by ~8 %
STAGES = {  # what a fresh process runs for each --stage
    "build": [sys.executable, str(REPO / "build.py"), "build", "--content", "{content}", "--output", "{output}"],
    "check": [sys.executable, str(REPO / "build.py"), "check", "--content", "{content}"],
    "load": [sys.executable, "-c", "import sys; from pathlib import Path; sys.path.insert(0, {repo!r}); "
             "from site_builder.loader import load_site; s, p = load_site(Path({content!r})); "
             "print(len(s.documents) if s else 'failed', len(p.items))"],
}


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int


def timed(argv: list[str], cwd: Path | None = None, quiet: bool = True) -> Run:
    """Run `argv` as a child process; wall time, CPU time and peak RSS of that child's tree."""
    started = time.perf_counter()
    out = subprocess.DEVNULL if quiet else None
    proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.PIPE)
    peak = 0
    while (done := os.wait4(proc.pid, os.WNOHANG))[0] == 0:
        if _started(proc.pid, argv):  # before exec, the child is a copy of this process
            peak = max(peak, tree_memory_kib(proc.pid))
        time.sleep(SAMPLE_S)
    _, status, usage = done
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode:
        print(f"  ! {' '.join(argv[:4])} … exited {proc.returncode}\n{err[-2000:]}", file=sys.stderr)
    # Linux reports ru_maxrss in KiB.
    # ru_maxrss counts the copy of this process the child was before exec (the generated
    # corpus is in it), so it is used only where /proc gave no samples.
    return Run(wall, usage.ru_utime + usage.ru_stime, (peak or usage.ru_maxrss) / 1024, proc.returncode)


def _started(pid: int, argv: list[str]) -> bool:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:len(argv)] == [a.encode() for a in argv]
    except OSError:
        return True  # not Linux: tree_memory_kib gives 0 and ru_maxrss is used


def tree_memory_kib(root: int) -> int:
    """The memory in use by `root` and its descendants (Linux /proc; 0 elsewhere)."""
    parents, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            fields = text[text.rindex(")") + 2:].split()
            pid = int(stat.parent.name)
            parents[pid], rss[pid] = int(fields[1]), int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError, IndexError):
            continue
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return sum(_pss_kib(pid, rss.get(pid, 0)) for pid in tree)


def _pss_kib(pid: int, rss: int) -> int:
    """The proportional set size (a page shared by n processes counts 1/n), else the RSS.

    Forked workers share most of their parent's memory; summing resident sizes would count
    those pages once per process."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss


def median_run(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.peak_mb for r in runs), max(r.code for r in runs))


def stage_argv(stage: str, content: Path, output: Path) -> list[str]:
    return [a.format(content=str(content), output=str(output), repo=str(REPO)) for a in STAGES[stage]]


DROP_CACHES = Path("/proc/sys/vm/drop_caches")
FREE: list[Path] = []  # with --free-memory: the input folders read back after the caches are dropped


def settle() -> None:
    """Write out what earlier steps left in memory, so no run pays for the one before it.

    With --free-memory (root on Linux), the kernel's page cache is emptied too and the inputs
    read back: with the memory full of earlier outputs, a build pays for reclaiming pages in
    system time, which grew from 3 s to 30 s over four 1,000-document builds here."""
    if hasattr(os, "sync"):
        os.sync()
    if FREE:
        DROP_CACHES.write_text("3\n")
        for folder in FREE:
            for path in folder.rglob("*"):
                if path.is_file():
                    path.read_bytes()
    time.sleep(1)


def cold_run(argv: list[str], output: Path, *leftovers: Path) -> Run:
    """One run of `argv` with its output (and caches) removed first."""
    for folder in (output, *leftovers):
        shutil.rmtree(folder, ignore_errors=True)
    settle()
    return timed(argv)


def warm_runs(argv: list[str], runs: int) -> list[Run]:
    runs_ = []
    for _ in range(runs):
        settle()
        runs_.append(timed(argv))
    return runs_


def edit_runs(argv: list[str], content: Path, runs: int) -> list[Run]:
    """Runs after one document was edited each time (a comment appended)."""
    documents = sorted(content.glob("*/*-yusuan.yaml"))
    edited = documents[len(documents) // 2]
    edits = []
    for i in range(runs):
        with edited.open("a", encoding="utf-8") as f:
            f.write(f"# bench edit {i}\n")
        settle()
        edits.append(timed(argv))
    return edits


def hugo_argv(content: Path, work: Path) -> tuple[list[str], Path]:
    """The Hugo equivalent of the site (same data, minimal templates) and where it writes."""
    from hugo_site import prepare_hugo_site
    site = prepare_hugo_site(content, work / "hugo")
    out = work / "hugo-public"
    return ["hugo", "--quiet", "--source", str(site), "--destination", str(out),
            "--cacheDir", str(work / "hugo-cache")], out


def count_files(output: Path) -> tuple[int, int]:
    files = [p for p in output.rglob("*") if p.is_file()]
    return len(files), sum(1 for p in files if p.suffix == ".html")


def report(label: str, run: Run, docs: int) -> None:
    print(f"{label:<22} wall {run.wall:7.2f} s  cpu {run.cpu:7.2f} s  cpu/wall {run.cpu / run.wall:4.2f}  "
          f"peak {run.peak_mb:7.1f} MB  {docs / run.wall:7.1f} docs/s  exit {run.code}")


def bench(args: argparse.Namespace, departments: int, work: Path) -> dict:
    """Generate, build (and Hugo); print the figures; return them for the summary line."""
    content = work / "content"
    manifest = generate(content, departments, args.years, args.seed, args.mistakes)
    docs = manifest["documents"]
    print(f"corpus: {departments} departments × {args.years} years = {docs} documents, "
          f"{manifest['bytes'] / 1e6:.1f} MB YAML, {len(manifest['mistakes'])} seeded mistakes, in {content}")
    output, argv = work / "output", stage_argv(args.stage, content, work / "output")
    hugo, hugo_out = hugo_argv(content, work) if args.hugo else (None, None)
    if args.free_memory:
        FREE[:] = [content, *([work / "hugo"] if hugo else [])]
    cold, hcold = [], []
    for _ in range(args.runs):  # alternated, so that the machine's drift hits both alike
        cold.append(cold_run(argv, output, output.parent / f".{output.name}-cache"))
        if hugo:
            hcold.append(cold_run(hugo, hugo_out))
    cold = median_run(cold)
    report(f"{args.stage} (cold)", cold, docs)
    figures = {"documents": docs, "build_s": cold.wall, "docs_per_s": docs / cold.wall, "peak_mb": cold.peak_mb,
               "cpu_s": cold.cpu}
    if args.stage == "build":
        warm = median_run(warm_runs(argv, args.runs))
        edit = median_run(edit_runs(argv, content, args.runs))
        report(f"{args.stage} (no change)", warm, docs)
        report(f"{args.stage} (1 edited)", edit, docs)
        files, pages = count_files(output)
        print(f"written: {files} files, {pages} HTML pages")
        figures.update(rebuild_s=warm.wall, edit_s=edit.wall, pages=pages)
    if hugo:
        hcold, hwarm = median_run(hcold), median_run(warm_runs(hugo, args.runs))
        report("hugo (cold)", hcold, docs)
        report("hugo (again)", hwarm, docs)
        print(f"hugo wrote {count_files(hugo_out)[1]} HTML pages")
        figures.update(hugo_s=hcold.wall, ratio=cold.wall / hcold.wall, hugo_cpu_s=hcold.cpu,
                       cpu_ratio=cold.cpu / hcold.cpu)
        if args.stage == "build":
            figures.update(rebuild_ratio=warm.wall / hwarm.wall)
    return figures


def summary(f: dict) -> str:
    keys = ["documents", "build_s", "docs_per_s", "peak_mb", "cpu_s", "rebuild_s", "edit_s", "pages",
            "hugo_s", "ratio", "rebuild_ratio", "hugo_cpu_s", "cpu_ratio"]
    return " ".join(f"{k}={f[k]:.2f}" if isinstance(f[k], float) else f"{k}={f[k]}" for k in keys if k in f)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mistakes", type=int, default=0,
                        help="seeded mistakes (default 0: a clean corpus that builds)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stage", choices=sorted(STAGES), default="build")
    parser.add_argument("--hugo", action="store_true", help="also build the Hugo equivalent")
    parser.add_argument("--scaling", action="store_true", help="100, 500 and 1,000 documents")
    parser.add_argument("--keep", type=Path, default=None, help="work folder to keep (default: a temp dir)")
    parser.add_argument("--free-memory", action="store_true",
                        help="empty the page cache before every run (root on Linux), inputs read back")
    args = parser.parse_args(argv)
    if args.hugo and not shutil.which("hugo"):
        parser.error("hugo not found: apt-get install -y hugo")
    if args.free_memory and not os.access(DROP_CACHES, os.W_OK):
        parser.error(f"--free-memory needs to write {DROP_CACHES} (root on Linux)")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; python {sys.version.split()[0]}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="budget-bench-"))
    try:
        sizes = [100, 500, 1000] if args.scaling else [args.departments * args.years]
        results = []
        for docs in sizes:
            departments = max(1, docs // args.years) if args.scaling else args.departments
            results.append(bench(args, departments, work / f"d{departments}"))
            print(summary(results[-1]), flush=True)
        if args.scaling:
            print("documents  build_s  s_per_doc" + ("  hugo_s" if args.hugo else ""))
            for f in results:
                print(f"{f['documents']:9d}  {f['build_s']:7.2f}  {f['build_s'] / f['documents']:9.4f}"
                      + (f"  {f['hugo_s']:6.2f}" if args.hugo else ""))
            print(summary(results[-1]))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
