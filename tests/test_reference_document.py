"""Pin content/changji-kaoping/2024-yusuan.yaml to the published reference document.

Every comparison reads the figure from the source text (the PDF's text layer) rather than
repeating it here: a row is rendered from the model and compared with the source line(s) that
carry it. Whitespace is ignored in those comparisons because the text layer inserts spaces
and line breaks wherever the PDF's fonts and cells change.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from itertools import zip_longest
from pathlib import Path

import pytest
from contentkit import SEEDS, seeds_missing

from site_builder.loader import load_site
from site_builder.model import Document, PerformanceTable, Row, Side, Table

ROOT = Path(__file__).resolve().parent.parent
CONTENT = Path(os.environ.get("REFERENCE_CONTENT", ROOT / "content"))
SOURCE = Path(os.environ.get("REFERENCE_SOURCE", SEEDS / "000_fb6e89ff8f450bc0.txt"))
PAGE_NUMBER = re.compile(r"^\d{1,2}$")
AMOUNT = re.compile(r"\*?\d+\.\d{2}")
ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]

pytestmark = pytest.mark.skipif(seeds_missing(SOURCE), reason=f"参考原文不存在：{SOURCE}")


def squash(text: str) -> str:
    """Drop all whitespace (and Markdown bold marks) so layout differences do not matter."""
    return re.sub(r"\s+", "", text.replace("**", ""))


class Source:
    """The reference text as stripped, non-blank lines without page numbers."""

    def __init__(self, text: str) -> None:
        self.lines = [s for s in (line.strip() for line in text.splitlines())
                      if s and not PAGE_NUMBER.match(s)]

    def find(self, prefix: str, start: int = 0) -> int:
        """Index of the first line at or after `start` that starts with `prefix`."""
        return next(i for i in range(start, len(self.lines)) if self.lines[i].startswith(prefix))

    def between(self, start: str, end: str, after: int = 0) -> list[str]:
        i = self.find(start, after)
        return self.lines[i + 1:self.find(end, i + 1)]

    def table_block(self, number: int) -> list[str]:
        start = self.lines.index(f"表 {number}")
        end = next(i for i in range(start + 1, len(self.lines))
                   if re.match(r"^表 \d+$", self.lines[i]) or self.lines[i].startswith("第三部分"))
        return self.lines[start:end]

    def table_body(self, number: int) -> list[str]:
        """The data lines of a table: after each ※ numbering line, or from the “一、” line."""
        block = self.table_block(number)
        if not any(line.startswith("※") for line in block):
            return block[next(i for i, line in enumerate(block) if line.startswith("一、")):]
        body, inside = [], False
        for line in block:
            if line.startswith("编制部门"):
                inside = False
            elif line.startswith("※"):
                inside = True
            elif inside:
                body.append(line)
        return body


@pytest.fixture(scope="module")
def src() -> Source:
    return Source(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc() -> Document:
    site, problems = load_site(CONTENT)
    assert site is not None, [p.format() for p in problems.sorted()]
    mine = [p for p in problems.sorted() if "changji-kaoping" in p.file]
    assert mine == [], [p.format() for p in mine]
    return next(d for d in site.documents if d.department == "changji-kaoping" and d.year == 2024)


def cells(row: Row, side: Side) -> list[str]:
    """The row's non-blank amounts in column order, as printed (with any mark)."""
    return [row.marks.get(k, "") + str(row.amounts[k]) for k in side.amount_keys if k in row.amounts]


def render(row: Row | None, side: Side) -> str:
    if row is None:
        return ""
    texts = [row.texts[k] for k in side.text_keys if k in row.texts]
    return " ".join([row.code or "", row.name, *texts, *cells(row, side)])


def render_table(table: Table) -> str:
    """The table's rows laid out as the PDF prints them (收/支 side by side on one line)."""
    if len(table.spec.sides) == 1:
        side = table.spec.sides[0]
        return "".join(render(row, side) for row in table.rows())
    (left, right) = table.spec.sides
    inc, exp = table.rows(left.key), table.rows(right.key)
    assert inc[-1].is_total and exp[-1].is_total
    pairs = [*zip_longest(inc[:-1], exp[:-1]), (inc[-1], exp[-1])]
    return "".join(render(a, left) + render(b, right) for a, b in pairs)


def _loose(text: str) -> str:
    """A regex for `text` that allows the PDF's line breaks between any two characters."""
    return r"\s*".join(map(re.escape, text.replace(" ", "")))


def source_amounts(body: str, row: Row, side: Side) -> list[str]:
    """The amounts printed right after this row's code, name (and project name) in the source."""
    parts = [r"\s+".join(map(re.escape, row.code.split()))] if row.code else []
    parts += [_loose(row.name), *(_loose(row.texts[k]) for k in side.text_keys if k in row.texts)]
    pattern = r"\s*".join(parts)
    match = re.search(rf"(?:^|(?<=\s)){pattern}(?=\s|$)((?:\s+\*?\d+\.\d{{2}})*)", body)
    assert match, f"{side.key} {row.code or ''} {row.name}：原文里找不到这一行"
    return AMOUNT.findall(match.group(1))


TABLES = [f"表{n}" for n in range(1, 12)]
ROW_COUNTS = {"表1": (26, 31), "表2": (17,), "表3": (17,), "表4": (5, 31), "表5": (17,),
              "表6": (25,), "表7": (6,), "表8": (0,), "表9": (0,), "表10": (6,), "表11": (3,)}


def test_all_eleven_tables_in_profile_order(doc: Document) -> None:
    assert list(doc.tables) == TABLES


@pytest.mark.parametrize("label", TABLES)
def test_row_counts(doc: Document, label: str) -> None:
    table = doc.tables[label]
    assert tuple(len(table.rows(s.key)) for s in table.spec.sides) == ROW_COUNTS[label]


@pytest.mark.parametrize("label", TABLES)
def test_table_text_equals_source(doc: Document, src: Source, label: str) -> None:
    """Codes, names, project names and every printed amount, in the published order."""
    table = doc.tables[label]
    body = "".join(src.table_body(int(label[1:])))
    expected = squash(table.note) if table.note else ""
    assert squash(render_table(table)) + expected == squash(body)


@pytest.mark.parametrize("label", [t for t in TABLES if t not in ("表8", "表9")])
def test_each_row_matches_its_source_line(doc: Document, src: Source, label: str) -> None:
    """Find each row's line in the source; the amounts on it equal the model's, in order."""
    table = doc.tables[label]
    body = "\n".join(src.table_body(int(label[1:])))
    checked = 0
    for side in table.spec.sides:
        for row in table.rows(side.key):
            assert source_amounts(body, row, side) == cells(row, side), (label, row.code, row.name)
            checked += len(row.amounts)
    assert checked > 0


def test_row_201_32_99_of_table3_keeps_the_asterisk(doc: Document, src: Source) -> None:
    line = next(s for s in src.table_body(3) if s.startswith("201 32 99 其他组织事务支出"))
    row = next(r for r in doc.tables["表3"].rows() if r.code == "201 32 99")
    assert cells(row, doc.tables["表3"].spec.sides[0]) == AMOUNT.findall(line) == ["81.10", "*81.10"]
    assert row.marks == {"项目支出": "*"} and "基本支出" not in row.amounts


def test_column_placement_decisions(doc: Document) -> None:
    """Where the text layer lost blank cells, the columns chosen in the YAML comments."""
    t2 = {r.name: r for r in doc.tables["表2"].rows()}
    assert str(t2["总计"].amounts["非财政拨款结转结余"]) == "6.10"
    assert "单位资金" not in t2["总计"].amounts and "财政拨款结转" not in t2["总计"].amounts
    t7 = doc.tables["表7"].rows()
    assert t7[1].code is None and t7[1].level == 1 and t7[1].name == doc.meta.publisher
    assert [set(r.amounts) for r in t7] == [{"项目支出合计", "商品服务支出", "资本性支出"}] * 5 + [
        {"项目支出合计", "商品服务支出"}]
    project = doc.facts.projects[0]
    equipment = [a.amount for a in project.allocations if a.item == "办公设备购置费"]
    others = sum((a.amount for a in project.allocations if a.item != "办公设备购置费"), Decimal(0))
    assert equipment == [t7[4].amounts["资本性支出"]] and others == t7[4].amounts["商品服务支出"]
    assert {k for r in doc.tables["表10"].rows() for k in r.amounts} == {"合计", "一般公共预算"}
    for row in doc.tables["表11"].rows():
        assert set(row.amounts) == {"总计", "非财政拨款合计", "非财政拨款项目支出"}


COLUMNS_USED = {  # label: the amount columns any row uses (the others are blank throughout)
    "表2": {"总计", "财政拨款小计", "一般公共预算", "非财政拨款结转结余"},
    "表4": {"合计", "一般公共预算"},
    "表6": {"合计", "人员经费", "公用经费"},
    "表10": {"合计", "一般公共预算"},
}


@pytest.mark.parametrize("label", sorted(COLUMNS_USED))
def test_blank_columns_stay_blank(doc: Document, label: str) -> None:
    table = doc.tables[label]
    used = {k for side in table.spec.sides for r in table.rows(side.key) for k in r.amounts}
    assert used == COLUMNS_USED[label]


def test_basic_and_project_columns(doc: Document) -> None:
    """表3/表5: 201 32 99 is project spending only; 表6: 301 is 人员经费, 302 is 公用经费."""
    for label in ("表3", "表5"):
        for row in doc.tables[label].rows():
            expected = {"合计", "项目支出"} if row.code == "201 32 99" else None
            if expected:
                assert set(row.amounts) == expected, (label, row.code)
            elif row.code and not row.code.startswith("201"):
                assert set(row.amounts) == {"合计", "基本支出"}, (label, row.code)
    for row in doc.tables["表6"].rows()[1:]:
        staff = "人员经费" if row.code.startswith("301") else "公用经费"
        assert set(row.amounts) == {"合计", staff} and row.amounts["合计"] == row.amounts[staff]


def _expected_level(name: str, previous: int) -> int:
    """Indentation of an uncoded income line, read from its numbering (一、 > 1、 > 其中：)."""
    if re.match(r"^[一二三四五六七八九十]+、", name):
        return 1
    if re.match(r"^\d+[、.]", name):
        return 2
    if name.startswith("其中："):
        return previous + 1
    return max(previous, 2)


@pytest.mark.parametrize("label", ["表1", "表4"])
def test_income_levels_follow_the_numbering(doc: Document, label: str) -> None:
    previous = 0
    for row in doc.tables[label].rows("income")[:-1]:
        assert row.level == _expected_level(row.name, previous), row.name
        previous = row.level
    assert doc.tables[label].rows("income")[-1].level == 0


def test_uncoded_row_levels(doc: Document) -> None:
    """表10: 其中 lines under the vehicle subtotal; 表11: the unit, then its project."""
    assert [r.level for r in doc.tables["表10"].rows()] == [0, 1, 1, 1, 2, 2]
    assert [r.level for r in doc.tables["表11"].rows()] == [0, 1, 2]
    assert [r.level for r in doc.tables["表7"].rows()] == [0, 1, 1, 2, 3, 3]


def test_codes_are_text_and_decimals_keep_their_exponent(doc: Document) -> None:
    row = next(r for r in doc.tables["表2"].rows() if r.code == "208 05 05")
    assert row.segments == ("208", "05", "05") and row.level == 3
    assert isinstance(doc.tables["表1"].rows("expenditure")[0].code, str)
    total = doc.tables["表2"].rows()[0]
    assert total.is_total and total.level == 0
    assert str(total.amounts["非财政拨款结转结余"]) == "6.10"
    assert total.amounts["非财政拨款结转结余"].as_tuple().exponent == -2


def test_blank_is_not_zero(doc: Document, src: Source) -> None:
    row_202 = next(r for r in doc.tables["表1"].rows("expenditure") if r.code == "202")
    line = next(s for s in src.table_body(1) if "202 外交支出" in s)
    assert row_202.amounts == {} and line.endswith("202 外交支出")  # nothing printed after it
    fund = next(r for r in doc.tables["表4"].rows("income") if r.name == "政府性基金预算")
    assert fund.amounts == {}
    income_text = squash(doc.sections[1].body)
    assert "政府性基金预算0.00万元" in income_text
    assert "政府性基金预算0.00万元" in squash("".join(src.between("二、 关于", "三、 关于")))
    tp = doc.facts.three_public
    assert str(tp.outbound) == "0" and str(tp.change) == "0.00"
    outbound = next(r for r in doc.tables["表10"].rows() if r.name.startswith("因公出国"))
    assert outbound.amounts == {}


@pytest.mark.parametrize("label", ["表8", "表9"])
def test_empty_tables_keep_their_note(doc: Document, src: Source, label: str) -> None:
    table = doc.tables[label]
    assert table.is_empty and table.rows() == ()
    assert table.note == squash("".join(src.table_body(int(label[1:]))))
    assert table.note.endswith("为空表。")


def test_overview(doc: Document, src: Source) -> None:
    functions = doc.overview.functions
    assert len(functions.items) == 11 and functions.numbering == "（一）"
    numbered = zip(ORDINALS, functions.items, strict=False)
    listed = functions.intro + "".join(f"（{o}）{item}" for o, item in numbered)
    assert squash(listed) == squash("".join(src.between("一、 主要职能", "二、 机构设置")))
    org, staff = doc.overview.organization, doc.overview.staff
    text = squash("".join(src.between("二、 机构设置", "第二部分")))
    assert squash(org.text + staff.text) == text
    assert "分别是：" + "、".join(org.offices) + "。" in text and org.units == ()
    m = re.search(r"编制数(\d+)，实有人数(\d+)人，其中：在职(\d+)人，增加(\d+)人；"
                  r"退休(\d+)人，增加(\d+)人；离休(\d+)人，增加(\d+)人", text)
    model = [staff.establishment, staff.actual, staff.in_service.count, staff.in_service.change,
             staff.retired.count, staff.retired.change, staff.lixiu.count, staff.lixiu.change]
    assert [int(g) for g in m.groups()] == model


def test_sections_equal_part_three(doc: Document, src: Source) -> None:
    """The twelve 情况说明 sections hold all of 第三部分 (绩效目标表 apart), word for word."""
    assert len(doc.sections) == 12 and {s.part for s in doc.sections} == {"情况说明"}
    for ordinal, section in zip(ORDINALS, doc.sections, strict=True):
        assert section.title.startswith(f"{ordinal}、") and " " not in section.title
    start = src.find("第三部分")
    published = src.lines[start + 1:src.lines.index("部门整体绩效目标表")]
    published += src.lines[src.find("(五)"):src.find("第四部分")]
    rendered = "".join(s.title + s.body for s in doc.sections)
    assert squash(rendered) == squash("".join(published))


def test_sections_are_paragraphs_without_hard_breaks(doc: Document) -> None:
    for section in doc.sections:
        for paragraph in section.body.strip().split("\n\n"):
            assert "\n" not in paragraph.strip(), (section.title, paragraph)
    five = doc.sections[4].body.split("\n\n")
    assert five[0] == "**（一）一般公共预算当年拨款规模变化情况**"


def _prose(src: Source) -> str:
    return squash("".join(src.lines[src.find("第三部分"):src.find("第四部分")]))


def test_facts_three_public_and_operating_costs(doc: Document, src: Source) -> None:
    text, tp = _prose(src), doc.facts.three_public
    pattern = (r"“三公”经费预算数为([\d.]+)万元，其中：因公出国（境）费([\d.]+)万元，公务用车购置费"
               r"([\d.]+)万元，公务用车运行费([\d.]+)万元，公务接待费([\d.]+)万元。.*?"
               r"经费预算比上年预算增加([\d.]+)万元")
    published = re.search(pattern, text).groups()
    model = (tp.total, tp.outbound, tp.vehicle_purchase, tp.vehicle_operation, tp.reception, tp.change)
    assert tuple(map(str, model)) == published
    m = re.search(r"机关运行经费财政拨款预算([\d.]+)万元，比上年预算增加([\d.]+)万元", text)
    assert (str(doc.facts.operating_costs), str(doc.facts.operating_costs_change)) == m.groups()
    staff_costs = doc.tables["表6"].rows()[0].amounts["公用经费"]
    assert doc.facts.operating_costs == staff_costs


def test_facts_procurement_and_performance_counts(doc: Document, src: Source) -> None:
    text, p = _prose(src), doc.facts.procurement
    m = re.search(r"政府采购预算([\d.]+)万元，其中：政府采购货物预算([\d.]+)万元，政府采购工程预算"
                  r"([\d.]+)万元，政府采购服务预算([\d.]+)万元。.*?面向中小企业预留政府采购项目预算金额"
                  r"([\d.]+)万元，小微企业预留政府采购项目预算金额([\d.]+)万元", text)
    model = (p.total, p.goods, p.works, p.services, p.sme_reserved, p.small_micro_reserved)
    assert tuple(map(str, model)) == m.groups()
    c = doc.facts.performance_counts
    m = re.search(r"整体预算绩效目标(\d+)个，涉及金额([\d.]+)万元；当年财政拨款项目(\d+)个，涉及预算金额"
                  r"([\d.]+)万元；当年非财政拨款项目(\d+)个，涉及预算金额([\d.]+)万元", text)
    model = (c.overall_targets, c.overall_amount, c.fiscal_projects, c.fiscal_amount,
             c.nonfiscal_projects, c.nonfiscal_amount)
    assert tuple(map(str, model)) == m.groups()


def test_facts_assets(doc: Document, src: Source) -> None:
    text, assets = _prose(src), doc.facts.assets
    year = re.search(r"截至(\d{4})年底", text).group(1)
    assert assets.as_of.isoformat() == f"{year}-12-31"
    items = {a.name: a for a in assets.items}
    house = re.search(r"房屋([\d.]+)平方米，价值([\d.]+)万元", text).groups()
    assert (str(items["房屋"].area), str(items["房屋"].value)) == house
    for name in ("车辆", "一般公务用车", "执法执勤用车", "其他车辆"):
        m = re.search(rf"{name}(\d+)辆，价值([\d.]+)万元", text)
        assert (str(items[name].count), str(items[name].value)) == m.groups(), name
    for name in ("办公家具", "其他资产"):
        assert f"{name}价值{items[name].value}万元" in text
    for item in (*assets.items, *assets.planned):
        if item.count_unit == "台":
            assert f"{item.name}{item.count}台" in text
    assert len(assets.items) == 9 and len(assets.planned) == 2


def test_facts_projects(doc: Document, src: Source) -> None:
    text = squash("".join(src.between("七、 关于", "八、 关于")))
    blocks = text.split("项目名称：")[1:]
    assert len(blocks) == len(doc.facts.projects) == 2
    for block, project in zip(blocks, doc.facts.projects, strict=True):
        assert block.startswith(project.name)
        assert f"设立的政策依据：{project.basis}预算安排规模：{project.amount}万元" in block
        assert f"项目承担单位：{project.implementer}资金分配情况：" in block
        assert f"资金执行时间：{project.period}" in block
        shares = re.search(r"资金分配情况：(.*?)。", block).group(1)
        published = [tuple(re.fullmatch(r"(.+?)([\d.]+)万元", s).groups()) for s in shares.split("、")]
        assert [(a.item, str(a.amount)) for a in project.allocations] == published
    t7 = [r for r in doc.tables["表7"].rows() if r.texts]
    assert [(r.texts["项目名称"], r.amounts["项目支出合计"]) for r in t7] == \
        [(p.name, p.amount) for p in doc.facts.projects]


def _render_indicators(table: PerformanceTable, merged: tuple[str, ...]) -> str:
    """Indicator rows as printed: merged cells once per run, blank cells absent."""
    out, previous = list(table.columns), {}
    for row in table.indicators:
        for column in table.columns:
            value = row.get(column, "")
            if not (column in merged and previous.get(column) == value):
                out.append(value)
        previous = row
    return "".join(out)


def _performance_blocks(src: Source) -> list[list[str]]:
    starts = [i for i, s in enumerate(src.lines) if s in ("部门整体绩效目标表", "项目支出绩效目标表")]
    ends = starts[1:] + [src.find("(五)")]
    return [src.lines[a:b] for a, b in zip(starts, ends, strict=True)]


def test_performance_tables_equal_source(doc: Document, src: Source) -> None:
    perf = doc.performance
    tables = [(perf.overall, ("一级指标",))] + [(p, ("一级指标", "二级指标")) for p in perf.projects]
    blocks = _performance_blocks(src)
    assert len(blocks) == len(tables) == 3
    for block, (table, merged) in zip(blocks, tables, strict=True):
        assert block[0] == table.title
        split = next(i for i, s in enumerate(block) if s.startswith("一级"))
        head, grid = squash("".join(block[:split])), squash("".join(block[split:]))
        assert squash(_render_indicators(table, merged)) == grid
        for field in table.fields:
            assert squash(field.label + field.value) in head, field
        for fund in table.funds:
            assert squash(fund.label.split("/")[-1] + str(fund.amount)) in head, fund
        assert squash(table.goal) in head


def test_performance_counts_and_weights(doc: Document) -> None:
    tables = [doc.performance.overall, *doc.performance.projects]
    assert [len(t.indicators) for t in tables] == [8, 7, 9]
    assert [p.name for p in doc.performance.projects] == [p.name for p in doc.facts.projects]
    for table in tables:
        weights = [row[table.weight_column] for row in table.indicators]
        assert all(isinstance(w, str) and w.isdigit() for w in weights)
        assert sum(int(w) for w in weights) == 90, table.name
    cell = doc.performance.projects[0].indicators
    assert cell[0]["三级指标"] == "开展绩效指标现场察访核验次数" and cell[0]["指标值"] == "＞=3次"
    assert cell[4]["指标值"] == "＜=2024年6月30日"
    assert "上年完成值" not in doc.performance.projects[1].indicators[1]


def test_glossary_meta_and_signature(doc: Document, src: Source) -> None:
    assert len(doc.glossary) == 8 and doc.glossary_numbering == "一、"
    start = src.find("第四部分")
    end = src.lines.index(doc.meta.signed_by, start)
    listed = "".join(f"{o}、{t.term}:{t.definition}" for o, t in zip(ORDINALS, doc.glossary, strict=False))
    assert squash(listed) == squash("".join(src.lines[start + 1:end]))
    y, m, d = map(int, re.fullmatch(r"(\d+)年(\d+)月(\d+)日", squash(src.lines[end + 1])).groups())
    assert (doc.meta.published.year, doc.meta.published.month, doc.meta.published.day) == (y, m, d)
    assert f"编制部门：{doc.meta.publisher} 单位：万元" in src.lines and doc.unit == "万元"
    contact = doc.meta.contacts[0]
    assert f"{contact.role} {contact.name} 联系电话 {contact.phone}" in src.lines
