#!/usr/bin/env python3
"""Convert the pdfplumber text of a Shanghai district budget (9 tables, 元) into content YAML.

Usage (from the repository root):
    python3 tools/convert_shanghai.py SRC.txt > content/wanli-jiedao/2024-yusuan.yaml

The input is the text layer extracted with pdfplumber: `=== page N ===` markers, each page's
running text first, then its ruled tables as ` | `-separated rows between `[table …]` and
`[/table]`. The output is written as text (not yaml.dump) so that it reads like a hand-written
file: one flow mapping per table row, block scalars for prose. It is a one-off tool: after
conversion the YAML is maintained by hand. The table layout comes from the profile
content/profiles/shanghai-district-9.yaml (column keys, header titles), so a header printed
differently from the profile becomes a `headers:`/`title:` override in the output.
Anything the converter does not recognise stops it with a message: a figure is never dropped.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.model import Column, TableSpec  # noqa: E402
from site_builder.problems import Problems  # noqa: E402
from site_builder.profiles import load_profile  # noqa: E402

PROFILE = ROOT / "content" / "profiles" / "shanghai-district-9.yaml"
PAGE = re.compile(r"^=== page (\d+) ===$")
AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
CODE = re.compile(r"^\d+$")
ORDINAL = re.compile(r"^(\d+[.．](?!\d)\s*|\d+、|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）、?)")
END_PUNCT = ("。", "：", "；", "！", "？")
FULL_LINE = 0.92  # a line this close to the widest line of the file was broken by the PDF
PERFORMANCE_TITLE = "财政项目支出绩效目标填报表"


class ConvertError(Exception):
    """The input has something the converter does not understand."""


@dataclass
class Page:
    number: int
    lines: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)


@dataclass
class Part:
    """A run of pages that belongs to one heading (主要职能, 表3, 其他相关情况说明 …)."""

    key: str
    lines: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)


# ---------------------------------------------------------------- reading the text layer

def read_pages(text: str) -> tuple[dict[str, str], list[Page]]:
    """Split the extracted text into its `# key: value` header and its pages."""
    header: dict[str, str] = {}
    pages: list[Page] = []
    table: list[list[str]] | None = None
    for raw in text.splitlines():
        line = raw.rstrip("\r\n")
        match = PAGE.match(line.strip())
        if match:
            pages.append(Page(int(match.group(1))))
        elif not pages and line.startswith("# ") and ":" in line:
            key, _, value = line[2:].partition(":")
            header[key.strip()] = value.strip()
        elif line.startswith("[table"):
            table = []
        elif line.startswith("[/table]"):
            pages[-1].tables.append(table or [])
            table = None
        elif table is not None:
            table.append(split_cells(line))
        elif pages and line.strip():
            pages[-1].lines.append(line.strip())
    return header, pages


def split_cells(line: str) -> list[str]:
    """One table row: cells separated by ' | ', stripped; blank cells stay ''."""
    return [unquote(cell.strip()) for cell in line.split(" | ")]


def unquote(cell: str) -> str:
    """pdfplumber wraps a cell that had line breaks in "…"; the quotes are not printed."""
    if len(cell) > 1 and cell.startswith('"') and cell.endswith('"'):
        return cell[1:-1]
    return cell


def width(text: str) -> int:
    """Printed width: CJK and full-width characters count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def heading_key(lines: list[str], i: int, titles: dict[str, str]) -> str | None:
    """The part a page-opening line starts, or None."""
    line = lines[i]
    following = lines[i + 1] if i + 1 < len(lines) else ""
    if following.startswith("编制部门"):
        bare = re.sub(r"^\d{4}年", "", line)
        if bare not in titles:
            raise ConvertError(f"不认识的表标题：{line}")
        return titles[bare]
    for suffix, key in (("主要职能", "functions"), ("机构设置", "organization"),
                        ("名词解释", "glossary"), ("部门预算编制说明", "编制说明"),
                        ("其他相关情况说明", "其他相关情况说明"),
                        ("项目经费情况说明", "项目经费情况说明")):
        if line.endswith(suffix) and len(line) < 40:
            return key
    return None


def split_parts(pages: list[Page], titles: dict[str, str]) -> list[Part]:
    """Group pages under their headings; a page without a heading continues the last part."""
    parts = [Part("cover")]
    for page in pages:
        key = heading_key(page.lines, 0, titles) if page.lines else None
        first = page.tables[0][0][0] if page.tables and page.tables[0] else ""
        if key:
            parts.append(Part(key))
        elif first == PERFORMANCE_TITLE:
            parts.append(Part("performance"))
        parts[-1].lines.extend(page.lines)
        parts[-1].tables.extend(page.tables)
    return parts


# ---------------------------------------------------------------- prose

def paragraphs(lines: list[str], full: int) -> list[str]:
    """Join lines broken by the PDF into paragraphs.

    A line starting with an ordinal (一、 （一） 1.) or a heading starts a paragraph. A
    numbered paragraph runs until the next one; an unnumbered one ends at a line that ends
    a sentence and is clearly shorter than a full line (`full` = widest line of the file).
    """
    out: list[str] = []
    open_ = False
    for line in lines:
        if not open_ or ORDINAL.match(line) or is_heading(out[-1] if out else "", full):
            out.append(line)
        else:
            out[-1] += line
        numbered = bool(ORDINAL.match(out[-1]))
        ends = out[-1].endswith(END_PUNCT) and width(line) < FULL_LINE * full
        open_ = numbered or not ends
    return out


def is_heading(text: str, full: int) -> bool:
    """A numbered heading: 一、项目概况 (short, no closing punctuation)."""
    return (bool(ORDINAL.match(text)) and not text.endswith(END_PUNCT)
            and width(text) < min(60, FULL_LINE * full))


def strip_ordinal(text: str) -> str:
    return ORDINAL.sub("", text, count=1)


def split_sections(paras: list[str], full: int) -> list[tuple[str, list[str]]]:
    """Split a part's paragraphs at its numbered headings: [(title, body paragraphs)]."""
    sections: list[tuple[str, list[str]]] = []
    for para in paras:
        if is_heading(para, full):
            sections.append((para, []))
        elif sections:
            sections[-1][1].append(para)
        else:
            raise ConvertError(f"标题前有文字：{para[:30]}")
    return sections


# ---------------------------------------------------------------- tables

def is_data_row(row: list[str], totals: set[str]) -> bool:
    return (bool(row) and (CODE.match(row[0]) is not None or row[0] in totals)
            or any(AMOUNT.match(c) for c in row))


def merge_pages(tables: list[list[list[str]]], totals: set[str]) -> tuple[list, list]:
    """Header rows of the first page, and the data rows of all pages.

    A table that runs over several pages repeats its header rows on some continuation
    pages; those repeated rows are dropped.
    """
    header: list[list[str]] = []
    data: list[list[str]] = []
    for n, table in enumerate(tables):
        rows = list(table)
        if n == 0:
            while rows and not is_data_row(rows[0], totals):
                header.append(rows.pop(0))
        else:
            while rows and any(_same(rows[0], h) for h in header):
                rows.pop(0)
        data.extend(rows)
    return header, data


def _same(a: list[str], b: list[str]) -> bool:
    return [c for c in a if c] == [c for c in b if c] and any(a)


def amount(cell: str, where: str) -> str | None:
    """A published amount without thousands separators; None for a blank cell."""
    if not cell:
        return None
    if not AMOUNT.match(cell):
        raise ConvertError(f"{where}：金额格“{cell}”不是数字")
    return cell.replace(",", "")


def code_of(cells: list[str], where: str) -> str | None:
    """Code segments as printed: ['201', '05', ''] -> '201 05'."""
    segments = [c for c in cells if c]
    for seg in segments:
        if not CODE.match(seg):
            raise ConvertError(f"{where}：编码格“{seg}”不是数字")
    return " ".join(segments) or None


def coded_row(row: list[str], depth: int, keys: list[str], total: str, where: str) -> dict:
    """A row of a functional/economic table: codes, name, amounts by column key."""
    if row[0] == total:
        values = row[1:]
        if not (values and values[0]):  # merged code/name cells printed as blanks
            values = row[depth + 1:]
        return {"name": total, **_amounts(values, keys, where)}
    cells = row + [""] * (depth + 1 + len(keys) - len(row))
    out = {"code": code_of(cells[:depth], where), "name": cells[depth]}
    return {k: v for k, v in out.items() if v} | _amounts(cells[depth + 1:], keys, where)


def _amounts(values: list[str], keys: list[str], where: str) -> dict:
    if len(values) > len(keys) and any(values[len(keys):]):
        raise ConvertError(f"{where}：比表头多出的格 {values[len(keys):]}")
    out = {}
    for key, cell in zip(keys, values, strict=False):
        value = amount(cell, f"{where} {key}")
        if value is not None:
            out[key] = value
    return out


def level_of(name: str) -> int | None:
    """Indent level of an uncoded two-sided row, from its printed ordinal."""
    if re.match(r"^\d+[.．、]", name):
        return 2
    if name.startswith("其中"):
        return 3
    return None


def side_rows(rows: list[list[str]], spec: TableSpec, where: str) -> dict[str, list[dict]]:
    """Split the rows of a two-sided table (收/支) into its sides."""
    parts: dict[str, list[dict]] = {side.key: [] for side in spec.sides}
    for row in rows:
        start = 0
        for side in spec.sides:
            leaves = side.leaves
            cells = (row + [""] * 20)[start:start + len(leaves)]
            start += len(leaves)
            if not any(cells):
                continue
            out = {"name": cells[0]}
            level = level_of(cells[0])
            if level:
                out["level"] = str(level)
            out |= _amounts(cells[1:], side.amount_keys, f"{where} {cells[0]}")
            parts[side.key].append(out)
    return parts


def column_levels(columns: tuple[Column, ...]) -> list[list[Column]]:
    """The header cells of a column tree, row by row."""
    levels, current = [], list(columns)
    while current:
        levels.append(current)
        current = [child for col in current for child in col.children]
    return levels


def header_overrides(spec: TableSpec, header: list[list[str]], year: int) -> dict[str, str]:
    """Column titles printed differently from the profile's (with {year} filled in)."""
    printed = [[c for c in row if c] for row in header]
    if len(spec.sides) > 1:
        expected = [[s.title for s in spec.sides], [c for s in spec.sides for c in s.leaves]]
        if printed[0] != expected[0]:
            raise ConvertError(f"{spec.label}：两栏标题 {printed[0]} 与模板 {expected[0]} 不同")
        levels = [expected[1]]
        printed = printed[1:]
    else:
        levels = column_levels(spec.sides[0].columns)
    if len(levels) != len(printed):
        raise ConvertError(f"{spec.label}：表头有 {len(printed)} 行，模板有 {len(levels)} 行")
    overrides = {}
    for cols, texts in zip(levels, printed, strict=True):
        if len(cols) != len(texts):
            raise ConvertError(f"{spec.label}：表头 {texts} 与模板的列数不同")
        for col, text in zip(cols, texts, strict=True):
            if text != col.title.replace("{year}", str(year)):
                overrides[col.key] = text
    return overrides


@dataclass
class TableOut:
    """One converted table, ready to be written."""

    spec: TableSpec
    title: str
    headers: dict[str, str]
    note: str
    parts: dict[str, list[dict]]
    publisher: str


def convert_table(part: Part, spec: TableSpec, year: int) -> TableOut:
    """A table part (title line, 编制部门 line, optional note, tables) to rows."""
    title, unit_line, *rest = part.lines
    match = re.match(r"^编制部门[:：](.+?)\s+单位[:：](.+)$", unit_line)
    if not match or match.group(2) != spec.unit:
        raise ConvertError(f"{spec.label}：编制部门/单位行看不懂或单位不是{spec.unit}：{unit_line}")
    note = " ".join(line for line in rest if line.startswith("注"))
    if len(rest) != (1 if note else 0):
        raise ConvertError(f"{spec.label}：表前有不认识的文字 {rest}")
    totals = {s.total for s in spec.sides if s.total}
    header, data = merge_pages(part.tables, totals)
    where = spec.label
    if spec.rows == "two_sided":
        parts = side_rows(data, spec, where)
    elif spec.rows == "plain":
        parts = {"main": [_amounts(row, spec.sides[0].amount_keys, where) for row in data]}
    else:
        side = spec.sides[0]
        parts = {"main": [coded_row(row, side.code_depth, side.amount_keys, side.total or "",
                                    where) for row in data]}
    own_title = title if title != spec.title.replace("{year}", str(year)) else ""
    return TableOut(spec, own_title, header_overrides(spec, header, year), note, parts,
                    match.group(1))


# ---------------------------------------------------------------- prose parts

def convert_functions(paras: list[str]) -> dict:
    """主要职能: intro paragraphs, then the numbered items (一、…) without their ordinals."""
    title, *body = paras
    intro = [p for p in body if not ORDINAL.match(p)]
    items = [p for p in body if ORDINAL.match(p)]
    if body[:len(intro)] != intro:
        raise ConvertError("主要职能：条目之间夹着不带序号的文字")
    numbering = ORDINAL.match(items[0]).group(1).strip()
    return {"title": title, "intro": intro, "numbering": numbering,
            "items": [strip_ordinal(p) for p in items]}


def convert_organization(paras: list[str]) -> dict:
    """机构设置: the text, the listed units (ordinal and closing 。 removed), unit counts."""
    title, *body = paras
    text = [p for p in body if not ORDINAL.match(p)]
    units = [strip_ordinal(p).removesuffix("。") for p in body if ORDINAL.match(p)]
    counts = {kind: n for kind, n in re.findall(r"(行政单位|参公单位|事业单位)\s*(\d+)\s*家",
                                                 "".join(text))}
    return {"title": title, "text": text, "units": units, "unit_counts": counts}


def convert_glossary(paras: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """名词解释: numbering style and (term, definition) pairs split at the first ：."""
    _, *body = paras
    numbering = ORDINAL.match(body[0]).group(1)
    terms = []
    for para in body:
        term, sep, definition = strip_ordinal(para).partition("：")
        if not sep or not ORDINAL.match(para):
            raise ConvertError(f"名词解释：看不懂“{para[:30]}”")
        terms.append((term, definition))
    return numbering, terms


def number(text: str) -> str:
    return text.replace(",", "")


def find(pattern: str, text: str, what: str) -> re.Match:
    match = re.search(pattern, text)
    if not match:
        raise ConvertError(f"文字说明里找不到{what}（{pattern}）")
    return match


def three_public(text: str) -> dict:
    """“三公”经费 figures from the prose (万元); 持平 is a change of 0."""
    head = find(r"“三公”经费预算数为([\d.,]+)万元，比\d{4}年预算(增加|减少|持平)([\d.,]*)", text,
                "“三公”经费合计")
    change = {"增加": number(head.group(3)), "减少": "-" + number(head.group(3)),
              "持平": "0"}[head.group(2)]
    return {"total": number(head.group(1)),
            "outbound": find(r"因公出国（境）费([\d.]+)万元", text, "因公出国（境）费").group(1),
            "reception": find(r"公务接待费([\d.]+)万元", text, "公务接待费").group(1),
            "vehicles": find(r"公务用?车购置及运行费([\d.]+)万元", text, "公务用车购置及运行费").group(1),
            "vehicle_purchase": find(r"公务用车购置费([\d.]+)万元", text, "公务用车购置费").group(1),
            "vehicle_operation": find(r"公务车?用车运行费([\d.]+)万元", text, "公务用车运行费").group(1),
            "change": change}


def procurement(text: str) -> dict:
    """政府采购 figures (万元)."""
    pairs = {"total": r"政府采购预算([\d.,]+)万元", "goods": r"政府采购货物预算([\d.,]+)万元",
             "works": r"政府采购工程预算([\d.,]+)万元", "services": r"政府采购服务预算([\d.,]+)万元",
             "sme_reserved": r"面向中小企业预留政府采购项目预算金额([\d.,]+)万元",
             "small_micro_reserved": r"预留给小型和微型企业的政府采购项目预算为([\d.,]+)万元"}
    return {key: number(find(pattern, text, key).group(1)) for key, pattern in pairs.items()}


def performance_counts(text: str) -> dict:
    return {"units": find(r"本部门(\d+)个预算单位", text, "预算单位数").group(1),
            "projects": find(r"编报绩效目标的项目(\d+)个", text, "项目个数").group(1),
            "projects_amount": number(find(r"涉及项目预算资金([\d.,]+)万元", text, "项目资金").group(1))}


def vehicles(clause: str, total: str, group: str = "") -> list[dict]:
    """车辆 N 辆 and its types: 部级领导干部用车0辆、… → group 车辆."""
    items = [{"name": "车辆", "group": group, "count": total, "count_unit": "辆"}]
    items = [{k: v for k, v in items[0].items() if v}]
    for name, count in re.findall(r"([^，、：；（）\d]+?)(\d+)辆", clause):
        items.append({"name": name, "group": "车辆", "count": count, "count_unit": "辆"})
    return items


def assets(text: str) -> dict:
    """国有资产占有（使用）情况: the stock on a date, and (2024 on) what the budget buys."""
    day = find(r"截[止至](\d{4})年(\d{1,2})月(\d{1,2})日", text, "资产截止日期")
    out: dict = {"as_of": "{}-{:0>2}-{:0>2}".format(*day.groups())}
    if "共有车辆" in text:
        stock = find(r"共有车辆(\d+)辆，其中：(.+?)；(单价.+?)(\d+)台（套）", text, "车辆")
        out["items"] = vehicles(stock.group(2), stock.group(1)) + [
            {"name": stock.group(3), "count": stock.group(4), "count_unit": "台（套）"}]
        plan = find(r"安排购置车辆(\d+)辆，其中：(.+?)；部门预算安排购置(单价.+?)(\d+)台（套）",
                    text, "购置车辆")
        out["planned"] = vehicles(plan.group(2), plan.group(1)) + [
            {"name": plan.group(3), "count": plan.group(4), "count_unit": "台（套）"}]
        return out
    out["items"] = stock_items(text)
    return out


def stock_items(text: str) -> list[dict]:
    """The 2023 form: 流动资产、固定资产（房屋、车辆、设备）、长期投资、在建工程、无形资产."""
    value = lambda name: find(name + r"([\d.]+)万元", text, name).group(1)  # noqa: E731
    cars = find(r"车辆(\d+)辆（(.+?)）", text, "车辆")
    special = find(r"专用设备(\d+)台/套（其中：(单价100万元以上专用设备)(\d+)台/套）", text, "专用设备")
    items = [{"name": "流动资产", "value": value("流动资产")},
             {"name": "固定资产", "value": value("固定资产")},
             {"name": "房屋", "group": "固定资产",
              "area": find(r"房屋([\d.]+)平方米", text, "房屋").group(1)}]
    items += vehicles(cars.group(2), cars.group(1), "固定资产")
    general = find(r"(单价50万元以上通用设备)(\d+)台/套", text, "通用设备")
    items += [{"name": general.group(1), "group": "固定资产", "count": general.group(2),
               "count_unit": "台/套"},
              {"name": "专用设备", "group": "固定资产", "count": special.group(1),
               "count_unit": "台/套"},
              {"name": special.group(2), "group": "专用设备", "count": special.group(3),
               "count_unit": "台/套"},
              {"name": "其他固定资产", "group": "固定资产", "value": value("其他固定资产")}]
    for name in ("长期投资", "在建工程", "无形资产"):
        match = find(name + r"(\d+)项([\d.]+)万元", text, name)
        items.append({"name": name, "count": match.group(1), "count_unit": "项",
                      "value": match.group(2)})
    return items


def project(text: str) -> dict:
    """项目经费情况说明: the project's name, builder and quarterly plan (万元)."""
    match = find(r"由(.+?)建设的(.+?)\s*，位于", text, "项目名称")
    quarters = re.findall(r"第[一二三四]季度用款计划([\d.,]+)万元", text)
    if len(quarters) != 4:
        raise ConvertError(f"项目经费情况说明：分季度用款计划应有 4 个，找到 {quarters}")
    return {"name": match.group(2), "implementer": match.group(1),
            "quarterly": [number(q) for q in quarters]}


# ---------------------------------------------------------------- 绩效目标表 (2023)

def convert_performance(rows: list[list[str]]) -> dict:
    """One 财政项目支出绩效目标填报表: fields, funds, goals, indicators (merged cells filled)."""
    title, subtitle = rows[0][0], rows[1][0]
    i, fields = 2, []
    while not rows[i][0].startswith("项目资金"):
        cells = [c for c in rows[i] if c]
        fields += [{"label": a, "value": b} for a, b in zip(cells[::2], cells[1::2], strict=False)]
        i += 1
    unit = find(r"（(.+)）", rows[i][0], "项目资金单位").group(1)
    spots = [n for n, c in enumerate(rows[i]) if c and n > 0]  # label, amount, label, amount
    columns: list[list[dict]] = [[], []]
    while rows[i][0] != "项目绩效目标":
        for side, (lab, amt) in enumerate(zip(spots[::2], spots[1::2], strict=False)):
            if rows[i][lab]:
                columns[side].append({"label": rows[i][lab],
                                      "amount": amount(rows[i][amt], rows[i][lab])})
        i += 1
    goal_at = [n for n, c in enumerate(rows[i]) if c and n > 0]
    goals = [rows[i + 1][n] for n in goal_at]
    head = rows[i + 2]
    keys = [(n, c) for n, c in enumerate(head) if c]
    indicators, last = [], {}
    for row in rows[i + 3:]:
        item = {c: row[n] or (last.get(c, "") if k < len(keys) - 1 else "")
                for k, (n, c) in enumerate(keys)}
        indicators.append(item)
        last = item
    name = next(f["value"] for f in fields if f["label"] == "项目名称")
    return {"title": title, "subtitle": subtitle, "name": name, "fields": fields,
            "funds_unit": unit, "funds": columns[0] + columns[1], "goal": goals[0],
            "annual_goal": goals[1], "columns": [c for _, c in keys],
            "indicators": indicators}


# ---------------------------------------------------------------- writing YAML text

FLOW_UNSAFE = set(",[]{}#&*!|>'\"%@`?:-")
NULLS = {"", "~", "null", "Null", "NULL"}


def scalar(text: str) -> str:
    """A plain scalar when it reads back as the same text in a flow mapping, else quoted."""
    if re.fullmatch(r"-\d+(\.\d+)?", text):
        return text
    if (text in NULLS or text[0] in FLOW_UNSAFE or text != text.strip() or "\n" in text
            or any(ch in text for ch in ",[]{}") or ": " in text or " #" in text
            or text.endswith(":")):
        return "'" + text.replace("'", "''") + "'"
    return text


def flow(mapping: dict) -> str:
    return "{" + ", ".join(f"{scalar(k)}: {scalar(str(v))}" for k, v in mapping.items()) + "}"


def block(key: str, paras: list[str] | str, indent: str) -> list[str]:
    """A `key: |` block scalar; paragraphs separated by blank lines (Markdown)."""
    paras = [paras] if isinstance(paras, str) else paras
    lines = [f"{indent}{key}: |"]
    for n, para in enumerate(paras):
        lines += ([""] if n else []) + [f"{indent}  {para}"]
    return lines


def write_table(out: TableOut) -> list[str]:
    lines = [f"  {out.spec.label}:"]
    if out.title:
        lines.append(f"    title: {scalar(out.title)}")
    if out.headers:
        lines.append(f"    headers: {flow(out.headers)}")
    if out.note:
        lines.append(f"    note: {scalar(out.note)}")
    for side in out.spec.sides:
        rows = out.parts[side.key]
        key = "rows" if len(out.spec.sides) == 1 else side.key
        lines.append(f"    {key}:" + ("" if rows else " []"))
        lines += [f"      - {flow(row)}" for row in rows]
    return lines


def write_sections(part: str, sections: list[tuple[str, list[str]]]) -> list[str]:
    lines = []
    for title, body in sections:
        lines += [f"  - part: {part}", f"    title: {scalar(title)}"]
        lines += block("body", body, "    ") if body else []
    return lines


def write_performance(tables: list[dict]) -> list[str]:
    lines = ["performance:", "  projects:"]
    for t in tables:
        lines += [f"    - title: {scalar(t['title'])}",
                  f"      # 表名下一行印有“{t['subtitle']}”（模型没有副标题字段）。",
                  f"      name: {scalar(t['name'])}", "      fields:"]
        lines += [f"        - {flow(f)}" for f in t["fields"]]
        lines += [f"      funds_unit: {scalar(t['funds_unit'])}",
                  "      # 原表左栏：项目资金总额、其中：财政资金、其他资金；"
                  "右栏：年度资金申请总额、其中：当年财政拨款、上年结转资金、其他资金。",
                  "      funds:"]
        lines += [f"        - {flow(f)}" for f in t["funds"]]
        lines += block("goal", t["goal"], "      ") + block("annual_goal", t["annual_goal"], "      ")
        lines += [f"      columns: [{', '.join(scalar(c) for c in t['columns'])}]",
                  "      indicators:"]
        lines += [f"        - {flow(row)}" for row in t["indicators"]]
    return lines


def write_facts(facts: dict) -> list[str]:
    lines = ["facts:", f"  three_public: {flow(facts['three_public'])}",
             f"  operating_costs: {facts['operating_costs']}",
             f"  procurement: {flow(facts['procurement'])}",
             f"  performance_counts: {flow(facts['performance_counts'])}",
             "  assets:", f"    as_of: {facts['assets']['as_of']}"]
    for key in ("items", "planned"):
        if key in facts["assets"]:
            lines.append(f"    {key}:")
            lines += [f"      - {flow(item)}" for item in facts["assets"][key]]
    p = facts["project"]
    lines += ["  projects:", f"    - name: {scalar(p['name'])}",
              f"      implementer: {scalar(p['implementer'])}",
              f"      quarterly: [{', '.join(p['quarterly'])}]"]
    return lines


# ---------------------------------------------------------------- the document

@dataclass
class Converted:
    """Everything taken from one source file."""

    year: int
    source: str
    cover: list[str]
    functions: dict
    organization: dict
    glossary: tuple[str, list[tuple[str, str]]]
    notes_title: str
    notes: list[str]
    tables: list[TableOut]
    sections: list[tuple[str, list[tuple[str, str]]]]
    facts: dict
    performance: list[dict]


def convert(text: str, spec_source: Path = PROFILE) -> Converted:
    """Parse one extracted source file."""
    problems = Problems()
    profile = load_profile(spec_source, spec_source.name, problems)
    if profile is None:
        raise ConvertError(f"表样模板读不了：{problems.sorted()}")
    titles = {t.title.replace("{year}年", ""): t.label for t in profile.tables}
    header, pages = read_pages(text)
    full = max(width(line) for page in pages for line in page.lines)
    parts = {p.key: p for p in split_parts(pages, titles)}
    year = int(find(r"(\d{4})年", parts["cover"].lines[0], "年份").group(1))
    # the first line of a part is its heading; the rest is prose
    para = {key: [parts[key].lines[0]] + paragraphs(parts[key].lines[1:], full) for key in
            ("functions", "organization", "glossary", "编制说明", "其他相关情况说明", "项目经费情况说明")}
    other = split_sections(para["其他相关情况说明"][1:], full)
    projects = split_sections(para["项目经费情况说明"][1:], full)
    other_text, project_text = "".join(p for _, b in other for p in b), "".join(
        p for _, b in projects for p in b)
    missing = [t.label for t in profile.tables if t.label not in parts]
    if missing:
        raise ConvertError(f"找不到这些表：{missing}")
    return Converted(
        year=year, source=header.get("source", ""), cover=parts["cover"].lines[:2],
        functions=convert_functions(para["functions"]),
        organization=convert_organization(para["organization"]),
        glossary=convert_glossary(para["glossary"]),
        notes_title=para["编制说明"][0], notes=para["编制说明"][1:],
        tables=[convert_table(parts[t.label], t, year) for t in profile.tables],
        sections=[("其他相关情况说明", other), ("项目经费情况说明", projects)],
        facts={"three_public": three_public(other_text),
               "operating_costs": find(r"机关运行经费预算为([\d.,]+)万元", other_text,
                                       "机关运行经费").group(1),
               "procurement": procurement(other_text),
               "performance_counts": performance_counts(other_text),
               "assets": assets(other_text), "project": project(project_text)},
        performance=[convert_performance(t) for p in split_parts(pages, titles)
                     if p.key == "performance" for t in p.tables],
    )


def write_document(doc: Converted, department: str = "wanli-jiedao") -> str:
    """The YAML text of one document."""
    publisher = doc.tables[0].publisher
    f, o = doc.functions, doc.organization
    numbering, terms = doc.glossary
    lines = [
        "# yaml-language-server: $schema=../../schema/budget-document.schema.json",
        f"# {doc.year} 年{publisher}部门预算。",
        "# 由 tools/convert_shanghai.py 从公开 PDF 的文字层（pdfplumber 提取）转换生成，",
        "# 之后由人工维护：直接编辑本文件，不要再重新转换覆盖。",
        "# 约定：数字照原表；空白单元格不写这个键，印出的 0 照写 0（两者不同）；",
        "# 金额去掉千分位逗号；PDF 的硬换行已合并成段落。",
        "profile: shanghai-district-9",
        f"department: {department}", f"year: {doc.year}", "kind: 预算",
        f"# 封面：{'；'.join(doc.cover)}",
        f"title: {scalar(f'{publisher}{doc.year}年部门预算')}", "",
        "meta:", f"  publisher: {scalar(publisher)}",
        "  # 文字层里没有公开日期，published 不写。",
        f"  source: {scalar(doc.source)}", "",
        "overview:", "  functions:", f"    # 原文标题：{f['title']}"]
    lines += block("intro", f["intro"], "    ")
    lines += [f"    numbering: {scalar(f['numbering'])}", "    items:"]
    lines += [f"      - {scalar(item)}" for item in f["items"]]
    lines += ["  organization:", f"    # 原文标题：{o['title']}"]
    lines += block("text", o["text"], "    ")
    lines += ["    # 原文逐条编号（1. …），句末有“。”。", "    units:"]
    lines += [f"      - {scalar(u)}" for u in o["units"]]
    lines += [f"    unit_counts: {flow(o['unit_counts'])}", "",
              f"glossary_numbering: {scalar(numbering)}", "glossary:"]
    lines += [f"  - {flow({'term': t, 'definition': d})}" for t, d in terms]
    lines += ["", "tables:"]
    for table in doc.tables:
        lines += write_table(table)
    lines += ["", "sections:", "  - part: 编制说明", f"    title: {scalar(doc.notes_title)}"]
    lines += block("body", doc.notes, "    ")
    for part, sections in doc.sections:
        lines += write_sections(part, sections)
    lines += [""] + write_facts(doc.facts)
    if doc.performance:
        lines += [""] + write_performance(doc.performance)
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """`convert_shanghai.py SRC.txt` writes the YAML to stdout."""
    if len(argv) != 1:
        print("用法：python3 tools/convert_shanghai.py 来源.txt > content/<部门>/<年>-yusuan.yaml",
              file=sys.stderr)
        return 2
    try:
        doc = convert(Path(argv[0]).read_text(encoding="utf-8"))
    except ConvertError as exc:
        print(f"{argv[0]}: 转换失败：{exc}", file=sys.stderr)
        return 1
    sys.stdout.write(write_document(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
