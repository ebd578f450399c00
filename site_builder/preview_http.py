"""The preview's HTTP side: the last good site from the preview folder, with the reload
script (and the problems, when the last rebuild failed) added to each page it serves, and the
Server-Sent Events (`EventSource`, no WebSocket) that tell the open pages to reload.
"""

from __future__ import annotations

import html
import mimetypes
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .problems import ERROR

if TYPE_CHECKING:
    from .serve import Preview

EVENTS = "/__reload"
CLIENT = """<script>/* budget-site preview: reload after each rebuild (only while serving) */
(function () {
  var seen = null, source = new EventSource("{events}");
  source.addEventListener("version", function (e) {
    if (seen !== null && seen !== e.data) { location.reload(); }
    seen = e.data;
  });
})();
</script>""".replace("{events}", EVENTS)
OVERLAY_STYLE = ("position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;"
                 "margin:0;padding:1em 1.25em;background:#fff5f5;color:#1a1a1a;border-top:4px solid #b00020;"
                 "font:15px/1.6 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.2)")


def make_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    """A threaded HTTP server bound to host:port whose handler reads `preview`."""
    handler = type("Handler", (PreviewHandler,), {"preview": preview})
    kind = ThreadingHTTPServer
    if ":" in host:  # an IPv6 address such as ::1
        kind = type("Server6", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6})
    server = kind((host, port), handler)
    server.daemon_threads = True
    return server


class PreviewHandler(BaseHTTPRequestHandler):
    """Serve the last good site from memory, with the reload script and the problems overlay."""

    preview: Preview
    server_version = "budget-site-preview"

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS:
            self.send_events() if self.command == "GET" else self.send_error(405)
            return
        status, key, data = self.lookup(unquote(path))
        if status == 301:
            self.send_response(301)
            self.send_header("Location", key)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        kind = content_type(key)
        if kind.startswith("text/html") and status != 500:  # the error page has its own
            data = inject(data, self.preview)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_HEAD = do_GET

    def lookup(self, path: str) -> tuple[int, str, bytes]:
        """Map a URL path to (status, file key, bytes) in the last good site."""
        paths = self.preview.paths
        if not paths:
            return 500, "error.html", error_page(self.preview)
        key = path.lstrip("/")
        if key == "" or key.endswith("/"):
            key += "index.html"
        if key not in paths and not self.preview.complete.is_set():
            self.preview.complete.wait(30)  # a download of a changed document is being made
            paths = self.preview.paths
        if key in paths and (data := self.read(key)) is not None:
            return 200, key, data
        if f"{key}/index.html" in paths:
            return 301, f"{path}/", b""
        return 404, "404.html", self.read("404.html") or "<!DOCTYPE html><title>404</title>页面不存在".encode()

    def read(self, key: str) -> bytes | None:
        """A file of the preview folder (a whole new site may be moving in: then try again)."""
        for _ in range(3):
            try:
                return (self.preview.output / key).read_bytes()
            except OSError:
                time.sleep(0.1)
        return None

    def send_events(self) -> None:
        """Server-Sent Events: the current version now, then each new one (and keep-alives)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        tag = ""
        try:
            while True:
                new = self.preview.wait(tag, timeout=15)
                message = f"event: version\ndata: {new}\n\n" if new != tag else ": keep-alive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                tag = new
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Stay quiet about each request; errors are still logged by `log_error`."""


TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
         ".csv": "text/csv", ".xml": "application/xml", ".svg": "image/svg+xml", ".txt": "text/plain",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".png": "image/png", ".woff2": "font/woff2"}


def content_type(key: str) -> str:
    """The MIME type by extension; fixed here because the Windows registry can override them."""
    kind = TYPES.get(Path(key).suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/json", "application/xml", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


def inject(page: bytes, preview: Preview) -> bytes:
    """Add the reload script, and the problems over the page when the last rebuild failed."""
    marker = page.rfind(b"</body>")
    at = marker if marker >= 0 else len(page)
    return page[:at] + (notice(preview) + CLIENT).encode() + page[at:]


def notice(preview: Preview, style: str = OVERLAY_STYLE) -> str:
    """Why the site was not updated: the content's problems, or a traceback; else nothing."""
    if preview.crash:
        title = "生成网站时程序出错，网站没有更新"
        intro = "这是程序或模板（templates/）的问题，不是内容文件的问题。"
        body = f'<pre style="white-space:pre-wrap;margin:0">{html.escape(preview.crash)}</pre>'
    elif not preview.ok and preview.problems:
        errors = sum(p.severity == ERROR for p in preview.problems)
        ordered = sorted(preview.problems, key=lambda p: p.severity != ERROR)  # errors first
        title = f"内容有 {errors} 个错误，网站没有更新"
        intro = "下面是 <code>python build.py check</code> 给出的问题（文件:行:列）。"
        body = ('<ol style="margin:0;padding-left:1.5em;white-space:pre-wrap">'
                + "".join(f"<li><code>{html.escape(p.format())}</code></li>" for p in ordered) + "</ol>")
    else:
        return ""
    return (f'<aside id="budget-site-problems" role="alert" style="{style}">'
            f'<h2 style="margin:0 0 .5em;font-size:1.15em;color:#b00020">{title}</h2>'
            f'<p style="margin:0 0 .5em">{intro}页面上显示的是上一次成功生成的网站；'
            f"改好文件并保存后会自动刷新。</p>{body}</aside>")


def error_page(preview: Preview) -> bytes:
    """What every address shows while no build has succeeded yet."""
    body = notice(preview, "margin:1em;padding:1em;border:4px solid #b00020")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>网站没有生成</title>'
            f"</head><body>{body}{CLIENT}</body></html>").encode()
