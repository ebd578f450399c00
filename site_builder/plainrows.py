"""Table rows written plainly, read straight from their one-line texts.

`quick_rows` gives what `tables._row` gives for each row it would read without a word (no unknown
key, no code or amount to report or warn about); anything else is left to `tables._row`,
which reads the row's nodes and reports what it finds. The row's cell positions are worked
out from its text only when a finding asks for one (`FlowCells`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from .flowrows import FlowRow, RowTexts
from .model import CellPositions, Pos, Row, Side, TableSpec
from .plainread import PLACEHOLDER, plain_amount
from .yamlsource import Node

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
        self.levels = _Levels(self.depth)

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


def quick_rows(path: str, texts: Iterable[RowTexts | None], keys: SideKeys, known: dict[str, Decimal],
               decimals: int) -> list[Row | None]:
    """`tables._row` of each row that it would read without a word, straight from its texts.

    One pass over a side's rows (`row_texts`), each Row (with its Pos and its text for
    `cell_pos`) made in the loop; None where a row is not a plain one-line row or has something
    to report or warn about (an unknown key, a code or amount to check, a placeholder…):
    `tables._row` reads those.
    """
    rows: list[Row | None] = []
    shapes, total, levels, new = keys.shapes, keys.total, keys.levels, object.__new__
    for item in texts:
        if item is None:  # not a one-line row
            rows.append(None)
            continue
        line, column, inside, parts, names = item
        shape = shapes.get(names, False)
        if shape is False:
            shape = keys.shape(names)
        if shape is None or "'" in inside or PLACEHOLDER in inside:
            rows.append(None)
            continue
        name = parts[shape.name] if shape.name else ""
        code = parts[shape.code] if shape.code else None
        is_total = total is not None and total[-1] in name and squash(name) == total
        level = levels[code] if code else 1  # None: a code for `tables._row` to report
        if level is not None:  # a total is level 0; a row with neither code nor name is an error
            level = 0 if is_total else level if code or name or not keys.coded else None
        if shape.level and level is not None:  # the published level
            level = int(parts[shape.level]) if _PLAIN_INT.fullmatch(parts[shape.level]) else None
        amounts: dict[str, Decimal] | None = {}
        marks: dict[str, str] = {}
        for key, at in shape.amounts:
            value = known.get(parts[at])  # most figures were read before (so are neither blank nor marked)
            if value is None:
                amounts, marks = _quick_cells(parts, shape, known, decimals)
                break
            amounts[key] = value
        if level is None or amounts is None:
            rows.append(None)
            continue
        pos, row = new(Pos), new(Row)  # frozen: fill their dicts (object.__setattr__ is a third of the time)
        fields = pos.__dict__
        fields["file"], fields["line"], fields["column"] = path, line, column
        fields = row.__dict__
        fields["name"], fields["code"], fields["level"], fields["is_total"] = name, code, level, is_total
        fields["amounts"], fields["marks"], fields["pos"] = amounts, marks, pos
        fields["texts"] = {key: parts[at] for key, at in shape.text_at} if shape.text_at else {}
        fields["_cells"] = inside  # Row.cell_pos works the cells' places out from it
        rows.append(row)
    return rows


def row_texts(items: list[Node]) -> list[RowTexts | None]:
    """What `quick_rows` reads of a sequence's rows (None for a row not written on one line).

    A sequence that is one run of rows gives its texts itself (`FlowRows.texts`).
    """
    return [item.texts if type(item) is FlowRow else None for item in items]


_ROW_FIELDS = ("name", "code", "level", "is_total", "amounts", "texts", "marks", "pos", "cell_pos")
assert tuple(Row.__dataclass_fields__) == _ROW_FIELDS and tuple(Pos.__dataclass_fields__) == ("file", "line", "column")


class _Levels(dict):
    """Code text -> its level (segments), None if the code is not plain; worked out once per code."""

    def __init__(self, depth: int) -> None:  # noqa: D107
        super().__init__()
        self.depth = depth

    def __missing__(self, code: str) -> int | None:
        if len(self) > 8192:  # a bound on memory: codes come from a catalogue, typos are few
            self.clear()
        spaces = code.count(" ")
        level = self[code] = spaces + 1 if spaces < self.depth and PLAIN_CODE.fullmatch(code) else None
        return level


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

    def __init__(self, pos: Pos, inside: str, amounts: Mapping[str, Decimal]) -> None:  # noqa: D107
        self.file, self.places = pos.file, None  # type: ignore[assignment]
        self.line, self.column, self.inside, self.amounts = pos.line, pos.column, inside, amounts

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
