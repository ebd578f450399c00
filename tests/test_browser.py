"""What a reader sees, in real headless Chromium, and HTML validity with the Nu HTML Checker.

Skipped when Chromium/playwright or Java/vnu.jar are missing, unless REQUIRE_BROWSER=1 (CI),
in which case they fail. `tools/setup-test-env.sh` installs all of them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from site_server import REPO, build_example, html_pages, serve

from site_builder.build import build_site

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
VNU_CANDIDATES = [os.environ.get("VNU_JAR", ""),
                  str(Path.home() / ".cache/budget-site/vnu/node_modules/vnu-jar/build/dist/vnu.jar"),
                  str(REPO / "node_modules/vnu-jar/build/dist/vnu.jar")]


def missing(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}; run tools/setup-test-env.sh")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example site built at the root and served; yields (address, output folder)."""
    out = build_example(tmp_path_factory.mktemp("browser"))
    with serve(out) as address:
        yield address, out


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed")
    if not Path(CHROMIUM).exists():
        missing(f"{CHROMIUM} is missing")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, width: int, **options):
    """A page that records console errors and every failed or off-site request."""
    context = browser.new_context(viewport={"width": width, "height": 800}, **options)
    page = context.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"error: {e}"))
    page.on("requestfailed", lambda r: page.problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status}: {r.url}"))
    page.on("request", lambda r: not r.url.startswith(("http://127.0.0.1", "data:"))
            and page.problems.append(f"off-site request: {r.url}"))
    return page


def test_every_page_loads_cleanly_and_fits_a_phone(site, browser):
    address, out = site
    page = open_page(browser, 360)
    overflow = {}
    for route in html_pages(out):
        page.goto(f"{address}/{route}", wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            overflow[route] = width
    assert not page.problems, page.problems[:10]
    assert not overflow, f"pages scroll sideways at 360 px: {overflow}"


def test_wide_table_scrolls_in_its_box_with_name_column_and_header_in_view(site, browser):
    address, _ = site
    page = open_page(browser, 360)
    page.goto(f"{address}/changji-kaoping/2024/table-2/")
    box = page.locator(".table-scroll").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "表2 should be wider than a phone"
    name = page.locator("tbody th.sticky").nth(3)
    box.evaluate("b => { b.scrollLeft = 400; b.scrollTop = 300; }")
    page.wait_for_timeout(50)
    after = name.bounding_box()
    header = page.locator("thead th").first.bounding_box()
    frame = box.bounding_box()
    assert abs(after["x"] - frame["x"]) < 3, "the name column should stick to the left edge"
    assert abs(header["y"] - frame["y"]) < 3, "the header row should stay at the top of the box"
    assert not page.problems


def test_keyboard_reaches_skip_link_then_table_downloads(site, browser):
    address, _ = site
    page = open_page(browser, 1280)
    page.goto(f"{address}/changji-kaoping/2024/table-6/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement.textContent || ''")
        reached.append(text.strip())
        if "下载 表6 Excel" in text:
            break
    assert any("下载 表6 CSV" in t for t in reached) and "下载 表6 Excel" in reached[-1], reached


def test_readable_without_javascript(site, browser):
    address, _ = site
    page = open_page(browser, 1280, java_script_enabled=False)
    page.goto(f"{address}/wanli-jiedao/2024/")
    assert page.locator("table.data").count() >= 9
    assert page.locator("#table-1 tbody tr").count() > 3


def test_base_text_size_and_language(site, browser):
    address, _ = site
    page = open_page(browser, 360)
    page.goto(f"{address}/changji-kaoping/2024/")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    assert size >= 16


CONTRAST_JS = """
(selector) => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.textContent.trim() || el.closest('.visually-hidden')) continue;
    let bg = el, colour;
    while (bg && (colour = getComputedStyle(bg).backgroundColor) && rgb(colour).length === 4 && rgb(colour)[3] === 0)
      bg = bg.parentElement;
    const back = bg ? rgb(getComputedStyle(bg).backgroundColor) : [255, 255, 255];
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(back.slice(0, 3));
    out.push([(Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), el.tagName + '.' + el.className]);
  }
  return out;
}
"""


@pytest.mark.parametrize("route", ["", "changji-kaoping/2024/", "wanli-jiedao/2024/table-1/"])
def test_text_contrast_meets_wcag_aa(site, browser, route):
    address, _ = site
    page = open_page(browser, 1280)
    page.goto(f"{address}/{route}")
    pairs = page.evaluate(CONTRAST_JS, "p, li, a, th, td, dt, dd, h1, h2, h3, span, caption")
    low = sorted({(round(r, 2), what) for r, what in pairs if r < 4.5})
    assert pairs and not low, low[:10]


def test_screenshots(site, browser):
    """Phone and desktop screenshots for a person to look at (test-artifacts/)."""
    address, _ = site
    ARTIFACTS.mkdir(exist_ok=True)
    shots = [(360, "changji-kaoping/2024/table-2/", "phone-table-2.png"),
             (360, "wanli-jiedao/2024/", "phone-document.png"),
             (1280, "changji-kaoping/2024/", "desktop-document.png"),
             (1280, "wanli-jiedao/2024/table-1/", "desktop-table-1.png"),
             (1280, "changji-kaoping/2024/table-7/", "desktop-table-7.png"),
             (1280, "", "desktop-home.png")]
    for width, route, name in shots:
        page = open_page(browser, width)
        page.goto(f"{address}/{route}")
        page.screenshot(path=str(ARTIFACTS / name))
        assert (ARTIFACTS / name).stat().st_size > 10_000
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"


def vnu_jar() -> str:
    if not shutil.which("java"):
        missing("java is missing")
    jar = next((c for c in VNU_CANDIDATES if c and Path(c).is_file()), None)
    if jar is None:
        missing("vnu.jar is missing (set VNU_JAR)")
    return jar


def test_nu_html_checker_finds_no_errors(site, tmp_path):
    """Every page of the example site and of the test fixture (which has hostile prose)."""
    _, out = site
    jar = vnu_jar()
    fixture = tmp_path / "fixture"
    assert build_site(REPO / "tests" / "fixtures" / "site", fixture).ok
    pages = [str(p) for root in (out, fixture) for p in sorted(root.rglob("*.html"))]
    result = subprocess.run(["java", "-jar", jar, "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').split(str(out))[-1]}:{m.get('lastLine')}: {m.get('message')}"
              for m in messages if m.get("type") == "error"]
    assert not errors, errors[:20]
    assert len(pages) > 20
