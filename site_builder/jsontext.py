"""JSON text exactly as `json.dumps(data, ensure_ascii=False, indent=1, default=default)` writes
it, faster.

The standard library's C encoder is used only without `indent`; `dumps` writes the indented
layout itself for plain data (dict, list, tuple, str, int, bool, None), asks `default` for the
data of any other value (as `json.dumps` does: the documents' model objects are written without
being copied into plain data first), and leaves anything it does not write exactly like
`json.dumps` (floats, subclasses of the plain types, keys that are not text) to `json.dumps`.
A `Written` value is a piece its producer writes itself (the downloads write a table's rows this
way: most of a document's JSON, one format string per row).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from json.encoder import encode_basestring as string  # the C escaper, ensure_ascii=False

from .memo import forgettable

_NATIVE = (str, int, float, dict, list, tuple, type(None))  # what `json.dumps` writes itself


def dumps(data: object, default: Callable[[object], object] | None = None, newline: str = "\n") -> str:
    """`json.dumps(data, ensure_ascii=False, indent=1, default=default)`, the same text, faster;
    with `newline`, as it is written inside a document at the depth `newline` indents to."""
    out: list[str] = []
    try:
        _dump(data, out, newline, default)
    except _Unusual:  # every newline `json.dumps` writes starts a line: indent them all
        return json.dumps(data, ensure_ascii=False, indent=1, default=_plain(default)).replace("\n", newline)
    return "".join(out)


class _Unusual(Exception):
    """A value or key type the fast path does not write exactly like `json.dumps`."""


def _dump(value: object, out: list[str], newline: str, default: Callable[[object], object] | None) -> None:
    """Append `value` as `json.dumps(indent=1)` writes it at the depth `newline` indents to.

    Text items are written in the loops (most items are text); anything else recursively."""
    kind = type(value)
    if kind is str:
        out.append(string(value))
    elif (kind is dict or kind is list or kind is tuple) and not value:
        out.append("{}" if kind is dict else "[]")
    elif kind is dict:
        inner = newline + " "
        keys, opening = _keys(inner), "{"
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            if type(item) is str:
                out.append(f"{opening}{keys[key]}{string(item)}")
            else:
                out.append(opening + keys[key])
                _dump(item, out, inner, default)
            opening = ","
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        inner = newline + " "
        opening = "[" + inner
        for item in value:
            if type(item) is str:
                out.append(opening + string(item))
            else:
                out.append(opening)
                _dump(item, out, inner, default)
            opening = "," + inner
        out.append(newline + "]")
    else:
        _dump_other(value, out, newline, default)


def _dump_other(value: object, out: list[str], newline: str, default: Callable[[object], object] | None) -> None:
    kind = type(value)
    if value is None:
        out.append("null")
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is Written:
        out.append(value.write(newline))
    elif default is not None and not isinstance(value, _NATIVE):
        _dump(default(value), out, newline, default)
    else:
        raise _Unusual


class Written:
    """A value that writes its own JSON, given the `newline` its closing bracket goes on;
    `data()` is the plain data it stands for (what `json.dumps` writes when `dumps` cannot)."""

    __slots__ = ("write", "data")

    def __init__(self, write: Callable[[str], str], data: Callable[[], object]) -> None:
        self.write, self.data = write, data


def _plain(default: Callable[[object], object] | None) -> Callable[[object], object]:
    """`default` for `json.dumps`, which also knows what a `Written` stands for."""
    def plain(value: object) -> object:
        if type(value) is Written:
            return value.data()
        if default is None:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
        return default(value)
    return plain


def json_object(items: str, newline: str) -> str:
    """An object from its items, written and joined with “,” (see `Keys`), its `}` on `newline`."""
    return f"{{{items}{newline}}}" if items else "{}"


@forgettable
@functools.lru_cache(maxsize=64)
def _keys(newline: str) -> Keys:
    """The keys written so far at one depth (documents share most of them)."""
    return Keys(newline)


class Keys(dict):
    """Each key as it opens an item of an object at one depth: `newline "key": `, escaped once."""

    def __init__(self, newline: str) -> None:
        super().__init__()
        self.newline = newline

    def __missing__(self, key: str) -> str:
        self[key] = text = f"{self.newline}{string(key)}: "
        return text
