"""Values written plainly, read straight from their text: what `Reader` would read without a word.

Most of a document is well written: amounts in ASCII digits, one-line rows of plain words.
These are read here without nodes or messages; anything else (something to report or warn
about) gives None and is left to `Reader`, which reads it the careful way. The dataclass
field types that drive both (worked out once per type) are here too.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import re
import types
import typing
from decimal import Decimal
from typing import Any

from .flowrows import FlowRows, RowTexts
from .model import Pos

PLACEHOLDER = "待填"  # what `new` (scaffold.py) writes where a figure or text is still missing
KNOWN_AMOUNTS: dict[int, dict[str, Decimal]] = {}  # decimals -> text -> value, for warning-free text
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")  # Reader's _NUMBER, ASCII digits only
_PLAIN_INT = re.compile(r"[+-]?[0-9]+")  # Reader's _INT, ASCII digits only
_NULLS = ("", "~", "null", "Null", "NULL")  # as Node.is_null


def quick_records(node: FlowRows, hint: Any, path: str, decimals: int) -> tuple | None:
    """`Reader.value` of a run of one-line rows as `tuple[hint, ...]` when it reads each without a word (else None)."""
    origin, args = hint_shape(hint)
    if origin is dataclasses.dataclass:
        out = [quick_dataclass(texts, hint, path, decimals) for texts in node.texts()]
    elif origin in (collections.abc.Mapping, dict) and args[1] is str:
        out = [quick_texts(texts) for texts in node.texts()]
    else:
        return None
    return tuple(out) if all(value is not None for value in out) else None


def quick_dataclass(texts: RowTexts, cls: type, path: str, decimals: int) -> Any:
    """`Reader.dataclass` of a one-line row (its `FlowRow.texts`) it would read without a word (else None).

    Only texts, amounts and integers written plainly; anything to report (a missing field,
    an unknown key, a placeholder, a figure to warn about) is left to `Reader.dataclass`.
    The row is read from its parts, in the order of its keys (see `_record_fields`).
    """
    line, column, inside, parts, names = texts
    fields = _RECORDS.get((cls, names), False)
    if fields is False:
        fields = _RECORDS[cls, names] = _record_fields(cls, names)
    if fields is None:
        return None
    quoted, blank = "'" in inside, PLACEHOLDER in inside
    values: dict[str, Any] = {}
    for (key, kind, required), text in zip(fields[1], parts[1::2], strict=True):
        plain = not quoted or text[:1] != "'"
        if not plain:
            text = text[1:-1]
        elif text in _NULLS:
            if required:
                return None
            continue
        value = text if kind is str and not blank else quick_scalar(text, kind, plain, decimals)
        if value is None:
            return None
        values[key] = value
    if fields[0]:
        values["pos"] = Pos(path, line, column)
    return cls(**values)


_RECORDS: dict[tuple[type, tuple[str, ...]], tuple[bool, tuple[tuple[str, Any, bool], ...]] | None] = {}


def _record_fields(cls: type, names: tuple[str, ...]) -> tuple[bool, tuple[tuple[str, Any, bool], ...]] | None:
    """For rows of `cls` with these keys: whether a Pos is kept, and each key's type and whether it is required.

    None if a key is unknown, a required field is missing, or the body's position is kept:
    `Reader.dataclass` then reports or reads it.
    """
    if len(_RECORDS) > 4096:  # a bound on memory
        _RECORDS.clear()
    kinds, required, has_pos, has_body_pos = _plain_fields(cls)
    if has_body_pos or not kinds.keys() >= set(names) or not required.issubset(names):
        return None
    return has_pos, tuple((key, kinds[key], key in required) for key in names)


@functools.cache
def _plain_fields(cls: type) -> tuple[dict[str, Any], frozenset[str], bool, bool]:
    """For `quick_dataclass`: each readable field's scalar type, the required ones, and the positions kept."""
    fields, hints, _ = readable_fields(cls)
    kinds = {f.name: scalar_hint(hints[f.name]) for f in fields}
    return kinds, frozenset(f.name for f in fields if is_required(f)), "pos" in hints, "body_pos" in hints


def quick_texts(texts: RowTexts) -> dict[str, str] | None:
    """`Reader.value` of a one-line row (its `FlowRow.texts`) as `dict[str, str]` when no text is a placeholder."""
    inside, parts, names = texts[2:]
    values = dict(zip(names, parts[1::2], strict=True))
    if "'" in inside:  # quotes to remove
        for key, text in values.items():
            if text[:1] == "'":
                values[key] = text[1:-1]
    if PLACEHOLDER in inside and any(text.strip() == PLACEHOLDER for text in values.values()):
        return None
    return values


def quick_scalar(text: str, hint: Any, plain: bool, decimals: int) -> Any:
    """`Reader._scalar` of a text it reads without a word, else None."""
    if hint is str:
        return None if plain and text.strip() == PLACEHOLDER else text
    if hint is Decimal:
        return plain_amount(text, decimals)
    if hint is int:
        return int(text) if _PLAIN_INT.fullmatch(text) else None
    return None  # dates, booleans, lists…: the careful way


@functools.cache
def scalar_hint(hint: Any) -> Any:
    """The type `Reader.value` reads `hint` as, for a text (`Decimal | None` -> Decimal)."""
    origin, args = hint_shape(hint)
    return scalar_hint(args[0]) if origin in (typing.Union, types.UnionType) else hint


@functools.cache
def hint_shape(hint: Any) -> tuple[Any, tuple]:
    """`hint`'s origin and arguments (a Union's without None; `dataclass` for dataclasses)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return origin, tuple(a for a in args if a is not type(None))
    if origin is None and dataclasses.is_dataclass(hint):
        return dataclasses.dataclass, ()
    return origin, args


@functools.cache
def readable_fields(cls: type) -> tuple[list[dataclasses.Field], dict[str, Any], frozenset[str]]:
    """A dataclass's readable fields, resolved type hints (slow to resolve) and field names."""
    fields = [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]
    return fields, typing.get_type_hints(cls), frozenset(f.name for f in fields)


def is_required(f: dataclasses.Field) -> bool:
    """Whether the field has no default."""
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def plain_amount(text: str, decimals: int) -> Decimal | None:
    """`Reader.amount` of a number written plainly (ASCII, no spaces), or None if it is not.

    None also where `Reader.amount` would report something (too many decimals): the caller
    then reads the node the careful way.
    """
    value = known_amounts(decimals).get(text)
    if value is None and _PLAIN_NUMBER.fullmatch(text):
        value = Decimal(text)
        exponent = value.as_tuple().exponent
        if exponent < 0 and -exponent > decimals:
            return None
        remember_amount(text, decimals, value)
    return value


def known_amounts(decimals: int) -> dict[str, Decimal]:
    """The amounts read so far without a word, by text, for tables of `decimals` places."""
    known = KNOWN_AMOUNTS.get(decimals)
    if known is None:
        known = KNOWN_AMOUNTS[decimals] = {}
    return known


def remember_amount(text: str, decimals: int, value: Decimal) -> None:
    """Keep a warning-free amount for the next time its text is read."""
    known = known_amounts(decimals)
    if len(known) > 65_536:  # a bound on memory; most hits are 0 and recurring totals
        known.clear()
    known[text] = value
