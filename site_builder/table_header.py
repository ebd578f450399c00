"""The header grid of a published table: multi-level header cells and the leaf columns.

It depends only on the table's spec, its published column titles and its id, so it is laid
out once per spec and titles (`header_grid`) and shared by every table of that shape: the pages
(`table_html` draws it once per grid) and the CSV/XLSX downloads.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Column, Side, Table, TableSpec


@dataclass(frozen=True)
class HeaderCell:
    """One <th> of the header: a column group or a leaf column."""

    id: str
    text: str
    colspan: int
    rowspan: int
    scope: str  # col | colgroup
    headers: str  # ids of the groups above, space-separated
    role: str  # amount | code | name | text | group
    sticky: bool = False  # the first name column stays in view while the table scrolls


@dataclass(frozen=True)
class Leaf:
    column: Column
    side: Side
    header_id: str
    ancestors: tuple[str, ...]
    path: tuple[str, ...]  # the titles from the top group down to this column
    sticky: bool = False
    headers: str = ""  # the ids of its header cells, for the body cells' `headers`


# The header grid depends only on the table's spec, its published column titles and its id, so
# the tables of one profile share it from year to year. The entry keeps its spec: the spec's id
# in the key cannot be reused by another spec while the entry lives. A site has a few dozen
# grids; the limit only matters to a dev server that reloads changed profiles for hours.
_GRIDS: dict[tuple, tuple[TableSpec, tuple]] = {}
_GRID_LIMIT = 256


def header_grid(table: Table, table_id: str) -> tuple:
    """(header rows, leaves, numbering, memo) of `table`, laid out once per spec and titles."""
    key = (id(table.spec), table_id, tuple(table.headers.items()))
    hit = _GRIDS.get(key)
    if hit is not None and hit[0] is table.spec:
        return hit[1]
    if len(_GRIDS) >= _GRID_LIMIT:
        _GRIDS.clear()
    forest = _forest(table)
    depth = max(_depth(c) for c in forest)
    rows: list[list[HeaderCell]] = [[] for _ in range(depth)]
    leaves: list[Leaf] = []
    counter = iter(range(1, 10_000))
    for column, side in forest_sides(table, forest):
        _place(table, column, side, 0, depth, (), (), rows, leaves, table_id, counter)
    numbering = _numbering(leaves) if table.spec.numbering else ()
    grid = (tuple(tuple(r) for r in rows), tuple(leaves), numbering, {})
    _GRIDS[key] = (table.spec, grid)
    return grid


def _forest(table: Table) -> list[Column]:
    sides = table.spec.sides
    if len(sides) == 1:
        return list(sides[0].columns)
    return [Column(side.key, side.title, "group", side.columns) for side in sides]


def forest_sides(table: Table, forest: list[Column]) -> list[tuple[Column, Side]]:
    sides = table.spec.sides
    if len(sides) == 1:
        return [(column, sides[0]) for column in forest]
    return list(zip(forest, sides, strict=True))


def _depth(column: Column) -> int:
    return 1 + max((_depth(c) for c in column.children), default=0)


def _place(table: Table, column: Column, side: Side, level: int, depth: int,
           ancestors: tuple[str, ...], path: tuple[str, ...], rows: list[list[HeaderCell]],
           leaves: list[Leaf], table_id: str, counter) -> None:
    """Add `column` to header row `level` and recurse; leaves reach down to the last row."""
    cell_id = f"{table_id}-h{next(counter)}"
    own_title = len(table.spec.sides) > 1 and level == 0  # a side (收入/支出), not a column
    text = column.title if own_title else table.headers.get(column.key, column.title)
    span = len(column.leaves())
    rowspan = 1 if column.children else depth - level
    sticky = not column.children and column.role == "name" and side is table.spec.sides[0]
    rows[level].append(HeaderCell(cell_id, text, span, rowspan,
                                  "colgroup" if column.children else "col",
                                  " ".join(ancestors), column.role, sticky))
    if not column.children:
        leaves.append(Leaf(column, side, cell_id, ancestors, (*path, text), sticky,
                           " ".join((*ancestors, cell_id))))
        return
    for child in column.children:
        _place(table, child, side, level + 1, depth, (*ancestors, cell_id), (*path, text),
               rows, leaves, table_id, counter)


def _numbering(leaves: list[Leaf]) -> tuple[str, ...]:
    """The published column-number row: ※ for code/name/text columns, 1 2 3 … for amounts."""
    out, n = [], 0
    for leaf in leaves:
        if leaf.column.role == "amount":
            n += 1
            out.append(str(n))
        else:
            out.append("※")
    return tuple(out)
