"""Charts in real headless Chromium, at 360 px and on a desktop, under a strict
Content-Security-Policy, with no console errors: at load every chart is a light view drawn
by charts.js (plotly.js not even requested, data tables folded, nothing moves); a chart the
reader points at or taps is redrawn by plotly.js with marks in the same box. Without JavaScript every table is still there. Skipped when
Chromium or playwright is missing, unless REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from site_server import build_example

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
PAGES = ["wanli-jiedao/2024/charts/", "wanli-jiedao/2024/compare/", "wanli-jiedao/trend/",
         "changji-kaoping/2024/charts/", "changji-kaoping/2024/compare/"]
MARKS = (".barlayer .point path, .pielayer .slice path, .sunburstlayer .slice path, "
         ".scatterlayer .js-line, .scatterlayer .point")


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but playwright or {CHROMIUM} is missing")
        pytest.skip(f"playwright or {CHROMIUM} is missing")
    return sync_playwright


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site with a strict CSP; answers /favicon.ico with 204."""

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def do_GET(self):
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    sync_playwright = _playwright()
    out = build_example(tmp_path_factory.mktemp("site") / "output")
    handler = functools.partial(_Handler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser, f"http://127.0.0.1:{server.server_address[1]}/", out
        browser.close()
    server.shutdown()
    shutil.rmtree(out, ignore_errors=True)


LAYOUT_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__shifts.push(e.value); });
}).observe({type: 'layout-shift', buffered: true});
"""


def _open(browser, url, width, javascript=True):
    context = browser.new_context(viewport={"width": width, "height": 800}, has_touch=width < 520,
                                  java_script_enabled=javascript)
    page = context.new_page()
    problems, requests = [], []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in (
        "error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    if javascript:
        page.add_init_script(LAYOUT_SHIFTS)
    page.goto(url)
    return context, page, problems, requests


def _wait(page, expression, timeout=15.0):
    """Polls with page.evaluate (page.wait_for_function would need eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(50)


def _inside(page, selector, width):
    for element in page.locator(selector).all():
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1  # nothing off screen


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("route", PAGES)
def test_every_chart_has_a_light_view_at_load_without_plotly(served, route, width):
    browser, base, _ = served
    context, page, problems, requests = _open(browser, base + route, width)
    expected = page.locator("script[type='application/json'][data-chart-for]").count()
    assert expected > 0
    _wait(page, f"document.querySelectorAll('.chart-plot[data-view=light]').length === {expected}")
    page.wait_for_timeout(300)
    for plot in page.locator(".chart-plot").all():
        assert plot.locator(".cl-bar, .cl-slice").count() > 0, plot.get_attribute("id")
        assert plot.locator(".cl-val, .cl-legend li").first.inner_text().strip()
        assert plot.evaluate("e => e.firstElementChild.scrollHeight <= e.clientHeight")  # fits its box
        assert plot.bounding_box()["height"] >= 300  # the height the template reserved
    _inside(page, ".chart-plot, .cl-row, .cl-legend", width)
    assert page.locator("details.chart-data[open]").count() == 0  # folded before the first paint
    assert not any("plotly" in url for url in requests), requests
    assert page.evaluate("typeof window.Plotly") == "undefined"
    assert page.evaluate("window.__shifts.reduce((a, b) => a + b, 0)") == 0
    page.locator("details.chart-data > summary").first.click()  # the reader opens a table
    assert page.locator("figure.chart table").first.is_visible()
    assert not problems, problems
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("route", PAGES)
def test_every_chart_the_reader_taps_is_redrawn_by_plotly_in_the_same_box(served, route, width):
    browser, base, _ = served
    context, page, problems, requests = _open(browser, base + route, width)
    plots = page.locator(".chart-plot")
    _wait(page, "document.querySelectorAll('.chart-plot[data-view=light]').length > 0")
    heights = [p.bounding_box()["height"] for p in plots.all()]
    for plot in plots.all():
        plot.scroll_into_view_if_needed()
        plot.tap() if width < 520 else plot.click()
    _wait(page, f"document.querySelectorAll('.chart-plot.is-drawn').length === {plots.count()}", 30)
    for plot, height in zip(plots.all(), heights, strict=True):
        assert plot.locator(".cl").count() == 0  # the light view is replaced, not kept
        assert plot.locator("svg.main-svg").count() > 0
        assert plot.locator(MARKS).count() > 0, plot.get_attribute("id")
        assert abs(plot.bounding_box()["height"] - height) <= 1  # same box: nothing moves
    _inside(page, ".chart-plot, .chart-plot svg.main-svg", width)
    mode = "narrow" if width < 520 else "wide"  # sunbursts become bars on narrow screens
    for sunburst in page.locator("#chart-functional, #chart-economic").all():
        assert sunburst.get_attribute("data-mode") == mode
    assert sum("plotly-budget.min.js" in url for url in requests) == 1  # one file, once
    assert page.locator("details.chart-data[open]").count() == 0
    assert not problems, problems
    context.close()


def test_scrolling_past_charts_leaves_them_light_until_one_is_engaged_with(served):
    browser, base, _ = served
    context, page, problems, requests = _open(browser, base + PAGES[0], 360)
    _wait(page, "document.querySelectorAll('.chart-plot[data-view=light]').length > 0")
    for plot in page.locator(".chart-plot").all():
        plot.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    assert not any("plotly" in url for url in requests)
    page.locator(".chart-plot").nth(1).tap()
    _wait(page, "document.querySelectorAll('.chart-plot.is-drawn').length === 1", 20)
    assert page.locator(".chart-plot").nth(1).get_attribute("data-view") == "plotly"
    assert page.locator(".chart-plot[data-view=light]").count() == page.locator(".chart-plot").count() - 1
    assert not problems, problems
    context.close()


def test_a_mouse_over_a_chart_loads_plotly_and_draws_it(served):
    browser, base, _ = served
    context, page, problems, _ = _open(browser, base + PAGES[0], 1280)
    _wait(page, "document.querySelectorAll('.chart-plot[data-view=light]').length > 0")
    page.locator(".chart-plot").first.hover()
    _wait(page, "document.querySelector('.chart-plot').classList.contains('is-drawn')",
                           timeout=20)
    assert page.locator(".chart-plot").first.get_attribute("data-view") == "plotly"
    assert not problems, problems
    context.close()


def test_resizing_redraws_a_plotly_chart_in_the_other_mode(served):
    browser, base, _ = served
    context, page, problems, _ = _open(browser, base + PAGES[0], 1280)
    sunburst = page.locator("#chart-functional")
    _wait(page, "document.querySelector('#chart-functional[data-view=light]') !== null")
    assert sunburst.locator(".cl-bar").count() > 0  # the light view of a sunburst: its bars
    sunburst.scroll_into_view_if_needed()
    sunburst.click()
    _wait(page, "document.querySelector('#chart-functional').classList.contains('is-drawn')", 20)
    assert sunburst.get_attribute("data-mode") == "wide"
    assert sunburst.locator(".sunburstlayer .slice path").count() > 0
    page.set_viewport_size({"width": 360, "height": 800})
    _wait(page, "document.querySelector('#chart-functional').dataset.mode === 'narrow'")
    _wait(page, "document.querySelectorAll('#chart-functional .barlayer .point path').length > 0")
    _inside(page, "#chart-functional, #chart-functional svg.main-svg", 360)
    assert not problems, problems
    context.close()


@pytest.mark.parametrize("route", PAGES)
def test_without_javascript_every_table_is_shown(served, route):
    browser, base, _ = served
    context, page, _, _ = _open(browser, base + route, 360, javascript=False)
    charts = page.locator("figure.chart").count()
    assert charts > 0
    tables = page.locator("figure.chart table")
    assert tables.count() == charts
    for i in range(charts):
        assert tables.nth(i).is_visible()  # the <details> is open until a chart replaces it
    assert page.locator(".chart-plot").first.is_hidden()  # no empty box where the chart would be
    if "compare" in route:
        assert page.locator("table.compare").count() >= 1
        assert page.locator("table.compare").first.is_visible()
    context.close()


def test_if_charts_js_never_runs_the_tables_come_back(served):
    browser, base, _ = served
    context, page, _, _ = _open(browser, base + PAGES[0], 360)
    page.route("**/charts.js", lambda route: route.abort())
    page.reload()
    assert page.locator("figure.chart table").first.is_hidden()  # looks folded at first
    page.wait_for_timeout(5500)
    for table in page.locator("figure.chart table").all():
        assert table.is_visible()
    assert page.locator(".chart-plot").first.is_hidden()  # no empty box left behind
    context.close()


def test_pages_without_charts_load_no_chart_script(served):
    _, _, out = served
    for path in ["wanli-jiedao/2024/index.html", "wanli-jiedao/2024/table-3/index.html",
                 "index.html"]:
        html = (out / path).read_text(encoding="utf-8")
        assert "plotly-budget" not in html and "charts.js" not in html, path
    chart_page = (out / "wanli-jiedao/2024/charts/index.html").read_text(encoding="utf-8")
    assert chart_page.count("plotly-budget.min.js") == 1  # named for charts.js, not loaded
    assert "<script src=\"../../../static/vendor/" not in chart_page
    assert "<script>" not in chart_page  # no inline executable script


def test_every_link_to_a_chart_or_comparison_page_resolves(served):
    _, _, out = served
    import re
    for html_path in out.rglob("index.html"):
        html = html_path.read_text(encoding="utf-8")
        for href in re.findall(r'href="((?!https?:)[^"#]+/(?:compare|charts|trend)/)"', html):
            target = (html_path.parent / href / "index.html").resolve()
            assert target.exists(), f"{html_path.relative_to(out)} → {href}"
