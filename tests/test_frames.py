"""Pages drawn in base.html's frame (`frames`) are Jinja's own rendering, byte for byte."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from jinja2 import nodes

from site_builder import frames, urls
from site_builder.build import render_settings
from site_builder.loader import load_site
from site_builder.pages import list_pages
from site_builder.pieces import encode
from site_builder.render import make_environment

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site():
    loaded, problems = load_site(REPO / "content")
    assert loaded is not None, problems
    return loaded


@pytest.mark.parametrize("base_url, file_links, site_url", [("/", False, ""), ("/sub/", True, "https://x.cn/")])
def test_pages_in_frame_are_the_template_rendered(site, base_url, file_links, site_url):
    env, settings = make_environment(), render_settings(site, base_url, file_links=file_links)
    u = urls.Urls(settings.urls.base_url, site_url, file_links)
    pages = [p for p in list_pages(site) if frames.in_frame(env, env.get_template(p.template))]
    assert {"table.html", "checks.html", "404.html"} <= {p.template for p in pages}
    env.frames.clear()
    for page in pages:
        context = {**page.context, "page": page, "lang": "zh-CN", "dev": False, "site_title": "站<点>",
                   "organisation": "单位", "description": "说明", "built": "2024-01-02",
                   "canonical": u.canonical(page.route), "url": functools.partial(u.href, page.route)}
        template = env.get_template(page.template)
        assert encode(frames.render_in_frame(env, template, context)) == encode(template.render(context)), page.route
    assert len(env.frames) < len(pages) / 3  # a document's pages share their frame


def test_templates_with_code_outside_blocks_are_rendered_by_jinja():
    env = make_environment()
    assert frames.in_frame(env, env.get_template("table.html"))
    assert not frames.in_frame(env, env.get_template("document.html"))  # imports macros at the top
    assert not frames.in_frame(env, env.get_template("base.html"))


def test_frame_key_covers_what_base_html_reads_outside_its_blocks():
    env = make_environment()
    tree = env.parse(env.loader.get_source(env, frames.BASE)[0])
    for block in tree.find_all(nodes.Block):
        block.body = []
    read = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    assert read <= {*frames.SETTINGS, "page", "url", "crumb"}
    assert {n.attr for n in tree.find_all(nodes.Getattr) if n.node == nodes.Name("page", "load")} == {"breadcrumbs"}
    links = [c.args[0] for c in tree.find_all(nodes.Call) if c.node == nodes.Name("url", "load")]
    assert {a.value for a in links if isinstance(a, nodes.Const)} == set(frames.LINKS)
    assert [a for a in links if not isinstance(a, nodes.Const)] == [nodes.Getattr(nodes.Name("crumb", "load"), "route", "load")]
