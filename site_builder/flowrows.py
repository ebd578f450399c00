"""One-line flow rows (`- {code: 201, name: …, 总计: 1.00}`) as nodes: their texts at once, their nodes when asked for.

`yamlfast` reads the rows; table rows (plainrows) and one-line records (plainread) are read
from their texts, and only the readers that report something about a row make its nodes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import repeat

from .yamlsource import _NONE, Node, _Scalar

RowTexts = tuple[int, int, str, list[str], tuple[str, ...]]  # line, column (of the brace), inside, parts, keys


class FlowRow(Node):
    """A one-line flow mapping of plain words: its texts at once, its nodes when asked for.

    `parts` (key, value, key, value…, quotes kept) and `names` (its keys) are what a
    well-written row needs (`texts`: plainrows.quick_rows, plainread.quick_dataclass); the
    nodes, with their columns, are made only for the readers that want them.
    """

    __slots__ = ("inside", "parts", "names", "_nodes")
    kind = "map"  # shadows Node's slots: a row is a mapping of plain scalars
    text = ""
    plain = True
    items = ()

    def __init__(self, line: int, column: int, inside: str, parts: list[str],
                 names: tuple[str, ...]) -> None:  # noqa: D107
        self.line = line
        self.column = column
        self.inside = inside  # the text between the braces
        self.parts = parts
        self.names = names
        self._nodes: tuple[dict[str, Node], Mapping[str, Node]] | None = None

    @property
    def texts(self) -> RowTexts:
        """What the quick readers read of a row: its line, column, text between the braces, parts and keys."""
        return self.line, self.column, self.inside, self.parts, self.names

    @property
    def entries(self) -> dict[str, Node]:
        return (self._nodes or self._make_nodes())[0]

    @property
    def keys(self) -> Mapping[str, Node]:
        return (self._nodes or self._make_nodes())[1]

    def _make_nodes(self) -> tuple[dict[str, Node], Mapping[str, Node]]:
        entries: dict[str, Node] = {}
        columns: dict[str, int] = {}
        at = self.column  # the column of the current pair's first character, less one
        for pair in self.inside.split(", "):
            key, _, value = pair.partition(": ")
            columns[key] = at + 1
            plain = value[:1] != "'"
            entries[key] = _Scalar(self.line, at + len(key) + 3, value if plain else value[1:-1], plain)
            at += len(pair) + 2
        self._nodes = (entries, _KeyNodes(self.line, columns))
        return self._nodes


class FlowRows(Node):
    """A block sequence that is one run of rows (`_flow_rows`): their texts at once, their nodes when asked for.

    Table rows are read from the texts (`texts`, plainrows.quick_rows): no node is made for
    them unless one has something to report.
    """

    __slots__ = ("insides", "parts", "names", "_items")
    kind = "seq"  # shadows Node's slots: a sequence of rows
    text = ""
    plain = True
    entries: Mapping[str, Node] = _NONE
    keys: Mapping[str, Node] = _NONE

    def __init__(self, line: int, column: int, insides: list[str], parts: list[list[str]],
                 names: list[tuple[str, ...]]) -> None:  # noqa: D107
        self.line = line
        self.column = column  # of the first dash; the braces are two columns on
        self.insides, self.parts, self.names = insides, parts, names
        self._items: list[FlowRow] | None = None

    @property
    def items(self) -> list[FlowRow]:
        if self._items is None:
            self._items = [FlowRow(*texts) for texts in self.texts()]
        return self._items

    def texts(self) -> Iterator[RowTexts]:
        """Each row's `FlowRow.texts`, without the row."""
        return zip(range(self.line, self.line + len(self.insides)), repeat(self.column + 2),
                   self.insides, self.parts, self.names)


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
