"""The faster rendering paths write exactly what the slower, plainer ones did."""

from __future__ import annotations

import dataclasses
import itertools
import json
import posixpath
from pathlib import Path

import markdown
import pytest

from site_builder import urls
from site_builder.checks_page import RowMark
from site_builder.document_json import _data, _table_data, dumps
from site_builder.loader import load_site
from site_builder.pages import performance_views, table_id, table_view
from site_builder.pieces import encode
from site_builder.prose import render_markdown, sanitise
from site_builder.render import make_environment
from site_builder.table_html import budget_table, indicator_rows, table_head, table_rows
from site_builder.table_layout import layout_table

FIXTURE = Path(__file__).parent / "fixtures" / "site"

# The cell-by-cell macro that `table_html` replaced, kept here as the reference.
MACRO_HEAD = """\
{% for row in L.header_rows %}
<tr>
  {% for c in row %}
  <th id="{{ c.id }}" scope="{{ c.scope }}"{% if c.colspan > 1 %} colspan="{{ c.colspan }}"{% endif %}\
{% if c.rowspan > 1 %} rowspan="{{ c.rowspan }}"{% endif %}{% if c.headers %} headers="{{ c.headers }}"{% endif %}\
 class="h-{{ c.role }}{% if c.sticky %} sticky{% endif %}">{{ c.text }}</th>
  {% endfor %}
</tr>
{% endfor %}
{% if L.numbering %}
<tr class="colnums">
  {% for n in L.numbering %}
  <td{% if L.leaves[loop.index0].sticky %} class="sticky"{% endif %}>{{ n }}</td>
  {% endfor %}
</tr>
{% endif %}
"""
MACRO_ROWS = """\
{% for row in L.body %}
{% set flagged = row.anchors|select("in", view.marks)|list %}
<tr{% if row.id %} id="{{ row.id }}"{% endif %}{% if row.is_total or flagged %} class="{{ 'total' if row.is_total }}\
{{ ' ' if row.is_total and flagged }}{{ 'has-finding' if flagged }}"{% endif %}>
  {% for c in row.cells %}
  {% set m = view.marks.get(c.row) if c.row else none %}
  {% set anchor %}{% if c.opens and c.row != row.id %}<span id="{{ c.row }}" class="row-anchor"></span>{% endif %}\
{% endset %}
  {% if c.header %}
  <th scope="row" id="{{ c.id }}" headers="{{ c.headers }}" class="name lvl-{{ c.level }}\
{% if c.sticky %} sticky{% endif %}">{{ anchor }}{{ c.value }}{% if m %} <a class="finding-mark" \
href="{{ url(m.route) }}#{{ m.fragment }}" title="本行有 {{ m.count }} 条数据核对结果">核\
<span class="visually-hidden">（有核对结果）</span></a>{% endif %}</th>
  {% elif c.role == "amount" %}
  <td headers="{{ c.headers }}" class="num{% if m and c.key in m.columns %} flagged{% endif %}">{{ anchor }}\
{% if c.value is not none %}{{ c.mark }}{{ c.value|money }}{% endif %}</td>
  {% else %}
  <td{% if c.headers %} headers="{{ c.headers }}"{% endif %} class="{{ c.role }}{% if c.sticky %} sticky{% endif %}">\
{{ anchor }}{{ c.value if c.value is not none else "" }}</td>
  {% endif %}
  {% endfor %}
</tr>
{% endfor %}
"""

# The macro that `table_html.budget_table` replaced (it drew the rows with the functions above).
MACRO_TABLE = """\
{% macro budget_table(view, doc, url, heading="h3", page_link=true) %}
{% set t = view.table %}
{% set L = view.layout %}
{% set rows = table_rows(view, url) %}
<section class="budget-table" id="{{ view.anchor }}" aria-labelledby="{{ L.id }}-title">
  <{{ heading }} class="table-title" id="{{ L.id }}-title">{{ t.spec.label }}　{{ t.title }}</{{ heading }}>
  <p class="table-meta"><span>编制部门：{{ doc.meta.publisher }}</span> <span>单位：{{ t.spec.unit }}</span></p>
  {% if t.note and rows %}
  <p class="table-note">{{ t.note }}</p>
  {% endif %}
  <div class="table-scroll" role="region" aria-labelledby="{{ L.id }}-title" tabindex="0">
    <table class="data{% if t.spec.sides|length > 1 %} two-sided{% endif %}">
      <caption class="visually-hidden">{{ t.spec.label }} {{ t.title }}（单位：{{ t.spec.unit }}）</caption>
      <thead>
        {{ table_head(view) }}
      </thead>
      <tbody>
        {% if rows %}
        {{ rows }}
        {% else %}
        <tr>
          <td colspan="{{ L.width }}" class="empty-note">{{ t.note or "本表没有数据。" }}</td>
        </tr>
        {% endif %}
      </tbody>
    </table>
  </div>
  <ul class="downloads" aria-label="{{ t.spec.label }} 下载">
    {% for d in view.downloads %}
    <li><a href="{{ url(d.route) }}" download>下载 {{ t.spec.label }} {{ d.title }}</a></li>
    {% endfor %}
    {% if page_link %}
    <li><a href="{{ url(view.route) }}">单独查看{{ t.spec.label }}</a></li>
    <li><a href="#toc-title">回到目录</a></li>
    {% endif %}
  </ul>
</section>
{% endmacro %}
{{ budget_table(view, doc, url) }}|{{ budget_table(view, doc, url, heading="h1", page_link=false) }}"""
# The loop that `table_html.indicator_rows` replaced in `_parts.html`.
MACRO_INDICATORS = """\
      <tbody>
        {% for row in v.grid %}
        <tr>
          {% for text, span in row %}
          {% if span %}<td{% if span > 1 %} rowspan="{{ span }}"{% endif %}\
{% if t.columns[loop.index0] == t.weight_column %} class="num"{% endif %}>{{ text }}</td>{% endif %}
          {% endfor %}
        </tr>
        {% endfor %}
      </tbody>"""


@pytest.fixture(scope="module")
def site():
    loaded, problems = load_site(FIXTURE)
    assert loaded is not None, [p.format() for p in problems.items]
    return loaded


def _text(html) -> str:
    """What a page shows of `html` (text, Markup or a `pieces.Piece`): pieces' text in place of their tokens."""
    return encode(html.__html__() if hasattr(html, "__html__") else html).decode()


def _macro(source: str, **context) -> str:
    """The reference markup, indented as the table's <tbody> indents it (rows 8, cells 10 spaces)."""
    text = make_environment().from_string(source).render(**context)
    lines = ["        " + line for line in text.splitlines()]
    return "\n".join(lines).lstrip()


def _marked_views(site):
    """Every table of the fixture, once plain and once with marks on some rows (incl. 2nd sides)."""
    for doc in site.documents:
        for table in doc.tables.values():
            yield table_view(doc, table)
            rows = layout_table(table, f"t{table.spec.number}").body[::3]
            marks = {a: RowMark("x/checks/", f"f-{n}", frozenset(c.key for c in row.cells[:4] if n % 2 and c.key),
                                n + 1) for n, row in enumerate(rows) for a in row.anchors[-1:]}
            if marks:
                yield table_view(doc, table, marks)


def test_table_rows_and_head_match_the_macro(site):
    def url(route: str) -> str:
        return f"../{route}&a"  # an ampersand shows that links are escaped

    views = list(_marked_views(site))
    assert any(v.marks for v in views) and len(views) > 20
    for view in views:
        head = _macro(MACRO_HEAD, L=view.layout)
        assert str(table_head(view)) == head, view.table.spec.label
        if view.layout.body:
            rows = _macro(MACRO_ROWS, L=view.layout, view=view, url=url)
            assert _text(table_rows(view, url)) == rows, view.table.spec.label


def test_text_with_markup_characters_is_escaped_like_the_macro(site):
    doc = site.documents[0]
    table = next(t for t in doc.tables.values() if len(t.rows()) > 2)
    side = table.spec.sides[0].key
    rows = list(table.rows(side))
    rows[1] = dataclasses.replace(rows[1], name='A&B <i>"引号"\'</i>')
    odd = dataclasses.replace(table, parts={**table.parts, side: tuple(rows)})
    view = table_view(doc, odd)
    expected = _macro(MACRO_ROWS, L=view.layout, view=view, url=str)
    assert "A&amp;B &lt;i&gt;&#34;引号&#34;&#39;&lt;/i&gt;" in expected
    assert _text(table_rows(view, str)) == expected


def test_budget_table_matches_the_macro(site):
    def url(route: str) -> str:
        return f"../{route}&a"

    env = make_environment()
    macro = env.from_string(MACRO_TABLE, globals={"table_head": table_head, "table_rows": table_rows})
    views = [(doc, view) for doc in site.documents for view in _marked_views(site) if view.table in doc.tables.values()]
    assert any(not v.layout.body and v.table.note for _, v in views), "an empty table with its note"
    for doc, view in views:
        document_page, table_page = _text(macro.render(view=view, doc=doc, url=url)).split("|")
        assert _text(budget_table(view, doc, url)) == document_page, view.table.spec.label
        assert _text(budget_table(view, doc, url, heading="h1", page_link=False)) == table_page


def test_indicator_rows_match_the_loop(site):
    loop = make_environment().from_string(MACRO_INDICATORS)
    views = [v for doc in site.documents for v in performance_views(doc) if v.table.indicators]
    assert any(span > 1 for v in views for row in v.grid for _, span in row)
    for v in views:
        expected = loop.render(v=v, t=v.table)
        assert f"      <tbody>\n{indicator_rows(v)}\n      </tbody>" == expected


def test_table_rows_are_drawn_once_per_link_target(site):
    doc = site.documents[0]
    table = next(t for t in doc.tables.values() if t.rows())
    anchor = layout_table(table, f"t{table.spec.number}").body[0].anchors[0]
    view = table_view(doc, table, {anchor: RowMark("a/checks/", "f-1", frozenset(), 1)})
    first = table_rows(view, lambda r: "checks/")
    assert table_rows(view, lambda r: "checks/") is first
    assert b'href="../checks/#f-1"' in table_rows(view, lambda r: "../checks/").data


def test_header_grid_is_shared_by_tables_of_one_spec(site):
    pairs = [(a, b) for d1, d2 in itertools.combinations(site.documents, 2) if d1.profile is d2.profile
             for a in d1.tables.values() for b in d2.tables.values()
             if a.spec is b.spec and dict(a.headers) == dict(b.headers) and a.rows() and b.rows()]
    assert pairs
    for a, b in pairs:
        la, lb = layout_table(a, table_id(a)), layout_table(b, table_id(b))
        assert la is not lb and la.header_rows is lb.header_rows and la.memo is lb.memo
        assert la.body is not lb.body  # each table's own rows
    table = pairs[0][0]
    assert layout_table(table, "t99").memo is not layout_table(table, table_id(table)).memo


def test_layout_is_shared_while_the_table_lives(site):
    table = next(iter(site.documents[0].tables.values()))
    assert layout_table(table, "t1") is layout_table(table, "t1")
    assert layout_table(table, "t9").id == "t9"


@pytest.mark.parametrize("value", [
    {}, [], "", 0, None, True, {"a": [], "b": {}, "c": [1, {"x": None, "y": False, "z": "引号\"\\\n\u2028\t"}]},
    [[[]], [{}], {"k": ("t", 2)}], {"float": 1.5}, {1: "int key"},
])
def test_dumps_is_json_dumps(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_dumps_of_the_fixture_documents(site):
    for doc in site.documents:
        data = {"meta": _data(doc.meta), "tables": [_table_data(t) for t in doc.tables.values()],
                "sections": _data(doc.sections), "performance": _data(doc.performance)}
        assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=1)


def test_relative_links_are_posixpath_relpath():
    routes = ["", "a/", "a/2024/", "a/2024/table-1/", "a/2025/", "b/", "static/site.css",
              "a/2024/a-2024.json", "sitemap.xml", "404.html", "ab/", "a/b", "a/./b/", "a//b/", "./", "."]
    for src, dst in itertools.product(routes, repeat=2):
        start = (src if src.endswith("/") or not src else posixpath.dirname(src)).rstrip("/") or "."
        rel = posixpath.relpath(dst.rstrip("/") or ".", start)
        expected = ("./" if rel == "." else f"{rel}/") if dst == "" or dst.endswith("/") else rel
        assert urls.relative(src, dst) == expected, (src, dst)


def test_markdown_converter_reused_without_leaking_state():
    texts = ["第一段\n\n1. 甲\n2. 乙", "| 项目 | 金额 |\n| --- | --- |\n| 甲 | 1 |", "普通一段", "3. 从三开始\n4. 四"]
    for text in texts * 2:
        fresh = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
        assert render_markdown(text) == sanitise(fresh)


@pytest.mark.parametrize("text", [
    "第一段\n\n第二段", "　　首行缩进\n　　第二行", "一行\n\n\n\n隔了几行", "１. 全角数字是列表\n２. 乙",
    "行尾两个空格  \n换行", "项目 - 说明（一）、。% 1.5万元", "#号在行中不是标题", "\u00a0不换行空格",
    "2024年预算\n\n3. 是列表", "资产情况为\n\n1.车辆1辆。\n\n2.设备0台", "1.5万元", "1.\n2.", "1.  两个空格",
    "１.全角", "1.车辆\n2. 列表", "**（一）标题**\n\n正文", "** 空格不加粗**", "**\u3000全角空格**", "**标题**\n紧接一行",
])
def test_plain_prose_shortcut_is_markdown(text):
    fresh = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    assert render_markdown(text) == sanitise(fresh)


def test_plain_prose_shortcut_on_random_text():
    import random

    from site_builder.prose import _paragraphs
    rng = random.Random(7)
    alphabet = list("预算收入（）、。，：%.-()+=#>*_09１٣ \u3000\u00a0\u2028\x85\n\"'/~") + [
        "\n\n", "  \n", "1. ", "    ", "**", "**", "\n\n**（一）"]
    converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    shortcut = 0
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        fast = _paragraphs(text)
        if fast is not None and text.strip():
            shortcut += 1
            assert fast == converter.reset().convert(text), repr(text)
    assert shortcut > 500
