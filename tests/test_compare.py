"""The comparison engine on small hand-made tables: matching, new/removed, zero base, prose."""

from __future__ import annotations

from decimal import Decimal as D

from site_builder.compare import (
    LineChange,
    compare_documents,
    largest_changes,
    match_code,
    match_name,
    pair_rows,
)
from site_builder.model import Pos, Row

POS = Pos("content/demo/2024-yusuan.yaml", 10, 7)


def row(name: str, amount: str | None, code: str | None = None, total: bool = False,
        texts: dict | None = None) -> Row:
    amounts = {} if amount is None else {"合计": D(amount)}
    level = 0 if total else len(code.split()) if code else 1
    return Row(name, code, level, total, amounts, texts or {}, {}, POS, {})


def pairs(current, previous, label_key=None):
    result = pair_rows(tuple(current), tuple(previous), label_key)
    return [(c.name if c else None, p.name if p else None, how) for c, p, how in result.pairs]


def test_codes_are_normalised_for_matching_only():
    assert match_code("301 2") == match_code("301 02") == "301 02"
    assert match_code("2013250") == "201 32 50"
    assert match_code(None) is None
    assert match_name("（一）1、工资 福利") == "工资福利"


def test_lines_match_by_code_even_when_published_differently():
    result = pair_rows((row("基本工资", "5.00", "301 2"),), (row("基本工资", "4.00", "301 02"),))
    cur, prev, how = result.pairs[0]
    assert (cur.code, prev.code, how) == ("301 2", "301 02", "code")
    assert not result.findings


def test_renamed_line_keeps_its_code_match_and_last_years_name():
    from site_builder.compare import _lines
    cur, prev = row("新名称", "3.00", "201 32 50"), row("事业运行", "2.00", "201 32 50")
    line = _lines([(cur, prev, "code")], "合计", None)[0]
    assert line.status == "matched" and line.previous_name == "事业运行"
    assert line.change == D("1.00")


def test_new_and_removed_lines_are_marked_and_removed_stays_in_place():
    current = [row("总计", "10", total=True), row("甲", "4", "201"), row("丙", "6", "205")]
    previous = [row("总计", "9", total=True), row("甲", "3", "201"), row("乙", "6", "203")]
    assert pairs(current, previous) == [
        ("总计", "总计", "total"), ("甲", "甲", "code"), (None, "乙", "removed"),
        ("丙", None, "new")]


def test_uncoded_rows_match_by_name_and_similar_names_with_a_warning():
    current = [row("1、一般公共预算拨款", "5"), row("其中：一般财力资金", "5")]
    previous = [row("一般公共预算拨款", "4"), row("其中：一般财力", "4")]
    result = pair_rows(tuple(current), tuple(previous))
    assert [how for _, _, how in result.pairs] == ["name", "fuzzy"]
    assert [f.code for f in result.findings] == ["fuzzy-match"]
    assert "content/demo/2024-yusuan.yaml:10" in result.findings[0].format()


def test_dissimilar_names_are_not_matched():
    result = pair_rows((row("对个人和家庭的补助", "5"),), (row("资本性支出", "4"),))
    assert sorted(how for _, _, how in result.pairs) == ["new", "removed"]


def test_project_rows_match_by_code_and_project_name():
    current = [row("其他", "20", "201 32 99", texts={"项目名称": "信息化"}),
               row("其他", "55", "201 32 99", texts={"项目名称": "考核"})]
    previous = [row("其他", "50", "201 32 99", texts={"项目名称": "考核"}),
                row("其他", "30", "201 32 99", texts={"项目名称": "信息化"})]
    result = pair_rows(tuple(current), tuple(previous), "项目名称")
    assert [(c.amounts["合计"], p.amounts["合计"]) for c, p, _ in result.pairs] == [
        (D("20"), D("30")), (D("55"), D("50"))]


def test_rate_is_exact_and_rounded_half_up_only_for_display():
    line = LineChange("201", "甲", 1, False, D("280.23"), D("294.06"), "matched")
    assert line.change == D("13.83")
    assert line.rate == D("13.83") / D("280.23") * 100
    assert line.rate_text == "4.94%"
    half = LineChange("201", "甲", 1, False, D("8"), D("8.00001"), "matched")
    assert half.rate_text == "0.00%"
    up = LineChange("201", "甲", 1, False, D("200"), D("200.01"), "matched")  # 0.005% → 0.01%
    assert up.rate_text == "0.01%"


def test_zero_base_has_no_rate():
    line = LineChange("201", "甲", 1, False, D("0.00"), D("25.00"), "matched")
    assert line.rate is None and line.rate_text == "新增"
    both_zero = LineChange("201", "甲", 1, False, D("0.00"), D("0.00"), "matched")
    assert both_zero.rate is None and both_zero.rate_text == "—"
    new = LineChange("201", "甲", 1, False, None, D("3"), "new")
    assert new.change == D("3") and new.rate_text == "新增"
    removed = LineChange("201", "甲", 1, False, D("3"), None, "removed")
    assert removed.change == D("-3") and removed.rate_text == "取消"


def test_largest_changes_use_leaf_lines_sorted_by_size():
    from site_builder.compare import TableComparison
    lines = (LineChange("201", "类", 1, False, D("10"), D("30"), "matched"),
             LineChange("201 01", "款甲", 2, False, D("5"), D("20"), "matched"),
             LineChange("201 02", "款乙", 2, False, D("5"), D("10"), "matched"),
             LineChange("205", "丙", 1, False, D("9"), D("1"), "matched"))
    comp = TableComparison("表3", "t", "", "合计", "万元", lines)
    ups, downs = largest_changes([comp])
    assert [ln.name for ln in ups] == ["款甲", "款乙"]
    assert [ln.name for ln in downs] == ["丙"]


# ------------------------------------------------------------ prose-derived prior figures

SECTION_XJ = """
sections:
  - part: 情况说明
    title: 五、一般公共预算当年拨款情况说明
    body: |
      1、一般公共服务支出（类）组织事务（款）事业运行（项）：2024年预算数为10.00万元，比上年预算增加2.00万元，增长25.00%。主要原因是人员增资。
"""
SECTION_SH = """
sections:
  - part: 编制说明
    title: 部门预算编制说明
    body: |
      1. “一般公共服务支出（类）组织事务（款）事业运行（项）”10.00万元，主要用于事业运行。2023年当年预算执行数为12.50万元，2024年预算安排10.00万元，比2023年预算执行数减少20.00%。主要原因是：项目调整。
"""
TABLE5 = "  表5: {rows: [{name: 总计, 合计: 10.00, 基本支出: 10.00}, " \
         "{code: 201 32 50, name: 事业运行, 合计: 10.00, 基本支出: 10.00}]}\n"


def _documents(tmp_path, section, previous_amount=None):
    """A 2024 document with 表5 and a prose section; optionally a 2023 one."""
    from contentkit import MINIMAL_DOC, make_content

    from site_builder.loader import load_site
    current = MINIMAL_DOC.replace(
        "  表5: {rows: [{name: 总计, 合计: 10.00, 基本支出: 10.00}]}\n", TABLE5) + section
    content = make_content(tmp_path, current)
    if previous_amount is not None:
        last = current.replace("year: 2024", "year: 2023").replace(
            "事业运行, 合计: 10.00", f"事业运行, 合计: {previous_amount}")
        (content / "demo" / "2023-yusuan.yaml").write_text(last, encoding="utf-8")
    site, problems = load_site(content)
    assert site is not None, [p.format() for p in problems.errors]
    return site.departments[0].documents


def test_prior_figures_from_prose_when_last_years_document_is_missing(tmp_path):
    from site_builder.prior import prose_comparisons, stated_lines
    (doc,) = _documents(tmp_path, SECTION_XJ)
    (comparison,) = prose_comparisons(doc, stated_lines(doc))
    (line,) = comparison.lines
    assert (line.code, line.previous, line.current) == ("201 32 50", D("8.00"), D("10.00"))
    assert line.change == D("2.00") and line.rate_text == "25.00%"
    assert line.source == "prose" and line.reason == "人员增资"
    assert comparison.sources == ["本年文字说明（上年预算）"]


def test_execution_basis_is_labelled_and_never_mixed_with_last_years_budget(tmp_path):
    from site_builder.prior import annotate, prose_comparisons, stated_lines
    (doc,) = _documents(tmp_path, SECTION_SH)
    (comparison,) = prose_comparisons(doc, stated_lines(doc))
    assert comparison.column == "上年预算执行数"
    assert comparison.lines[0].source == "prose-execution"
    assert comparison.lines[0].previous == D("12.50")
    (tmp_path / "b").mkdir()
    last, doc = _documents(tmp_path / "b", SECTION_SH, previous_amount="11.00")
    table5 = next(c for c in compare_documents(doc, last) if c.label == "表5")
    annotated = annotate(table5, stated_lines(doc), table5.unit)
    line = next(ln for ln in annotated.lines if ln.code == "201 32 50")
    assert line.previous == D("11.00") and line.stated_previous == D("12.50")
    assert not annotated.findings  # another basis: shown apart, not a disagreement


def test_disagreement_between_prose_and_last_years_document_is_reported(tmp_path):
    from site_builder.prior import annotate, stated_lines
    last, doc = _documents(tmp_path, SECTION_XJ, previous_amount="7.50")
    table5 = next(c for c in compare_documents(doc, last) if c.label == "表5")
    annotated = annotate(table5, stated_lines(doc), table5.unit)
    line = next(ln for ln in annotated.lines if ln.code == "201 32 50")
    assert line.previous == D("7.50") and line.source == "document"  # the document wins
    assert line.reason == "人员增资"
    (finding,) = annotated.findings
    assert finding.code == "disagreement" and "8.00" in finding.message and "7.50" in finding.message
    assert finding.pos.file == "content/demo/2024-yusuan.yaml"


def test_agreeing_prose_and_document_raise_nothing(tmp_path):
    from site_builder.prior import annotate, stated_lines
    last, doc = _documents(tmp_path, SECTION_XJ, previous_amount="8.00")
    table5 = next(c for c in compare_documents(doc, last) if c.label == "表5")
    assert not annotate(table5, stated_lines(doc), table5.unit).findings


def test_key_figures_compare_with_last_years_document_or_the_prose():
    from pathlib import Path

    from site_builder.compare_pages import headline_changes
    from site_builder.loader import load_site
    site, _ = load_site(Path(__file__).resolve().parent.parent / "content")
    xj = next(d for d in site.departments if d.slug == "changji-kaoping").documents[0]
    lines, findings = headline_changes(xj, None)
    basic = next(h for h in lines if h.line.name == "基本支出")
    assert (basic.line.previous, basic.line.current, basic.unit) == (D("207.73"), D("219.06"), "万元")
    assert basic.line.source == "prose" and basic.line.reason.startswith("2024年人员政策性增资")
    sh = next(d for d in site.departments if d.slug == "wanli-jiedao").documents
    lines, findings = headline_changes(sh[1], sh[0])
    fiscal = next(h for h in lines if h.line.name == "财政拨款")
    assert (fiscal.line.previous, fiscal.line.current) == (D("164978640"), D("156211123"))
    assert fiscal.line.source == "document" and fiscal.line.reason == "项目调整"
    assert not findings  # 16497.86 万元 in the prose = 164,978,640 元 in last year's 表4


# ------------------------------------------------------------ pairing edge cases and HTML rows

def test_a_name_too_short_or_long_to_be_similar_is_left_alone():
    """The length bound skips difflib only where its ratio could not reach FUZZY_RATIO."""
    result = pair_rows((row("工资", "5"), row("对个人和家庭补助", "1")),
                       (row("工资福利补贴", "4"), row("对个人和家庭的补助", "2")))
    assert [how for _, _, how in result.pairs] == ["removed", "new", "fuzzy"]


def test_the_most_similar_name_wins_and_the_first_of_equals():
    def fuzzy(*previous):
        result = pair_rows((row("一般财力资金丙", "5"),), tuple(row(n, "1") for n in previous))
        return [p.name for _, p, how in result.pairs if how == "fuzzy"]
    assert fuzzy("一般财力资金甲乙", "一般财力资金") == ["一般财力资金"]  # 0.80 < 0.92
    assert fuzzy("一般财力资金丁", "一般财力资金乙") == ["一般财力资金丁"]  # 0.86 both


def test_comparison_rows_are_the_former_macros_markup():
    """compare_html draws what the `line_row` macro drew, escapes included."""
    from jinja2 import Environment

    from site_builder.compare import TableComparison
    from site_builder.compare_html import comparison_rows
    from site_builder.render import format_change, format_money
    lines = (LineChange(None, "合计", 0, True, D("10"), D("12.5"), "matched"),
             LineChange("201 01", "A<&>\"'", 2, False, D("3"), D("3"), "matched", previous_name="旧&名"),
             LineChange("201 02", "新", 3, False, None, D("1,000".replace(",", "")), "new", reason="原因<b>"),
             LineChange("205", "去", 1, False, D("-2.50"), None, "removed", match="fuzzy",
                        stated_previous=D("1234567.8"), stated_unit="万元"),
             LineChange(None, "零", 1, False, D("0"), D("0.00"), "matched"))
    comparison = TableComparison("表3", "t", "", "合计", "万元", lines)
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=format_money, change=format_change)
    macro = env.from_string(MACRO + "{% for ln in lines %}{{ line_row(ln, r, e) }}{% endfor %}")
    for execution in (False, True):
        for c in (comparison, TableComparison("表3", "t", "", "合计", "万元", lines[:2])):
            assert str(comparison_rows(c, execution)) == macro.render(
                lines=c.lines, r=c.has_reasons, e=execution)


MACRO = """{% macro line_row(ln, with_reason, execution) %}
<tr class="{{ ln.status }}{% if ln.is_total %} total{% endif %}">
  <th scope="row" class="name lvl-{{ ln.level }}">{% if ln.code %}<span class="code">{{ ln.code }}</span> {% endif %}{{ ln.name }}
    {% if ln.status in ("new", "removed") %}<span class="tag tag-{{ ln.status }}">{{ "新增" if ln.status == "new" else "取消" }}</span>{% endif %}
    {% if ln.previous_name %}<span class="was">（上年名称：{{ ln.previous_name }}）</span>{% endif %}
    {% if ln.match == "fuzzy" %}<span class="tag tag-fuzzy" title="名称相近，按同一行比较">名称相近</span>{% endif %}
  </th>
  <td class="num">{{ ln.previous|money if ln.previous is not none else "—" }}</td>
  <td class="num">{{ ln.current|money if ln.current is not none else "—" }}</td>
  <td class="num change {{ 'up' if ln.change and ln.change > 0 else ('down' if ln.change and ln.change < 0 else '') }}">{{ ln.change|change }}</td>
  <td class="num">{{ ln.rate_text }}</td>
  {% if execution %}<td class="num">{{ ln.stated_previous|money if ln.stated_previous is not none else "" }}</td>{% endif %}
  {% if with_reason %}<td class="reason">{{ ln.reason or "" }}</td>{% endif %}
</tr>
{% endmacro %}"""


def test_a_document_and_last_years_are_compared_once_for_all_pages():
    from pathlib import Path

    from site_builder.compare_pages import worked_out
    from site_builder.loader import load_site
    site, _ = load_site(Path(__file__).resolve().parent.parent / "content")
    last, doc = next(d for d in site.departments if d.slug == "wanli-jiedao").documents[:2]
    work = worked_out(doc, last)
    assert worked_out(doc, last) is work and work.previous is last and work.comparisons
    alone = worked_out(doc, None)
    assert alone is not work and alone.previous is None
    assert not any(c.id == "chart-changes" for c in alone.charts)


def test_lines_made_without_init_equal_lines_made_with_it():
    from site_builder.compare import _lines
    cur, prev = row("新名称", "3.00", "201 32 50"), row("事业运行", "2.00", "201 32 50")
    assert _lines([(cur, prev, "code")], "合计", None)[0] == LineChange(
        "201 32 50", "新名称", 3, False, D("2.00"), D("3.00"), "matched", previous_name="事业运行")
    assert _lines([(None, prev, "removed")], "合计", None)[0].with_prose("因", D("1"), "万元") == LineChange(
        "201 32 50", "事业运行", 3, False, D("2.00"), None, "removed", reason="因",
        stated_previous=D("1"), stated_unit="万元")
