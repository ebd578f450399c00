"""Write plain data (dicts, lists, strings) as the hand-written YAML style of content/.

Rows of tables and other flat records become one-line flow mappings (`- {code: 201, …}`),
multi-line text becomes a `|` block. Every scalar is text to the project's reader, so a
value is quoted only when YAML syntax requires it.
"""

from __future__ import annotations

_SPECIAL = set(":,[]{}#&*!|>'\"%@`?")


def quote(text: str) -> str:
    """A YAML scalar for `text`, quoted only when needed."""
    if (not text or text != text.strip() or any(ch in _SPECIAL for ch in text) or text[0] in "-~"
            or text in ("null", "Null", "NULL", "true", "false")):
        return "'" + text.replace("'", "''") + "'"
    return text


def dump(data: dict) -> str:
    """The whole document as YAML text."""
    out: list[str] = []
    _mapping(data, 0, out)
    return "\n".join(out) + "\n"


def _scalar(value) -> str:
    return quote(value if isinstance(value, str) else str(value))


def _flat(value) -> bool:
    return isinstance(value, dict) and all(not isinstance(v, (dict, list)) and "\n" not in str(v)
                                           for v in value.values())


def _flow(record: dict) -> str:
    return "{" + ", ".join(f"{quote(k)}: {_scalar(v)}" for k, v in record.items()) + "}"


def _mapping(data: dict, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        head = f"{pad}{quote(key)}:"
        if isinstance(value, dict):
            if not value:
                out.append(f"{head} {{}}")
            elif _flat(value) and len(value) <= 8:
                out.append(f"{head} {_flow(value)}")
            else:
                out.append(head)
                _mapping(value, indent + 2, out)
        elif isinstance(value, list):
            _sequence(head, value, indent, out)
        elif isinstance(value, str) and "\n" in value:
            out.append(f"{head} |")
            out.extend(f"{pad}  {line}" if line else "" for line in value.split("\n"))
        else:
            out.append(f"{head} {_scalar(value)}")


def _sequence(head: str, items: list, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if not items:
        out.append(f"{head} []")
    elif all(not isinstance(v, (dict, list)) for v in items):
        out.append(f"{head} [{', '.join(_scalar(v) for v in items)}]")
    else:
        out.append(head)
        for item in items:
            if _flat(item):
                out.append(f"{pad}  - {_flow(item)}")
            else:
                sub: list[str] = []
                _mapping(item, indent + 4, sub)
                sub[0] = f"{pad}  - " + sub[0].lstrip()
                out.extend(sub)
