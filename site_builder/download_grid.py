"""A table's body as text, shared by its CSV and its XLSX (downloads.py, xlsx_table.py).

Written for speed (a build writes tens of thousands of these files): the grid is made straight
from the table's rows, in the cells `table_layout` would lay out, without making the cells.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import chain
from typing import NamedTuple

from .memo import ObjectCache
from .model import Row, Table
from .table_layout import TableLayout, paired_rows


class Grid(NamedTuple):
    """A table's body as text, shared by its CSV and XLSX: the cells `table_layout` lays out
    (`_body`: each line the sides' leaves in side order), without making them.

    Each line as published is a row of each side (or None), side by side: `texts[i]`, `rows[i]`
    and `totals[i]` describe line i."""

    columns: list[tuple[int, str, str]]  # (side index, role, key) of each column
    texts: list[tuple[str, ...]]  # one per column: amounts with their published decimals, blanks ""
    rows: list[tuple[Row | None, ...]]
    totals: list[bool]
    marked: bool  # some amount carries a published mark (the CSV adds a column for them)


class _Plan(NamedTuple):
    """How one side's row becomes the texts of its columns, in column order.

    A row's texts are made in a fixed order — code segments, names, amounts, texts — a list
    at a time (a site has millions of cells), then put in column order."""

    codes: list[str]  # one blank per code column: a row's segments are padded with these
    names: int
    amount_keys: tuple[str, ...]
    text_keys: tuple[str, ...]
    coded_name: bool  # no code columns: the name column shows “code name”
    order: Callable[[list[str]], tuple[str, ...]] | None  # to column order; None: already in it
    blank: tuple[str, ...]  # the texts of an absent row


def table_grid(table: Table, layout: TableLayout) -> Grid:
    """The table's grid, made once for its CSV and its XLSX."""
    return _GRIDS.get(table, lambda table: _make_grid(table, layout))


_GRIDS: ObjectCache[Table, Grid] = ObjectCache(64)  # the CSV, then the XLSX of a table


def _make_grid(table: Table, layout: TableLayout) -> Grid:
    """The lines of `paired_rows`, each row written into its side's columns by its `_Plan`."""
    sides = table.spec.sides
    if "download plans" not in layout.memo:  # the same for every table with this header grid
        columns = [(n, leaf.column.role, leaf.column.key) for n, side in enumerate(sides)
                   for leaf in layout.leaves if leaf.side is side]
        layout.memo["download plans"] = columns, [_plan(columns, n, side.code_depth) for n, side in enumerate(sides)]
    columns, plans = layout.memo["download plans"]
    if len(plans) == 1:  # the lines of `paired_rows`, made faster
        rows = list(zip(table.rows()))
        totals = [row.is_total for row in table.rows()]
    else:
        rows = paired_rows(table)
        totals = [any(r is not None and r.is_total for r in group) for group in rows]
    texts = _lines(rows, plans, str)
    if "E" in "".join(chain.from_iterable(texts)):  # maybe an amount in exponent notation
        texts = _lines(rows, plans, _figure)
    marked = any(row.marks.get(key) for n, side in enumerate(sides) for row in table.rows(side.key)
                 if row.marks for s, role, key in columns if s == n and role == "amount")
    return Grid(columns, texts, rows, totals, marked)


def _lines(rows: list[tuple[Row | None, ...]], plans: list[_Plan],
           figure: Callable[[Decimal], str]) -> list[tuple[str, ...]]:
    """The texts of each line: its sides' rows, written by their plans, side by side."""
    sides = [_side_texts(plan, [group[n] for group in rows], figure) for n, plan in enumerate(plans)]
    return sides[0] if len(sides) == 1 else [sum(parts, ()) for parts in zip(*sides, strict=True)]


def _figure(value: Decimal) -> str:
    return format(value, "f")


def _plan(columns: list[tuple[int, str, str]], side: int, code_depth: int) -> _Plan:
    """Where a row of side number `side` goes among a line's `columns`."""
    own = [(role, key) for s, role, key in columns if s == side]
    made = ([n for n, (role, _) in enumerate(own) if role == "code"]
            + [n for n, (role, _) in enumerate(own) if role == "name"]
            + [n for n, (role, _) in enumerate(own) if role == "amount"]
            + [n for n, (role, _) in enumerate(own) if role == "text"])
    place = {n: i for i, n in enumerate(made)}
    order = [place.get(n, len(made)) for n in range(len(own))]  # another role: the blank after
    return _Plan([""] * sum(role == "code" for role, _ in own), sum(role == "name" for role, _ in own),
                 tuple(key for role, key in own if role == "amount"),
                 tuple(key for role, key in own if role == "text"), not code_depth,
                 None if order == list(range(len(own))) else _picker(order), ("",) * len(own))


def _picker(order: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """Texts made in `_Plan` order, put in column order (a position past them is a blank)."""
    pick = operator.itemgetter(*order)
    if len(order) == 1:  # `itemgetter` of one index gives the item, not a tuple
        return lambda texts: (pick([*texts, ""]),)
    return lambda texts: pick([*texts, ""])


def _side_texts(plan: _Plan, rows: Sequence[Row | None], figure: Callable[[Decimal], str]) -> list[tuple[str, ...]]:
    """One side's rows as the texts of its columns, as `table_layout._row_cells` lays them out.

    Amounts are written with `str`, which writes a Decimal as published unless it chooses an
    exponent (`_make_grid` then writes the table again with `format(value, "f")`)."""
    blanks, depth, names, keys = plan.codes, len(plan.codes), plan.names, plan.amount_keys
    lines = []
    for row in rows:
        if row is None:
            lines.append(plan.blank)
            continue
        code = row.code
        texts = (code.split() + blanks)[:depth] if code else blanks[:]  # fewer segments: blanks
        texts += [f"{code} {row.name}" if plan.coded_name and code else row.name] * names
        amounts = row.amounts
        texts += [figure(amounts[k]) if k in amounts else "" for k in keys]
        if plan.text_keys:
            texts += map(row.texts.get, plan.text_keys, plan.blank)
        lines.append(plan.order(texts) if plan.order else tuple(texts))
    return lines
