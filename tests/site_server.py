"""Test helpers: build the example site once, serve a folder from a local http.server thread."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from site_builder.build import build_site

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files like GitHub Pages: 404.html for missing paths, no log lines."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / self.server.not_found  # type: ignore[attr-defined]
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(root: Path, not_found: str = "404.html") -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port); yields the base address `http://127.0.0.1:N`."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.not_found = not_found  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build_example(root: Path, base_url: str | None = None) -> Path:
    """Build content/ into `root` (under `root/<prefix>` for a base URL); return the output."""
    out = root / base_url.strip("/") if base_url else root
    report = build_site(EXAMPLE, out, base_url=base_url)
    assert report.ok, [p.format() for p in report.problems] + [report.error]
    return out


def html_pages(out: Path) -> list[str]:
    """Routes of every HTML page of a built site (`index.html` shown as its folder)."""
    pages = []
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return pages
