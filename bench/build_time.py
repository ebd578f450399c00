"""Time the full build of a content folder: median of N runs, wall clock and CPU, per stage.

    python3 bench/build_time.py [content] [runs]

CPU time is reported beside wall time because the wall clock of a shared 2-core machine
mostly measures the other processes.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_builder.build import STATIC, build_site, read_static, render_settings, render_site  # noqa: E402
from site_builder.loader import load_site  # noqa: E402
from site_builder.writer import write_site  # noqa: E402


def measure(fn, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `runs` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main(content: Path, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        site, _ = load_site(content)
        settings = render_settings(site)
        files = {**read_static(STATIC), **render_site(site, settings)}
        stages = {
            "load + check": lambda: load_site(content),
            "render": lambda: render_site(site, settings),
            "write": lambda: write_site(files.items(), out),
            "full build_site": lambda: build_site(content, out),
        }
        print(f"{content}: {len(site.documents)} documents, {len(files)} files; median of {runs}")
        for name, fn in stages.items():
            wall, cpu = measure(fn, runs)
            print(f"  {name:<16} wall {wall:6.3f} s   cpu {cpu:6.3f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("content"),
         int(sys.argv[2]) if len(sys.argv) > 2 else 5)
