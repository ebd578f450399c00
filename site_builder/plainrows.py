"""Table rows written plainly, read straight from their one-line texts.

`quick_row` is what `tables._row` gives for a row it would read without a word (no unknown
key, no code or amount to report or warn about); anything else is left to `tables._row`,
which reads the row's nodes and reports what it finds. The row's cell positions are worked
out from its text only when a finding asks for one (`FlowCells`).
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from .model import CellPositions, Pos, Row, Side, TableSpec
from .plainread import PLACEHOLDER, plain_amount
from .yamlfast import FlowRow

MARK = re.compile(r"^([*※#]+)\s*(.*)$")
MARKERS = ("*", "※", "#")  # the first character of every text MARK matches
NULLS = ("", "~", "null", "Null", "NULL")  # as Node.is_null
PLAIN_CODE = re.compile(r"[0-9]{3}(?: [0-9]{2}){0,2}")
_PLAIN_INT = re.compile(r"[+-]?[0-9]+")  # what Reader.integer reads as it is


class SideKeys:
    """What reading one side's rows needs, worked out once per side."""

    def __init__(self, spec: TableSpec, side: Side) -> None:  # noqa: D107
        self.side = side
        self.allowed = ["code", "name", "level", *side.text_keys, *side.amount_keys]
        self.known = frozenset(self.allowed)
        self.depth = 3 if spec.rows != "economic" else 2  # of a code
        self.coded = spec.rows in ("functional", "economic")  # a row needs a code or a name
        self.total = squash(side.total) if side.total else None
        self.shapes: dict[tuple[str, ...], RowShape | None] = {}

    def shape(self, names: tuple[str, ...]) -> RowShape | None:
        """Where a row with these keys has its cells (None if a key is unknown); rows share a few."""
        found = self.shapes.get(names, False)
        if found is False:
            found = self.shapes[names] = RowShape(names, self.side) if self.known.issuperset(names) else None
        return found


class RowShape:
    """Where a row of given keys has each cell among its parts (key, value, key, value…)."""

    __slots__ = ("name", "code", "level", "amounts", "text_at")

    def __init__(self, names: tuple[str, ...], side: Side) -> None:  # noqa: D107
        at = {key: 2 * i + 1 for i, key in enumerate(names)}
        self.name, self.code, self.level = at.get("name"), at.get("code"), at.get("level")
        self.amounts = tuple((key, at[key]) for key in side.amount_keys if key in at)  # the side's order
        self.text_at = tuple((key, at[key]) for key in side.text_keys if key in at)


def quick_row(path: str, item: FlowRow, keys: SideKeys, known: dict[str, Decimal], decimals: int) -> Row | None:
    """`tables._row` of a row that it would read without a word, straight from its texts.

    None for anything else (an unknown key, a code or amount to report or warn about, a
    placeholder…): `tables._row` then reads the row's nodes and reports what it finds.
    """
    shape, inside = keys.shapes.get(item.names, False), item.inside
    if shape is False:
        shape = keys.shape(item.names)
    if shape is None or "'" in inside or PLACEHOLDER in inside:
        return None
    parts = item.parts
    name = parts[shape.name] if shape.name else ""
    code = parts[shape.code] if shape.code else None
    if code is not None and not (PLAIN_CODE.fullmatch(code) and code.count(" ") < keys.depth):
        return None
    is_total = keys.total is not None and squash(name) == keys.total
    if not (code or is_total or name) and keys.coded:
        return None  # a missing-field error
    if shape.level:
        level = int(parts[shape.level]) if _PLAIN_INT.fullmatch(parts[shape.level]) else None
    else:  # a plain code's segments are one space apart
        level = 0 if is_total else code.count(" ") + 1 if code else 1
    amounts, marks = {}, {}
    for key, at in shape.amounts:
        value = known.get(parts[at])  # most figures were read before (so are neither blank nor marked)
        if value is None:
            amounts, marks = _quick_cells(parts, shape, known, decimals)
            break
        amounts[key] = value
    if level is None or amounts is None:
        return None
    return _new_row(path, item, name, code, level, is_total, amounts,
                    {key: parts[at] for key, at in shape.text_at} if shape.text_at else {}, marks)


_ROW_FIELDS = ("name", "code", "level", "is_total", "amounts", "texts", "marks", "pos", "cell_pos")
assert tuple(Row.__dataclass_fields__) == _ROW_FIELDS and tuple(Pos.__dataclass_fields__) == ("file", "line", "column")


def _new_row(path: str, item: FlowRow, name: str, code: str | None, level: int, is_total: bool,
             amounts: dict[str, Decimal], texts: dict[str, str], marks: dict[str, str]) -> Row:
    """`Row(…)` of a row read from `item`, with its Pos and FlowCells.

    Without the frozen dataclasses' `object.__setattr__` calls (a third of the time), and
    in one call: a document has hundreds of rows.
    """
    pos = object.__new__(Pos)
    fields = pos.__dict__
    fields["file"], fields["line"], fields["column"] = path, item.line, item.column
    row = object.__new__(Row)
    fields = row.__dict__
    fields["name"], fields["code"], fields["level"], fields["is_total"] = name, code, level, is_total
    fields["amounts"], fields["texts"], fields["marks"] = amounts, texts, marks
    fields["pos"], fields["cell_pos"] = pos, FlowCells(path, item.line, item.column, item.inside, amounts)
    return row


def _quick_cells(parts: list[str], shape: RowShape, known: dict[str, Decimal], decimals: int):
    """`tables._cells` of plainly written amounts: amounts and marks (None, None if one is not plain)."""
    amounts, marks = {}, {}
    for key, at in shape.amounts:
        text = parts[at]
        value = known.get(text)
        if value is None:
            if text in NULLS:
                continue
            if text[0] in MARKERS:
                mark = MARK.match(text)
                if mark:
                    marks[key], text = mark.groups()
            value = plain_amount(text, decimals)
            if value is None:
                return None, None
        amounts[key] = value
    return amounts, marks


@functools.lru_cache(maxsize=8192)
def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


class FlowCells(CellPositions):
    """The cell positions of a row read from one line, worked out when first asked for.

    Only the few cells that a finding names need a position; the row's text gives them all.
    """

    __slots__ = ("line", "column", "inside", "amounts")

    def __init__(self, file: str, line: int, column: int, inside: str, amounts: dict) -> None:  # noqa: D107
        self.file, self.places = file, None  # type: ignore[assignment]
        self.line, self.column, self.inside, self.amounts = line, column, inside, amounts

    def __getitem__(self, key: str) -> Pos:
        if self.places is None:
            self.places = self._work_out()
        return super().__getitem__(key)

    def _work_out(self) -> dict[str, int]:
        at, found = self.column, {}  # `at`: the column of the current pair's first character, less one
        for pair in self.inside.split(", "):
            key = pair.partition(": ")[0]
            found[key] = self.line << 32 | (at + len(key) + 3)
            at += len(pair) + 2
        return {key: found[key] for key in self.amounts}

    def __iter__(self):
        return iter(self.amounts)

    def __len__(self) -> int:
        return len(self.amounts)

    def __contains__(self, key: object) -> bool:
        return key in self.amounts
