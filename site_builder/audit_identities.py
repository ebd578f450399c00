"""Cross-table identities declared in the profile: `equal`, `match` and `projects` rules.

    - {rule: equal, left: 表5/总计/基本支出, right: 表6/总计/合计}
    - {rule: equal, left: 表6/总计/合计, right: [表6/总计/人员经费, 表6/总计/公用经费]}
    - {rule: match, left: 表1.expenditure/类/预算数, right: 表3/类/合计}
    - {rule: projects, table: 表7, name: 项目名称, amount: 项目支出合计}

A reference to a table or row that the document does not have is skipped (an empty table
has no rows); a missing counterpart row in `match` is reported when it carries an amount.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Mapping
from decimal import Decimal
from itertools import chain

from .audit_tables import adder, agrees, balanced, compare
from .findings import WARNING, Finding, Place, fmt
from .memo import ObjectCache
from .model import Document, Row, Settings, Table
from .rules import Value, figures_many, resolve, resolve_many, squash


def audit_identities(doc: Document, settings: Settings | None) -> list[Finding]:
    """Findings of the profile's cross-table rules on `doc`."""
    out: list[Finding | None] = []
    for rule in doc.profile.checks:
        if rule["rule"] == "equal":
            out.append(_equal(doc, rule, settings))
        elif rule["rule"] == "match":
            out += _match(doc, rule, settings)
        elif rule["rule"] == "projects":
            out += _projects(doc, rule, settings)
    return [f for f in out if f]


def _refs(value) -> list[str]:
    return list(value) if isinstance(value, tuple) else [value]


def _equal(doc: Document, rule: Mapping, settings) -> Finding | None:
    lefts = [resolve(doc, r) for r in _refs(rule["left"])]
    rights = [resolve(doc, r) for r in _refs(rule["right"])]
    if any(v is None for v in lefts) or any(v is None for v in rights):
        return None
    if len(lefts) == 1 and agrees(lefts[0], rights):  # before any label is made
        return None
    left = _combine(lefts)
    what = "、".join(v.label for v in rights) + (" 之和" if len(rights) > 1 else "")
    found = compare(doc, "identity", f"{left.label} 与 {what}", left, rights, settings, what)
    if found and rule.get("severity") == "warning" and found.severity != WARNING:
        found = dataclasses.replace(found, severity=WARNING)
    if found and rule.get("note"):
        found = dataclasses.replace(found, message=f"{found.message}（{rule['note']}）")
    return found


def _combine(values: list[Value]) -> Value:
    if len(values) == 1:
        return values[0]
    amounts = [v.amount for v in values if v.amount is not None]
    return Value(sum(amounts, Decimal(0)) if amounts else None, values[0].unit, values[0].place,
                 "、".join(v.label for v in values) + " 之和")


def _match(doc: Document, rule: Mapping, settings) -> list[Finding | None]:
    """Row by row (by code, else by name): left's figure = sum of right's figures."""
    if _same_lines(doc, rule):
        return []
    left = resolve_many(doc, rule["left"])
    rights = [resolve_many(doc, r) for r in _refs(rule["right"])]
    tables = [r.split("/")[0].split(".")[0] for r in _refs(rule["right"])]
    present = [(t, r) for t, r in zip(tables, rights, strict=False) if doc.table(t) is not None]
    if left and not any(_coded(left)):  # uncoded lines: match coded ones by name
        present = [(t, {v.name: v for v in r.values()}) for t, r in present]
    elif not all(_coded(chain.from_iterable(r for _, r in present))):
        left = {v.name: v for v in left.values()}
    if not left and not any(r for _, r in present):
        return []
    compared = [left, *(r for _, r in present)]
    units = {v.unit for found in compared for v in found.values()}
    adds_up = adder(v.amount for found in compared for v in found.values())
    out: list[Finding | None] = []
    for key, value in left.items():
        parts = [r[key] for _, r in present if key in r]
        if not parts:
            if value.amount:
                out.append(_missing(doc, value, ",".join(t for t, _ in present)))
            continue
        if adds_up(value.amount, [p.amount for p in parts]) if len(units) == 1 else agrees(value, parts):
            continue  # what `compare` would find: nothing (checked before any label is made)
        what = "、".join(p.label for p in parts) + (" 之和" if len(parts) > 1 else "")
        out.append(compare(doc, "identity-rows", f"{value.label} 与 {what}", value, parts,
                           settings, what))
    for _table, found in present:
        for key, value in found.items():
            if key not in left and value.amount:
                out.append(_missing(doc, value, rule["left"].split("/")[0]))
    return out


def _same_lines(doc: Document, rule: Mapping) -> bool:
    """Whether the left and the one right of `rule` are the same coded lines with the same figures,
    of sane size and in one unit (nearly always): `_match` finds nothing, told before a Cell is made."""
    refs = _refs(rule["right"])
    if len(refs) != 1:
        return False
    tables = [doc.table(ref.split("/")[0].split(".")[0]) for ref in (rule["left"], refs[0])]
    if None in tables or tables[0].spec.unit != tables[1].spec.unit:
        return False
    left, right = figures_many(doc, rule["left"]), figures_many(doc, refs[0])
    return left == right and all(_coded(left)) and adder(chain(left.values(), right.values())) is not balanced



def _coded(keys):
    """For each key, whether it starts with a digit (a code), as `k[:1].isdigit()`."""
    return map(str.isdigit, map(_FIRST, keys))


_FIRST = operator.itemgetter(slice(0, 1))


def _missing(doc: Document, value: Value, other: str) -> Finding:
    message = f"{value.label} 为 {fmt(value.amount)}，但 {other} 里没有对应的行。"
    return Finding("identity-rows", "error", "content", value.label, message, doc.path,
                   (value.place,), value.amount, None, value.amount, value.unit)


def _projects(doc: Document, rule: Mapping, settings) -> list[Finding | None]:
    """Each project in facts.projects = the rows of the project table that carry its name."""
    table = doc.table(rule["table"])
    if table is None:
        return []
    out: list[Finding | None] = []
    named = _NAMED.get(table, lambda t: _rows_by_name(t, rule["name"]), rule["name"])
    for project in doc.facts.projects:
        rows = named.get(squash(project.name), [])
        if rows and table.spec.unit == "万元" and \
                balanced(project.amount, [r.amounts.get(rule["amount"]) for _, _, r in rows]):
            continue  # what `compare` would find: nothing
        pos = project.pos or Place(table.pos).pos
        stated = Value(project.amount, "万元", Place(pos), f"项目“{project.name}”的预算安排规模")
        if not rows:
            out.append(Finding("project-table", "warning", "completeness", stated.label,
                               f"{stated.label}：{table.spec.label} 里找不到名为“{project.name}”的项目。",
                               doc.path, (stated.place,)))
            continue
        if project.amount is None:
            continue
        parts = [Value(r.amounts.get(rule["amount"]), table.spec.unit,
                       Place(r.cell_pos.get(rule["amount"], r.pos), table.spec.label, s, i,
                             rule["amount"]), f"{table.spec.label} {project.name}")
                 for s, i, r in rows]
        out.append(compare(doc, "project-table", f"{stated.label} 与 {table.spec.label}", stated,
                           parts, settings, f"{table.spec.label}“{rule['amount']}”"))
    return out


_NAMED: ObjectCache[Table, dict[str, list[tuple[str, int, Row]]]] = ObjectCache(256)


def _rows_by_name(table: Table, column: str) -> dict[str, list[tuple[str, int, Row]]]:
    """The table's rows by the squashed text of `column`, in table order."""
    out: dict[str, list[tuple[str, int, Row]]] = {}
    for side in table.spec.sides:
        for i, row in enumerate(table.rows(side.key)):
            out.setdefault(squash(row.texts.get(column, "")), []).append((side.key, i, row))
    return out
