"""JSON text exactly as `json.dumps(data, ensure_ascii=False, indent=1)` writes it, faster.

The standard library's C encoder is used only without `indent`; `dumps` writes the indented
layout itself for plain data (dict, list, tuple, str, int, bool, None) and leaves anything else
to `json.dumps`. A `Written` value is a piece its producer writes itself (the downloads write
a table's rows this way: most of a document's JSON, one format string per row).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from json.encoder import encode_basestring as string  # the C escaper, ensure_ascii=False
from typing import NamedTuple


def dumps(data: object) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=1)`, the same text, about three times faster."""
    out: list[str] = []
    try:
        _dump(data, out, "\n")
    except _Unusual:
        return json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(out)


class _Unusual(Exception):
    """A value or key type the fast path does not write exactly like `json.dumps`."""


def _dump(value: object, out: list[str], newline: str) -> None:
    """Append `value` as `json.dumps(indent=1)` writes it at the depth `newline` indents to."""
    inner = newline + " "
    kind = type(value)
    if kind is dict or kind is list or kind is tuple:
        if not value:
            out.append("{}" if kind is dict else "[]")
            return
        items = value.items() if kind is dict else zip(itertools.repeat(None), value)
        separator = "{" + inner if kind is dict else "[" + inner
        for key, item in items:
            if key is not None:
                if type(key) is not str:
                    raise _Unusual
                separator = f"{separator}{string(key)}: "
            kind = type(item)
            if kind is str:
                out.append(separator + string(item))
            elif kind is dict or kind is list or kind is tuple:
                out.append(separator)
                _dump(item, out, inner)
            else:
                out.append(separator + _scalar(item, inner))
            separator = "," + inner
        out.append(newline + ("}" if type(value) is dict else "]"))
    else:
        out.append(_scalar(value, newline))


def _scalar(value: object, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return string(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is Written:
        return value.write(newline)
    raise _Unusual


class Written(NamedTuple):
    """A value that writes its own JSON, given the `newline` its closing bracket goes on."""

    write: Callable[[str], str]


def json_object(items: str, newline: str) -> str:
    """An object from its items, written and joined with “,” (see `Keys`), its `}` on `newline`."""
    return f"{{{items}{newline}}}" if items else "{}"


class Keys(dict):
    """Each key as it opens an item of an object at one depth: `newline "key": `, escaped once."""

    def __init__(self, newline: str) -> None:
        super().__init__()
        self.newline = newline

    def __missing__(self, key: str) -> str:
        self[key] = text = f"{self.newline}{string(key)}: "
        return text
