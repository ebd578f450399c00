"""`serve`: build, serve the site locally, rebuild on save and reload the open pages.

Why not the livereload package: this server must keep serving the last good site after a bad
edit, show the problems over it, inject its script only into served pages and rebuild only
what changed; livereload would need its tornado handlers subclassed for each of those. The
standard library does it in two small modules: this one keeps the preview folder up to date
(the last good site, written before the browsers are told), `preview_http` serves it with the
reload script and tells the pages to reload through Server-Sent Events.
"""

from __future__ import annotations

import gc
import ipaddress
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import replace
from http.server import ThreadingHTTPServer
from pathlib import Path

from .build import STATIC
from .incremental import Rebuild, Rebuilder
from .pipeline import default_jobs
from .preview_http import make_server
from .problems import Problem
from .render import TEMPLATES
from .watch import Watcher, report, watch_loop
from .writer import Staging, WriteError, replace_into


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
        if result.ok and result.whole:
            # What the whole build left (documents, findings) lives until it is edited: keep the
            # collector from rescanning it all — a second or more at 1,000 documents — now and then.
            gc.freeze()
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
            remove_later(scratch)


def remove_later(folder: Path) -> None:
    """Remove the temporary preview folder without keeping the maintainer waiting (a large
    site's tens of thousands of files take minutes on some disks): it is renamed at once,
    then removed by a detached process."""
    trash = folder.with_name(f"{folder.name}-removing")
    try:
        folder.rename(trash)
    except OSError:
        trash = folder
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    detach = ({"creationflags": subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP}
              if os.name == "nt" else {"start_new_session": True})
    try:
        subprocess.Popen([sys.executable, "-c", code, str(trash)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **detach)
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


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
