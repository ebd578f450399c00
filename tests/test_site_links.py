"""Crawl the built example site over HTTP, at the root and under /budget-site/: every internal
link and asset answers 200, every in-page #fragment exists, and nothing points off-site except
the canonical/sitemap addresses and ordinary outbound links in the prose."""

from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from site_server import build_example, serve


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "link" and a.get("rel") == "canonical":
            return
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get_content_type()


def crawl(start: str) -> tuple[dict[str, int], list[str]]:
    """Breadth-first over internal pages; returns status by URL and broken fragments."""
    host = urlparse(start).netloc
    status: dict[str, int] = {}
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in status:
            continue
        code, body, kind = fetch(url)
        status[url] = code
        if code != 200 or kind != "text/html":
            continue
        parser = LinkParser()
        parser.feed(body.decode("utf-8"))
        ids[url] = parser.ids
        for link in parser.links:
            target, fragment = urldefrag(urljoin(url, link))
            if urlparse(target).scheme in ("tel", "mailto", "data"):
                continue
            if urlparse(target).netloc != host:
                continue
            if fragment:
                fragments.append((url, target, fragment))
            queue.append(target)
    broken = [f"{src} → {target}#{frag}" for src, target, frag in fragments
              if target in ids and frag not in ids[target]]
    return status, broken


@pytest.mark.parametrize("base_url", [None, "/budget-site/"])
def test_no_broken_internal_links(tmp_path, base_url):
    build_example(tmp_path, base_url)
    with serve(tmp_path) as address:
        start = f"{address}{base_url or '/'}"
        status, broken_fragments = crawl(start)
    broken = {url: code for url, code in status.items() if code != 200}
    assert not broken, broken
    assert not broken_fragments, broken_fragments[:10]
    pages = [u for u in status if u.endswith("/")]
    assert len(pages) > 20 and any(u.endswith("/table-6/") for u in pages)
    assert any(u.endswith(".xlsx") for u in status) and any(u.endswith(".json") for u in status)


def test_404_page_links_work_under_base_url(tmp_path):
    build_example(tmp_path, "/budget-site/")
    with serve(tmp_path / "budget-site") as address:
        code, body, _ = fetch(f"{address}/no/such/page/")
    assert code == 404
    parser = LinkParser()
    parser.feed(body.decode("utf-8"))
    assert parser.links and all(link.startswith(("/budget-site/", "#", "data:")) for link in parser.links)
