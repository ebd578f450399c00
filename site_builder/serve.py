"""`serve`: build, serve the site locally, rebuild on save and reload the open pages.

Why not the livereload package: this server must keep serving the last good site after a bad
edit, show the problems over it, inject its script only into served pages and rebuild only
what changed; livereload would need its tornado handlers subclassed for each of those. The
standard library does it in one small module: a threaded HTTP server that serves the last good
site from the preview folder (written before the browsers are told), and Server-Sent Events
(`EventSource`, no WebSocket) that tell the page to reload.
"""

from __future__ import annotations

import html
import ipaddress
import mimetypes
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .build import STATIC
from .pipeline import default_jobs
from .incremental import Rebuild, Rebuilder
from .problems import ERROR, Problem
from .render import TEMPLATES
from .watch import Watcher, report, watch_loop
from .writer import Staging, WriteError, replace_into

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


class Preview:
    """The state shared by the rebuild thread and the request threads."""

    def __init__(self, content: Path, output: Path, jobs: int = 1):
        self.rebuilder = Rebuilder(content, jobs=jobs)
        self.output = output
        self.paths: frozenset[str] = frozenset()  # the files of the last good site, in `output`
        self.problems: list[Problem] = []  # the current problems (errors block the update)
        self.ok = False
        self.run = secrets.token_hex(4)
        self.version = 0
        self.changed = threading.Condition()
        self.complete = threading.Event()  # set when the downloads are written too
        self.closing = threading.Event()
        self.crash = ""  # the traceback of a rebuild that failed with an exception

    @property
    def tag(self) -> str:
        return f"{self.run}-{self.version}"

    def rebuild(self) -> Rebuild:
        """Rebuild and write what changed, tell the browsers, then make the changed downloads."""
        started, old = time.perf_counter(), self.paths
        result = self._guarded(lambda: self._write(self.rebuilder.rebuild(complete=False)))
        result = result or Rebuild(False, [])
        if result.ok:
            if result.pending:
                self.complete.clear()
            self.paths = result.keep | set(result.rendered)
        self.problems, self.ok = result.problems, result.ok
        with self.changed:
            self.version += 1
            self.changed.notify_all()
        if not result.ok:
            return result
        final = self.paths
        if result.pending:
            more = self._guarded(lambda: self._write(self.rebuilder.finish(result)))
            if more is None:
                self.complete.set()
                return replace(result, ok=False)
            final = (final - result.replaced) | set(more.rendered)
            result = replace(result, rendered=result.rendered + more.rendered)
        if not result.whole:
            for path in old - final:
                (self.output / path).unlink(missing_ok=True)
        self.paths = final
        self.complete.set()
        return replace(result, seconds=time.perf_counter() - started)

    def _write(self, result: Rebuild) -> Rebuild:
        """Write a rebuild's files: a whole site into a fresh folder that replaces the old one
        at the end; a few changed files each in one step, once all of them are made."""
        if not result.ok:
            return result
        written = []
        if result.whole:
            with Staging(self.output) as staging:
                for path, data in result.files:
                    staging.write(path, data)
                    written.append(path)
                staging.commit()
        else:
            files = list(result.files)  # a failure while rendering leaves the folder as it was
            for path, data in files:
                replace_into(self.output, path, data)
                written.append(path)
        return replace(result, files=(), rendered=tuple(written))

    def _guarded(self, step):
        """Run a rebuild step; an exception (a bug, a broken template) is shown, not fatal."""
        try:
            outcome = step()
        except WriteError as exc:  # e.g. --output names a folder of other files
            self.rebuilder.forget()
            self.crash = f"无法写入预览文件夹：{exc}"
            print(self.crash, file=sys.stderr, flush=True)
            return None
        except Exception:
            self.rebuilder.forget()
            self.crash = traceback.format_exc()
            if not self.closing.is_set():  # not the preview folder being removed as we stop
                print(self.crash, file=sys.stderr, flush=True)
            return None
        self.crash = ""
        return outcome

    def wait(self, tag: str, timeout: float) -> str:
        with self.changed:
            self.changed.wait_for(lambda: self.tag != tag, timeout)
            return self.tag


def run_serve(content: Path, output: Path | None, host: str, port: int) -> int:
    """The `serve` verb: build, serve on host:port, rebuild on every save until Ctrl+C."""
    content = content.resolve()
    scratch = None if output is not None else Path(tempfile.mkdtemp(prefix="budget-site-preview-"))
    out = (output or scratch / "site").resolve()
    roots = (content, TEMPLATES, STATIC)
    if any(out.is_relative_to(root.resolve()) for root in roots):
        print(f"错误：预览输出文件夹 {out} 不能放在 content、templates 或 static 里面。", file=sys.stderr)
        return 1
    try:
        watcher = Watcher(roots, exclude=(out,))  # before building: saves from now on count
        preview = Preview(content, out, jobs=default_jobs())
        report(preview.rebuild(), first=True)
        try:
            server = make_server(preview, host, port)
        except OSError as exc:
            print(f"错误：无法在 {host}:{port} 上启动预览（{exc.strerror or exc}）。端口被占用时请换一个，"
                  f"例如 python build.py serve --port {port + 1}", file=sys.stderr)
            return 1
        serve_until_stopped(server, preview, watcher, host)
        return 0
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def serve_until_stopped(server: ThreadingHTTPServer, preview: Preview, watcher: Watcher,
                        host: str) -> None:
    """Serve, and rebuild in a thread on every burst of saves, until Ctrl+C (or SIGTERM)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, _interrupt)  # stopped by a tool: still clean up
    try:
        announce(server, host, preview.output)
        threading.Thread(target=watch_loop, args=(preview, watcher, stop), daemon=True).start()
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\n已停止预览。", flush=True)
    finally:
        stop.set()
        preview.closing.set()
        server.server_close()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def make_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    """A threaded HTTP server bound to host:port whose handler reads `preview`."""
    handler = type("Handler", (PreviewHandler,), {"preview": preview})
    kind = ThreadingHTTPServer
    if ":" in host:  # an IPv6 address such as ::1
        kind = type("Server6", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6})
    server = kind((host, port), handler)
    server.daemon_threads = True
    return server


def announce(server: ThreadingHTTPServer, host: str, out: Path) -> None:
    port = server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    print(f"预览地址：http://{shown}:{port}/  （预览文件夹 {out}；按 Ctrl+C 停止）", flush=True)
    if not is_loopback(host):
        print(f"警告：--host {host} 让同一网络里的其他电脑也能打开这个预览，包括还没有公开的草稿。"
              "只在确实需要时这样做；平时请用默认的 127.0.0.1。", flush=True)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
        for attempt in range(3):
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
