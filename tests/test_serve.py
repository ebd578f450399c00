"""`serve`: a real server in a subprocess on a free port, plus the rebuild and watch stages."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from contentkit import REPO, make_content

from site_builder import build, fanout
from site_builder.loader import load_site
from site_builder.preview_http import inject
from site_builder.serve import Preview, announce, is_loopback
from site_builder.watch import Watcher
from site_builder.writer import MARKER

DOC = "demo/2024-yusuan.yaml"


class Server:
    """`python build.py serve` in a subprocess; its output is read by a thread."""

    def __init__(self, content: Path, *extra: str):
        self.proc = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--content", str(content), "--port", "0", *extra],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        line = self.expect(r"预览地址：http://([\d.]+):(\d+)/")
        self.host, self.port = re.search(r"http://([\d.]+):(\d+)/", line).groups()
        self.folder = Path(re.search(r"预览文件夹 (.+?)；", line).group(1))

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def expect(self, pattern: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.log.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(self.log)}")

    def get(self, path: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", int(self.port), timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")

    def events(self) -> Events:
        return Events(int(self.port))

    def rest(self) -> str:
        """Everything the server printed (for a failure's message)."""
        time.sleep(0.2)
        while not self.lines.empty():
            self.log.append(self.lines.get())
        return "".join(self.log)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Events:
    """A Server-Sent Events client: `next()` returns the next `version` tag."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.request("GET", "/__reload")
        self.response = self.conn.getresponse()
        assert self.response.getheader("Content-Type").startswith("text/event-stream")

    def next(self) -> str:
        while True:
            line = self.response.readline().decode()
            if line.startswith("data: "):
                return line[6:].strip()


@pytest.fixture
def content(tmp_path):
    content = make_content(tmp_path)
    # The minimal document is no complete budget: its audit findings must not block serving.
    settings = content / "site.yaml"
    text = settings.read_text(encoding="utf-8").replace("blocking: [error]", "blocking: []")
    settings.write_text(text, encoding="utf-8")
    return content


@pytest.fixture
def server(content):
    srv = Server(content)
    yield srv
    srv.stop()


def edit(content: Path, old: str, new: str) -> None:
    path = content / DOC
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_serves_the_site_on_loopback_with_the_reload_script_only_in_responses(server):
    status, page = server.get("/")
    assert status == 200 and "new EventSource" in page
    assert server.host == "127.0.0.1" and not any("警告：--host" in line for line in server.log)
    assert server.get("/demo")[0] == 301  # to /demo/
    on_disk = (server.folder / "index.html").read_text(encoding="utf-8")
    assert "<html" in on_disk and "EventSource" not in on_disk
    assert not server.folder.is_relative_to(REPO)
    assert server.get("/no-such-page/")[0] == 404


def own_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()


def test_loopback_only_by_default(server):
    outside = own_address()
    if outside is None or outside.startswith("127."):
        pytest.skip("this machine has no non-loopback IPv4 address")
    with pytest.raises(OSError):
        socket.create_connection((outside, int(server.port)), timeout=2).close()
    socket.create_connection(("127.0.0.1", int(server.port)), timeout=2).close()


def test_edit_rebuilds_and_signals_reload(server, content):
    events = server.events()
    first = events.next()
    started = time.monotonic()
    edit(content, "title: 2024年测试中心部门预算", "title: 2024年测试中心部门预算（修订）")
    assert events.next() != first
    assert time.monotonic() - started < 5
    status, page = server.get("/demo/2024/")
    assert status == 200 and "2024年测试中心部门预算（修订）" in page
    server.expect("已更新：重新读取 1 个文件")


def test_bad_edit_shows_problems_over_the_last_good_site_until_fixed(server, content):
    events = server.events()
    events.next()
    edit(content, "title: 2024年测试中心部门预算", "title: 2024年测试中心部门预算（好）")
    events.next()
    edit(content, "year: 2024", "year: 2O24")
    events.next()
    status, page = server.get("/demo/2024/")
    assert status == 200 and "（好）" in page  # the last good site is still served
    assert 'id="budget-site-problems"' in page
    assert f"content/{DOC}:3:7: error: year：应为整数，实际是 &#x27;2O24&#x27;。" in page
    server.expect("内容有错误，网站没有更新")
    edit(content, "year: 2O24", "year: 2024")
    events.next()
    status, page = server.get("/demo/2024/")
    assert status == 200 and "budget-site-problems" not in page


def test_first_build_failing_serves_the_error_page(content):
    edit(content, "year: 2024", "year: 2O24")
    srv = Server(content)
    try:
        status, page = srv.get("/")
        assert status == 500 and "year：应为整数" in page and "EventSource" in page
        assert page.count('id="budget-site-problems"') == 1 and page.count("new EventSource") == 1
        events = srv.events()
        events.next()
        edit(content, "year: 2O24", "year: 2024")
        events.next()
        assert srv.get("/")[0] == 200
    finally:
        srv.stop()


def test_stopping_removes_the_temporary_folder(content):
    srv = Server(content)
    assert srv.folder.is_dir()
    srv.stop()
    assert srv.proc.returncode == 0 and not srv.folder.exists(), srv.rest()
    removing = srv.folder.parent.with_name(f"{srv.folder.parent.name}-removing")
    deadline = time.monotonic() + 20  # removed by a detached process, after the server exits
    while removing.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not removing.exists() and not srv.folder.parent.exists()


def test_warns_when_exposed_beyond_loopback(capsys):
    class Fake:
        server_address = ("0.0.0.0", 8000)
    announce(Fake(), "0.0.0.0", Path("/tmp/x"))
    assert "警告：--host 0.0.0.0" in capsys.readouterr().out
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def full_build(content: Path) -> dict[str, bytes]:
    site, _ = load_site(content)
    return {**build.read_static(build.STATIC),
            **build.render_site(site, build.render_settings(site, "/", dev=True))}


def add_department(content: Path, slug: str, doc: str) -> None:
    (content / slug).mkdir()
    (content / slug / "department.yaml").write_text(f"name: {slug} 中心\n", encoding="utf-8")
    (content / slug / "2024-yusuan.yaml").write_text(
        doc.replace("department: demo", f"department: {slug}"), encoding="utf-8")


def on_disk(preview: Preview) -> dict[str, bytes]:
    """What the preview folder holds (the writer's marker aside); it must be what is served."""
    files = {p.relative_to(preview.output).as_posix(): p.read_bytes()
             for p in preview.output.rglob("*") if p.is_file() and p.name != MARKER}
    assert set(files) == preview.paths
    return files


@pytest.mark.parametrize("jobs", [1, 2])
def test_incremental_rebuild_equals_a_full_build(content, tmp_path, monkeypatch, jobs):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # xlsx carry a date otherwise
    monkeypatch.setattr(fanout, "fork_is_safe", lambda: True)  # pytest's own threads are idle
    doc = (content / DOC).read_text(encoding="utf-8")
    (content / "demo" / "2025-yusuan.yaml").write_text(
        doc.replace("year: 2024", "year: 2025").replace("2024年", "2025年"), encoding="utf-8")
    add_department(content, "other", doc)
    preview = Preview(content, tmp_path / "preview", jobs=jobs)
    first = preview.rebuild()
    assert first.ok and first.whole and on_disk(preview) == full_build(content)
    edits = [
        lambda: edit(content, "一般公共服务支出, 预算数: 10.00}", "一般公共服务支出, 预算数: 10.00}  # 改"),
        lambda: edit(content, "title: 2024年测试中心部门预算", "title: 2024年测试中心部门预算（修订）"),
        lambda: (content / "other" / "department.yaml").write_text("name: 改名的中心\n", encoding="utf-8"),
        lambda: add_department(content, "third", doc),
        lambda: (content / "demo" / "2025-yusuan.yaml").unlink(),
    ]
    for number, change in enumerate(edits):
        change()
        again = preview.rebuild()
        assert again.ok and not again.whole and on_disk(preview) == full_build(content), f"after edit {number}"
        assert again.parsed <= 1
    edit(content, "title: 2024年测试中心部门预算（修订）", "title: 2024年测试中心部门预算")
    audited = preview.rebuilder.audits.audited
    again = preview.rebuild()
    assert preview.rebuilder.audits.audited == audited + 1  # only the edited department is audited again
    assert "demo/2024/index.html" in again.rendered and "index.html" in again.rendered
    assert not [p for p in again.rendered if p.startswith(("other/", "third/"))]
    assert [p for p in preview.paths if p.startswith("other/")]
    assert on_disk(preview) == full_build(content)


def test_watcher_turns_a_burst_of_saves_into_one_change(tmp_path):
    (tmp_path / "a.yaml").write_text("a", encoding="utf-8")
    (tmp_path / "out").mkdir()
    watcher = Watcher((tmp_path,), exclude=(tmp_path / "out",), interval=0.05, quiet=0.3)
    stop = threading.Event()
    results = []

    def run():
        while (changed := watcher.wait(stop)) is not None:
            results.append(changed)

    thread = threading.Thread(target=run)
    thread.start()
    for i in range(5):
        (tmp_path / "a.yaml").write_text("a" * (i + 2), encoding="utf-8")
        (tmp_path / "out" / "page.html").write_text(str(i), encoding="utf-8")
        time.sleep(0.1)
    (tmp_path / ".a.yaml.swp").write_text("editor", encoding="utf-8")
    time.sleep(1.0)
    stop.set()
    thread.join()
    assert results == [{tmp_path / "a.yaml"}]


def test_an_exception_while_rebuilding_is_shown_and_the_site_kept(content, tmp_path, monkeypatch):
    preview = Preview(content, tmp_path / "preview")
    assert preview.rebuild().ok
    good = preview.paths

    def broken(complete=True):
        raise RuntimeError("模板坏了")

    monkeypatch.setattr(preview.rebuilder, "rebuild", broken)
    assert not preview.rebuild().ok
    page = inject(b"<body>old</body>", preview).decode()
    assert preview.paths is good and "生成网站时程序出错" in page and "RuntimeError: 模板坏了" in page
    monkeypatch.undo()
    assert preview.rebuild().ok and "budget-site-problems" not in inject(b"<body></body>", preview).decode()


def test_the_open_page_reloads_itself_and_shows_problems(content):
    """In real headless Chromium: a save reloads the page; a bad save shows the overlay."""
    from test_browser import ARGS, CHROMIUM, missing
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed")
    if not Path(CHROMIUM).exists():
        missing(f"{CHROMIUM} is missing")
    srv = Server(content)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{srv.port}/demo/2024/")
            page.wait_for_timeout(300)  # let EventSource connect and see the first version
            edit(content, "title: 2024年测试中心部门预算", "title: 2024年测试中心部门预算（自动刷新）")
            page.wait_for_function("document.body.innerText.includes('（自动刷新）')", timeout=10000)
            edit(content, "year: 2024", "year: 2O24")
            overlay = page.locator("#budget-site-problems")
            overlay.wait_for(state="visible", timeout=10000)
            assert f"content/{DOC}:3:7: error: year：应为整数" in overlay.inner_text()
            assert "（自动刷新）" in page.inner_text("h1")  # the last good page underneath
            edit(content, "year: 2O24", "year: 2024")
            overlay.wait_for(state="detached", timeout=10000)
            browser.close()
    finally:
        srv.stop()


def test_document_cache_trusts_old_file_times_and_checks_recent_ones(content):
    from site_builder.filecache import DocumentCache
    from site_builder.problems import Problems
    site, _ = load_site(content)
    path = content / DOC
    cache = DocumentCache()

    def load():
        return cache(path, DOC, "demo", site.profiles, Problems())

    def rewrite(old: str, new: str, mtime_ns: int) -> None:  # same size, same file time
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        os.utime(path, ns=(mtime_ns, mtime_ns))

    now = time.time_ns()
    os.utime(path, ns=(now, now))
    first = load()
    rewrite("测试中心", "测验中心", now)  # saved again within one tick of a coarse clock
    second = load()
    assert second is not first and "测验中心" in second.title and cache.parsed == 2
    assert load() is second and cache.parsed == 2
    old = now - 3600 * 10**9
    os.utime(path, ns=(old, old))
    third = load()
    rewrite("测验中心", "测试中心", old)  # an hour-old time is trusted, as the watcher trusts it
    assert load() is third and cache.parsed == 3


def test_department_yaml_is_read_again_only_when_it_changed(content):
    from site_builder.filecache import DocumentCache
    from site_builder.problems import Problems
    cache, path = DocumentCache(), content / "demo" / "department.yaml"
    old = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(old, old))
    first = cache.department_info(content, path, Problems())
    assert cache.department_info(content, path, Problems()) is first
    path.write_text("name: 改名的中心\n", encoding="utf-8")
    again = cache.department_info(content, path, Problems())
    assert again is not first and again.name == "改名的中心"
    path.unlink()
    problems = Problems()
    assert cache.department_info(content, path, problems) is None and problems.errors
