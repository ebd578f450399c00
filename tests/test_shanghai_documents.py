"""Pin content/wanli-jiedao/20{23,24,25}-yusuan.yaml to the published Shanghai documents.

Every figure is read from the source text (the PDF's text layer, extracted with pdfplumber)
by a small reader written here, independently of tools/convert_shanghai.py, and compared with
the model that `load_site` builds from the YAML. Nothing is hard-coded twice: the tests say
*where* a figure is printed, the source says what it is.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from contentkit import SEEDS, seeds_missing

from site_builder.loader import load_site
from site_builder.model import Document, Row

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("SHANGHAI_SOURCES", SEEDS / "examples"))
YEARS = (2023, 2024, 2025)
CN = "一二三四五六七八九十"

pytestmark = pytest.mark.skipif(seeds_missing(SOURCES), reason=f"上海原文不存在：{SOURCES}")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def money(cell: str) -> Decimal | None:
    """A printed cell as a number; None for a blank cell."""
    return Decimal(cell.replace(",", "")) if cell.strip() else None


class Source:
    """One extracted source file: text lines and table rows, grouped under their headings."""

    def __init__(self, path: Path) -> None:
        self.raw = path.read_text(encoding="utf-8").splitlines()
        self.lines: dict[str, list[str]] = {}
        self.rows: dict[str, list[list[str]]] = {}
        heading, inside, page_start = "", False, False
        for i, line in enumerate(self.raw):
            nxt = self.raw[i + 1] if i + 1 < len(self.raw) else ""
            if line.startswith(("[table", "[/table]")):
                inside = line.startswith("[table")
            elif inside:
                self.rows.setdefault(heading, []).append([c.strip() for c in line.split(" | ")])
            elif line.startswith("=== page"):
                page_start = True
                continue
            elif line.strip() and not line.startswith("#"):
                if nxt.startswith("编制部门") or page_start and is_heading(line):
                    heading = re.sub(r"^\d{4}年", "", line)
                self.lines.setdefault(heading, []).append(line)
            page_start = False

    def title_line(self, title: str) -> str:
        """The printed title of a table (the line above 编制部门)."""
        return next(line for i, line in enumerate(self.raw)
                    if line.endswith(title) and self.raw[i + 1].startswith("编制部门"))

    def table(self, title: str) -> list[list[str]]:
        """The data rows of a table: header rows (also repeated ones) left out."""
        return [row for row in self.rows[title] if is_data(row)]

    def text(self, heading: str) -> str:
        return "".join(self.lines[heading][1:])


def is_heading(line: str) -> bool:
    return line in ("名词解释", "其他相关情况说明", "项目经费情况说明") or line.endswith(
        ("主要职能", "机构设置", "预算编制说明"))


def is_data(row: list[str]) -> bool:
    return bool(re.fullmatch(r"\d+", row[0]) or row[0] == "合计"
                or any(re.fullmatch(r"[\d,]+(\.\d+)?", c) for c in row))


@cache
def site():
    loaded, problems = load_site(ROOT / "content")
    assert loaded is not None, [p.format() for p in problems.errors]
    return loaded


def document(year: int) -> Document:
    return next(d for d in site().documents if d.department == "wanli-jiedao" and d.year == year)


@cache
def source(year: int) -> Source:
    return Source(SOURCES / f"{year}_wanli-jiedao_yusuan.txt")


CODED = {"表2": "部门收入预算总表", "表3": "部门支出预算总表",
         "表5": "部门一般公共预算支出功能分类预算表", "表6": "部门政府性基金预算支出功能分类预算表",
         "表7": "部门国有资本经营预算支出功能分类预算表",
         "表8": "部门一般公共预算基本支出部门预算经济分类预算表"}


def printed_amounts(row: list[str], depth: int) -> list[Decimal | None]:
    """The amount cells of a coded row; a total row printed without its merged blanks too."""
    cells = row[1:] if row[0] == "合计" and row[1] else row[depth + 1:]
    return [money(c) for c in cells]


def model_amounts(row: Row, keys: list[str]) -> list[Decimal | None]:
    return [row.amounts.get(k) for k in keys]


def trim(values: list) -> list:
    while values and values[-1] is None:
        values = values[:-1]
    return values


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("label", sorted(CODED))
def test_coded_tables_match_source_row_by_row(year: int, label: str) -> None:
    """Every printed row of 表2/3/5/6/7/8: same count, same code, name and amounts."""
    table = document(year).table(label)
    side = table.spec.sides[0]
    depth, keys = side.code_depth, side.amount_keys
    printed = source(year).table(CODED[label])
    rows = table.rows()
    assert len(rows) == len(printed)
    for row, cells in zip(rows, printed, strict=True):
        code = " ".join(c for c in cells[:depth] if c) if cells[0] != "合计" else None
        assert row.code == code
        assert row.name == (cells[depth] if code else "合计")
        assert trim(model_amounts(row, keys)) == trim(printed_amounts(cells, depth))


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("label,title", [("表1", "部门财务收支预算总表"),
                                         ("表4", "部门财政拨款收支预算总表")])
def test_two_sided_tables_match_source(year: int, label: str, title: str) -> None:
    """表1/表4: each side's rows, names and amounts as printed (blank stays blank)."""
    table = document(year).table(label)
    start = 0
    for side in table.spec.sides:
        width = len(side.leaves)
        printed = [row[start:start + width] for row in source(year).table(title)]
        printed = [cells for cells in printed if any(cells)]
        rows = table.rows(side.key)
        assert [r.name for r in rows] == [cells[0] for cells in printed]
        for row, cells in zip(rows, printed, strict=True):
            assert trim(model_amounts(row, side.amount_keys)) == trim([money(c) for c in cells[1:]])
        start += width


@pytest.mark.parametrize("year", YEARS)
def test_three_public_table_and_its_title(year: int) -> None:
    """表9 (万元): the one data row, and the printed title/headers where they carry no year."""
    doc, src = document(year), source(year)
    title = next(t for t in src.rows if t.endswith("“三公”经费和机关运行经费预算表"))
    header, data = src.rows[title][0], src.rows[title][-1]  # three header rows, one data row
    table = doc.table("表9")
    assert len(src.rows[title]) == 4 and len(table.rows()) == 1
    assert [money(c) for c in data] == model_amounts(table.rows()[0], table.spec.sides[0].amount_keys)
    assert table.title == src.title_line(title)
    assert table.headers["三公经费预算数"] == header[0]
    assert table.headers["机关运行经费预算数"] == header[-1]


def note_of(src: Source, title: str) -> str | None:
    return next((line for line in src.lines[title] if line.startswith("注")), None)


@pytest.mark.parametrize("year", YEARS)
def test_empty_tables_keep_their_printed_notes(year: int) -> None:
    doc, src = document(year), source(year)
    for label in ("表6", "表7"):
        table = doc.table(label)
        assert table.is_empty
        assert table.note == note_of(src, CODED[label])
        assert table.note.startswith(("注:", "注："))
    title = next(t for t in src.rows if t.endswith("“三公”经费和机关运行经费预算表"))
    assert doc.table("表9").note == note_of(src, title)


def test_2024_prints_the_empty_note_on_a_table_with_data() -> None:
    table = document(2024).table("表9")
    assert table.note and "空表" in table.note and not table.is_empty


def test_blank_in_2023_is_zero_in_2024_and_2025() -> None:
    """2023 leaves 事业收入 blank in 表2 and 公用经费 blank in 表8; later years print 0."""
    for label, code, key in (("表2", "201", "事业收入"), ("表8", "301", "公用经费")):
        rows = {y: next(r for r in document(y).table(label).rows() if r.code == code) for y in YEARS}
        assert key not in rows[2023].amounts
        assert rows[2024].amounts[key] == Decimal("0") == rows[2025].amounts[key]


def test_codes_are_strings_as_printed() -> None:
    rows = document(2024).table("表2").rows()
    assert all(isinstance(r.code, str) for r in rows if r.code)
    assert rows[2].segments == ("201", "05", "07")
    economic = {r.code for r in document(2024).table("表8").rows()}
    assert {"301 2", "301 7", "301 01"} <= economic
    assert any(row[:2] == ["301", "2"] for row in source(2024).table(CODED["表8"]))


def sentence(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match, pattern
    return match.group(1).replace(",", "")


@pytest.mark.parametrize("year", YEARS)
def test_facts_agree_with_the_prose(year: int) -> None:
    facts, text = document(year).facts, source(year).text("其他相关情况说明")
    tp = facts.three_public
    assert tp.total == Decimal(sentence(text, r"“三公”经费预算数为([\d.]+)万元"))
    assert tp.reception == Decimal(sentence(text, r"公务接待费([\d.]+)万元"))
    assert tp.vehicle_purchase == Decimal(sentence(text, r"公务用车购置费([\d.]+)万元"))
    trend = re.search(r"“三公”经费预算数为[\d.]+万元，比\d{4}年预算(增加|减少|持平)([\d.]*)", text)
    sign = {"增加": 1, "减少": -1, "持平": 0}[trend.group(1)]
    assert tp.change == sign * Decimal(trend.group(2) or "0")
    assert facts.operating_costs == Decimal(sentence(text, r"机关运行经费预算为([\d.]+)万元"))
    proc = facts.procurement
    assert proc.total == Decimal(sentence(text, r"政府采购预算([\d.]+)万元"))
    assert proc.works == Decimal(sentence(text, r"工程预算([\d.]+)万元"))
    assert proc.small_micro_reserved == Decimal(
        sentence(text, r"小型和微型企业的政府采购项目预算为([\d.]+)万"))
    counts = facts.performance_counts
    assert counts.projects == int(sentence(text, r"编报绩效目标的项目(\d+)个"))
    assert counts.projects_amount == Decimal(sentence(text, r"涉及项目预算资金([\d.]+)万元"))
    cars = next(i for i in facts.assets.items if i.name == "车辆")
    assert cars.count == int(sentence(text, r"车辆(\d+)辆"))


def test_2023_assets_and_later_planned_purchases() -> None:
    items = {i.name: i for i in document(2023).facts.assets.items}
    text = source(2023).text("其他相关情况说明")
    assert items["房屋"].area == Decimal(sentence(text, r"房屋([\d.]+)平方米"))
    assert items["在建工程"].value == Decimal(sentence(text, r"在建工程\d+项([\d.]+)万元"))
    assert items["无形资产"].count == int(sentence(text, r"无形资产(\d+)项"))
    for year in (2024, 2025):
        planned = {i.name: i for i in document(year).facts.assets.planned}
        text = source(year).text("其他相关情况说明")
        assert planned["车辆"].count == int(sentence(text, r"安排购置车辆(\d+)辆"))
        assert planned["其他用车"].count == int(sentence(text, r"其他用车(\d+)辆；部门预算安排"))


@pytest.mark.parametrize("year", YEARS)
def test_project_quarterly_plan(year: int) -> None:
    project = document(year).facts.projects[0]
    text = source(year).text("项目经费情况说明")
    assert project.name == "万里街道社区公共服务中心新建工程"
    assert list(project.quarterly) == [Decimal(q) for q in re.findall(r"用款计划([\d.]+)万元", text)]


def sections_text(doc: Document, part: str) -> str:
    return "".join(s.title + s.body for s in doc.sections if s.part == part)


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("part", ["其他相关情况说明", "项目经费情况说明"])
def test_prose_parts_lose_nothing(year: int, part: str) -> None:
    """Titles and bodies, whitespace aside, are exactly the printed text of the part."""
    assert squash(sections_text(document(year), part)) == squash(source(year).text(part))


@pytest.mark.parametrize("year", YEARS)
def test_budget_notes_keep_every_numbered_item(year: int) -> None:
    doc, src = document(year), source(year)
    notes = next(s for s in doc.sections if s.part == "编制说明")
    heading = next(h for h in src.lines if h.endswith("预算编制说明"))
    assert notes.title == src.lines[heading][0]
    assert squash(notes.body) == squash(src.text(heading))
    items = [p for p in notes.body.split("\n\n") if re.match(r"^\d+\. ", p)]
    printed = [line for line in src.lines[heading] if re.match(r"^\d+\. “", line)]
    assert len(items) == len(printed) >= 33
    assert [p.split(".")[0] for p in items] == [str(n) for n in range(1, len(items) + 1)]


@pytest.mark.parametrize("year", YEARS)
def test_overview_and_glossary(year: int) -> None:
    doc, src = document(year), source(year)
    functions = doc.overview.functions
    heading = next(h for h in src.lines if h.endswith("主要职能"))
    numbered = "".join(f"{CN[i]}、{item}" for i, item in enumerate(functions.items))
    assert squash(functions.intro + numbered) == squash(src.text(heading))
    assert len(functions.items) == 9 and functions.numbering == "一、"
    org = doc.overview.organization
    assert len(org.units) == 6 and org.unit_counts == {"行政单位": 1, "参公单位": 1, "事业单位": 4}
    style = doc.glossary_numbering
    assert style == ("（一）、" if year == 2023 else "（一）")
    glossary = "".join(style.replace("一", CN[i]) + t.term + "：" + t.definition
                       for i, t in enumerate(doc.glossary))
    assert squash(glossary) == squash(src.text("名词解释"))


def performance_pages(src: Source) -> list[list[list[str]]]:
    """The 绩效目标 tables: each starts with its title row."""
    tables: list[list[list[str]]] = []
    for row in src.rows.get("项目经费情况说明", []):
        if row[0] == "财政项目支出绩效目标填报表":
            tables.append([])
        tables[-1].append(row)
    return tables


def test_2023_performance_tables() -> None:
    tables = document(2023).performance.projects
    printed = performance_pages(source(2023))
    assert len(tables) == len(printed) == 5
    for table, rows in zip(tables, printed, strict=True):
        assert table.title == rows[0][0] and table.funds_unit == "元"
        head = next(i for i, r in enumerate(rows) if "一级指标" in r)
        assert len(table.indicators) == len(rows) - head - 1
        assert table.columns == tuple(c for c in rows[head] if c)
        assert table.name == rows[2][2]
        assert all(all(row.values()) for row in table.indicators)  # merged cells filled down
        funds = {(f.label, f.amount) for f in table.funds}
        printed_funds = [(row[label], money(row[value])) for row in rows for label, value in
                         ((2, 4), (5, 7)) if len(row) == 8 and re.fullmatch(r"[\d,.]+", row[value])]
        assert len(printed_funds) == len(table.funds) == 7
        assert set(printed_funds) == funds
    last = {f.label: f.amount for f in tables[-1].funds}
    assert last["其中：当年财政拨款"] != last["项目资金总额"]
    assert document(2024).performance.projects == ()
