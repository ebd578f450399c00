"""How chart pages load, checked on the built example site without a browser: one small
deferred script (charts.js) that names the chart library instead of loading it, a plot box
whose height is reserved in the HTML, and a first visit that stays small (bench/weight.py).
"""

from __future__ import annotations

import importlib.util
import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest
from site_server import build_example

REPO = Path(__file__).resolve().parent.parent
SCRIPT = re.compile(r"<script\b([^>]*)>")
PLOT = re.compile(r'<div class="chart-plot" id="([^"]+)" style="height:(\d+)px"')
SPEC = re.compile(r'<script type="application/json" data-chart-for="([^"]+)">(.*?)</script>', re.S)
FIRST_VISIT_GZIP_KIB = 64  # HTML + CSS + charts.js of any chart page, before the reader engages


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = build_example(tmp_path_factory.mktemp("site") / "output")
    yield out
    shutil.rmtree(out, ignore_errors=True)


def chart_pages(site: Path) -> list[Path]:
    pages = [p for p in sorted(site.rglob("index.html")) if "data-chart-for" in p.read_text("utf-8")]
    assert len(pages) >= 5
    return pages


def test_a_chart_page_loads_only_charts_js_which_names_the_library(site):
    for page in chart_pages(site):
        tags = [t for t in SCRIPT.findall(page.read_text("utf-8")) if "src=" in t]
        assert len(tags) == 1, page  # plotly.js is not loaded by the HTML
        src = re.search(r'src="([^"]+)"', tags[0]).group(1)
        lib = re.search(r'data-chart-lib="([^"]+)"', tags[0]).group(1)
        assert src.endswith("static/js/charts.js") and " defer" in tags[0]
        folder = posixpath.dirname(page.relative_to(site).as_posix())
        target = site / posixpath.normpath(posixpath.join(folder, lib))
        assert target.name == "plotly-budget.min.js" and target.is_file(), (page, lib)


def test_every_plot_box_reserves_at_least_the_chart_height(site):
    for page in chart_pages(site):
        html = page.read_text("utf-8")
        heights = {i: int(h) for i, h in PLOT.findall(html)}
        specs = {i: json.loads(s) for i, s in SPEC.findall(html)}
        assert heights.keys() == specs.keys() and heights, page
        for chart_id, spec in specs.items():
            narrow = spec.get("narrow") or spec
            assert heights[chart_id] >= max(spec["layout"]["height"], narrow["layout"]["height"])
            light = narrow if spec["data"][0]["type"] == "sunburst" else spec
            first = light["data"][0]
            if first["type"] == "pie":
                need = 148 + 20 * len(first["labels"])
            else:
                cats = first["y"] if first.get("orientation") == "h" else first["x"]
                need = len(cats) * (28 + 18 * len(light["data"]))
            assert heights[chart_id] >= need, (page, chart_id)


def test_pages_without_charts_load_no_chart_script(site):
    for page in sorted(site.rglob("index.html")):
        html = page.read_text("utf-8")
        if "data-chart-for" not in html:
            assert "charts.js" not in html and "plotly-budget" not in html, page


def test_first_visit_to_a_chart_page_is_small(site):
    spec = importlib.util.spec_from_file_location("weight", REPO / "bench" / "weight.py")
    weight = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(weight)
    for page in chart_pages(site):
        raw, packed, rows = weight.weigh(site, page.relative_to(site).as_posix())
        assert not any("plotly" in name for name, _, _ in rows)
        assert packed / 1024 < FIRST_VISIT_GZIP_KIB, (page, raw, packed)
    assert (REPO / "static/js/charts.js").stat().st_size < 16 * 1024
