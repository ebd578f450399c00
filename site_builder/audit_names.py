"""Sanity of names and magnitudes: one code, one name; 元 written where 万元 is meant.

- a 政府收支分类 code carries the same name in every table of a document (error-prone copy)
  and across the site's documents (names may change slightly between years: a warning);
- a line larger than its table's total by a factor of 1000 or more suggests a unit mistake.
"""

from __future__ import annotations

import functools
import operator
from decimal import Decimal
from itertools import chain

from .findings import WARNING, Finding, Place
from .memo import ObjectCache
from .model import Document, Row, Site
from .rules import row_label, squash, table_rows

UNIT_FACTOR = Decimal(1000)


def code_names(doc: Document) -> CodeNames:
    """The coded rows of `doc` by classification and code (do not modify).

    Each document is compared with its department's other years, so the same document is
    asked for again and again: the answer is kept per Document object (documents are frozen).
    """
    return _NAMES.get(doc, CodeNames)


class CodeNames:
    """A document's coded rows by (classification, code): published names and where they are."""

    def __init__(self, doc: Document) -> None:
        uses: dict[tuple[str, str], list[tuple]] = {}  # key -> [(name, *the fields of its Place)]
        for table in doc.tables.values():
            kind, label = "economic" if table.spec.rows == "economic" else "functional", table.spec.label
            for rows in table_rows(table).values():
                for side, i, row, code, _ in rows:
                    if row.code and row.name:
                        uses.setdefault((kind, code), []).append((row.name, row.pos, label, side, i))
        self.uses = uses
        self.ordered = [(key, uses[key]) for key in sorted(uses)]
        # a code nearly always carries one name: squash each different name once
        self.squashed = {key: set(map(squash, set(map(_NAME, found)))) for key, found in self.ordered}
        self.first = {key: squash(found[0][0]) for key, found in self.ordered}


_NAMES: ObjectCache[Document, CodeNames] = ObjectCache(256)
_NAME = operator.itemgetter(0)


def audit_names(doc: Document, site: Site | None) -> list[Finding]:
    """Findings about code names and unit magnitudes in `doc`."""
    out: list[Finding] = []
    mine = code_names(doc)
    for key, uses in mine.ordered:
        if len(mine.squashed[key]) > 1:
            first = uses[0][0]
            for name, *place in uses[1:]:
                if squash(name) != squash(first):
                    out.append(_name(doc, key[1], name, first, uses[0][2], Place(*place)))
    # The department's other years (not the whole site: comparing every document with every
    # other one grew with the square of the site, and a department's years are what readers
    # compare line by line).
    department = next((d for d in site.departments if d.slug == doc.department), None) if site else None
    others = [d for d in (department.documents if department else ()) if d.path != doc.path]
    for other in others:
        theirs = code_names(other)
        # a key whose first name is mine too is named alike (nearly all): one set difference
        differ = theirs.first.items() - mine.first.items()
        wrong = {key for key, name in differ if key in mine.squashed and name not in mine.squashed[key]}
        for key, uses in (mine.ordered if wrong else ()):
            if key in wrong:
                out.append(_name(doc, key[1], uses[0][0], theirs.uses[key][0][0],
                                 f"{other.year} 年文件", Place(*uses[0][1:])))
    return out + _code_formats(doc) + _magnitudes(doc) + _fractions(doc)


def _code_formats(doc: Document) -> list[Finding]:
    """款/项 segments printed with one digit (`301 2`): shown as published, matched as `301 02`."""
    out = []
    for table in doc.tables.values():
        for side in table.spec.sides:
            for index, row in enumerate(table.rows(side.key)):
                short = _short_segments(row.code) if row.code else ()
                if short:
                    message = (f"{table.spec.label} 科目编码“{row.code}”里的“{short[0]}”不是 2 位数字"
                               f"（通常写作 {short[0].zfill(2)}）；网站照原样显示，比较时按 {short[0].zfill(2)} 对应。")
                    out.append(Finding("code-format", WARNING, "sanity", f"科目 {row.code}", message,
                                       doc.path, (Place(row.pos, table.spec.label, side.key, index),)))
    return out


@functools.lru_cache(maxsize=65536)
def _short_segments(code: str) -> tuple[str, ...]:
    """The 款/项 segments of `code` not written with 2 digits (codes repeat in every table)."""
    return tuple(s for s in code.split()[1:] if len(s) != 2)


def _name(doc, code: str, name: str, other: str, where: str, place: Place) -> Finding:
    message = f"科目 {code} 在这里叫“{name}”，在{where}里叫“{other}”：同一编码应是同一科目名称。"
    return Finding("code-name", WARNING, "sanity", f"科目 {code}", message, doc.path, (place,))


def _magnitudes(doc: Document) -> list[Finding]:
    out = []
    for table in doc.tables.values():
        for side in table.spec.sides:
            rows = table.rows(side.key)
            totals = [r for r in rows if r.is_total]
            if not _may_exceed(rows, totals):
                continue
            for key in side.amount_keys:
                top = max((abs(r.amounts[key]) for r in totals if r.amounts.get(key)), default=None)
                if not top:
                    continue
                limit = top * UNIT_FACTOR
                for i, row in enumerate(rows):
                    value = row.amounts.get(key)
                    if value is not None and not row.is_total and abs(value) >= limit:
                        pos = row.cell_pos.get(key, row.pos)
                        out.append(Finding(
                            "unit-magnitude", WARNING, "sanity", row_label(row),
                            f"{table.spec.label} {row_label(row)}“{key}”为 {value} {table.spec.unit}，"
                            f"是合计 {top} 的 1000 倍以上：疑似把“元”当成“{table.spec.unit}”填写。",
                            doc.path, (Place(pos, table.spec.label, side.key, i, key),), value, top))
    return out


def _may_exceed(rows: tuple[Row, ...], totals: list[Row]) -> bool:
    """Whether any line's figure reaches 1000 times the smallest figure of a total row:
    if none does, `_magnitudes` has nothing to look at cell by cell (nearly always)."""
    tops = [abs(a) for r in totals for a in r.amounts.values() if a]
    if not tops:
        return False
    limit = min(tops) * UNIT_FACTOR  # above zero: a line reaches it if its |figure| does
    lines = list(chain.from_iterable(r.amounts.values() for r in rows if not r.is_total))
    return bool(lines) and (max(lines) >= limit or min(lines) <= -limit)


def _fractions(doc: Document) -> list[Finding]:
    """In a 元 table of whole numbers, a figure with decimals (25.77) looks like 万元."""
    out = []
    for table in (t for t in doc.tables.values() if t.spec.unit == "元"):
        # a row's amounts are its present figures in key order (the loader makes them so)
        figures = [*chain.from_iterable(row.amounts.values() for side in table.spec.sides
                                        for row in table.rows(side.key))]
        fractions = sum(map(operator.ne, figures, map(Decimal.to_integral_value, figures)))
        if not len(figures) - fractions < len(figures) <= 2 * (len(figures) - fractions):
            continue  # the test below, counted before the cells are listed
        cells = [(side.key, i, row, key, row.amounts[key]) for side in table.spec.sides
                 for i, row in enumerate(table.rows(side.key)) for key in side.amount_keys
                 if key in row.amounts]
        whole = [c for c in cells if c[4] == c[4].to_integral_value()]
        if len(whole) < len(cells) <= 2 * len(whole):
            for side, i, row, key, value in (c for c in cells if c not in whole):
                out.append(Finding(
                    "unit-magnitude", WARNING, "sanity", row_label(row),
                    f"{table.spec.label} {row_label(row)}“{key}”为 {value} 元，表里其他数都是整数元："
                    "疑似把“万元”数填进了“元”的表。", doc.path,
                    (Place(row.cell_pos.get(key, row.pos), table.spec.label, side, i, key),), value))
    return out
