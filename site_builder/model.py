"""The typed model of the content: profiles (table templates), documents and the site.

Frozen dataclasses; money is `Decimal` (its exponent keeps the published precision: `0.00`
stays `0.00`), codes are `str`. A blank cell is an absent key, never 0. Field metadata
`zh` names the field for maintainers; the loader and the JSON Schema both read it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


def zh(name: str, doc: str = "", **extra) -> dict:
    """Field metadata: the Chinese name (and help text) shown in messages and the schema."""
    return {"zh": name, "doc": doc, **extra}


# ---------------------------------------------------------------- profiles (表样模板)

@dataclass(frozen=True)
class Column:
    """One header cell; leaves are the table's columns, groups have children."""

    key: str
    title: str
    role: str = "amount"  # amount | code | name | text | group
    children: tuple[Column, ...] = ()

    def leaves(self) -> list[Column]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


@dataclass(frozen=True)
class Side:
    """A block of rows with its own columns: one per table, or 收/支 for two-sided tables."""

    key: str
    title: str
    columns: tuple[Column, ...]
    total: str | None = None  # the published name of the total row

    # Computed once per side (frozen, so caching is safe): the loader asks for every row.
    @functools.cached_property
    def leaves(self) -> list[Column]:
        return [leaf for col in self.columns for leaf in col.leaves()]

    @functools.cached_property
    def amount_keys(self) -> list[str]:
        return [c.key for c in self.leaves if c.role == "amount"]

    @functools.cached_property
    def text_keys(self) -> list[str]:
        return [c.key for c in self.leaves if c.role == "text"]

    @functools.cached_property
    def code_depth(self) -> int:
        return sum(1 for c in self.leaves if c.role == "code")

    @functools.cached_property
    def has_name(self) -> bool:
        return any(c.role == "name" for c in self.leaves)


ROW_KINDS = ("functional", "economic", "two_sided", "project", "carryover", "plain")


@dataclass(frozen=True)
class TableSpec:
    """What a profile says about one table."""

    label: str  # 表1
    number: int  # 1, used in URLs (table-1)
    title: str  # may contain {year}
    rows: str  # one of ROW_KINDS
    sides: tuple[Side, ...]
    unit: str
    decimals: int
    numbering: bool = False
    checks: tuple[Mapping, ...] = ()

    @property
    def slug(self) -> str:
        return f"table-{self.number}"

    def side(self, key: str) -> Side:
        return next(s for s in self.sides if s.key == key)


@dataclass(frozen=True)
class Profile:
    """A table template: the set of tables of one kind of document."""

    id: str
    name: str
    kind: str
    unit: str
    decimals: int
    order: tuple[str, ...]
    tables: tuple[TableSpec, ...]
    path: str = ""
    checks: tuple[Mapping, ...] = ()

    def table(self, label: str) -> TableSpec | None:
        return next((t for t in self.tables if t.label == label), None)


# ---------------------------------------------------------------- documents

@dataclass(frozen=True)
class Pos:
    """Where something was written: file (relative to the content folder), line, column."""

    file: str
    line: int
    column: int


class CellPositions(Mapping[str, Pos]):
    """A row's cell positions (column key -> Pos), each made when asked for.

    A document has thousands of cells and only the few that a finding names ever need their
    Pos; keeping each as one int (line << 32 | column: no object for the cyclic collector to
    visit) made loading markedly cheaper. Reads like a dict.
    """

    __slots__ = ("file", "places")

    def __init__(self, file: str, places: dict[str, int]) -> None:
        self.file = file
        self.places = places

    def __getitem__(self, key: str) -> Pos:
        place = self.places[key]
        return Pos(self.file, place >> 32, place & 0xFFFFFFFF)

    def __iter__(self):
        return iter(self.places)

    def __len__(self) -> int:
        return len(self.places)

    def __contains__(self, key: object) -> bool:
        return key in self.places

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class _CellPlaces:
    """`Row.cell_pos`: a row read from one line keeps that line's text, not its cells' places.

    Only the few cells that a finding names ever need a Pos, so no positions object is made per
    row (a third of a plain row's reading): they are worked out from the text when asked for.
    """

    def __get__(self, row: Row | None, owner: type | None = None) -> Mapping[str, Pos]:
        if row is None:
            raise AttributeError("cell_pos")  # no class-level default: a required field
        cells = row.__dict__["_cells"]
        if type(cells) is str:
            from .plainrows import FlowCells  # it builds on this module
            return FlowCells(row.pos, cells, row.amounts)
        return cells

    def __set__(self, row: Row, cells: Mapping[str, Pos] | str) -> None:
        row.__dict__["_cells"] = cells


@dataclass(frozen=True)
class Row:
    """One published table row. Absent amount keys are blank cells."""

    name: str
    code: str | None  # "201 32 50", segments as published
    level: int  # 0 total; 1..3 by code depth; explicit for uncoded rows
    is_total: bool
    amounts: Mapping[str, Decimal]
    texts: Mapping[str, str]
    marks: Mapping[str, str]  # a published marker before an amount, e.g. "*"
    pos: Pos
    cell_pos: Mapping[str, Pos] = _CellPlaces()  # type: ignore[assignment]  # or the row's text

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.code.split()) if self.code else ()


@dataclass(frozen=True)
class Table:
    """A table of a document, shaped by its TableSpec."""

    spec: TableSpec
    title: str  # as published (profile title with the year filled in, or the override)
    headers: Mapping[str, str]  # column key -> published title
    note: str | None  # e.g. the explanation of an empty table
    parts: Mapping[str, tuple[Row, ...]]  # side key -> rows
    pos: Pos

    @property
    def is_empty(self) -> bool:
        return not any(row.amounts for rows in self.parts.values() for row in rows)

    def rows(self, side: str | None = None) -> tuple[Row, ...]:
        return self.parts[side or self.spec.sides[0].key]

    def header(self, column: Column) -> str:
        return self.headers.get(column.key, column.title)


@dataclass(frozen=True)
class Contact:
    name: str = field(metadata=zh("姓名"))
    phone: str = field(default="", metadata=zh("电话"))
    role: str = field(default="", metadata=zh("身份", "例如：部门联系人"))


@dataclass(frozen=True)
class Meta:
    publisher: str = field(metadata=zh("编制部门", "表头“编制部门：”后的名称"))
    published: dt.date | None = field(default=None, metadata=zh("公开日期", "写成 2024-02-23"))
    approved: dt.date | None = field(default=None, metadata=zh("批复日期", "财政部门批复预算的日期"))
    signed_by: str = field(default="", metadata=zh("落款", "文末落款单位"))
    contacts: tuple[Contact, ...] = field(default=(), metadata=zh("联系人"))
    source: str = field(default="", metadata=zh("来源", "原始公开文件的出处"))


@dataclass(frozen=True)
class Functions:
    intro: str = field(default="", metadata=zh("引言", "列表前的说明文字（Markdown）"))
    items: tuple[str, ...] = field(default=(), metadata=zh("职能条目", "每条一项，不写序号"))
    numbering: str = field(default="（一）", metadata=zh("序号样式", "（一） 一、 1. 之一"))
    outro: str = field(default="", metadata=zh("结尾", "列表后的文字（Markdown）"))


@dataclass(frozen=True)
class Organization:
    text: str = field(default="", metadata=zh("机构设置说明", "原文（Markdown）"))
    units: tuple[str, ...] = field(default=(), metadata=zh("所属单位", "纳入部门预算的单位或下属单位"))
    offices: tuple[str, ...] = field(default=(), metadata=zh("内设科室"))
    unit_counts: Mapping[str, int] = field(default_factory=dict,
                                           metadata=zh("单位数", "例如 行政单位: 1"))


@dataclass(frozen=True)
class Headcount:
    count: int = field(metadata=zh("人数"))
    change: int | None = field(default=None, metadata=zh("增减", "比上年增加为正，减少为负"))


@dataclass(frozen=True)
class Staff:
    text: str = field(default="", metadata=zh("人员情况说明", "原文（Markdown）"))
    establishment: int | None = field(default=None, metadata=zh("编制数"))
    actual: int | None = field(default=None, metadata=zh("实有人数"))
    in_service: Headcount | None = field(default=None, metadata=zh("在职"))
    retired: Headcount | None = field(default=None, metadata=zh("退休"))
    lixiu: Headcount | None = field(default=None, metadata=zh("离休"))


@dataclass(frozen=True)
class Overview:
    """第一部分 部门概况."""

    functions: Functions = field(default_factory=Functions, metadata=zh("主要职能"))
    organization: Organization = field(default_factory=Organization, metadata=zh("机构设置"))
    staff: Staff | None = field(default=None, metadata=zh("人员情况"))


@dataclass(frozen=True)
class Section:
    """A prose section (情况说明, 编制说明 …) in published order."""

    part: str = field(metadata=zh("所属部分", "例如：情况说明、编制说明、其他相关情况说明"))
    title: str = field(metadata=zh("标题", "照原文，含序号"))
    body: str = field(default="", metadata=zh("正文", "Markdown"))
    pos: Pos | None = field(default=None, metadata=zh("", internal=True))
    body_pos: Pos | None = field(default=None, metadata=zh("", internal=True))  # the body scalar


@dataclass(frozen=True)
class ThreePublic:
    """“三公”经费 as stated in the prose."""

    total: Decimal = field(metadata=zh("合计"))
    outbound: Decimal | None = field(default=None, metadata=zh("因公出国（境）费"))
    reception: Decimal | None = field(default=None, metadata=zh("公务接待费"))
    vehicles: Decimal | None = field(default=None, metadata=zh("公务用车购置及运行费"))
    vehicle_purchase: Decimal | None = field(default=None, metadata=zh("公务用车购置费"))
    vehicle_operation: Decimal | None = field(default=None, metadata=zh("公务用车运行费"))
    change: Decimal | None = field(default=None, metadata=zh("比上年增减", "增加为正，减少为负"))
    pos: Pos | None = field(default=None, metadata=zh("", internal=True))


@dataclass(frozen=True)
class Procurement:
    """政府采购."""

    total: Decimal = field(metadata=zh("政府采购预算"))
    goods: Decimal | None = field(default=None, metadata=zh("货物"))
    works: Decimal | None = field(default=None, metadata=zh("工程"))
    services: Decimal | None = field(default=None, metadata=zh("服务"))
    sme_reserved: Decimal | None = field(default=None, metadata=zh("面向中小企业预留"))
    small_micro_reserved: Decimal | None = field(default=None, metadata=zh("预留给小微企业"))
    pos: Pos | None = field(default=None, metadata=zh("", internal=True))


@dataclass(frozen=True)
class AssetItem:
    name: str = field(metadata=zh("资产名称", "如 房屋、一般公务用车、办公家具"))
    group: str = field(default="", metadata=zh("类别", "例如车辆的各类用车写 group: 车辆"))
    count: int | None = field(default=None, metadata=zh("数量"))
    count_unit: str = field(default="", metadata=zh("数量单位", "辆、台、台（套）、项"))
    area: Decimal | None = field(default=None, metadata=zh("面积（平方米）"))
    value: Decimal | None = field(default=None, metadata=zh("价值（万元）"))


@dataclass(frozen=True)
class Assets:
    """国有资产占用使用情况."""

    as_of: dt.date | None = field(default=None, metadata=zh("截止日期"))
    items: tuple[AssetItem, ...] = field(default=(), metadata=zh("资产"))
    planned: tuple[AssetItem, ...] = field(default=(), metadata=zh("本年安排购置"))


@dataclass(frozen=True)
class PerformanceCounts:
    """预算绩效情况 counts stated in the prose."""

    overall_targets: int | None = field(default=None, metadata=zh("整体绩效目标个数"))
    overall_amount: Decimal | None = field(default=None, metadata=zh("整体绩效目标涉及金额"))
    projects: int | None = field(default=None, metadata=zh("编报绩效目标的项目个数"))
    projects_amount: Decimal | None = field(default=None, metadata=zh("项目涉及金额"))
    fiscal_projects: int | None = field(default=None, metadata=zh("财政拨款项目个数"))
    fiscal_amount: Decimal | None = field(default=None, metadata=zh("财政拨款项目金额"))
    nonfiscal_projects: int | None = field(default=None, metadata=zh("非财政拨款项目个数"))
    nonfiscal_amount: Decimal | None = field(default=None, metadata=zh("非财政拨款项目金额"))
    units: int | None = field(default=None, metadata=zh("开展编报的预算单位数"))


@dataclass(frozen=True)
class Allocation:
    item: str = field(metadata=zh("用途"))
    amount: Decimal = field(metadata=zh("金额"))


@dataclass(frozen=True)
class Project:
    """A project described in the prose (表7's projects, 资金分配情况)."""

    name: str = field(metadata=zh("项目名称"))
    amount: Decimal | None = field(default=None, metadata=zh("预算安排规模"))
    basis: str = field(default="", metadata=zh("设立的政策依据"))
    implementer: str = field(default="", metadata=zh("项目承担单位"))
    allocations: tuple[Allocation, ...] = field(default=(), metadata=zh("资金分配情况"))
    period: str = field(default="", metadata=zh("资金执行时间"))
    quarterly: tuple[Decimal, ...] = field(default=(), metadata=zh("分季度用款计划"))
    pos: Pos | None = field(default=None, metadata=zh("", internal=True))


@dataclass(frozen=True)
class Facts:
    """Structured figures that the prose states, held as data."""

    three_public: ThreePublic | None = field(default=None, metadata=zh("“三公”经费"))
    operating_costs: Decimal | None = field(default=None, metadata=zh("机关运行经费"))
    operating_costs_change: Decimal | None = field(default=None,
                                                   metadata=zh("机关运行经费比上年增减"))
    procurement: Procurement | None = field(default=None, metadata=zh("政府采购"))
    assets: Assets | None = field(default=None, metadata=zh("国有资产占用"))
    performance_counts: PerformanceCounts | None = field(default=None, metadata=zh("预算绩效"))
    projects: tuple[Project, ...] = field(default=(), metadata=zh("项目"))


@dataclass(frozen=True)
class LabelledValue:
    label: str = field(metadata=zh("栏目", "照原表"))
    value: str = field(default="", metadata=zh("内容"))


@dataclass(frozen=True)
class LabelledAmount:
    label: str = field(metadata=zh("栏目", "照原表，如 年度预算总额、其中：财政拨款"))
    amount: Decimal | None = field(default=None, metadata=zh("金额"))


@dataclass(frozen=True)
class PerformanceTable:
    """绩效目标表: 部门整体 or one project. Indicator rows are keyed by the column titles."""

    title: str = field(metadata=zh("表名", "如 部门整体绩效目标表、项目支出绩效目标表"))
    name: str = field(default="", metadata=zh("项目名称", "项目表填写"))
    fields: tuple[LabelledValue, ...] = field(default=(), metadata=zh("表头栏目"))
    funds_unit: str = field(default="万元", metadata=zh("资金单位"))
    funds: tuple[LabelledAmount, ...] = field(default=(), metadata=zh("资金"))
    goal: str = field(default="", metadata=zh("总体目标"))
    annual_goal: str = field(default="", metadata=zh("年度目标", "与总体目标分列时填写"))
    columns: tuple[str, ...] = field(default=(), metadata=zh("指标列", "照原表列名"))
    indicators: tuple[Mapping[str, str], ...] = field(default=(), metadata=zh("指标"))
    weight_column: str = field(default="", metadata=zh("权重列名", "没有权重列时留空"))
    pos: Pos | None = field(default=None, metadata=zh("", internal=True))


@dataclass(frozen=True)
class Performance:
    intro: str = field(default="", metadata=zh("说明"))
    overall: PerformanceTable | None = field(default=None, metadata=zh("部门整体绩效目标表"))
    projects: tuple[PerformanceTable, ...] = field(default=(), metadata=zh("项目支出绩效目标表"))


@dataclass(frozen=True)
class Term:
    term: str = field(metadata=zh("名词"))
    definition: str = field(metadata=zh("解释"))


@dataclass(frozen=True)
class Acknowledgement:
    """A finding about the published original, verified and published as it is (数据核对 page)."""

    rule: str = field(metadata=zh("规则代码", "check 输出方括号里的代码，如 prose-rate"))
    note: str = field(metadata=zh("说明", "为什么照原样公开，如：原文如此，已向编制单位核实"))
    published: Decimal | None = field(default=None, metadata=zh(
        "公开数", "问题涉及的公开数字，用来区分同一规则的几个问题"))
    about: str = field(default="", metadata=zh("涉及", "问题说明里的一段文字，如 群众团体事务"))
    pos: Pos | None = field(default=None, metadata=zh("", internal=True))


@dataclass(frozen=True)
class Document:
    """One department's document for one year and kind (预算/决算)."""

    path: str
    profile: Profile
    department: str
    year: int
    kind: str
    title: str
    meta: Meta
    overview: Overview
    tables: Mapping[str, Table]  # by label, in profile order
    sections: tuple[Section, ...]
    facts: Facts
    performance: Performance
    glossary: tuple[Term, ...]
    glossary_numbering: str = "一、"
    acknowledged: tuple[Acknowledgement, ...] = ()

    @property
    def unit(self) -> str:
        return self.profile.unit

    def table(self, label: str) -> Table | None:
        return self.tables.get(label)


@dataclass(frozen=True)
class Department:
    slug: str
    name: str
    short_name: str
    region: str
    description: str
    documents: tuple[Document, ...]  # sorted by year, then kind


@dataclass(frozen=True)
class Settings:
    title: str = field(metadata=zh("网站标题"))
    organisation: str = field(metadata=zh("发布机构"))
    base_url: str = field(default="/", metadata=zh("网站路径前缀", "如 /budget-site/"))
    site_url: str = field(default="", metadata=zh("网站地址", "如 https://example.gov.cn，用于 sitemap"))
    language: str = field(default="zh-CN", metadata=zh("语言"))
    description: str = field(default="", metadata=zh("网站简介"))
    blocking: tuple[str, ...] = field(default=("error",), metadata=zh(
        "阻止发布的问题", "哪些检查结果会让构建失败：error、warning、rounding"))
    rounding_tolerance: Decimal | None = field(default=None, metadata=zh(
        "舍入容差", "不写则按每个加数半个最小单位计算"))


@dataclass(frozen=True)
class Site:
    settings: Settings
    profiles: Mapping[str, Profile]
    departments: tuple[Department, ...]

    @property
    def documents(self) -> list[Document]:
        return [doc for dep in self.departments for doc in dep.documents]
