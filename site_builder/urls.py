"""Every URL and output path of the site, computed in one place.

A *route* is a page's address relative to the site root, without a leading slash:
`""` (home), `changji-kaoping/`, `changji-kaoping/2024/table-6/`, or a file such as
`static/site.css`. Routes ending in `/` are written as `<route>index.html`. Links between
pages are relative (`../table-7/`), so the same output works at the site root, under any
prefix such as `/budget-site/`, and can be moved as a whole. Only pages served at arbitrary
addresses (404.html) need absolute links; they use `base_url`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache

from .model import Department, Document, TableSpec

KIND_SLUGS = {"预算": "", "决算": "-juesuan"}


def department_route(dep: Department | str) -> str:
    """`changji-kaoping/`."""
    slug = dep if isinstance(dep, str) else dep.slug
    return f"{slug}/"


def document_route(doc: Document) -> str:
    """`changji-kaoping/2024/` for a 预算, `changji-kaoping/2024-juesuan/` for a 决算."""
    return f"{doc.department}/{doc.year}{KIND_SLUGS.get(doc.kind, '-' + doc.kind)}/"


def table_route(doc: Document, spec: TableSpec) -> str:
    """`changji-kaoping/2024/table-6/`."""
    return f"{document_route(doc)}{spec.slug}/"


def download_stem(doc: Document) -> str:
    """The readable start of a document's download file names: `changji-kaoping-2024`."""
    return document_route(doc).rstrip("/").replace("/", "-")


def table_download_route(doc: Document, spec: TableSpec, ext: str) -> str:
    """`changji-kaoping/2024/changji-kaoping-2024-table-6.csv`."""
    return f"{document_route(doc)}{download_stem(doc)}-{spec.slug}.{ext}"


def document_json_route(doc: Document) -> str:
    """`changji-kaoping/2024/changji-kaoping-2024.json`: the whole document."""
    return f"{document_route(doc)}{download_stem(doc)}.json"


def output_path(route: str) -> str:
    """The file a route is written to, relative to the output folder."""
    return f"{route}index.html" if route == "" or route.endswith("/") else route


def relative(from_route: str, to_route: str) -> str:
    """A relative link from the page at `from_route` to `to_route` (keeps a trailing `/`)."""
    start, target = _folders(from_route, True), _folders(to_route, False)
    if start is None or target is None:  # "." or ".." or "//" in a route: the general way
        return _relative_any(from_route, to_route)
    common = 0
    for a, b in zip(start, target, strict=False):
        if a != b:
            break
        common += 1
    up, down = "../" * (len(start) - common), "/".join(target[common:])
    if to_route == "" or to_route.endswith("/"):  # a folder keeps its slash
        return f"{up}{down}/" if down else up or "./"
    return f"{up}{down}" if down else up[:-1] or "."


@lru_cache(maxsize=8192)
def _folders(route: str, page: bool) -> tuple[str, ...] | None:
    """The parts of a route (for a page: of the folder it lies in); None if any is unusual."""
    if page and not (route == "" or route.endswith("/")):
        route = posixpath.dirname(route)
    parts = tuple(route.rstrip("/").split("/")) if route.rstrip("/") else ()
    return None if any(p in ("", ".", "..") for p in parts) else parts


def _relative_any(from_route: str, to_route: str) -> str:
    from_dir = from_route if from_route.endswith("/") or from_route == "" else posixpath.dirname(from_route)
    start = from_dir.rstrip("/") or "."
    target = to_route.rstrip("/") or "."
    rel = _relpath(target, start)
    if to_route == "" or to_route.endswith("/"):
        return "./" if rel == "." else f"{rel}/"
    return rel


def _relpath(path: str, start: str) -> str:
    """`posixpath.relpath` for two routes, without its look at the working directory."""
    path_parts = [p for p in posixpath.normpath(path).split("/") if p and p != "."]
    start_parts = [p for p in posixpath.normpath(start).split("/") if p and p != "."]
    if ".." in path_parts or ".." in start_parts:  # above the root: the library uses the cwd
        return posixpath.relpath(path, start)
    common = 0
    for a, b in zip(start_parts, path_parts, strict=False):
        if a != b:
            break
        common += 1
    rest = [".."] * (len(start_parts) - common) + path_parts[common:]
    return "/".join(rest) if rest else "."


def normalise_base_url(base_url: str | None) -> str:
    """`budget-site` or `/budget-site` → `/budget-site/`; empty → `/`."""
    parts = [p for p in (base_url or "/").strip().split("/") if p]
    return "/" + "".join(f"{p}/" for p in parts)


@dataclass(frozen=True)
class Urls:
    """Turns routes into links for one site configuration."""

    base_url: str = "/"  # path prefix, always with leading and trailing slash
    site_url: str = ""  # absolute address of the site root, for canonical links and the sitemap
    index_files: bool = False  # link to `…/index.html`, for reading the output from file://

    def href(self, from_route: str, to_route: str) -> str:
        """The link to write on page `from_route`."""
        link = relative(from_route, to_route)
        return f"{link}index.html" if self.index_files and link.endswith("/") else link

    def absolute(self, route: str) -> str:
        """Root-relative address (`/budget-site/changji-kaoping/`), for pages served anywhere."""
        return f"{self.base_url}{route}"

    def canonical(self, route: str) -> str | None:
        """The full address from `site_url`, or None when the site has none."""
        if not self.site_url:
            return None
        return f"{self.site_url.rstrip('/')}/{route}"
