"""A document's key figures, read from its published tables, and their series over the years.

Figures are taken as published (never recomputed): 收入总计 (表1), 财政拨款 (the 财政拨款
two-sided table), 基本支出 / 项目支出 (the 支出 table's total row), 人员经费 / 公用经费 (the
economic table's total row), the "三公" items (their table, else the prose facts) and
机关运行经费. A figure a document does not publish is None, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .compare import match_name
from .memo import ObjectCache
from .model import Department, Document, Row, Table

GROUPS = {  # group key -> (title, figure keys in display order)
    "total": ("收支总计", ("收入总计",)),
    "split": ("基本支出与项目支出", ("基本支出", "项目支出")),
    "fiscal": ("财政拨款", ("财政拨款",)),
    "economic": ("人员经费与公用经费", ("人员经费", "公用经费")),
    "three_public": ("“三公”经费", ("因公出国（境）费", "公务接待费", "公务用车购置费",
                                  "公务用车运行费", "“三公”经费合计")),
    "operating": ("机关运行经费", ("机关运行经费",)),
}
_THREE_PUBLIC_COLUMNS = {"合计": "“三公”经费合计", "因公出国(境)费": "因公出国（境）费",
                         "公务接待费": "公务接待费", "购置费": "公务用车购置费", "运行费": "公务用车运行费"}


_FIGURES: ObjectCache[Document, dict[str, Figure]] = ObjectCache(256)
_TRENDS: ObjectCache[Department, list[Trend]] = ObjectCache(64)


@dataclass(frozen=True)
class Figure:
    key: str
    amount: Decimal
    unit: str
    source: str  # 表3, or 文字说明 for prose facts


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[Decimal | None, ...]  # one per year of the trend, None where not published


@dataclass(frozen=True)
class Trend:
    key: str
    title: str
    unit: str
    years: tuple[int, ...]
    series: tuple[Series, ...]
    sources: tuple[str, ...]


def document_figures(doc: Document) -> dict[str, Figure]:
    """The key figures this document publishes, by key (worked out once per Document object:
    the headlines, charts, comparisons and trends all ask; do not modify)."""
    return _FIGURES.get(doc, _document_figures)


def _document_figures(doc: Document) -> dict[str, Figure]:
    found: dict[str, Figure] = {}
    for table in doc.tables.values():
        spec = table.spec
        if spec.rows == "two_sided":
            _two_sided(table, found)
        elif spec.rows == "functional":
            _from_total(table, ("基本支出", "项目支出"), found, need_all=True)
        elif spec.rows == "economic":
            _from_total(table, ("人员经费", "公用经费"), found, need_all=False)
        elif "三公" in table.title:
            _three_public(table, found)
    _facts(doc, found)
    return found


def _total(table: Table, side: str | None = None) -> Row | None:
    return next((r for r in table.rows(side) if r.is_total), None)


def _two_sided(table: Table, found: dict[str, Figure]) -> None:
    income = table.spec.sides[0]
    key = "财政拨款" if "财政拨款" in income.title else "收入总计"
    row = _total(table, income.key)
    if key in found or row is None or not income.amount_keys:
        return
    amount = row.amounts.get(income.amount_keys[0])
    if amount is not None:
        found[key] = Figure(key, amount, table.spec.unit, table.spec.label)


def _from_total(table: Table, keys: tuple[str, ...], found: dict[str, Figure],
                need_all: bool) -> None:
    """Columns of a table's total row; the first table that has them wins."""
    columns = table.spec.sides[0].amount_keys
    if any(k in found for k in keys) or (need_all and not set(keys) <= set(columns)):
        return
    row = _total(table)
    for key in keys:
        if row is not None and row.amounts.get(key) is not None:
            found[key] = Figure(key, row.amounts[key], table.spec.unit, table.spec.label)


def _three_public(table: Table, found: dict[str, Figure]) -> None:
    """新疆 表10: one row per item; 上海 表9: one row, one column per item."""
    side = table.spec.sides[0]
    unit, label = table.spec.unit, table.spec.label
    rows = table.rows()
    if not side.has_name:
        amounts = rows[0].amounts if rows else {}
        for column, key in _THREE_PUBLIC_COLUMNS.items():
            if amounts.get(column) is not None:
                found[key] = Figure(key, amounts[column], unit, label)
        if amounts.get("机关运行经费预算数") is not None:
            found["机关运行经费"] = Figure("机关运行经费", amounts["机关运行经费预算数"], unit, label)
        return
    column = side.amount_keys[0]
    for row in rows:
        key = "“三公”经费合计" if row.is_total else three_public_item(row.name)
        if key and row.amounts.get(column) is not None:
            found.setdefault(key, Figure(key, row.amounts[column], unit, label))


def three_public_item(name: str) -> str | None:
    """The "三公" item a row or sentence names, or None."""
    name = match_name(name)
    if "出国" in name:
        return "因公出国（境）费"
    if "接待" in name:
        return "公务接待费"
    if "购置及运行" in name:
        return None
    if "购置" in name:
        return "公务用车购置费"
    if "运行" in name and "车" in name:
        return "公务用车运行费"
    return None


def _facts(doc: Document, found: dict[str, Figure]) -> None:
    """The prose facts fill what no table published."""
    facts = doc.facts
    tp = facts.three_public
    stated = {}
    if tp is not None:
        stated = {"“三公”经费合计": tp.total, "因公出国（境）费": tp.outbound,
                  "公务接待费": tp.reception, "公务用车购置费": tp.vehicle_purchase,
                  "公务用车运行费": tp.vehicle_operation}
    stated["机关运行经费"] = facts.operating_costs
    for key, amount in stated.items():
        if key not in found and amount is not None:
            found[key] = Figure(key, amount, "万元", "文字说明")  # the prose states 万元


def department_trends(dep: Department, kind: str = "预算") -> list[Trend]:
    """One trend per group of figures that at least two years publish, in GROUPS order
    (worked out once per Department object and kind; do not modify)."""
    return _TRENDS.get(dep, lambda d: _department_trends(d, kind), kind)


def _department_trends(dep: Department, kind: str) -> list[Trend]:
    docs = sorted((d for d in dep.documents if d.kind == kind), key=lambda d: d.year)
    figures = [document_figures(d) for d in docs]
    years = tuple(d.year for d in docs)
    trends = []
    for key, (title, keys) in GROUPS.items():
        trend = _trend(key, title, keys, years, figures)
        if trend is not None:
            trends.append(trend)
    return trends


def _trend(key: str, title: str, keys: tuple[str, ...], years: tuple[int, ...],
           figures: list[dict[str, Figure]]) -> Trend | None:
    units = [f[k].unit for f in reversed(figures) for k in keys if k in f]
    if not units:
        return None
    unit = units[0]  # the latest year's unit; a year in another unit is left out, not converted
    series = []
    for k in keys:
        values = tuple(f[k].amount if k in f and f[k].unit == unit else None for f in figures)
        if any(v is not None for v in values):
            series.append(Series(k, values))
    covered = sum(1 for i in range(len(years)) if any(s.values[i] is not None for s in series))
    if covered < 2:
        return None
    sources = tuple(sorted({f[k].source for f in figures for k in keys if k in f}))
    return Trend(key, title, unit, years, tuple(series), sources)
