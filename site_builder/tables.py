"""Read a document's tables, shaped by the profile's table specs.

A row is one line of YAML: `{code: 201 32 50, name: 事业运行, 总计: 160.92, 一般公共预算: 160.92}`.
Amount keys are the profile's column keys; a key left out is a blank cell, `0` is a zero as
published. Codes keep their published segments as text ("05" stays "05").
"""

from __future__ import annotations

import re

from .flowrows import FlowRows
from .model import CellPositions, Profile, Row, Side, Table, TableSpec
from .plainread import PLACEHOLDER, known_amounts
from .plainrows import MARK, MARKERS, NULLS, PLAIN_CODE, SideKeys, quick_rows, row_texts, squash
from .reader import Reader
from .yamlsource import Node

TABLE_KEYS = ["title", "headers", "note"]
ROW_KEYS = ["code", "name", "level"]
_SEGMENT = re.compile(r"^\d+$")


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
    keys = _table_keys(spec)
    r.check_keys(node, keys.allowed, where)
    e = node.entries
    headers = {}
    if "headers" in e:
        headers = r.value(e["headers"], dict[str, str], f"{where}.headers") or {}
        for key in headers:
            if key not in keys.titles:
                r.error(e["headers"].keys[key], "unknown-key",
                        f"{where}.headers：表里没有“{key}”这一列。可用的有：{'、'.join(sorted(keys.titles))}。")
    parts = {}
    for side_keys, key in zip(keys.sides, keys.part_keys, strict=True):
        rows_node = e.get(key)
        parts[side_keys.side.key] = _rows(r, rows_node, spec, side_keys, f"{where}.{key}") if rows_node else ()
    title = r.text(e["title"], f"{where}.title") if "title" in e else spec.title
    note = r.text(e["note"], f"{where}.note") if "note" in e else None
    return Table(spec, (title or "").replace("{year}", str(year)), keys.headers(year, headers),
                 note, parts, r.pos(node))


def _walk(col):
    yield col
    for child in col.children:
        yield from _walk(child)


class _TableKeys:
    """What reading one table needs from its spec: worked out once per spec (see `_table_keys`)."""

    def __init__(self, spec: TableSpec) -> None:  # noqa: D107
        self.part_keys = ["rows"] if len(spec.sides) == 1 else [s.key for s in spec.sides]
        self.allowed = TABLE_KEYS + self.part_keys
        self.titles = {c.key: c.title for s in spec.sides for col in s.columns for c in _walk(col)}
        self.sides = [SideKeys(spec, side) for side in spec.sides]
        self._by_year: dict[int, dict[str, str]] = {}

    def headers(self, year: int, published: dict[str, str]) -> dict[str, str]:
        """The column titles with the year filled in, the document's own `headers` over the profile's."""
        if published:
            return {k: v.replace("{year}", str(year)) for k, v in (self.titles | published).items()}
        if year not in self._by_year:
            self._by_year[year] = {k: v.replace("{year}", str(year)) for k, v in self.titles.items()}
        return dict(self._by_year[year])  # each table its own dict, as ever


_TABLE_KEYS: dict[int, tuple[TableSpec, _TableKeys]] = {}  # id -> the spec (kept, so the id stays its own)


def _table_keys(spec: TableSpec) -> _TableKeys:
    """`_TableKeys(spec)`, once per spec: profiles are read once and serve every document."""
    hit = _TABLE_KEYS.get(id(spec))
    if hit is None or hit[0] is not spec:
        if len(_TABLE_KEYS) > 1024:  # many profiles read (tests): a bound on memory
            _TABLE_KEYS.clear()
        hit = _TABLE_KEYS[id(spec)] = (spec, _TableKeys(spec))
    return hit[1]


def _rows(r: Reader, node: Node, spec: TableSpec, keys: SideKeys, where: str) -> tuple[Row, ...]:
    texts = node.texts() if type(node) is FlowRows else row_texts(r.sequence(node, where) or [])
    rows = quick_rows(r.path, texts, keys, known_amounts(spec.decimals), spec.decimals)
    if None in rows:  # the rows to read the careful way
        items = node.items  # a run's nodes are made now
        for i, item in enumerate(items):
            if rows[i] is None:
                rows[i] = _row(r, item, spec, keys.side, f"{where} 第 {i + 1} 行", keys.allowed, keys.known)
        return tuple(row for row in rows if row)
    return tuple(rows)


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
    is_total = bool(side.total) and squash(name) == squash(side.total)
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
            if cell.plain and cell.text in NULLS:
                continue
            if cell.text[:1] in MARKERS:
                mark = MARK.match(cell.text)
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
    if PLAIN_CODE.fullmatch(text) and text.count(" ") < (3 if spec.rows != "economic" else 2):
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


