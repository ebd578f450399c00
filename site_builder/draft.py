"""Next year's draft, made from last year's file text by edits at node positions.

Editing the text (not re-emitting YAML) keeps the maintainer's layout and comments. Every
figure becomes 待填 with last year's value noted at the end of its line
(`# 2024年：总计 242.02`); prose bodies and empty-table notes become 待填 with last year's text
commented out above them; codes, names, headings (year updated) and structure stay.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

from .model import Profile, Side
from .reader import PLACEHOLDER

FACT_TEXT_KEYS = {"name", "group", "count_unit", "item", "basis", "implementer", "label"}


class TextLoader(yaml.SafeLoader):
    """Pure-Python composer: its marks index characters of the text; every scalar is text."""

    yaml_implicit_resolvers: dict = {}


def compose(text: str) -> yaml.Node | None:
    """Parse YAML text into PyYAML nodes that know their character positions."""
    return yaml.compose(text, Loader=TextLoader)


@dataclass
class Edits:
    """Text edits on the original file, by character index; applied from the end."""

    text: str
    old_year: int
    year: int
    ops: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, replacement)
    notes: dict[int, list[str]] = field(default_factory=dict)  # line -> "key value" notes

    def replace(self, node: yaml.Node, value: str) -> None:
        end = node.end_mark.index
        tail = "\n" if self.text[node.start_mark.index:end].endswith("\n") else ""
        self.ops.append((node.start_mark.index, end, scalar_text(value) + tail))

    def fill(self, node: yaml.Node, label: str, anchor: int | None = None) -> None:
        """Replace a figure by the placeholder; note last year's value on its line."""
        self.replace(node, PLACEHOLDER)
        line = node.end_mark.line if anchor is None else anchor
        self.notes.setdefault(line, []).append(f"{label} {node.value}".strip())

    def fill_text(self, key: yaml.Node, node: yaml.Node) -> None:
        """Replace prose by the placeholder; keep last year's text as comments above it."""
        if not node.value.strip():
            return
        self.replace(node, PLACEHOLDER)
        start = self.text.rfind("\n", 0, key.start_mark.index) + 1
        indent = " " * (len(self.text[start:key.start_mark.index])
                        - len(self.text[start:key.start_mark.index].lstrip(" -")))
        lines = [f"{indent}# {self.old_year}年原文：\n"]
        lines += [f"{indent}#   {line}".rstrip() + "\n" for line in node.value.rstrip("\n").split("\n")]
        self.ops.append((start, start, "".join(lines)))

    def apply(self, header: str) -> str:
        ops = list(self.ops)
        line_ends = [m.start() for m in re.finditer("\n", self.text)] + [len(self.text)]
        for line, notes in self.notes.items():
            ops.append((line_ends[line], line_ends[line], f"  # {self.old_year}年：{'，'.join(notes)}"))
        out = self.text
        for start, end, new in sorted(ops, key=lambda op: (op[0], op[1]), reverse=True):
            out = out[:start] + new + out[end:]
        return _insert_header(out, header)


def draft_next_year(text: str, root: yaml.MappingNode, profile: Profile, old_year: int,
                    year: int, source_name: str) -> str:
    """Last year's file text turned into this year's draft."""
    edits = Edits(text, old_year, year)
    top = mapping_entries(root)
    if "year" in top:
        edits.replace(top["year"][1], str(year))
    if "title" in top:
        _retitle(edits, top["title"][1], old_year, year)
    _draft_meta(edits, top.get("meta"))
    _draft_overview(edits, top.get("overview"))
    _draft_tables(edits, top.get("tables"), profile, old_year, year)
    _draft_sections(edits, top.get("sections"), old_year, year)
    if "facts" in top:
        _fill_all(edits, top["facts"][1], "", None)
    _draft_performance(edits, top.get("performance"))
    header = (f"# 由 python build.py new 从 {source_name} 生成的 {year} 年草稿。\n"
              f"# 所有“{PLACEHOLDER}”都要按 {year} 年的公开文件填写；行末注释是 {old_year} 年的数字，"
              "填完后可以删掉。\n# 原表是空白单元格就删掉这个键；今年新增或取消的行请照原表增删。\n")
    return edits.apply(header)


def _draft_meta(edits: Edits, pair) -> None:
    meta = mapping_entries(pair[1]) if pair else {}
    for key in ("published", "approved", "source"):
        if key in meta and isinstance(meta[key][1], yaml.ScalarNode):
            edits.fill(meta[key][1], key)


def _draft_overview(edits: Edits, pair) -> None:
    staff = mapping_entries(pair[1]).get("staff") if pair else None
    if not staff:
        return
    for key, (key_node, node) in mapping_entries(staff[1]).items():
        if key == "text" and isinstance(node, yaml.ScalarNode):
            edits.fill_text(key_node, node)
        else:
            _fill_all(edits, node, key, None)


def _draft_tables(edits: Edits, pair, profile: Profile, old_year: int, year: int) -> None:
    for label, (_, table) in (mapping_entries(pair[1]) if pair else {}).items():
        spec = profile.table(label)
        parts = mapping_entries(table)
        if spec is None or not parts:
            continue
        for key, (key_node, node) in parts.items():
            if key == "note" and isinstance(node, yaml.ScalarNode):
                edits.fill_text(key_node, node)
            elif key == "title" and isinstance(node, yaml.ScalarNode):
                _retitle(edits, node, old_year, year)
            elif key in ("rows", *[s.key for s in spec.sides]) and isinstance(node, yaml.SequenceNode):
                side = spec.sides[0] if key == "rows" else spec.side(key)
                for row in node.value:
                    _draft_row(edits, row, side)


def _draft_row(edits: Edits, row: yaml.Node, side: Side) -> None:
    anchor = row.end_mark.line if getattr(row, "flow_style", False) else None
    for key, (_, node) in mapping_entries(row).items():
        if key in side.amount_keys and isinstance(node, yaml.ScalarNode) and node.value.strip():
            edits.fill(node, key, anchor)


def _draft_sections(edits: Edits, pair, old_year: int, year: int) -> None:
    if not pair or not isinstance(pair[1], yaml.SequenceNode):
        return
    for section in pair[1].value:
        entries = mapping_entries(section)
        if "title" in entries:
            _retitle(edits, entries["title"][1], old_year, year)
        if "body" in entries and isinstance(entries["body"][1], yaml.ScalarNode):
            edits.fill_text(*entries["body"])


def _draft_performance(edits: Edits, pair) -> None:
    if not pair:
        return
    perf = mapping_entries(pair[1])
    tables = [perf["overall"][1]] if "overall" in perf else []
    if "projects" in perf and isinstance(perf["projects"][1], yaml.SequenceNode):
        tables += perf["projects"][1].value
    for table in tables:
        entries = mapping_entries(table)
        for key in ("goal", "annual_goal"):
            if key in entries and isinstance(entries[key][1], yaml.ScalarNode):
                edits.fill_text(*entries[key])
        if "funds" in entries:
            _fill_all(edits, entries["funds"][1], "", None)
        if "fields" in entries and isinstance(entries["fields"][1], yaml.SequenceNode):
            for item in entries["fields"][1].value:  # 年度: 2024年 → 2025年
                if "value" in mapping_entries(item):
                    _retitle(edits, mapping_entries(item)["value"][1], edits.old_year, edits.year)


def _fill_all(edits: Edits, node: yaml.Node, label: str, anchor: int | None) -> None:
    """Fill every figure below `node`; names, units and other labels stay."""
    if isinstance(node, yaml.ScalarNode):
        if node.value.strip() and label not in FACT_TEXT_KEYS:
            edits.fill(node, label, anchor)
        return
    if getattr(node, "flow_style", False) and anchor is None:
        anchor = node.end_mark.line
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _fill_all(edits, item, label, anchor)
        return
    for key, (_, value) in mapping_entries(node).items():
        _fill_all(edits, value, key, anchor)


def _retitle(edits: Edits, node: yaml.Node, old_year: int, year: int) -> None:
    if not isinstance(node, yaml.ScalarNode):
        return
    new = re.sub(rf"(?<!\d){old_year}(?!\d)", str(year), node.value)
    if new != node.value:
        edits.replace(node, new)


def mapping_entries(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def scalar(node: yaml.MappingNode, key: str) -> str | None:
    pair = mapping_entries(node).get(key)
    return pair[1].value if pair and isinstance(pair[1], yaml.ScalarNode) else None


_UNSAFE_START = tuple("-?:,[]{}#&*!|>'\"%@`")


def scalar_text(value: str, flow: bool = False) -> str:
    """YAML for a one-line text: plain when that reads back unchanged, else double-quoted."""
    unsafe = (not value or value != value.strip() or value.startswith(_UNSAFE_START)
              or ": " in value or " #" in value or "\n" in value or value.endswith(":")
              or value in ("~", "null", "Null", "NULL")
              or (flow and any(ch in value for ch in ",[]{}")))
    return json.dumps(value, ensure_ascii=False) if unsafe else value


def _insert_header(text: str, header: str) -> str:
    """Put the note after the leading comment lines (the schema line stays first)."""
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    return "".join(lines[:i]) + header + "".join(lines[i:])
