"""Figure references of the profiles' `checks:`: resolving them in a document, and names compared.

A reference names one published figure: `表5/总计/基本支出` is table 表5, the row named 总计
(or its total row), column 基本支出. The row part can be a code (`302 17`), a row name, `#2`
(the second row), or, where several rows are meant, 类 / 款 / 项 / 行 (all coded lines of that
depth, or all lines). `表1.expenditure/类/预算数` picks a side of a two-sided table.
`facts/three_public.total` names a figure of the document's `facts`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from typing import Any

from .findings import Place
from .memo import ObjectCache
from .model import Document, Row, Table

MULTI = {"类": 1, "款": 2, "项": 3, "行": 0}
_CODE = re.compile(r"^\d{3}( \d{1,2})*$")
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、|^\d+[、.．]\s*|^（[一二三四五六七八九十]+）")


@dataclass(frozen=True)
class Value:
    """A published figure found by a reference; `amount` None is a blank cell."""

    amount: Decimal | None
    unit: str
    place: Place
    label: str  # e.g. 表5 总计 基本支出
    name: str = ""  # the row's name, to match coded rows with uncoded ones


@functools.lru_cache(maxsize=65536)
def squash(text: str) -> str:
    """Compare names without spaces, brackets' width or a leading list number."""
    return squash_text(text)


def squash_text(text: str) -> str:
    """`squash` not kept: for a long text seen once (a document's whole prose)."""
    # str.split() splits at exactly the characters the pattern \s takes for spaces
    text = "".join((text or "").split()).replace("(", "（").replace(")", "）")
    return _NUMBERING.sub("", text)


@functools.lru_cache(maxsize=65536)
def norm_code(code: str) -> str:
    """`301 2` and `301 02` name the same line."""
    first, *rest = code.split()
    return " ".join([first, *(seg.zfill(2) for seg in rest)])


def resolve(doc: Document, ref: str) -> Value | Cell | None:
    """The one figure `ref` names in `doc`; None if the table or row is not there."""
    cache = _RESOLVED.get(doc, _empty)
    found = cache.get(ref, _UNKNOWN)
    if found is _UNKNOWN:
        parts = ref.split("/")
        found = cache[ref] = _fact(doc, parts[1]) if parts[0] == "facts" else _resolve(doc, parts)
    return found


def _empty(doc: Document) -> dict:
    return {}


_RESOLVED: ObjectCache[Document, dict[str, Value | Cell | None]] = ObjectCache(256)  # ref -> figure
_UNKNOWN = object()  # not resolved yet (None is a figure not found)


def _resolve(doc: Document, parts: list[str]) -> Cell | None:
    found = _rows(doc, parts[0], parts[1])
    if found is None or not found[1]:
        return None
    table, rows = found
    amounts = [item[2].amounts.get(parts[2]) for item in rows]
    present = [a for a in amounts if a is not None]
    total = sum(present, Decimal(0)) if present else None
    side, index, first = rows[0][:3]
    return Cell(total, table, parts[2], first, (side, index, first))


def resolve_many(doc: Document, ref: str) -> dict[str, Cell]:
    """Figures of all rows a multi-row reference (类/款/项/行) names, keyed by code or name."""
    label, selector, column = ref.split("/")
    found = _rows(doc, label, selector)
    if found is None:
        return {}
    table, rows = found
    out: dict[str, Cell] = {}
    for side, index, row, key, name in rows:
        value = Cell(row.amounts.get(column), table, column, row, (side, index, row), name)
        before = out.get(key)
        if before is None:
            out[key] = value
        elif value.amount is not None:  # a line printed twice: one figure, placed at the first
            out[key] = value if before.amount is None else \
                Cell(before.amount + value.amount, table, column, row, before.place_at, value.name)
    return out


def figures_many(doc: Document, ref: str) -> dict[str, Decimal | None]:
    """The figures of `resolve_many(doc, ref)`, gathered without making a Cell per row."""
    label, selector, column = ref.split("/")
    found = _rows(doc, label, selector)
    if found is None:
        return {}
    rows = found[1]  # (side, index, row, key, squashed name) each
    figures = {key: row.amounts.get(column) for _, _, row, key, _ in rows}
    if len(figures) < len(rows):  # a line printed twice: its figures as resolve_many adds them up
        return {key: cell.amount for key, cell in resolve_many(doc, ref).items()}
    return figures


class Cell:
    """A figure of a table row, like `Value`; its place and label are worked out when asked for.

    Nearly every figure agrees with the figures it is compared with, and only a finding
    needs the cell's file position (worked out from the row's text) and its label.
    """

    __slots__ = ("amount", "unit", "name", "table", "column", "label_row", "place_at")

    def __init__(self, amount: Decimal | None, table: Table, column: str, label_row: Row,
                 place_at: tuple[str, int, Row], name: str = "") -> None:
        self.amount, self.unit, self.name = amount, table.spec.unit, name
        self.table, self.column, self.label_row, self.place_at = table, column, label_row, place_at

    @property
    def label(self) -> str:
        """E.g. 表5 总计“基本支出”."""
        return (f"{self.table.spec.label} {row_label(self.label_row)}"
                f"“{self.table.headers.get(self.column, self.column)}”")

    @property
    def place(self) -> Place:
        side, index, row = self.place_at
        return Place(row.cell_pos.get(self.column, row.pos), self.table.spec.label, side, index, self.column)


def row_label(row: Row) -> str:
    return f"{row.code} {row.name}".strip() if row.code else row.name


def _rows(doc: Document, token: str, selector: str):
    label, _, side_key = token.partition(".")
    table = doc.table(label)
    if table is None:
        return None
    return table, _index(table, side_key).select(selector)


class _RowIndex:
    """A table's rows (one side or all) indexed by code and name, built once per table.

    `resolve` is called for every figure a rule or a sentence names; scanning all rows for
    each call was a large share of the audits.
    """

    def __init__(self, table, side_key: str) -> None:
        by_side = table_rows(table)
        self.indexed = by_side.get(side_key, []) if side_key else [*chain.from_iterable(by_side.values())]
        self.by_code: dict[str, tuple | list] = {}  # code -> its row, or its rows if printed twice
        self.by_name: dict[str, tuple] = {}  # the first row of a name
        for item in self.indexed:
            if item[2].code:
                before = self.by_code.setdefault(item[3], item)
                if before is not item:
                    self.by_code[item[3]] = [*before, item] if isinstance(before, list) else [before, item]
            self.by_name.setdefault(item[4], item)
        self.totals = [item for item in self.indexed if item[2].is_total][:1]
        self.depths: dict[int, list] = {}

    def select(self, selector: str) -> list:
        """The rows `selector` names, in table order (see the module's docstring)."""
        if selector in MULTI:
            depth = MULTI[selector]
            if depth not in self.depths:
                self.depths[depth] = [
                    item for item in self.indexed if not (r := item[2]).is_total and (depth == 0 or (
                        len(r.segments) == depth if r.code else depth == 1 and r.level == 1))]
            return self.depths[depth]
        if selector.startswith("#") and selector[1:].isdigit():
            n = int(selector[1:]) - 1
            return self.indexed[n:n + 1]
        if _CODE.match(selector):
            found = self.by_code.get(norm_code(selector))
            return found if isinstance(found, list) else [found] if found else []
        named = self.by_name.get(squash(selector))
        return [named] if named else self.totals if selector in ("总计", "合计") else []


_INDEXES: ObjectCache = ObjectCache(1024)


def table_rows(table: Table) -> dict[str, list[tuple[str, int, Row, str, str]]]:
    """Each side's rows as (side, index, row, its key: code or else name, its squashed name).

    Made once per Table object (tables are frozen) for all the audits: the row index of
    references, the 类/款/项 paths of the prose, the code names and the sums of coded lines.
    Tuples, not objects: few containers, as the cyclic collector goes through what the audits keep.
    """
    return _ROWS.get(table, _table_rows)


def _table_rows(table: Table) -> dict[str, list[tuple[str, int, Row, str, str]]]:
    out = {}
    for s in table.spec.sides:
        items = out[s.key] = []
        for i, row in enumerate(table.rows(s.key)):
            name = squash(row.name)
            items.append((s.key, i, row, norm_code(row.code) if row.code else name, name))
    return out


_ROWS: ObjectCache = ObjectCache(1024)


def _index(table, side_key: str) -> _RowIndex:
    """The row index of `table` (tables are frozen: one per Table object and side)."""
    return _INDEXES.get(table, lambda t: _RowIndex(t, side_key), side_key)


def _fact(doc: Document, path: str) -> Value | None:
    obj: Any = doc.facts
    holder: Any = obj
    for name in path.split("."):
        holder = obj
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    pos = getattr(holder, "pos", None) or getattr(doc.facts, "pos", None)
    if pos is None:
        from .model import Pos
        pos = Pos(doc.path, 1, 1)
    return Value(obj, "万元", Place(pos), f"facts.{path}")
