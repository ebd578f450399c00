#!/usr/bin/env python3
"""What a first visit to a built page transfers: the HTML and the CSS/JS it loads, gzipped.

    python bench/weight.py OUTPUT PAGE [PAGE ...]     e.g. output changji-kaoping/2024/table-2/index.html

Sizes are raw and gzip level 6 (a typical server setting); images, fonts and data fetched
by scripts at run time are listed by the page's own references only (src/href attributes).
"""

from __future__ import annotations

import gzip
import posixpath
import re
import sys
from pathlib import Path

ASSET = re.compile(r"""<(?:link[^>]*rel=["']?stylesheet["']?[^>]*href|script[^>]*src)=["']([^"'#?]+)""")


def assets(page: Path, output: Path) -> list[Path]:
    """Local stylesheets and scripts a page references, resolved against the output folder."""
    html = page.read_text(encoding="utf-8")
    found = []
    for ref in ASSET.findall(html):
        if "://" in ref:
            continue
        base = "" if ref.startswith("/") else posixpath.dirname(page.relative_to(output).as_posix())
        target = output / posixpath.normpath(posixpath.join(base, ref.lstrip("/")))
        if target.is_file() and target not in found:
            found.append(target)
    return found


def weigh(output: Path, rel: str) -> tuple[int, int, list[tuple[str, int, int]]]:
    """(raw bytes, gzip bytes, per-file rows) for the page and its assets."""
    page = output / rel
    rows = []
    for path in [page, *assets(page, output)]:
        data = path.read_bytes()
        rows.append((path.relative_to(output).as_posix(), len(data), len(gzip.compress(data, 6))))
    return sum(r[1] for r in rows), sum(r[2] for r in rows), rows


def main(argv: list[str]) -> int:
    output = Path(argv[0])
    for rel in argv[1:]:
        raw, packed, rows = weigh(output, rel)
        for name, size, gz in rows:
            print(f"  {name:70s} {size / 1024:9.1f} KiB  gzip {gz / 1024:8.1f} KiB")
        print(f"{rel}: first visit {raw / 1024:.1f} KiB, gzip {packed / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
