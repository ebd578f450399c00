"""The fast way to the node tree of `yamlsource`: straight from libyaml's parse events.

Well-formed single documents without aliases or tags are read here; runs of one-line table
rows (`- {code: 201, name: …, 总计: 1.00}` on consecutive lines) are read by a regular
expression and libyaml sees one placeholder per run (a document written plainly throughout is
read by `yamlblock` without libyaml). Anything else raises `_Unusual` and `yamlsource._compose`
reads it (and reports its problems) the careful way. All give the same nodes, lines and
columns: tests/test_load_speed.py, test_load_fast.py and test_load_block.py compare them.
"""

from __future__ import annotations

import re
from operator import itemgetter

import yaml

from .flowrows import FlowRow, FlowRows
from .yamlsource import _MAP_END, _MAP_START, _SCALAR, _SEQ_END, _SEQ_START, Node, _CParser, _Scalar


class _Unusual(Exception):
    """Something the event reader leaves to `_compose` (and its exact error messages)."""


def _from_events(text: str, rows: bool) -> Node | None:
    """The Node tree straight from libyaml's parse events (no composed nodes in between).

    Handles well-formed single documents without aliases or tags; anything else (a second
    document, an alias, a duplicate or non-text key, a syntax error) raises and is left to
    `_compose`, which then reports it exactly as before. With `rows`, runs of simple one-line
    table rows are read by `_flow_rows` and libyaml sees one placeholder per run; a document
    written plainly is then read by `yamlblock` without libyaml at all.
    Measured: 26.6 → 12.1 ms per 78 KB document without `rows`.
    """
    if "\r\n" in text:  # libyaml reads CR LF as LF: same lines, columns and values
        text = text.replace("\r\n", "\n")
        if "\r" in text:  # CR CR LF is two breaks, and CR LF once the LF's CR is gone
            raise _Unusual
    found: dict[tuple[int, int], FlowRows] = {}
    if rows:
        text, found = _flow_rows(text)
        from .yamlblock import block_tree  # it builds on this module's rows
        try:
            return block_tree(text, found)
        except _Unusual:
            pass  # libyaml reads it
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


_TOKEN = "R"  # what libyaml sees in place of a run of rows read by _flow_rows
_BAD = "\x00-\x1f\x7f-\x9f\ufeff\ufffe\uffff"  # not printable, or a line break
_WORD = rf"(?:[^-?:,\[\]{{}}#&*!|>'\"%@` {_BAD}]|-(?=[0-9]))[^,\[\]{{}}#:'\"{_BAD}]*+(?<! )"
_QUOTED = rf"'(?:[^',:{_BAD}]|[,:](?! ))*+'"  # no '' inside, no ", " or ": " (they separate pairs)
_VALUE = rf"(?:{_WORD}|{_QUOTED})"
_ROW = rf"- \{{{_WORD}: {_VALUE}(?:, {_WORD}: {_VALUE})*+\}}$"
# Rows on consecutive lines with one indent. Possessive (*+): giving back a word, a pair or a
# line could never let the rest match, and not keeping the places to go back to halves the
# cost of the search.
_RUNS = re.compile(rf"^( *){_ROW}(?:\n\1{_ROW})*+", re.M)
_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # libyaml's other line breaks


def _flow_rows(text: str) -> tuple[str, dict[tuple[int, int], FlowRows]]:
    """Read lines like `  - {code: 201 32 50, name: 事业运行, 总计: 160.92}` without libyaml.

    Only rows of plain words (no colons, brackets, comments or empty values) or simple
    single-quoted values (no '' and no ", " or ": " inside), on
    consecutive lines with one indent, the last followed by a line indented no deeper than
    their dash. libyaml sees `- R` on a run's first line and empty lines for the others; each
    run's rows are keyed by the placeholder's (line, column), that of the first row's brace.
    """
    if any(b in text for b in _BREAKS):
        return text, {}
    found: dict[tuple[int, int], FlowRows] = {}
    pieces: list[str] = []
    last, done, line = 0, 0, 1
    for match in _RUNS.finditer(text):
        line += text.count("\n", done, match.start())
        done, end = match.start(), match.end()
        lines = match.group().split("\n")
        indent = len(match.group(1))
        if _continued(text, end, indent):  # the next line could continue the last row
            lines.pop()
            end = text.rfind("\n", done, end)
            if not lines:
                continue
        column = indent + 3  # of the brace, 1-based
        found[line, column] = _run([row[column:-1] for row in lines], line, column)
        pieces += (text[last:done + column - 1], _TOKEN + "\n" * (len(lines) - 1))
        last = end
    if not found:
        return text, found
    pieces.append(text[last:])
    return "".join(pieces), found


def _continued(text: str, end: int, indent: int) -> bool:
    """Whether the line after `end` is indented deeper than `indent` and not blank."""
    nl = text.find("\n", end + 1)
    following = text[end + 1:nl if nl >= 0 else len(text)]
    return len(following) - len(following.lstrip(" ")) > indent and bool(following.strip(" "))


def _flow_row(inside: str, line: int, column: int) -> FlowRow:
    """One row from the text between its braces (see `_split`)."""
    (parts,), (names,) = _split([inside])
    return FlowRow(line, column, inside, parts, names)


def _run(insides: list[str], line: int, column: int) -> FlowRows:
    """The run of rows with these texts between their braces, on consecutive lines from `line`."""
    parts, names = _split(insides)
    return FlowRows(line, column - 2, insides, parts, names)


def _split(insides: list[str]) -> tuple[list[list[str]], list[tuple[str, ...]]]:
    """Each row's parts (key, value, key, value…) and keys, from the texts between its braces.

    Each row is split once into its keys and values; a key repeated in a row is left to
    `_compose` to report. Rows of a table share a few sets of keys, checked once a process.
    """
    # Neither a word nor a quoted value holds ": " or ", ": key, value, key, value… (the regex made pairs).
    parts = [inside.replace(": ", ", ").split(", ") for inside in insides]
    names = list(map(tuple, map(_KEYS, parts)))
    if not _SINGLE_KEYS.issuperset(names):
        for keys in set(names).difference(_SINGLE_KEYS):
            if len(set(keys)) != len(keys):
                raise _Unusual
            if len(_SINGLE_KEYS) > 4096:  # a bound on memory
                _SINGLE_KEYS.clear()
            _SINGLE_KEYS.add(keys)
    return parts, names


_KEYS = itemgetter(slice(0, None, 2))  # a row's keys from its parts
_SINGLE_KEYS: set[tuple[str, ...]] = set()  # the keys of rows read so far: none repeated


def _events_tree(get, rows: dict[tuple[int, int], FlowRows]) -> Node:
    """One document's root node from the events; containers are filled as their items come."""
    stack: list = []
    container, key = None, None  # the open mapping or sequence, a mapping's pending key
    while True:
        event = get()
        kind = type(event)
        if kind is _SCALAR:
            mark = event.start_mark
            node = _Scalar(mark.line + 1, mark.column + 1, event.value, not event.style)
            if rows and event.value == _TOKEN and not event.style and (node.line, node.column) in rows:
                _take_run(container, rows, node.line, node.column)
                continue
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


def _take_run(container: Node | None, rows: dict[tuple[int, int], FlowRows], line: int, column: int) -> None:
    """Put the rows of the run whose placeholder is at (line, column) into their sequence."""
    if container is None or container.kind != "seq":
        raise _Unusual
    container.items.extend(rows.pop((line, column)).items)
