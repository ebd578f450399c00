"""Year-over-year comparison: the lines of two years' tables side by side, and the changes.

Lines are paired by `matching.pair_rows` (code, then name, then a similar name with a
finding). Amounts stay the published Decimals; the change is exact, the rate is computed once
(change / last year, exact) and rounded to two places, ROUND_HALF_UP, only for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import NamedTuple

from .matching import Finding, Pairing, match_code, match_name, pair_rows
from .model import Document, Row, Side, Table

__all__ = ["Finding", "LineChange", "Pairing", "TableComparison", "compare_documents",
           "compare_side", "largest_changes", "match_code", "match_name", "pair_rows"]
ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

SOURCE_LABELS = {"document": "上年公开文件", "prose": "本年文字说明（上年预算）",
                 "prose-execution": "本年文字说明（上年预算执行数）"}


class _Fields(NamedTuple):
    code: str | None  # as published this year (last year's for a removed line)
    name: str
    level: int
    is_total: bool
    previous: Decimal | None
    current: Decimal | None
    status: str  # matched | new | removed
    source: str  # where `previous` comes from: see SOURCE_LABELS
    previous_name: str | None  # last year's name when it differs
    match: str  # code | name | fuzzy | total | column | prose
    reason: str | None  # 主要原因 from this year's prose
    stated_previous: Decimal | None  # the prose's figure, in the prose's own unit
    stated_unit: str | None
    change: Decimal | None  # 增减额: exact, both figures as published (None when both unknown)


class LineChange(_Fields):
    """One line of a table in both years.

    A tuple (a table's comparison makes one per row per year: a tuple costs a third of an
    object with a __dict__); the change is worked out when the line is made (the ranking,
    rate, row and chart all ask)."""

    __slots__ = ()

    def __new__(cls, code: str | None, name: str, level: int, is_total: bool,
                previous: Decimal | None, current: Decimal | None, status: str,
                source: str = "document", previous_name: str | None = None, match: str = "code",
                reason: str | None = None, stated_previous: Decimal | None = None,
                stated_unit: str | None = None) -> LineChange:
        change = None if current is None and previous is None else (current or ZERO) - (previous or ZERO)
        return tuple.__new__(cls, (code, name, level, is_total, previous, current, status, source,
                                   previous_name, match, reason, stated_previous, stated_unit, change))

    def __getnewargs__(self) -> tuple:
        """What `__new__` takes (the change is made again): for pickle and copy."""
        return tuple(self)[:-1]

    @property
    def rate(self) -> Decimal | None:
        """增减率 in percent, exact; None when last year's figure is 0 or unknown."""
        return _rate(self.previous, self.current, self.change)

    @property
    def rate_text(self) -> str:
        """The rate for display: `4.94%`, `新增` when last year was 0, else `—`."""
        return rate_text(self.previous, self.current, self.change, self.status)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    def with_prose(self, reason: str | None, stated_previous: Decimal | None,
                   stated_unit: str | None) -> LineChange:
        """This line with the prose's reason and 执行数 figure (the same figures, change and rate)."""
        return tuple.__new__(LineChange, (*self[:10], reason, stated_previous, stated_unit, self.change))


def rate_text(previous: Decimal | None, current: Decimal | None, change: Decimal | None,
              status: str) -> str:
    """A line's rate for display (`LineChange.rate_text`, for loops that unpack the lines)."""
    rate = _rate(previous, current, change)
    if rate is not None:
        # two places, no exponent; the rounding by position: by keyword, _decimal's argument
        # parsing cost as much as the quantize itself
        return str(rate.quantize(CENT, ROUND_HALF_UP)) + "%"
    if status == "new" or (previous == 0 and current):
        return "新增"
    return "取消" if status == "removed" else "—"


def _rate(previous: Decimal | None, current: Decimal | None, change: Decimal | None) -> Decimal | None:
    """增减率 in percent, exact; None when last year's figure is 0 or unknown."""
    return change / previous * HUNDRED if previous and current is not None else None


@dataclass(frozen=True)
class TableComparison:
    """One side of one table, compared on its first amount column."""

    label: str  # 表3
    title: str  # this year's published title
    side: str  # side title for two-sided tables, "" otherwise
    column: str  # the compared column's published title
    unit: str
    lines: tuple[LineChange, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def sources(self) -> list[str]:
        """Where last year's figures come from, in a fixed order."""
        used = {ln.source for ln in self.lines}
        return [SOURCE_LABELS[s] for s in SOURCE_LABELS if s in used]

    @cached_property
    def ranked_changes(self) -> tuple[list[LineChange], list[LineChange]]:
        """Increases and decreases among the deepest lines, largest first (do not modify)."""
        parents = _parent_codes(self)
        return _rank([ln for ln in self.lines
                      if not ln.is_total and ln.change and match_code(ln.code) not in parents])

    @cached_property
    def has_reasons(self) -> bool:
        """Whether any line has the prose's 主要原因 (the table then gets a column for them;
        the section and its rows both ask)."""
        return any(ln.reason for ln in self.lines)

    @property
    def slug(self) -> str:
        return re.sub(r"\D", "", self.label) + ("-" + self.side if self.side else "")


def compare_side(current: Table, previous: Table, side: Side) -> TableComparison | None:
    """Compare one side of a table on its first amount column; None when there is none."""
    keys = side.amount_keys
    prev_side = next((s for s in previous.spec.sides if s.key == side.key), None)
    if not keys or prev_side is None or keys[0] not in prev_side.amount_keys:
        return None
    column = keys[0]
    findings = []
    if not side.has_name and side.code_depth == 0:
        lines = _column_lines(current.rows(side.key), previous.rows(side.key), keys, prev_side)
    else:
        label_key = side.text_keys[0] if side.text_keys else None
        pairing = pair_rows(current.rows(side.key), previous.rows(side.key), label_key)
        lines = _lines(pairing.pairs, column, label_key)
        findings = pairing.findings
    title = current.header(next(c for c in side.leaves if c.key == column))
    side_title = side.title if len(current.spec.sides) > 1 else ""
    return TableComparison(current.spec.label, current.title, side_title, title,
                           current.spec.unit, tuple(lines), tuple(findings))


def _lines(pairs: list[tuple[Row | None, Row | None, str]], column: str,
           label_key: str | None) -> list[LineChange]:
    """The line of each pair of rows, compared on `column` (one loop for the table: a table
    has a few hundred rows, and a call per row cost as much as the rest of the row)."""
    out = []
    for cur, prev, how in pairs:
        now = cur.amounts.get(column) if cur else None
        before = prev.amounts.get(column) if prev else None
        if now is None:
            if before is None:
                continue  # a heading line, blank in both years
            status = "removed"
        else:
            status = "matched" if before is not None else "new"
        row = cur or prev
        name = (row.texts.get(label_key) if label_key else None) or row.name  # `row_label`
        renamed = None
        if cur and prev:
            old = (prev.texts.get(label_key) if label_key else None) or prev.name
            if old != name and match_name(old) != match_name(name):
                renamed = old
        # made as the tuple it is (LineChange.__new__ spelt out)
        out.append(tuple.__new__(LineChange, (
            row.code, name, row.level, row.is_total, before, now, status, "document", renamed,
            "code" if how in ("new", "removed") else how, None, None, None,
            (now or ZERO) - (before or ZERO))))
    return out


def _column_lines(current: tuple[Row, ...], previous: tuple[Row, ...], keys: list[str],
                  prev_side: Side) -> list[LineChange]:
    """A one-row table with many columns (上海 表9): each column is a line."""
    cur = current[0].amounts if current else {}
    prev = previous[0].amounts if previous else {}
    lines = []
    for key in keys:
        now, before = cur.get(key), prev.get(key) if key in prev_side.amount_keys else None
        if now is None and before is None:
            continue
        status = "matched" if now is not None and before is not None else (
            "new" if before is None else "removed")
        lines.append(LineChange(None, key, 1, False, before, now, status, match="column"))
    return lines


def compare_documents(current: Document, previous: Document) -> list[TableComparison]:
    """Every comparable table side of two years of one department, in this year's order."""
    out = []
    for label, table in current.tables.items():
        before = previous.table(label)
        if before is None or table.is_empty and before.is_empty:
            continue
        if before.spec.unit != table.spec.unit or before.spec.rows != table.spec.rows:
            continue
        for side in table.spec.sides:
            comparison = compare_side(table, before, side)
            if comparison is not None and comparison.lines:
                out.append(comparison)
    return out


def largest_changes(comparisons: list[TableComparison], count: int = 10
                    ) -> tuple[list[LineChange], list[LineChange]]:
    """The largest increases and decreases among the deepest lines of the given comparisons."""
    if len(comparisons) == 1:
        ups, downs = comparisons[0].ranked_changes
    else:  # each comparison's ranking keeps table order among equals, so merging them does too
        ups, downs = _rank([ln for c in comparisons for part in c.ranked_changes for ln in part])
    return ups[:count], downs[:count]


def _rank(lines: list[LineChange]) -> tuple[list[LineChange], list[LineChange]]:
    ups = sorted((ln for ln in lines if ln.change > 0), key=lambda ln: (-ln.change, ln.label))
    downs = sorted((ln for ln in lines if ln.change < 0), key=lambda ln: (ln.change, ln.label))
    return ups, downs


def _parent_codes(comparison: TableComparison) -> set[str]:
    """The codes another line's code extends (`201 01` for `201 01 02`): the non-leaf lines.

    An uncoded line (None) is never in the set, so it counts as a leaf."""
    parents: set[str] = set()
    for line in comparison.lines:
        key = match_code(line.code) or ""
        while " " in key:
            key = key.rpartition(" ")[0]
            if key in parents:
                break  # and so are its own prefixes
            parents.add(key)
    return parents
