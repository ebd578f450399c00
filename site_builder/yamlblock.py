"""Plainly written block YAML read straight from its lines, without libyaml.

A document is mostly block mappings and sequences of one-line values: `key: text`,
`key: 'text'`, `key: [a, b]`, `key: {a: 1}`, `- key: text` (a comment may follow), and
`key: |` prose. These are read here, line by line, into the nodes (lines, columns, texts)
that libyaml's events give. Anything else (a colon or quote that could mean something else,
a tab, a trailing space, an empty value, odd indentation, a folded block of several lines…)
raises `_Unusual` and libyaml reads the file as before. tests/test_load_block.py compares them.
"""

from __future__ import annotations

import re

from .flowrows import FlowRows
from .yamlfast import _QUOTED, _VALUE, _WORD, _flow_row, _Unusual
from .yamlsource import Node, _Scalar

_FIRST = r"[^-?:,\[\]{}#&*!|>'\"%@` ]"  # what a plain scalar may begin with (and `-1`)
_KEY_FIRST = _FIRST[:-1] + ".]"  # and a key: not `...`, `---` or `%` (markers, directives)
# Plain text on one line: no ": " (or ":" at the end) and no " #" (a comment). Written as runs
# of ordinary characters between the odd `:` or `#`: a run of one character class is what the
# regex engine reads fastest (block lines take an eighth less time than with one alternation).
_PLAIN = rf"(?:{_FIRST}|-(?=[0-9]))[^:#]*+(?:(?::(?=[^ ])|(?<! )#)[^:#]*+)*+"
# `key:` (a block follows), `key: plain` (group 2) or `key: <anything else>` (group 3).
# Keys are short: libyaml refuses a key over 1,024 bytes.
_ENTRY = re.compile(rf"({_KEY_FIRST}(?:[^:#,\[\]{{}}'\"]{{0,200}}[^:#,\[\]{{}}'\" ])?):(?: (?:({_PLAIN})|([^ ].*)))?$")
_ITEM_PLAIN = re.compile(_PLAIN + "$")
_BLOCKS = ("|", "|-", ">", ">-")  # block scalars read here: no indentation indicator, no keep (+)
_SINGLE = re.compile(r"'[^']*'$")  # one line, no '' inside
_FLOW_SEQ = re.compile(rf"\[(?:{_VALUE}(?:, {_VALUE})*+)?\]$")
_FLOW_MAP = re.compile(rf"\{{{_WORD}: {_VALUE}(?:, {_WORD}: {_VALUE})*+\}}$")
assert _QUOTED in _VALUE  # a quoted flow item is `'text'` with neither ", " nor ": " inside


def block_tree(text: str, rows: dict[tuple[int, int], FlowRows]) -> Node:
    """The root node of `text` (runs of rows already replaced by `yamlfast._flow_rows`)."""
    lines = text.split("\n")
    # Refused: a last line without a break, a trailing space (spaces on a blank line in a `|`
    # block are text), a tab, BOM, control or other break (what isprintable refuses, libyaml
    # either refuses or reads in its own way).
    if lines[-1] or " \n" in text or not all(map(str.isprintable, lines)):
        raise _Unusual
    reader = _BlockReader(lines, rows)
    start, indent = reader.next_line(0)
    if indent < 0:
        raise _Unusual  # no node at all: libyaml says what that is
    root, end = reader.node(start, indent)
    if reader.next_line(end)[1] >= 0 or reader.taken != len(rows):
        raise _Unusual  # something after the root, or a run of rows inside a text block
    return root


class _BlockReader:
    """Reads the nodes of one document's lines; `taken` counts the runs of rows put into sequences."""

    def __init__(self, lines: list[str], rows: dict[tuple[int, int], FlowRows]) -> None:  # noqa: D107
        self.lines, self.rows, self.taken = lines, rows, 0

    def next_line(self, i: int) -> tuple[int, int]:
        """The first line from `i` that is neither blank nor a comment, and its indent (-1: none)."""
        lines = self.lines
        while i < len(lines):
            line = lines[i]
            if line:
                body = line.lstrip(" ")
                if body[0] != "#":
                    return i, len(line) - len(body)
            i += 1
        return i, -1

    def node(self, i: int, indent: int) -> tuple[Node, int]:
        """The block node that begins at column `indent` of line `i`, and the line after it."""
        if self.lines[i].startswith("- ", indent):
            return self.sequence(i, indent)
        return self.mapping(i, indent)

    def mapping(self, i: int, indent: int) -> tuple[Node, int]:
        """A block mapping whose keys are at column `indent` (0-based)."""
        entries: dict[str, Node] = {}
        keys: dict[str, Node] = {}
        node = Node("map", i + 1, indent + 1, entries=entries, keys=keys)
        while True:
            match = _ENTRY.match(self.lines[i], indent)
            if match is None:
                raise _Unusual
            key, plain, other = match.groups()
            if key in entries:
                raise _Unusual  # libyaml's composer reports it
            keys[key] = _Scalar(i + 1, indent + 1, key, True)
            if plain is not None:
                entries[key] = _Scalar(i + 1, match.start(2) + 1, plain, True)
                i += 1
            elif other is not None:
                entries[key], i = self.value(i, match.start(3), other, indent)
            else:
                entries[key], i = self.nested(i + 1, indent)
            i, now = self.next_line(i)
            if now < indent:
                return node, i
            if now > indent:
                raise _Unusual  # a continued text, or odd indentation

    def nested(self, i: int, indent: int) -> tuple[Node, int]:
        """The block node on the lines after `key:`, indented deeper than the key."""
        i, deeper = self.next_line(i)
        if deeper <= indent:
            raise _Unusual  # an empty value, or a sequence not indented
        return self.node(i, deeper)

    def sequence(self, i: int, indent: int) -> tuple[Node, int]:
        """A block sequence whose dashes are at column `indent`."""
        items: list[Node] = []
        node = Node("seq", i + 1, indent + 1, items=items)
        while True:
            line = self.lines[i]
            if not line.startswith("- ", indent) or line.startswith(" ", indent + 2):
                raise _Unusual
            run = self.rows.get((i + 1, indent + 3)) if len(line) == indent + 3 and line[-1] == "R" else None
            if run is not None:  # its first line is this placeholder, the others are blank
                self.taken += 1
                i += len(run.insides)
                if not items:  # a sequence that is one run is the run itself (its rows' texts)
                    after, now = self.next_line(i)
                    if now < indent:
                        return run, after
                items += run.items
            elif _ENTRY.match(line, indent + 2):
                item, i = self.mapping(i, indent + 2)
                items.append(item)
            else:
                item, i = self.value(i, indent + 2, line[indent + 2:], indent)
                items.append(item)
            i, now = self.next_line(i)
            if now < indent:
                return node, i
            if now > indent:
                raise _Unusual

    def value(self, i: int, start: int, text: str, indent: int) -> tuple[Node, int]:
        """The value `text` written at column `start` of line `i`, and the line after it."""
        line, column = i + 1, start + 1
        if text[0] in "|>":
            style = text.partition(" #")[0].rstrip(" ")
            if style not in _BLOCKS:
                raise _Unusual
            return self.block_scalar(i, column, indent, style)
        node = _one_line(text, line, column)
        if node is None and " #" in text:  # a comment after the value, or " #" inside quotes
            node = _one_line(text[:text.index(" #")].rstrip(" "), line, column)
        if node is None:
            raise _Unusual
        return node, i + 1

    def block_scalar(self, i: int, column: int, indent: int, style: str) -> tuple[Node, int]:
        """A `|` block: its lines indented as the first one (deeper than `indent`), blank lines kept.

        `|-` drops the final line break; a folded block (`>`, `>-`) is read when it is one line.
        """
        lines = self.lines
        first = lines[i + 1]
        depth = len(first) - len(first.lstrip(" "))
        if depth <= indent or depth == len(first):
            raise _Unusual  # an empty block, or one that begins with blank lines
        pad = " " * depth
        end = i + 1
        while end < len(lines) and (not lines[end] or lines[end].startswith(pad)):
            end += 1
        block = "\n" + "\n".join(lines[i + 1:end])
        text = block.replace("\n" + pad, "\n")[1:].rstrip("\n")
        if style[0] == ">" and "\n" in text:
            raise _Unusual  # lines folded into one: libyaml's rules
        return _Scalar(i + 1, column, text if style[-1] == "-" else text + "\n", False), end


def _one_line(text: str, line: int, column: int) -> Node | None:
    """A value on one line: quoted, a flow sequence or mapping, or plain text (None: none of these)."""
    first = text[0]
    if first == "'":
        return _Scalar(line, column, text[1:-1], False) if _SINGLE.match(text) else None
    if first == "[":
        return _flow_sequence(text, line, column) if _FLOW_SEQ.match(text) else None
    if first == "{":
        return _flow_row(text[1:-1], line, column) if _FLOW_MAP.match(text) else None
    return _Scalar(line, column, text, True) if _ITEM_PLAIN.match(text) else None


def _flow_sequence(text: str, line: int, column: int) -> Node:
    """`[a, 'b c']` on one line: its items with their columns."""
    items: list[Node] = []
    at = column + 1  # the column of the current item
    for item in text[1:-1].split(", ") if text != "[]" else ():
        plain = item[0] != "'"
        items.append(_Scalar(line, at, item if plain else item[1:-1], plain))
        at += len(item) + 2
    return Node("seq", line, column, items=items)
