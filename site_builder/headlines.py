"""A document's headline figures, read from its published tables (never recomputed).

收支总计 (表1), 财政拨款 (the 财政拨款 two-sided table), 基本支出 / 项目支出 (the total row of the
支出 table with those columns) and the "三公" total (its table, else the prose facts). Only the
change from last year is derived, with exact decimals, and only where units agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import Document, Row, Table

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Headline:
    """One published figure with where it comes from."""

    key: str
    label: str
    amount: Decimal
    unit: str
    table: str | None  # label of the table it was read from, None for prose facts
    anchor: str = ""  # that table's slug (table-3), for links


@dataclass(frozen=True)
class HeadlineChange:
    headline: Headline
    previous: Headline | None
    change: Decimal | None
    rate: Decimal | None  # percent, exact (rounded when shown); None when last year is 0 or absent


def headlines(doc: Document) -> list[Headline]:
    """The headline figures this document publishes, in a fixed order."""
    found = [_two_sided(doc, "total", "收支总计", first=True),
             _two_sided(doc, "fiscal", "财政拨款", first=False),
             *_basic_project(doc), _three_public(doc)]
    return [h for h in found if h is not None]


def compare(current: list[Headline], previous: list[Headline]) -> list[HeadlineChange]:
    """Pair this year's headlines with last year's by key; change and growth rate are exact."""
    last = {h.key: h for h in previous}
    out = []
    for h in current:
        p = last.get(h.key)
        if p is None or p.unit != h.unit:
            out.append(HeadlineChange(h, None, None, None))
            continue
        change = h.amount - p.amount
        rate = change / p.amount * HUNDRED if p.amount else None
        out.append(HeadlineChange(h, p, change, rate))
    return out


def _total(rows: tuple[Row, ...]) -> Row | None:
    return next((r for r in rows if r.is_total), None)


def _first_amount(table: Table, side: str, row: Row) -> Decimal | None:
    keys = table.spec.side(side).amount_keys
    return row.amounts.get(keys[0]) if keys else None


def _two_sided(doc: Document, key: str, label: str, first: bool) -> Headline | None:
    """收支总计 is the first two-sided table; 财政拨款 the one whose income side says so."""
    for table in doc.tables.values():
        spec = table.spec
        if spec.rows != "two_sided":
            continue
        if not first and "财政拨款" not in spec.sides[0].title:
            continue
        side = spec.sides[0].key
        row = _total(table.rows(side))
        amount = _first_amount(table, side, row) if row else None
        return Headline(key, label, amount, spec.unit, spec.label, spec.slug) if amount is not None else None
    return None


def _basic_project(doc: Document) -> list[Headline]:
    """基本支出 and 项目支出 from the first functional table that has both columns."""
    for table in doc.tables.values():
        keys = table.spec.sides[0].amount_keys
        if table.spec.rows != "functional" or not {"基本支出", "项目支出"} <= set(keys):
            continue
        row = _total(table.rows())
        if row is None:
            return []
        return [Headline(k, k, row.amounts[k], table.spec.unit, table.spec.label, table.spec.slug)
                for k in ("基本支出", "项目支出") if k in row.amounts]
    return []


def _three_public(doc: Document) -> Headline | None:
    """The "三公" total: the table's 合计 (its total row, else its first row), else the facts."""
    for table in doc.tables.values():
        if "三公" not in table.title or "合计" not in table.spec.sides[0].amount_keys:
            continue
        rows = table.rows()
        row = _total(rows) or (rows[0] if rows else None)
        if row is not None and "合计" in row.amounts:
            return Headline("three_public", "“三公”经费", row.amounts["合计"], table.spec.unit,
                            table.spec.label, table.spec.slug)
    facts = doc.facts.three_public
    if facts is not None:
        return Headline("three_public", "“三公”经费", facts.total, doc.unit, None)
    return None
