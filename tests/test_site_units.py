"""Unit tests of the site stages: URLs, filters, prose, table layout, headlines, downloads."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from site_builder import urls
from site_builder.compare import rate_text
from site_builder.document_json import document_json
from site_builder.downloads import table_csv, table_xlsx
from site_builder.headlines import compare, headlines
from site_builder.loader import load_site
from site_builder.prose import render_markdown
from site_builder.render import format_change, format_money, format_percent, item_number
from site_builder.table_layout import layout_table, merge_repeats, paired_rows

FIXTURE = Path(__file__).parent / "fixtures" / "site"


@pytest.fixture(scope="module")
def site():
    loaded, problems = load_site(FIXTURE)
    assert loaded is not None, [p.format() for p in problems.items]
    return loaded


def doc_of(site, slug, year):
    return next(d for d in site.documents if d.department == slug and d.year == year)


# ---------------------------------------------------------------- urls

@pytest.mark.parametrize("src, dst, expected", [
    ("", "", "./"),
    ("", "a/2024/", "a/2024/"),
    ("a/2024/", "", "../../"),
    ("a/2024/table-6/", "a/2024/table-7/", "../table-7/"),
    ("a/2024/table-6/", "static/site.css", "../../../static/site.css"),
    ("a/2024/", "a/2024/a-2024.json", "a-2024.json"),
    ("404.html", "a/", "a/"),
])
def test_relative_links(src, dst, expected):
    assert urls.relative(src, dst) == expected


@pytest.mark.parametrize("given, expected", [
    (None, "/"), ("/", "/"), ("budget-site", "/budget-site/"), ("/budget-site", "/budget-site/"),
    ("/a/b/", "/a/b/"),
])
def test_base_url_is_normalised(given, expected):
    assert urls.normalise_base_url(given) == expected


def test_output_paths():
    assert urls.output_path("") == "index.html"
    assert urls.output_path("a/2024/table-6/") == "a/2024/table-6/index.html"
    assert urls.output_path("sitemap.xml") == "sitemap.xml"


# ---------------------------------------------------------------- filters

@pytest.mark.parametrize("value, expected", [
    ("6.10", "6.10"), ("0", "0"), ("0.00", "0.00"), ("156211123", "156,211,123"),
    ("1234567.80", "1,234,567.80"), ("-1234.5", "-1,234.5"),
])
def test_money_keeps_published_precision(value, expected):
    assert format_money(Decimal(value)) == expected


def test_money_blank_is_blank():
    assert format_money(None) == ""


def test_percent_and_change():
    assert format_percent(Decimal("4.944")) == "4.94%"
    assert format_percent(None) == "—"


def test_percent_rounds_half_up_as_the_compare_page_does():
    """四舍五入: a headline's growth rate and a compared line's rate round a tie the same way."""
    for exact in ("12.345", "0.125", "-0.125", "2.675"):
        value = Decimal(exact)
        assert format_percent(value) == rate_text(Decimal(100), 100 + value, value, "changed")
    assert format_percent(Decimal("0.125")) == "0.13%"
    assert format_change(Decimal("13.83")) == "+13.83"
    assert format_change(Decimal("-0.49")) == "-0.49"
    assert format_change(Decimal("0.00")) == "0.00"


@pytest.mark.parametrize("n, style, expected", [
    (1, "（一）", "（一）"), (11, "（一）", "（十一）"), (23, "一、", "二十三、"), (3, "1.", "3."),
])
def test_item_numbers(n, style, expected):
    assert item_number(n, style) == expected


# ---------------------------------------------------------------- prose

def test_prose_is_sanitised():
    html = render_markdown('a <script>alert(1)</script> [x](javascript:alert(1)) '
                           '<a href="https://e.org" onclick="x()">y</a> <img src=x onerror=alert(1)>')
    assert "<script" not in html and "javascript:" not in html
    assert "onclick" not in html and "onerror" not in html and "<img" not in html
    assert 'href="https://e.org"' in html


def test_prose_keeps_paragraphs_and_lists():
    html = render_markdown("第一段\n\n1. 甲\n2. 乙")
    assert "<p>第一段</p>" in html and "<li>乙</li>" in html


# ---------------------------------------------------------------- table layout

def test_multi_level_headers(site):
    table = doc_of(site, "xinjiang-demo", 2024).table("表2")
    layout = layout_table(table, "t2")
    top = layout.header_rows[0]
    assert [(c.text, c.colspan, c.rowspan) for c in top][:3] == [
        ("功能分类科目编码", 3, 1), ("功能分类科目名称", 1, 2), ("总计", 1, 2)]
    assert top[3].text == "财政拨款（补助）" and top[3].colspan == 7 and top[3].scope == "colgroup"
    child = layout.header_rows[1][3]
    assert child.text == "财政拨款(补助)小计" and child.headers == top[3].id
    assert layout.numbering[:5] == ("※", "※", "※", "※", "1")
    assert layout.numbering[-1] == "12"


def test_codes_split_into_columns_and_names_indented(site):
    layout = layout_table(doc_of(site, "xinjiang-demo", 2024).table("表2"), "t2")
    row = layout.body[3]  # 201 32 50 事业运行
    assert [c.value for c in row.cells[:4]] == ["201", "32", "50", "事业运行"]
    assert row.cells[3].header and row.cells[3].level == 3
    assert row.cells[4].headers.endswith(row.cells[3].id)


def test_marks_and_blank_cells(site):
    layout = layout_table(doc_of(site, "xinjiang-demo", 2024).table("表3"), "t3")
    row = layout.body[2]  # 201 32 99 with '*81.10' in 项目支出
    project = row.cells[-1]
    assert project.mark == "*" and project.value == Decimal("81.10")
    assert row.cells[-2].value is None  # 基本支出 left blank, not 0


def test_two_sided_rows_pair_and_totals_last(site):
    table = doc_of(site, "xinjiang-demo", 2024).table("表1")
    pairs = paired_rows(table)
    assert pairs[-1][0].is_total and pairs[-1][1].is_total
    assert pairs[3][1] is None  # income has more body rows than expenditure
    layout = layout_table(table, "t1")
    assert [c.text for c in layout.header_rows[0]] == ["收入", "支出"]
    assert layout.body[0].cells[2].value == "201 一般公共服务支出"  # code kept in the name cell
    assert layout.body[-1].is_total


def test_empty_table_has_no_body(site):
    table = doc_of(site, "xinjiang-demo", 2024).table("表8")
    assert layout_table(table, "t8").body == () and "空表" in table.note


def test_merge_repeats():
    rows = [["产出", "数量", "a"], ["产出", "数量", "b"], ["产出", "质量", "c"], ["效益", "质量", "d"]]
    merged = merge_repeats(rows)
    assert [r[0][1] for r in merged] == [3, 0, 0, 1]
    assert [r[1][1] for r in merged] == [2, 0, 1, 1]  # 质量 does not merge across 产出/效益


# ---------------------------------------------------------------- headlines

def test_headlines_read_published_totals(site):
    found = {h.key: h for h in headlines(doc_of(site, "xinjiang-demo", 2024))}
    assert found["total"].amount == Decimal("300.16") and found["total"].table == "表1"
    assert found["fiscal"].amount == Decimal("294.06") and found["fiscal"].table == "表4"
    assert found["基本支出"].amount == Decimal("219.06")
    assert found["three_public"].amount == Decimal("2.28") and found["three_public"].table == "表10"


def test_change_from_last_year_is_exact(site):
    now = headlines(doc_of(site, "shanghai-demo", 2024))
    last = headlines(doc_of(site, "shanghai-demo", 2023))
    changes = {c.headline.key: c for c in compare(now, last)}
    assert changes["total"].change == Decimal("6211123")
    total = changes["total"]
    assert total.rate == total.change / total.previous.amount * 100  # exact, rounded when shown
    assert format_percent(total.rate) == "4.14%"
    assert changes["three_public"].headline.unit == "万元"
    assert changes["three_public"].change == Decimal("-2.91")


# ---------------------------------------------------------------- downloads

def test_csv_has_bom_and_codes_as_text(site):
    doc = doc_of(site, "xinjiang-demo", 2024)
    data = table_csv(doc, doc.table("表2"))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["功能分类科目编码/类", "功能分类科目编码/款", "功能分类科目编码/项", "功能分类科目名称"]
    assert rows[0][5] == "财政拨款（补助）/财政拨款(补助)小计"
    assert rows[4][:4] == ["201", "32", "50", "事业运行"]
    assert rows[1][4] == "300.16" and rows[1][-1] == "6.10"


def test_csv_records_published_marks(site):
    doc = doc_of(site, "xinjiang-demo", 2024)
    rows = list(csv.reader(io.StringIO(table_csv(doc, doc.table("表3")).decode("utf-8-sig"))))
    assert rows[0][-1] == "原表标记"
    assert rows[3][-2] == "81.10" and rows[3][-1] == "支出预算/项目支出：*"


def test_xlsx_keeps_codes_as_text_and_amounts_as_numbers(site):
    doc = doc_of(site, "xinjiang-demo", 2024)
    book = openpyxl.load_workbook(io.BytesIO(table_xlsx(doc, doc.table("表6"))))
    sheet = book.active
    assert sheet.title == "表6"
    codes = [c for c in sheet["A"] if c.value == "301"]
    assert codes and codes[0].data_type == "s"
    amounts = [c for c in sheet["D"] if isinstance(c.value, (int, float))]
    assert amounts and amounts[0].number_format == "#,##0.00"
    assert "A3:C3" in {str(r) for r in sheet.merged_cells.ranges} or sheet.merged_cells.ranges


def test_xlsx_is_deterministic_and_honours_epoch(site):
    doc = doc_of(site, "xinjiang-demo", 2024)
    table = doc.table("表2")
    assert table_xlsx(doc, table) == table_xlsx(doc, table)
    assert table_xlsx(doc, table, 1_700_000_000) != table_xlsx(doc, table)


def test_document_json_keeps_decimals_as_strings(site):
    doc = doc_of(site, "xinjiang-demo", 2024)
    data = json.loads(document_json(doc))
    table2 = next(t for t in data["tables"] if t["label"] == "表2")
    first = table2["sides"][0]["rows"][0]
    assert first["amounts"]["非财政拨款结转结余"] == "6.10"
    assert table2["sides"][0]["rows"][1]["code"] == "201"
    assert data["meta"]["published"] == "2024-02-23"
    assert data["facts"]["three_public"]["change"] == "0.00"
    assert "pos" not in json.dumps(data)


# ---------------------------------------------------------------- the Jinja environment

def test_templates_autoescape_and_fail_on_undefined(tmp_path):
    from jinja2 import UndefinedError

    from site_builder.render import render_template
    (tmp_path / "t.html").write_text("{{ name }} {{ amount|money }}", "utf-8")
    out = render_template("t.html", {"name": "<script>x</script>", "amount": Decimal("1234.50")}, tmp_path)
    assert out == b"&lt;script&gt;x&lt;/script&gt; 1,234.50"
    with pytest.raises(UndefinedError):
        render_template("t.html", {"amount": Decimal(1)}, tmp_path)
    (tmp_path / "u.html").write_text("{{ name|unknown_filter }}", "utf-8")
    with pytest.raises(Exception, match="unknown_filter"):
        render_template("u.html", {"name": "x"}, tmp_path)
