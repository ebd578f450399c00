"""Within-table arithmetic: parents = sum of children, totals = sum of lines, row identities.

Automatic for every table: a coded line (类/款) equals the sum of its children (款/项), the total
row equals the sum of the top lines, and for uncoded rows a line equals the sum of the lines one
level below it. Declared in the profile per table: `columns` (a row's total column is the sum of
other columns) and `sum` (a row is the sum of named rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from itertools import chain

from .findings import Finding, Place, fmt, fmt_diff, grade, to_unit, tolerance
from .model import Document, Row, Settings, Table
from .rules import Cell, Value, resolve, row_label, table_rows


def compare(doc: Document, rule: str, subject: str, total: Value | Cell, parts: list[Value | Cell],
            settings: Settings | None, what: str = "各项之和",
            precise: bool = False) -> Finding | None:
    """Compare a published total with the exact sum of published parts (units converted)."""
    if agrees(total, parts):
        return None
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
    out: list[Finding | None] = []
    for table in doc.tables.values():
        adds_up, rows_by_side = _adder(table), table_rows(table)
        by_side = {}  # each row's figures in key order, per side
        for side in table.spec.sides:
            rows, keys = table.rows(side.key), side.amount_keys
            figures = by_side[side.key] = [list(map(row.amounts.get, keys)) for row in rows]
            sums = _sums(rows_by_side[side.key])
            wrong = [(k, n) for n, (_, _, i, _, children, _) in enumerate(sums)
                     for k in _unbalanced(figures[i], [figures[j] for j, _ in children], adds_up)]
            out += [_sum_check(doc, table, side.key, keys[k], settings, *sums[n])
                    for k, n in sorted(wrong)]  # column by column, as findings were always listed
        for rule in table.spec.checks:
            out += _table_rule(doc, table, rule, settings, adds_up, by_side)
    return [f for f in out if f]


_ZERO = Decimal(0)
_EXACT = Decimal(10) ** 15  # below this, converting a figure to its own unit is exact


def balanced(total: Decimal | None, parts: list[Decimal | None]) -> bool:
    """Whether `compare` finds nothing: the published total is the exact sum of the parts.

    A shortcut taken before any `Value` or `Place` is made: nearly every line adds up.
    Figures of one table share its unit, and for figures of sane size `to_unit` to the same
    unit keeps the value, so the sum is the one `compare` computes.
    """
    present = [a for a in parts if a is not None]
    if total is None:
        return not any(present)
    return total == sum(present, _ZERO) and abs(total) < _EXACT and \
        all(abs(a) < _EXACT for a in present)


def _adder(table: Table) -> Callable[[Decimal | None, list[Decimal | None]], bool]:
    """`balanced` for the figures of `table`: without its size checks when all are of sane size."""
    return adder(chain.from_iterable(row.amounts.values() for rows in table.parts.values() for row in rows))


def adder(figures: Iterable[Decimal | None]) -> Callable[[Decimal | None, list[Decimal | None]], bool]:
    """`balanced` for sums of `figures` only: without its size checks when all are of sane size."""
    present = list(filter(None, figures))  # blanks and zeros left out: zeros are of sane size
    # every |figure| below _EXACT, compared without making the absolute values
    sane = not present or (min(present) > -_EXACT and max(present) < _EXACT)
    return _sums_to if sane else balanced


def _sums_to(total: Decimal | None, parts: list[Decimal | None]) -> bool:
    present = [a for a in parts if a is not None]
    if total is None:
        return not any(present)
    return total == sum(present, _ZERO)


def _unbalanced(total: list, parts: list[list], adds_up) -> list[int]:
    """The columns (indexes) where the figures `total` are not the sum of the rows `parts`."""
    columns = zip(total, zip(*parts, strict=False), strict=False)  # no parts: no columns
    if adds_up is _sums_to:  # its test, column by column (filter drops blanks and zeros)
        return [k for k, (t, col) in enumerate(columns)
                if (any(col) if t is None else t != sum(filter(None, col), _ZERO))]
    return [k for k, (t, col) in enumerate(columns) if not adds_up(t, list(col))]


def agrees(total: Value | Cell, parts: list[Value | Cell]) -> bool:
    """Whether `compare` finds nothing because the figures, all in one unit, are `balanced`."""
    unit = total.unit
    return all(p.unit == unit for p in parts) and balanced(total.amount, [p.amount for p in parts])


def _sums(items: list[tuple]) -> list[tuple]:
    """The sums one side of a table states (`items` its `table_rows`), worked out once for all
    its columns, in check order: (rule, what, row index, row, the (index, row) it sums, named by
    the row's name only)."""
    coded = [(i, r, code) for _, i, r, code, _ in items if r.code and not r.is_total]
    by_parent: dict[str, list[tuple[int, Row]]] = {}  # one pass, not a scan per parent
    for j, row, code in coded:
        if " " in code:
            by_parent.setdefault(code.rsplit(" ", 1)[0], []).append((j, row))
    out = [("sum-children", "所属项之和" if " " in code else "所属款之和", i, row, children, False)
           for i, row, code in coded if (children := by_parent.get(code))]
    lines = [(i, r) for _, i, r, _, _ in items if not r.is_total] if not coded else []  # uncoded rows only
    top = [(i, r) for i, r, code in coded if " " not in code] if coded else \
        [(i, r) for i, r in lines if r.level == 1]
    if top:
        out += [("sum-total", "各类之和" if coded else "各项之和", i, row, top, True)
                for _, i, row, _, _ in items if row.is_total]
    if not coded:
        out += [("sum-lines", "下一级各行之和", i, row, children, True)
                for i, row, children in _line_parents(lines)]
    return out


def _line_parents(lines: list[tuple[int, Row]]) -> list[tuple[int, Row, list[tuple[int, Row]]]]:
    """Uncoded lines with the lines one level below them (up to the next line of their level)."""
    out = []
    for n, (i, parent) in enumerate(lines):
        children = []
        for j, row in lines[n + 1:]:
            if row.level <= parent.level:
                break
            if row.level == parent.level + 1:
                children.append((j, row))
        if children:
            out.append((i, parent, children))
    return out


def _value(table: Table, side: str, index: int, row: Row, key: str) -> Value:
    place = Place(row.cell_pos.get(key, row.pos), table.spec.label, side, index, key)
    return Value(row.amounts.get(key), table.spec.unit, place,
                 f"{table.spec.label} {row_label(row)}“{table.headers.get(key, key)}”")


def _sum_check(doc, table, side, key, settings, rule, what, i, total, children, by_name):
    """`compare` of a row with the rows it sums (which do not add up)."""
    parts = [_value(table, side, j, r, key) for j, r in children]
    subject = f"{table.spec.label} {total.name if by_name else row_label(total)}"
    return compare(doc, rule, f"{subject}“{table.headers.get(key, key)}”",
                   _value(table, side, i, total, key), parts, settings, what)


def _table_rule(doc: Document, table: Table, rule: Mapping, settings, adds_up,
                by_side: dict[str, list[list]]) -> list[Finding | None]:
    if rule["rule"] == "columns":
        wanted = {rule["total"], *rule["of"]}
        return [_columns(doc, table, side.key, i, table.rows(side.key)[i], rule, settings)
                for side in table.spec.sides if wanted <= set(side.amount_keys)
                for i in _unbalanced_rows(side.amount_keys, by_side[side.key], rule, adds_up)]
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


def _unbalanced_rows(keys: list[str], figures: list[list], rule: Mapping, adds_up) -> list[int]:
    """The rows (indexes) whose `total` figure is not the sum of their `of` figures."""
    at = keys.index(rule["total"])
    totals = [row[at] for row in figures]
    if not rule["of"]:  # nothing to add up: a total must be blank or zero
        return [i for i, total in enumerate(totals) if not adds_up(total, [])]
    parts = [[row[at] for row in figures] for at in map(keys.index, rule["of"])]
    return _unbalanced(totals, parts, adds_up)  # the rows are `_unbalanced`'s columns


def _columns(doc, table, side, index, row, rule, settings) -> Finding | None:
    total = _value(table, side, index, row, rule["total"])
    parts = [_value(table, side, index, row, k) for k in rule["of"]]
    titles = "、".join(table.headers.get(k, k) for k in rule["of"])
    return compare(doc, "sum-columns", total.label, total, parts, settings, f"{titles} 之和")
