"""`urls.relative` gives `posixpath.relpath`'s link for every pair of routes, folders and files."""

from __future__ import annotations

import itertools
import posixpath

from site_builder import urls


def test_relative_links_between_folders_files_and_their_ancestors():
    routes = ["", "a", "a/", "a/2024", "a/2024/", "a/2024/table-1/", "a/2024/table-1", "a/2024/x.csv",
              "b/2024/", "b", "static/site.css", "index.html", "a/b/c/d/", "a/b/c/d"]
    for src, dst in itertools.product(routes, repeat=2):
        start = (src if src.endswith("/") or not src else posixpath.dirname(src)).rstrip("/") or "."
        rel = posixpath.relpath(dst.rstrip("/") or ".", start)
        expected = ("./" if rel == "." else f"{rel}/") if dst == "" or dst.endswith("/") else rel
        assert urls.relative(src, dst) == expected, (src, dst)
