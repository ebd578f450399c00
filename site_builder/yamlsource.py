"""Read a YAML file strictly into a tree of positioned nodes.

Every scalar stays text: YAML 1.1's implicit typing (`05` -> 5, `010` -> 8, `NO` -> False,
`2024-02-23` -> date) never happens, because the model decides each field's type and parses
the text itself. Duplicate keys, anchors/aliases, explicit tags, non-UTF-8 files and
oversized files are refused with a message that names the line and says what to do.
libyaml (`CSafeLoader`) does the parsing when available; it keeps node marks. Most files
take the faster path of `yamlfast` (one-line rows) and `yamlblock` (the rest, when written
plainly) or libyaml's events: the same nodes, lines and columns. Whatever they do not handle,
including every error, is composed and reported here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import yaml

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_CParser = getattr(getattr(yaml, "_yaml", None), "CParser", None)
_SCALAR, _MAP_START, _MAP_END = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQ_START, _SEQ_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
MAX_BYTES = 2 * 1024 * 1024
BOM = b"\xef\xbb\xbf"


class TextOnlyLoader(_BaseLoader):
    """A loader that resolves every plain scalar to a string."""

    yaml_implicit_resolvers: dict = {}

    def resolve(self, kind, value, implicit):  # noqa: ARG002 - PyYAML's signature
        # With no implicit resolvers PyYAML's resolve always ends at the default tag; say so
        # directly (measured: compose 13.3 → 11 ms per 78 KB document).
        if kind is yaml.ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


_NONE: Mapping = MappingProxyType({})


class Node:
    """A YAML node with its position (1-based line and column).

    A plain class with slots, not a dataclass: a document has ~6,000 nodes and the
    dataclass's default factories made three containers for each scalar (now shared, empty
    and read-only).
    """

    __slots__ = ("kind", "line", "column", "text", "plain", "items", "entries", "keys")

    def __init__(self, kind: str, line: int, column: int, text: str = "", plain: bool = True,
                 items: Sequence[Node] = (), entries: Mapping[str, Node] = _NONE,
                 keys: Mapping[str, Node] = _NONE) -> None:
        self.kind = kind  # "scalar" | "seq" | "map"
        self.line = line
        self.column = column
        self.text = text
        self.plain = plain  # scalar written without quotes
        self.items = items  # a list for "seq" nodes
        self.entries = entries  # dicts for "map" nodes (key text -> value, key text -> key)
        self.keys = keys

    def __repr__(self) -> str:
        return f"Node({self.kind!r}, {self.line}, {self.column}, {self.text!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return all(getattr(self, a) == getattr(other, a) for a in Node.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.plain and self.text in ("", "~", "null", "Null", "NULL")

    def describe(self) -> str:
        if self.kind == "scalar":
            return repr(self.text)
        return {"seq": "一个列表", "map": "一组键值"}[self.kind]


class _Scalar(Node):
    """A scalar node made with five stores instead of eight (a document has thousands)."""

    __slots__ = ()
    items: Sequence[Node] = ()  # shadows Node's slots: a scalar has no items or entries
    entries: Mapping[str, Node] = _NONE
    keys: Mapping[str, Node] = _NONE

    def __init__(self, line: int, column: int, text: str, plain: bool) -> None:  # noqa: D107
        self.kind = "scalar"
        self.line = line
        self.column = column
        self.text = text
        self.plain = plain


class YamlProblem(Exception):
    """A file that cannot be read as YAML at all."""

    def __init__(self, line: int, column: int, code: str, message: str):
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (a BOM is accepted); explain GBK files in Chinese."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(1, 1, "file-too-large",
                          f"文件太大（{len(data)} 字节，上限 {MAX_BYTES} 字节）。"
                          "一个部门一年的文件不应这么大，请检查是否粘贴了多余内容。")
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise YamlProblem(line, 1, "not-utf8",
                              "文件不是 UTF-8 编码，无法读取。请用记事本或 VS Code 打开，"
                              "“另存为”时编码选择“UTF-8”。") from None
        raise YamlProblem(line, 1, "gbk-encoding",
                          "文件是 GBK/GB18030 编码（中文 Windows 的默认编码），需要 UTF-8。"
                          "请用记事本打开，点“文件 → 另存为”，编码选择“UTF-8”后保存；"
                          "或在 VS Code 右下角点编码，选“通过编码保存 → UTF-8”。") from None


def parse_text(text: str) -> Node | None:
    """Parse YAML text into a Node tree (None for an empty document)."""
    from .yamlfast import _from_events, _Unusual  # it builds on this module's nodes
    if _CParser is not None and "&" not in text and "!" not in text:
        for rows in (True, False):  # no anchor, alias target or tag is written without & or !
            try:
                return _from_events(text, rows)
            except (_Unusual, yaml.YAMLError):
                pass  # the composing path below reports it, with the same message as always
    return _compose(text)


def _compose(text: str) -> Node | None:
    """libyaml's composed nodes, converted and checked (aliases, tags, duplicate keys)."""
    try:
        root = yaml.compose(text, Loader=TextOnlyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(line, col, "yaml-syntax", _explain_syntax(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, "yaml-syntax", f"YAML 格式错误：{exc}") from None
    if root is None:
        return None
    return _convert(root, set())


def read_yaml(path: Path) -> Node | None:
    """Read and parse one YAML file strictly."""
    return parse_text(decode_bytes(path.read_bytes()))


def _explain_syntax(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or str(exc)
    hints = {
        "found character that cannot start any token":
            "这一行有不能出现的字符，常见原因是用了 Tab 键缩进（请改用空格）或以 @、` 开头（请加引号）。",
        "mapping values are not allowed": "这一行的冒号位置不对：名称里有冒号时请给整个值加引号，或检查缩进。",
        "did not find expected alphabetic or numeric character":
            "以 * 或 & 开头的值会被当作别名或锚点：请给整个值加引号，例如 '*81.10'。",
        "found undefined alias": "以 * 开头的值会被当作别名：请给它加引号，例如 '*81.10'。",
        "expected <block end>": "缩进不一致：同一层的行要对齐。",
        "could not find expected ':'": "少了冒号，或上一行的引号没有配对。",
    }
    for key, hint in hints.items():
        if key in problem:
            return f"YAML 格式错误：{problem}。{hint}"
    return f"YAML 格式错误：{problem}"


def _convert(node: yaml.Node, seen: set[int]) -> Node:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if id(node) in seen:
        raise YamlProblem(line, col, "yaml-alias", _ALIAS_MESSAGE)
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        raise YamlProblem(line, col, "yaml-tag",
                          f"不支持 YAML 标签 {node.tag}：请去掉以 ! 开头的标记。")
    if isinstance(node, yaml.ScalarNode):
        return Node("scalar", line, col, text=node.value, plain=node.style in (None, ""))
    if isinstance(node, yaml.SequenceNode):
        if any(id(item) in seen for item in node.value):
            raise YamlProblem(line, col, "yaml-alias", _ALIAS_MESSAGE)
        return Node("seq", line, col, items=[_convert(item, seen) for item in node.value])
    out = Node("map", line, col, entries={}, keys={})
    for key_node, value_node in node.value:
        key = _convert(key_node, seen)
        if key.kind != "scalar":
            raise YamlProblem(key.line, key.column, "yaml-key", "键必须是简单的文字。")
        if key.text in out.entries:
            first = out.keys[key.text]
            raise YamlProblem(key.line, key.column, "duplicate-key",
                              f"键“{key.text}”重复出现（第一次在第 {first.line} 行）："
                              "同一层里每个键只能写一次，请删除或合并其中一个。")
        out.keys[key.text] = key
        if id(value_node) in seen:
            raise YamlProblem(key.line, key.column, "yaml-alias", _ALIAS_MESSAGE)
        out.entries[key.text] = _convert(value_node, seen)
    return out


_ALIAS_MESSAGE = ("不支持锚点和别名（& 和 *）：请把内容直接写出来；"
                  "以 * 开头的值（如 *81.10）请加引号。")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
    # With no implicit resolvers, an empty plain scalar keeps the null tag only if tagged;
    # keep the default tags that libyaml assigns to untagged nodes.
    "tag:yaml.org,2002:null",
}
