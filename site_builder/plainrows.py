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
        self.total = squash(side.total) if side.total else None
        self._rank = {key: i for i, key in enumerate(side.amount_keys)}  # amounts keep this order
        self._patterns: dict[tuple[str, ...], list[str] | None] = {}

    def amount_keys(self, keys: tuple[str, ...]) -> list[str] | None:
        """A row's amount keys in the side's order (None if a key is unknown); rows share a few."""
        found = self._patterns.get(keys, False)
        if found is False:
            found = self._patterns[keys] = sorted((k for k in keys if k in self._rank), key=self._rank.get) \
                if self.known.issuperset(keys) else None
        return found


def quick_row(path: str, item: FlowRow, spec: TableSpec, keys: SideKeys, known: dict[str, Decimal]) -> Row | None:
    """`tables._row` of a row that it would read without a word, straight from its texts.

    None for anything else (an unknown key, a code or amount to report or warn about, a
    placeholder…): `tables._row` then reads the row's nodes and reports what it finds.
    """
    e = item.values
    amount_keys = keys.amount_keys(tuple(e))
    if amount_keys is None or item.quoted or PLACEHOLDER in item.inside:
        return None
    name = e.get("name", "")
    code = e.get("code")
    if code is not None and not (PLAIN_CODE.fullmatch(code) and code.count(" ") < keys.depth):
        return None
    is_total = keys.total is not None and squash(name) == keys.total
    if not (code or is_total or name) and spec.rows in ("functional", "economic"):
        return None  # a missing-field error
    if "level" in e:
        level = int(e["level"]) if _PLAIN_INT.fullmatch(e["level"]) else None
    else:  # a plain code's segments are one space apart
        level = 0 if is_total else code.count(" ") + 1 if code else 1
    amounts, marks = _quick_cells(e, amount_keys, known, spec.decimals)
    if level is None or amounts is None:
        return None
    text_keys = keys.side.text_keys
    texts = {k: e[k] for k in text_keys if k in e} if text_keys else {}
    line, column = item.line, item.column
    return _new_row(name, code, level, is_total, amounts, texts, marks, _new_pos(path, line, column),
                    FlowCells(path, line, column, item.inside, amounts))


_ROW_FIELDS = ("name", "code", "level", "is_total", "amounts", "texts", "marks", "pos", "cell_pos")
assert tuple(Row.__dataclass_fields__) == _ROW_FIELDS and tuple(Pos.__dataclass_fields__) == ("file", "line", "column")


def _new_row(name: str, code: str | None, level: int, is_total: bool, amounts: dict[str, Decimal],
             texts: dict[str, str], marks: dict[str, str], pos: Pos, cell_pos: CellPositions) -> Row:
    """`Row(…)`, without the frozen dataclass's nine `object.__setattr__` calls (a third of the time)."""
    row = object.__new__(Row)
    fields = row.__dict__
    fields["name"], fields["code"], fields["level"], fields["is_total"] = name, code, level, is_total
    fields["amounts"], fields["texts"], fields["marks"] = amounts, texts, marks
    fields["pos"], fields["cell_pos"] = pos, cell_pos
    return row


def _new_pos(file: str, line: int, column: int) -> Pos:
    """`Pos(file, line, column)`, without the frozen dataclass's `object.__setattr__` calls."""
    pos = object.__new__(Pos)
    fields = pos.__dict__
    fields["file"], fields["line"], fields["column"] = file, line, column
    return pos


def _quick_cells(e: dict[str, str], keys: list[str], known: dict[str, Decimal], decimals: int):
    """`tables._cells` of plainly written amounts: amounts and marks (None, None if one is not plain)."""
    amounts, marks = {}, {}
    for key in keys:
        text = e[key]
        value = known.get(text)  # most amounts were read before (so are neither null nor marked)
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
