"""Turn positioned YAML nodes into typed values, collecting every problem with its place.

The same dataclass field types drive this reader and the JSON Schema (schema.py), so the
format is described once.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as dt
import difflib
import re
import types
import typing
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .flowrows import FlowRow, FlowRows
from .model import Pos
from .plainread import (
    PLACEHOLDER,
    hint_shape,
    is_required,
    known_amounts,
    quick_dataclass,
    quick_records,
    quick_scalar,
    quick_texts,
    readable_fields,
    remember_amount,
    scalar_hint,
)
from .problems import ERROR, WARNING, Problems
from .yamlsource import Node, YamlProblem, read_yaml

BOOLEANS = {"true": True, "false": False}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_INT = re.compile(r"^[+-]?\d+$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")


def read_root(path, rel: str, problems: Problems, what: str) -> Node | None:
    """Parse one content file; an unreadable or empty file becomes a problem (None)."""
    try:
        root = read_yaml(path)
    except YamlProblem as exc:
        problems.add(rel, exc.line, exc.column, exc.code, exc.message)
        return None
    if root is None:
        problems.add(rel, 1, 1, "empty-file", f"{what}文件是空的。")
    return root


def _plain_text(node: Node) -> bool:
    """Whether `Reader.text` would return the node's text without a problem."""
    return node.kind == "scalar" and not (node.plain and node.text.strip() == PLACEHOLDER)


class Reader:
    """Reads one file's nodes; every problem is recorded, never raised."""

    def __init__(self, path: str, problems: Problems, decimals: int = 2):
        self.path = path
        self.problems = problems
        self.decimals = decimals

    def pos(self, node: Node) -> Pos:
        return Pos(self.path, node.line, node.column)

    def error(self, node: Node, code: str, message: str, severity: str = ERROR) -> None:
        self.problems.add(self.path, node.line, node.column, code, message, severity)

    def warn(self, node: Node, code: str, message: str) -> None:
        self.error(node, code, message, WARNING)

    # ------------------------------------------------------------ scalars

    def text(self, node: Node, where: str) -> str | None:
        if node.kind != "scalar":
            self.error(node, "wrong-type", f"{where}：应为文字，实际是{node.describe()}。")
            return None
        if node.plain and node.text.strip() == PLACEHOLDER:
            self.error(node, "to-fill", f"{where}：尚未填写（仍是“{PLACEHOLDER}”）。请照今年的公开文件"
                       "填写；原表这一格是空白就删掉这个键。")
            return None
        return node.text

    def integer(self, node: Node, where: str) -> int | None:
        text = self.text(node, where)
        if text is None:
            return None
        clean = text.strip().translate(_FULLWIDTH)
        if not _INT.match(clean):
            self.error(node, "not-integer", f"{where}：应为整数，实际是 {text!r}。")
            return None
        return int(clean)

    def amount(self, node: Node, where: str, decimals: int | None = None) -> Decimal | None:
        """Read a published amount exactly; refuse anything that could be misread."""
        limit = self.decimals if decimals is None else decimals
        if node.kind == "scalar":  # the same figures recur across rows and documents
            known = known_amounts(limit).get(node.text)
            if known is not None:
                return known
        text = self.text(node, where)
        if text is None:
            return None
        clean = text.strip()
        if clean != clean.translate(_FULLWIDTH):
            self.warn(node, "fullwidth-digits",
                      f"{where}：{text!r} 含全角数字或符号，已按半角读作 "
                      f"{clean.translate(_FULLWIDTH)!r}；建议改成半角。")
            clean = clean.translate(_FULLWIDTH)
        if _GROUPED.match(clean):
            clean = clean.replace(",", "")
        elif "," in clean:
            self.error(node, "bad-number",
                       f"{where}：{text!r} 的千分位逗号位置不对，无法确定数值。"
                       "请去掉逗号，只写数字，例如 156211123。")
            return None
        if not _NUMBER.match(clean):
            self.error(node, "bad-number", f"{where}：应为数字，实际是 {text!r}。{_number_hint(clean)}")
            return None
        value = Decimal(clean)
        exponent = value.as_tuple().exponent
        places = -exponent if exponent < 0 else 0
        if places > limit:
            self.error(node, "too-many-decimals",
                       f"{where}：{text!r} 有 {places} 位小数，这张表最多 {limit} 位。"
                       "请照公开文件的数字填写。")
            return None
        if clean == text.strip():  # nothing to warn about: the next time it is a lookup
            remember_amount(text, limit, value)
        return value

    def date(self, node: Node, where: str) -> dt.date | None:
        text = self.text(node, where)
        if text is None:
            return None
        match = _DATE.match(text.strip())
        try:
            if not match:
                raise ValueError
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            self.error(node, "bad-date", f"{where}：日期应写成 2024-02-23 这样，实际是 {text!r}。")
            return None

    def boolean(self, node: Node, where: str) -> bool | None:
        text = self.text(node, where)
        if text is None:
            return None
        if text in BOOLEANS:
            return BOOLEANS[text]
        self.error(node, "bad-boolean", f"{where}：只能写 true 或 false，实际是 {text!r}。")
        return None

    # ------------------------------------------------------------ structures

    def mapping(self, node: Node, where: str) -> Mapping[str, Node] | None:
        if node.kind != "map":
            self.error(node, "wrong-type", f"{where}：应为一组“键: 值”，实际是{node.describe()}。")
            return None
        return node.entries

    def sequence(self, node: Node, where: str) -> list[Node] | None:
        if node.is_null:
            return []
        if node.kind != "seq":
            self.error(node, "wrong-type", f"{where}：应为列表（每项以“- ”开头），实际是{node.describe()}。")
            return None
        return node.items

    def check_keys(self, node: Node, allowed: list[str], where: str) -> None:
        """Report every key that the format does not know (a typo must not drop a figure)."""
        for key, key_node in node.keys.items():
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
            hint = f"是不是“{close[0]}”？" if close else f"可用的有：{'、'.join(allowed)}。"
            if key.isdigit() and len(key) == 3:
                hint = ("看起来像带千分位逗号的数字被拆开了：在 {…} 里逗号是分隔符，"
                        "请去掉数字里的逗号。")
            self.error(key_node, "unknown-key", f"{where}：不认识的键“{key}”。{hint}")

    def dataclass(self, node: Node, cls: type, where: str) -> Any:
        """Read a mapping into the dataclass `cls`, field by field."""
        if type(node) is FlowRow:  # most are well written: read the texts, make no nodes
            quick = quick_dataclass(node.texts, cls, self.path, self.decimals)
            if quick is not None:
                return quick
        entries = self.mapping(node, where)
        if entries is None:
            return None
        fields, hints, names = readable_fields(cls)
        if not names.issuperset(node.keys):
            self.check_keys(node, [f.name for f in fields], where)
        values: dict[str, Any] = {}
        ok = True
        for f in fields:
            if f.name not in entries or entries[f.name].is_null:
                if is_required(f):
                    self.error(node, "missing-field", f"{where}：缺少必填项 {f.name}（{f.metadata.get('zh', '')}）。")
                    ok = False
                continue
            value = self.quick(entries[f.name], hints[f.name])
            if value is None:  # something to report, or not a plain text: the careful way
                label = f"{where}.{f.metadata.get('zh') or f.name}"
                value = self.value(entries[f.name], hints[f.name], label)
            if value is None:
                ok = False
                continue
            values[f.name] = value
        if "pos" in hints:
            values["pos"] = self.pos(node)
        if "body_pos" in hints and "body" in entries:  # prose checks point at body lines
            values["body_pos"] = self.pos(entries["body"])
        return cls(**values) if ok else None

    def value(self, node: Node, hint: Any, where: str) -> Any:
        """Read a node as the type `hint`."""
        if hint is str:  # most values: skip working out the hint's shape
            return self.text(node, where)
        origin, args = hint_shape(hint)
        if origin in (typing.Union, types.UnionType):
            return self.value(node, args[0], where)
        if origin is tuple:
            items = self.sequence(node, where)
            if items is None:
                return None
            out = []
            for i, item in enumerate(items):
                value = self.quick(item, args[0])
                out.append(self.value(item, args[0], f"{where}[{i + 1}]") if value is None else value)
            return None if any(v is None for v in out) else tuple(out)
        if origin in (collections.abc.Mapping, dict):
            if type(node) is FlowRow and args[1] is str and (texts := quick_texts(node.texts)) is not None:
                return texts
            entries = self.mapping(node, where)
            if entries is None:
                return None
            out = {k: v.text if args[1] is str and _plain_text(v) else self.value(v, args[1], f"{where}.{k}")
                   for k, v in entries.items()}
            return None if any(v is None for v in out.values()) else out
        if origin is dataclasses.dataclass:
            return self.dataclass(node, hint, where)
        return self._scalar(node, hint, where)

    def quick(self, node: Node, hint: Any) -> Any:
        """`value` of a node that it reads without a word, else None; no label is made for it."""
        if node.kind == "scalar":
            if hint is str:  # most are
                return None if node.plain and node.text.strip() == PLACEHOLDER else node.text
            return quick_scalar(node.text, scalar_hint(hint), node.plain, self.decimals)
        kind = type(node)
        if kind is not FlowRow and kind is not FlowRows:
            return None
        origin, args = hint_shape(hint)
        if kind is FlowRows:  # a run of one-line rows: read from their texts, no nodes made
            return quick_records(node, args[0], self.path, self.decimals) if origin is tuple else None
        if origin is dataclasses.dataclass:
            return quick_dataclass(node.texts, hint, self.path, self.decimals)
        if origin in (collections.abc.Mapping, dict) and args[1] is str:
            return quick_texts(node.texts)
        return None

    def _scalar(self, node: Node, hint: Any, where: str) -> Any:
        if hint is str:
            return self.text(node, where)
        if hint is int:
            return self.integer(node, where)
        if hint is Decimal:
            return self.amount(node, where)
        if hint is dt.date:
            return self.date(node, where)
        if hint is bool:
            return self.boolean(node, where)
        raise TypeError(f"no reader for {hint!r}")  # a bug in the model, not in content


def _number_hint(text: str) -> str:
    if "万" in text or "元" in text:
        return "只写数字，不要写单位（单位由表格决定）。"
    if "%" in text:
        return "只写数字，不要写 %。"
    if text.count(".") > 1:
        return "小数点只能有一个。"
    if any(unicodedata.category(ch).startswith("L") for ch in text):
        return "数字里不能有文字；空白单元格不要填写这个键。"
    return ""
