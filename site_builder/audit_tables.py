"""Within-table arithmetic: parents = sum of children, totals = sum of lines, row identities.

Automatic for every table: a coded line (类/款) equals the sum of its children (款/项), the total
row equals the sum of the top lines, and for uncoded rows a line equals the sum of the lines one
level below it. Declared in the profile per table: `columns` (a row's total column is the sum of
other columns) and `sum` (a row is the sum of named rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .findings import Finding, Place, fmt, fmt_diff, grade, to_unit, tolerance
from .model import Document, Row, Settings, Table
from .rules import Value, norm_code, resolve, row_label


def compare(doc: Document, rule: str, subject: str, total: Value, parts: list[Value],
            settings: Settings | None, what: str = "各项之和",
            precise: bool = False) -> Finding | None:
    """Compare a published total with the exact sum of published parts (units converted)."""
    unit = total.unit
    present = [p for p in parts if p.amount is not None]
    if total.amount is None and not any(p.amount for p in present):
        return None
    computed = sum((to_unit(p.amount, p.unit, unit) for p in present), Decimal(0))
    published = total.amount if total.amount is not None else Decimal(0)
    rounded = [to_unit(p.amount, p.unit, unit) for p in present]
    # precise: parts written with fewer decimals than the total (“20 万元”) are exact amounts
    allowed = tolerance([published] * len(rounded) if precise else rounded, settings)
    graded = grade(published - computed, allowed) if total.amount is not None else ("error", "content")
    if graded is None:
        return None
    severity, kind = graded
    diff = published - computed
    tail = f"在舍入容差 {fmt(allowed.normalize())} 以内" if kind == "rounding" else \
        f"超过舍入容差 {fmt(allowed.normalize())}"
    message = (f"{subject}：公开数 {fmt(total.amount)}，{what} {fmt(computed)}"
               f"（差 {fmt_diff(diff)} {unit}，{tail}）。")
    places = (total.place, *(p.place for p in parts))
    return Finding(rule, severity, kind, subject, message, doc.path, places,
                   total.amount, computed, diff, unit)


def audit_tables(doc: Document, settings: Settings | None) -> list[Finding]:
    """All within-table findings of `doc`, table by table."""
    out: list[Finding] = []
    for table in doc.tables.values():
        for side in table.spec.sides:
            rows = table.rows(side.key)
            for key in side.amount_keys:
                out += _hierarchy(doc, table, side.key, rows, key, settings)
                out += _levels(doc, table, side.key, rows, key, settings)
        for rule in table.spec.checks:
            out += _table_rule(doc, table, rule, settings)
    return [f for f in out if f]


def _value(table: Table, side: str, index: int, row: Row, key: str) -> Value:
    place = Place(row.cell_pos.get(key, row.pos), table.spec.label, side, index, key)
    return Value(row.amounts.get(key), table.spec.unit, place,
                 f"{table.spec.label} {row_label(row)}“{table.headers.get(key, key)}”")


def _hierarchy(doc, table, side, rows, key, settings) -> list[Finding | None]:
    """Coded lines: each 类/款 equals the sum of its direct children."""
    coded = [(i, r) for i, r in enumerate(rows) if r.code and not r.is_total]
    by_parent: dict[str, list[tuple[int, Row]]] = {}  # one pass, not a scan per parent
    for j, row in coded:
        code = norm_code(row.code)
        if " " in code:
            by_parent.setdefault(code.rsplit(" ", 1)[0], []).append((j, row))
    out = []
    for i, parent in coded:
        children = by_parent.get(norm_code(parent.code), [])
        depth = len(parent.segments)
        if not children:
            continue
        parts = [_value(table, side, j, r, key) for j, r in children]
        level = "款" if depth == 1 else "项"
        out.append(compare(doc, "sum-children", f"{table.spec.label} {row_label(parent)}"
                           f"“{table.headers.get(key, key)}”", _value(table, side, i, parent, key),
                           parts, settings, f"所属{level}之和"))
    return out


def _levels(doc, table, side, rows, key, settings) -> list[Finding | None]:
    """The total row = sum of the top lines; an uncoded line = sum of the lines one level below."""
    out = []
    lines = [(i, r) for i, r in enumerate(rows) if not r.is_total]
    coded = [(i, r) for i, r in lines if r.code]
    top = [(i, r) for i, r in coded if len(r.segments) == 1] if coded else \
        [(i, r) for i, r in lines if r.level == 1]
    for i, total in ((i, r) for i, r in enumerate(rows) if r.is_total):
        if top:
            parts = [_value(table, side, j, r, key) for j, r in top]
            what = "各类之和" if coded else "各项之和"
            out.append(compare(doc, "sum-total", f"{table.spec.label} {total.name}"
                               f"“{table.headers.get(key, key)}”", _value(table, side, i, total, key),
                               parts, settings, what))
    if coded:
        return out
    for n, (i, parent) in enumerate(lines):
        children = []
        for j, row in lines[n + 1:]:
            if row.level <= parent.level:
                break
            if row.level == parent.level + 1:
                children.append((j, row))
        if children:
            parts = [_value(table, side, j, r, key) for j, r in children]
            out.append(compare(doc, "sum-lines", f"{table.spec.label} {parent.name}"
                               f"“{table.headers.get(key, key)}”", _value(table, side, i, parent, key),
                               parts, settings, "下一级各行之和"))
    return out


def _table_rule(doc: Document, table: Table, rule: Mapping, settings) -> list[Finding | None]:
    if rule["rule"] == "columns":
        return [_columns(doc, table, side.key, i, row, rule, settings)
                for side in table.spec.sides for i, row in enumerate(table.rows(side.key))
                if {rule["total"], *rule["of"]} <= set(side.amount_keys)]
    keys = rule.get("columns") or [k for s in table.spec.sides for k in s.amount_keys]
    label = table.spec.label + (f".{rule['side']}" if "side" in rule else "")
    out = []
    for key in keys:
        total = resolve(doc, f"{label}/{rule['total']}/{key}")
        parts = [resolve(doc, f"{label}/{name}/{key}") for name in rule["of"]]
        if total is None:
            continue
        out.append(compare(doc, "sum-rows", f"{total.label}", total,
                           [p for p in parts if p is not None], settings,
                           "、".join(rule["of"]) + " 之和"))
    return out


def _columns(doc, table, side, index, row, rule, settings) -> Finding | None:
    total = _value(table, side, index, row, rule["total"])
    parts = [_value(table, side, index, row, k) for k in rule["of"]]
    titles = "、".join(table.headers.get(k, k) for k in rule["of"])
    return compare(doc, "sum-columns", total.label, total, parts, settings, f"{titles} 之和")
