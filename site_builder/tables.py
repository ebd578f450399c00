"""Read a document's tables, shaped by the profile's table specs.

A row is one line of YAML: `{code: 201 32 50, name: 事业运行, 总计: 160.92, 一般公共预算: 160.92}`.
Amount keys are the profile's column keys; a key left out is a blank cell, `0` is a zero as
published. Codes keep their published segments as text ("05" stays "05").
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from .model import CellPositions, Pos, Profile, Row, Side, Table, TableSpec
from .plainread import PLACEHOLDER, known_amounts, plain_amount
from .reader import Reader
from .yamlfast import FlowRow
from .yamlsource import Node

TABLE_KEYS = ["title", "headers", "note"]
ROW_KEYS = ["code", "name", "level"]
_SEGMENT = re.compile(r"^\d+$")
_MARK = re.compile(r"^([*※#]+)\s*(.*)$")
_MARKERS = ("*", "※", "#")  # the first character of every text _MARK matches
_NULLS = ("", "~", "null", "Null", "NULL")  # as Node.is_null
_PLAIN_CODE = re.compile(r"[0-9]{3}(?: [0-9]{2}){0,2}")
_PLAIN_INT = re.compile(r"[+-]?[0-9]+")  # what Reader.integer reads as it is


def read_tables(r: Reader, node: Node, profile: Profile, year: int) -> dict[str, Table]:
    """Read `tables:`; every table of the profile must be there, in any order."""
    entries = r.mapping(node, "tables")
    if entries is None:
        return {}
    r.check_keys(node, [t.label for t in profile.tables], "tables")
    tables = {}
    for spec in profile.tables:
        if spec.label not in entries:
            r.error(node, "missing-table",
                    f"tables：缺少 {spec.label}（{spec.title.format(year=year)}）。"
                    "没有数据的表也要写上，并用 note 说明为什么是空表。")
            continue
        table = _table(r, entries[spec.label], spec, year)
        if table:
            tables[spec.label] = table
    return tables


def _table(r: Reader, node: Node, spec: TableSpec, year: int) -> Table | None:
    where = spec.label
    if r.mapping(node, where) is None:
        return None
    part_keys = ["rows"] if len(spec.sides) == 1 else [s.key for s in spec.sides]
    r.check_keys(node, TABLE_KEYS + part_keys, where)
    e = node.entries
    headers = {}
    if "headers" in e:
        headers = r.value(e["headers"], dict[str, str], f"{where}.headers") or {}
        known = {c.key for side in spec.sides for col in side.columns for c in _walk(col)}
        for key in headers:
            if key not in known:
                r.error(e["headers"].keys[key], "unknown-key",
                        f"{where}.headers：表里没有“{key}”这一列。可用的有：{'、'.join(sorted(known))}。")
    parts = {}
    for side, key in zip(spec.sides, part_keys, strict=True):
        rows_node = e.get(key)
        parts[side.key] = _rows(r, rows_node, spec, side, f"{where}.{key}") if rows_node else ()
    title = r.text(e["title"], f"{where}.title") if "title" in e else spec.title
    note = r.text(e["note"], f"{where}.note") if "note" in e else None
    table = Table(spec, (title or "").replace("{year}", str(year)),
                  {k: v.replace("{year}", str(year)) for k, v in
                   ({c.key: c.title for s in spec.sides for col in s.columns for c in _walk(col)}
                    | headers).items()},
                  note, parts, r.pos(node))
    return table


def _walk(col):
    yield col
    for child in col.children:
        yield from _walk(child)


class _SideKeys:
    """What reading one side's rows needs, worked out once per side."""

    def __init__(self, spec: TableSpec, side: Side) -> None:  # noqa: D107
        self.allowed = ["code", "name", "level", *side.text_keys, *side.amount_keys]
        self.known = frozenset(self.allowed)
        self.depth = 3 if spec.rows != "economic" else 2  # of a code
        self.total = _squash(side.total) if side.total else None
        self.amounts = known_amounts(spec.decimals)
        self._rank = {key: i for i, key in enumerate(side.amount_keys)}  # amounts keep this order
        self._patterns: dict[tuple[str, ...], list[str] | None] = {}

    def amount_keys(self, keys: tuple[str, ...]) -> list[str] | None:
        """A row's amount keys in the side's order (None if a key is unknown); rows share a few."""
        found = self._patterns.get(keys, False)
        if found is False:
            found = self._patterns[keys] = sorted((k for k in keys if k in self._rank), key=self._rank.get) \
                if self.known.issuperset(keys) else None
        return found


def _rows(r: Reader, node: Node, spec: TableSpec, side: Side, where: str) -> tuple[Row, ...]:
    rows = []
    keys = _SideKeys(spec, side)
    for i, item in enumerate(r.sequence(node, where) or []):
        row = _quick_row(r.path, item, spec, side, keys) if type(item) is FlowRow else None
        if row is None:
            row = _row(r, item, spec, side, f"{where} 第 {i + 1} 行", keys.allowed, keys.known)
        if row:
            rows.append(row)
    return tuple(rows)


def _quick_row(path: str, item: FlowRow, spec: TableSpec, side: Side, keys: _SideKeys) -> Row | None:
    """`_row` of a row that `_row` would read without a word, straight from its texts.

    None for anything else (an unknown key, a code or amount to report or warn about, a
    placeholder…): `_row` then reads the row's nodes and reports what it finds.
    """
    e = item.values
    amount_keys = keys.amount_keys(tuple(e))
    if amount_keys is None or item.quoted or PLACEHOLDER in item.inside:
        return None
    name = e.get("name", "")
    code = e.get("code")
    if code is not None and not (_PLAIN_CODE.fullmatch(code) and code.count(" ") < keys.depth):
        return None
    is_total = keys.total is not None and _squash(name) == keys.total
    if not (code or is_total or name) and spec.rows in ("functional", "economic"):
        return None  # a missing-field error
    if "level" in e:
        level = int(e["level"]) if _PLAIN_INT.fullmatch(e["level"]) else None
    else:  # a plain code's segments are one space apart
        level = 0 if is_total else code.count(" ") + 1 if code else 1
    amounts, marks = _quick_cells(e, amount_keys, keys.amounts, spec.decimals)
    if level is None or amounts is None:
        return None
    texts = {k: e[k] for k in side.text_keys if k in e} if side.text_keys else {}
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
    """`_cells` of plainly written amounts: amounts and marks (None, None if one is not plain)."""
    try:  # the usual row: every amount read before (and so neither null nor marked)
        return {key: known[e[key]] for key in keys}, {}
    except KeyError:
        pass
    amounts, marks = {}, {}
    for key in keys:
        text = e[key]
        if text in _NULLS:
            continue
        if text[0] in _MARKERS:
            mark = _MARK.match(text)
            if mark:
                marks[key], text = mark.groups()
        value = plain_amount(text, decimals)
        if value is None:
            return None, None
        amounts[key] = value
    return amounts, marks


def _row(r: Reader, node: Node, spec: TableSpec, side: Side, where: str,
         allowed: list[str], known: frozenset[str]) -> Row | None:
    if r.mapping(node, where) is None:
        return None
    if not known.issuperset(node.keys):
        r.check_keys(node, allowed, where)
    e = node.entries
    name = r.text(e["name"], f"{where}.name") if "name" in e else ""
    if name and "code" not in e:
        where = f"{where}（{name}）"
    code = _code(r, e["code"], spec, f"{where}.code") if "code" in e else None
    if code:
        where = f"{spec.label} {code} {name}".rstrip()
    is_total = bool(side.total) and _squash(name) == _squash(side.total)
    amounts, marks, cell_pos = _cells(r, e, side.amount_keys, spec.decimals, where)
    texts = {k: r.text(e[k], f"{where}.{k}") or "" for k in side.text_keys if k in e}
    level = _level(r, e, code, is_total, where)
    if spec.rows in ("functional", "economic") and not (code or is_total or name) and \
            not any(k in e and e[k].text.strip() == PLACEHOLDER for k in ("code", "name")):
        r.error(node, "missing-field", f"{where}：这一行既没有 code 也没有 name。")
    return Row(name or "", code, level, is_total, amounts, texts, marks, r.pos(node), cell_pos)


def _cells(r: Reader, e: dict[str, Node], keys: list[str], decimals: int, where: str):
    """A row's amounts, published markers (`*12.00`) and cell positions."""
    amounts, marks, places = {}, {}, {}
    known = known_amounts(decimals)
    for key in keys:
        cell = e.get(key)
        if cell is None:
            continue
        value = None
        if cell.kind == "scalar":  # Node.is_null, a marker and a known amount, inline
            if cell.plain and cell.text in _NULLS:
                continue
            if cell.text[:1] in _MARKERS:
                mark = _MARK.match(cell.text)
                if mark:
                    marks[key] = mark.group(1)
                    cell.text = mark.group(2)
            value = known.get(cell.text)
        if value is None:
            value = r.amount(cell, f"{where} 的“{key}”", decimals)
        if value is not None:
            amounts[key] = value
            places[key] = cell.line << 32 | cell.column  # see CellPositions
    return amounts, marks, CellPositions(r.path, places)


def _level(r: Reader, e: dict, code: str | None, is_total: bool, where: str) -> int:
    if "level" in e:
        level = r.integer(e["level"], f"{where}.level")
        return level if level is not None else 1
    if is_total:
        return 0
    return len(code.split()) if code else 1


def _code(r: Reader, node: Node, spec: TableSpec, where: str) -> str | None:
    """Codes are segments separated by spaces, as published: `201 32 50`."""
    text = r.text(node, where)
    if text is None:
        return None
    if _PLAIN_CODE.fullmatch(text) and text.count(" ") < (3 if spec.rows != "economic" else 2):
        return text  # what the checks below return for a well-written code
    segments = text.split()
    if not segments or not all(_SEGMENT.match(s) for s in segments):
        r.error(node, "bad-code",
                f"{where}：科目编码 {text!r} 只能由数字组成，类、款、项之间用空格隔开，例如 201 32 50。")
        return None
    if len(segments) == 1 and len(text) > 3:
        split = " ".join([text[:3]] + [text[i:i + 2] for i in range(3, len(text), 2)])
        r.error(node, "bad-code", f"{where}：科目编码 {text!r} 请在类、款、项之间加空格，写成 {split}。")
        return None
    depth = 3 if spec.rows != "economic" else 2
    if len(segments) > depth or len(segments[0]) != 3:
        r.error(node, "bad-code",
                f"{where}：科目编码 {text!r} 不符合格式（类 3 位，款、项各 2 位，最多 {depth} 级）。")
        return None
    # A one-digit 款/项 as printed (`301 2`) is kept; the audit reports it (code-format).
    return " ".join(segments)


@functools.lru_cache(maxsize=8192)
def _squash(text: str | None) -> str:
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
