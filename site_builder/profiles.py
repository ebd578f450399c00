"""Load table templates (profiles) from `content/profiles/*.yaml`."""

from __future__ import annotations

from pathlib import Path

from .model import ROW_KINDS, Column, Profile, Side, TableSpec
from .problems import Problems
from .reader import Reader, read_root
from .yamlsource import Node

ROLES = ("amount", "code", "name", "text")
PROFILE_KEYS = ["id", "name", "kind", "unit", "decimals", "order", "tables", "checks"]
TABLE_KEYS = ["label", "title", "rows", "unit", "decimals", "numbering", "total", "columns",
              "sides", "checks"]
SIDE_KEYS = ["key", "title", "total", "columns"]
COLUMN_KEYS = ["key", "title", "role", "children"]


def load_profile(path: Path, rel: str, problems: Problems) -> Profile | None:
    """Read one profile file; problems are collected."""
    root = read_root(path, rel, problems, "表样模板")
    r = Reader(rel, problems)
    if root is None or r.mapping(root, "表样模板") is None:
        return None
    r.check_keys(root, PROFILE_KEYS, "表样模板")
    e = root.entries
    before = len(problems.errors)
    pid = _req_text(r, root, "id")
    unit = _req_text(r, root, "unit")
    decimals = r.integer(e["decimals"], "decimals") if "decimals" in e else 2
    tables = []
    for i, node in enumerate(r.sequence(e["tables"], "tables") or [] if "tables" in e else []):
        table = _table(r, node, i + 1, unit or "", decimals or 0)
        if table:
            tables.append(table)
    if "tables" not in e:
        r.error(root, "missing-field", "表样模板：缺少 tables。")
    _unique(r, [t.label for t in tables], root, "表的 label")
    if len(problems.errors) > before:
        return None
    return Profile(
        id=pid, name=_opt_text(r, root, "name") or pid, kind=_opt_text(r, root, "kind") or "预算",
        unit=unit, decimals=decimals, tables=tuple(tables), path=rel,
        order=tuple(r.value(e["order"], tuple[str, ...], "order")) if "order" in e
        else ("overview", "tables", "sections", "performance", "glossary"),
        checks=tuple(_plain(n) for n in (r.sequence(e["checks"], "checks") or []))
        if "checks" in e else (),
    )


def _table(r: Reader, node: Node, number: int, unit: str, decimals: int) -> TableSpec | None:
    if r.mapping(node, f"第 {number} 张表") is None:
        return None
    r.check_keys(node, TABLE_KEYS, f"第 {number} 张表")
    label = _req_text(r, node, "label") or f"表{number}"
    where = f"表样 {label}"
    kind = _req_text(r, node, "rows")
    if kind and kind not in ROW_KINDS:
        r.error(node.entries["rows"], "bad-value", f"{where}.rows：应为 {'、'.join(ROW_KINDS)} 之一。")
    e = node.entries
    if "sides" in e:
        sides = [_side(r, s, where) for s in r.sequence(e["sides"], f"{where}.sides") or []]
    elif "columns" in e:
        sides = [Side("main", "", _columns(r, e["columns"], where), _opt_text(r, node, "total"))]
    else:
        r.error(node, "missing-field", f"{where}：缺少 columns（或两栏表的 sides）。")
        return None
    if any(s is None for s in sides):
        return None
    for side in sides:
        _unique(r, [c.key for c in _all_columns(side.columns)], node, f"{where} 的列 key")
    return TableSpec(
        label=label, number=number, title=_req_text(r, node, "title") or label,
        rows=kind or "plain", sides=tuple(sides),
        unit=_opt_text(r, node, "unit") or unit,
        decimals=r.integer(e["decimals"], f"{where}.decimals") if "decimals" in e else decimals,
        numbering=bool(r.boolean(e["numbering"], f"{where}.numbering")) if "numbering" in e else False,
        checks=tuple(_plain(n) for n in (r.sequence(e["checks"], f"{where}.checks") or []))
        if "checks" in e else (),
    )


def _side(r: Reader, node: Node, where: str) -> Side | None:
    if r.mapping(node, where) is None:
        return None
    r.check_keys(node, SIDE_KEYS, where)
    key = _req_text(r, node, "key")
    if "columns" not in node.entries:
        r.error(node, "missing-field", f"{where}：缺少 columns。")
        return None
    return Side(key or "", _opt_text(r, node, "title") or "",
                _columns(r, node.entries["columns"], where), _opt_text(r, node, "total"))


def _columns(r: Reader, node: Node, where: str) -> tuple[Column, ...]:
    out = []
    for item in r.sequence(node, f"{where}.columns") or []:
        if r.mapping(item, f"{where} 的列") is None:
            continue
        r.check_keys(item, COLUMN_KEYS, f"{where} 的列")
        key = _req_text(r, item, "key") or "?"
        role = _opt_text(r, item, "role") or "amount"
        children = _columns(r, item.entries["children"], f"{where}/{key}") \
            if "children" in item.entries else ()
        if role not in ROLES:
            r.error(item.entries["role"], "bad-value", f"{where} 的列 {key}：role 应为 {'、'.join(ROLES)} 之一。")
        out.append(Column(key, _opt_text(r, item, "title") or key,
                          "group" if children else role, children))
    return tuple(out)


def _all_columns(columns: tuple[Column, ...]) -> list[Column]:
    return [c for col in columns for c in [col, *_all_columns(col.children)]]


def _unique(r: Reader, keys: list[str], node: Node, what: str) -> None:
    seen = set()
    for key in keys:
        if key in seen:
            r.error(node, "duplicate-key", f"{what}“{key}”重复：同一张表里每个 key 只能用一次。")
        seen.add(key)


def _req_text(r: Reader, node: Node, key: str) -> str | None:
    if key not in node.entries:
        r.error(node, "missing-field", f"缺少 {key}。")
        return None
    return r.text(node.entries[key], key)


def _opt_text(r: Reader, node: Node, key: str) -> str | None:
    return r.text(node.entries[key], key) if key in node.entries else None


def _plain(node: Node):
    """A node as plain Python data (for rule definitions interpreted by the checker)."""
    if node.kind == "scalar":
        return node.text
    if node.kind == "seq":
        return tuple(_plain(n) for n in node.items)
    return {k: _plain(v) for k, v in node.entries.items()} | {"_line": node.line}
