"""The fast way to the node tree of `yamlsource`: straight from libyaml's parse events.

Well-formed single documents without aliases or tags are read here, simple one-line table
rows by a regular expression; anything else raises `_Unusual` and `yamlsource._compose`
reads it (and reports its problems) the careful way. Both give the same nodes, lines and
columns: tests/test_load_speed.py compares them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import yaml

from .yamlsource import _MAP_END, _MAP_START, _SCALAR, _SEQ_END, _SEQ_START, Node, _CParser, _Scalar


class _Unusual(Exception):
    """Something the event reader leaves to `_compose` (and its exact error messages)."""


def _from_events(text: str, rows: bool) -> Node | None:
    """The Node tree straight from libyaml's parse events (no composed nodes in between).

    Handles well-formed single documents without aliases or tags; anything else (a second
    document, an alias, a duplicate or non-text key, a syntax error) raises and is left to
    `_compose`, which then reports it exactly as before. With `rows`, simple one-line table
    rows are read by `_flow_rows` and libyaml sees a placeholder in their place.
    Measured: 26.6 → 12.1 ms per 78 KB document without `rows`.
    """
    found: dict[tuple[int, int], Node] = {}
    if rows:
        text, found = _flow_rows(text)
    parser = _CParser(text)
    get = parser.get_event
    try:
        get()  # stream start
        if type(get()) is not yaml.DocumentStartEvent:
            root = None  # an empty stream
        else:
            root = _events_tree(get, found)
            if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
                raise _Unusual
    finally:
        parser.dispose()
    if found:  # a placeholder did not become a node of its own (e.g. inside a text block)
        raise _Unusual
    return root


_TOKEN = "R"  # what libyaml sees in place of a row read by _flow_rows
_BAD = "\x00-\x1f\x7f-\x9f\ufeff\ufffe\uffff"  # not printable, or a line break
_WORD = rf"(?:[^-?:,\[\]{{}}#&*!|>'\"%@` {_BAD}]|-(?=[0-9]))[^,\[\]{{}}#:'\"{_BAD}]*(?<! )"
_ROWS = re.compile(rf"^( *)- \{{({_WORD}: {_WORD}(?:, {_WORD}: {_WORD})*)\}}$", re.M)
_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # libyaml's other line breaks


def _flow_rows(text: str) -> tuple[str, dict[tuple[int, int], Node]]:
    """Read lines like `  - {code: 201 32 50, name: 事业运行, 总计: 160.92}` without libyaml.

    Only rows of plain words (no quotes, colons, brackets, comments or empty values) without
    repeated keys, followed by a line indented no deeper than their dash; each becomes a
    placeholder, and its map node is keyed by the placeholder's (line, column).
    """
    if any(b in text for b in _BREAKS):
        return text, {}
    found: dict[tuple[int, int], Node] = {}
    pieces: list[str] = []
    last, done, line = 0, 0, 1
    for match in _ROWS.finditer(text):
        line += text.count("\n", done, match.start())
        done = match.start()
        nl = text.find("\n", match.end() + 1)
        following = text[match.end() + 1:nl if nl >= 0 else len(text)]
        if len(following) - len(following.lstrip(" ")) > len(match.group(1)) and following.strip(" "):
            continue  # the next line could continue this one
        brace = match.start(2) - 1
        node = _flow_row(match.group(2), line, brace - text.rfind("\n", 0, brace))
        if node is not None:
            found[(line, node.column)] = node
            pieces += (text[last:brace], _TOKEN)
            last = match.end()
    if not found:
        return text, found
    pieces.append(text[last:])
    return "".join(pieces), found


def _flow_row(inside: str, line: int, column: int) -> Node | None:
    """The map node of one flow row's text between the braces (None if a key is repeated)."""
    entries: dict[str, Node] = {}
    columns: dict[str, int] = {}
    at = column  # the column of the current pair's first character
    for pair in inside.split(", "):
        key, _, value = pair.partition(": ")
        if key in entries:
            return None
        columns[key] = at + 1
        entries[key] = _Scalar(line, at + len(key) + 3, value, True)
        at += len(pair) + 2
    return Node("map", line, column, entries=entries, keys=_KeyNodes(line, columns))


class _KeyNodes(Mapping):
    """A flow row's key nodes, made when asked for (only messages about a key need them)."""

    __slots__ = ("line", "columns")

    def __init__(self, line: int, columns: dict[str, int]) -> None:
        self.line, self.columns = line, columns

    def __getitem__(self, key: str) -> Node:
        return Node("scalar", self.line, self.columns[key], key)

    def __iter__(self):
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)


def _events_tree(get, rows: dict[tuple[int, int], Node]) -> Node:
    """One document's root node from the events; containers are filled as their items come."""
    stack: list = []
    container, key = None, None  # the open mapping or sequence, a mapping's pending key
    while True:
        event = get()
        kind = type(event)
        if kind is _SCALAR:
            mark = event.start_mark
            node = _Scalar(mark.line + 1, mark.column + 1, event.value, not event.style)
            if rows and event.value == _TOKEN and not event.style:
                node = rows.pop((node.line, node.column), node)
        elif kind is _MAP_START or kind is _SEQ_START:
            mark = event.start_mark
            stack.append((container, key))
            container = Node("map", mark.line + 1, mark.column + 1, entries={}, keys={}) \
                if kind is _MAP_START else Node("seq", mark.line + 1, mark.column + 1, items=[])
            key = None
            continue
        elif kind is _MAP_END or kind is _SEQ_END:
            node = container
            container, key = stack.pop()
        else:
            raise _Unusual  # an alias
        if container is None:
            return node
        if container.kind == "seq":
            container.items.append(node)
        elif key is None:
            if node.kind != "scalar" or node.text in container.entries:
                raise _Unusual
            key = node
        else:
            container.keys[key.text] = key
            container.entries[key.text] = node
            key = None
