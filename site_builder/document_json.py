"""The whole document as JSON: Decimals as strings, codes as text, no source positions.

Byte-for-byte what `json.dumps(data, ensure_ascii=False, indent=1)` writes for the plain data
of the document (`_data`). `dumps` writes the model objects themselves, asking `_plain` for
each one's data a level at a time; the rows, most of it, are written directly (jsontext.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from decimal import Decimal

from .jsontext import Keys, Written, dumps, json_object, string
from .memo import forgettable
from .model import Document, Pos, Profile, Row, Table, TableSpec


def figure(value: Decimal) -> str:
    """`format(value, "f")`: an amount with its published decimals, never with an exponent.

    `str` writes the same text unless it chose exponent notation, at a third of the cost."""
    text = str(value)
    return format(value, "f") if "E" in text else text


def document_json(doc: Document) -> bytes:
    """The whole document as JSON: Decimals as strings, codes as text, no source positions."""
    data = {"department": doc.department, "year": doc.year, "kind": doc.kind, "title": doc.title,
            "profile": doc.profile.id, "unit": doc.unit, "meta": doc.meta, "overview": doc.overview,
            "tables": [_table_written(t) for t in doc.tables.values()],
            "sections": doc.sections, "facts": doc.facts, "performance": doc.performance,
            "glossary": doc.glossary}
    return (dumps(data, _plain) + "\n").encode("utf-8")


def _table_written(table: Table) -> Written:
    """`_table_data(table)` as `dumps` writes it: the template of its spec and headers
    (`_table_template`) filled in with its title, note and rows."""
    def write(newline: str) -> str:
        template = _table_template(table, newline)
        if template is None:
            return dumps(_table_data(table, _rows_written), None, newline)
        pieces, depths = template
        values = [string(table.title), "null" if table.note is None else string(table.note)]
        values += [_rows_text(table.rows(side.key), depth)
                   for side, depth in zip(table.spec.sides, depths, strict=True)]
        parts = [pieces[0]]
        for value, piece in zip(values, pieces[1:], strict=True):
            parts += (value, piece)
        return "".join(parts)
    return Written(write, lambda: _table_data(table))


def _table_template(table: Table, newline: str) -> tuple[list[str], list[str]] | None:
    """`_table_data(table)` written at `newline`'s depth, in pieces around its title, note and
    each side's rows, with the depth each side's rows are written at (None: not written so).

    Made once per spec, published column titles and depth; the tables of a profile share it."""
    key = (id(table.spec), tuple(table.headers.items()), newline)
    hit = _TEMPLATES.get(key)
    if hit is not None and hit[0] is table.spec:
        return hit[1]
    depths: list[str] = []

    def rows_slot(depth: str) -> str:
        depths.append(depth)
        return "\x00"  # `string` escapes NUL: a raw one is only a slot

    slot, rows = Written(lambda depth: "\x00", list), Written(rows_slot, list)
    data = _table_data(table, lambda _: rows)
    data["title"] = data["note"] = slot
    pieces = dumps(data, None, newline).split("\x00")
    template = (pieces, depths) if len(pieces) == 3 + len(depths) == 3 + len(table.spec.sides) else None
    if len(_TEMPLATES) >= 256:  # a site has a few dozen; a dev server may reload profiles for hours
        _TEMPLATES.clear()
    _TEMPLATES[key] = (table.spec, template)
    return template


_TEMPLATES: dict[tuple, tuple[TableSpec, tuple[list[str], list[str]] | None]] = {}


def _table_data(table: Table, rows: Callable[[tuple[Row, ...]], object] | None = None) -> dict:
    """A table as plain data; `rows` turns a side's rows into JSON data (`_row_data` each)."""
    spec = table.spec
    sides = []
    for side in spec.sides:
        own = table.rows(side.key)
        sides.append({"key": side.key, "title": side.title,
                      "columns": [{"key": c.key, "title": table.header(c), "role": c.role}
                                  for c in side.leaves],
                      "rows": rows(own) if rows else [_row_data(r) for r in own]})
    return {"label": spec.label, "slug": spec.slug, "title": table.title, "unit": spec.unit,
            "note": table.note, "sides": sides}


def _row_data(row: Row) -> dict:
    data = {"code": row.code, "name": row.name, "level": row.level, "total": row.is_total,
            "amounts": {k: figure(v) for k, v in row.amounts.items()}}
    if row.texts:
        data["texts"] = dict(row.texts)
    if row.marks:
        data["marks"] = dict(row.marks)
    return data


def _rows_written(rows: tuple[Row, ...]) -> Written:
    """The rows as `dumps` writes `[_row_data(r) for r in rows]` (`_rows_text`)."""
    return Written(lambda newline: _rows_text(rows, newline), lambda: [_row_data(r) for r in rows])


def _rows_text(rows: tuple[Row, ...], newline: str) -> str:
    """The rows as `dumps` writes `[_row_data(r) for r in rows]`, without making the dicts.

    Rows are most of a document's JSON; the model's types (code str or None, level int,
    amounts Decimal, texts and marks str) make each row one %-format of the template for its
    amount keys (`_RowTemplates`)."""
    if not rows:
        return "[]"
    templates, end = _row_templates(newline), newline + " }"
    written = []
    for row in rows:
        amounts = row.amounts
        head = ("null" if row.code is None else string(row.code), string(row.name), row.level,
                "true" if row.is_total else "false")
        text = templates[tuple(amounts)] % (*head, *amounts.values())
        if "E" in text:  # `str` chose an exponent (or a name has an E): `figure` each amount
            text = templates[tuple(amounts)] % (*head, *map(figure, amounts.values()))
        if row.texts or row.marks:
            text += _texts_and_marks(row, templates.key, templates.keys)
        written.append(text + end)
    return f'[{",".join(written)}{newline}]'


def _texts_and_marks(row: Row, key: str, keys: Keys) -> str:
    """The items after a row's amounts: its texts and marks, when it has any."""
    text = ""
    if row.texts:
        texts = ",".join([f"{keys[k]}{string(v)}" for k, v in row.texts.items()])
        text += f',{key}"texts": {json_object(texts, key)}'
    if row.marks:
        marks = ",".join([f"{keys[k]}{string(v)}" for k, v in row.marks.items()])
        text += f',{key}"marks": {json_object(marks, key)}'
    return text


@forgettable
@functools.lru_cache(maxsize=16)
def _row_templates(newline: str) -> _RowTemplates:
    return _RowTemplates(newline)


class _RowTemplates(dict):
    """A row's text up to its amounts, by its amount keys: a %-format of (code, name, level,
    total, amounts…), the code and name already JSON strings, each amount written with `%s`."""

    def __init__(self, newline: str) -> None:
        super().__init__()
        self.item, self.key, self.keys = newline + " ", newline + "  ", Keys(newline + "   ")

    def __missing__(self, amount_keys: tuple[str, ...]) -> str:
        item, key = self.item, self.key
        amounts = ",".join(self.keys[k].replace("%", "%%") + '"%s"' for k in amount_keys)
        self[amount_keys] = template = (
            f'{item}{{{key}"code": %s,{key}"name": %s,{key}"level": %d,{key}"total": %s,'
            f'{key}"amounts": {json_object(amounts, key)}')
        return template


def _data(value):
    """Plain JSON data from the model; positions and profiles are left out."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    shape = _shape(kind)
    if shape == "model":
        return {name: _data(getattr(value, name)) for name in _field_names(kind)}
    if shape == "sequence":
        return [_data(v) for v in value]
    if shape == "mapping":
        return {str(k): _data(v) for k, v in value.items()}
    if shape == "decimal":
        return figure(value)
    if shape == "date":
        return value.isoformat()
    return None if shape == "left out" else value


def _plain(value):
    """The data `_data` makes of a value that is not plain data, a level at a time (`dumps`
    asks again for what it holds)."""
    shape = _shape(type(value))
    if shape == "model":
        return {name: getattr(value, name) for name in _field_names(type(value))}
    if shape == "mapping":
        return {str(k): v for k, v in value.items()}
    if shape == "decimal":
        return figure(value)
    if shape == "date":
        return value.isoformat()
    if shape == "left out":
        return None
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


@functools.cache
def _shape(kind: type) -> str:
    """How `_data` writes a value of this type (asked once per type: the checks are slow)."""
    if issubclass(kind, Decimal):
        return "decimal"
    if issubclass(kind, dt.date):
        return "date"
    if issubclass(kind, (Pos, Profile)):  # never reached through documents; kept defensive
        return "left out"
    if dataclasses.is_dataclass(kind):
        return "model"
    if issubclass(kind, Mapping):
        return "mapping"
    return "sequence" if issubclass(kind, (tuple, list)) else "other"


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a model class that go into the JSON, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls)
                 if not f.metadata.get("internal") and not f.name.endswith("pos"))
