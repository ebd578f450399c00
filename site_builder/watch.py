"""For the dev server: notice saved files, debounced, and hand them to the rebuild.

Watching polls file times and sizes a few times a second: content folders are small (a few
dozen files), polling behaves the same on Windows, macOS, Linux and network drives, and needs
no extra package. A burst of saves is one change: the rebuild starts once nothing has moved
for `quiet` seconds. What a rebuild renders again is decided in incremental.py.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

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
    interval: float = 0.05
    quiet: float = 0.2
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


def watch_loop(preview, watcher: Watcher, stop: threading.Event) -> None:
    """Wait for a burst of saves to end, rebuild `preview` (serve.Preview), repeat."""
    while True:
        changed = watcher.wait(stop)
        if changed is None:
            return
        names = "、".join(sorted(p.name for p in changed)[:3]) + ("…" if len(changed) > 3 else "")
        print(f"检测到修改：{names}", flush=True)
        report(preview.rebuild())


def report(result, first: bool = False) -> None:
    """Print a rebuild (incremental.Rebuild) like `build`: its problems, then one summary line."""
    from .cli import print_problems
    if result.problems:
        print_problems(result.problems, sys.stdout)
    if not result.ok:
        print("内容有错误，网站没有更新：浏览器里显示上面这些问题，改好保存后会自动重新生成。", flush=True)
    elif first:
        print(f"已生成 {len(result.rendered)} 个文件（{result.seconds:.2f} 秒）。", flush=True)
    else:
        print(f"已更新：重新读取 {result.parsed} 个文件，重新生成 {len(result.rendered)} 个文件"
              f"（{result.seconds:.2f} 秒）。", flush=True)
