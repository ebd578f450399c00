#!/usr/bin/env python3
"""Cold builds of one corpus by two or more checkouts, back to back, alternated.

    python bench/versus.py CONTENT CHECKOUT CHECKOUT… [--rounds N] [--free-memory]

Each round builds CONTENT once with each checkout's `build.py build` into a fresh output,
after `run.settle()` (a sync, and with --free-memory the page cache emptied and the inputs
read back). Alternating is what makes two versions comparable on a machine whose speed
drifts within minutes; even so, differences under ~10 % are noise here (bench/README.md).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("checkouts", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--free-memory", action="store_true", help="empty the page cache before every run (root)")
    args = parser.parse_args()
    if args.free_memory:
        run.FREE = [args.content, *args.checkouts]
    with tempfile.TemporaryDirectory(prefix="budget-versus-") as work:
        out = Path(work) / "site"
        for n in range(args.rounds):
            for checkout in args.checkouts:
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(Path(work) / ".site-cache", ignore_errors=True)
                run.settle()
                r = run.timed([sys.executable, str(checkout / "build.py"), "build",
                               "--content", str(args.content), "--output", str(out)])
                print(f"{str(checkout):30s} round {n + 1}: wall {r.wall:6.2f} s  cpu {r.cpu:6.2f} s  "
                      f"peak {r.peak_mb:6.1f} MB  exit {r.code}", flush=True)


if __name__ == "__main__":
    main()
