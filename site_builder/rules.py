"""The `checks:` vocabulary of profiles: rule definitions, validation, and figure references.

A reference names one published figure: `表5/总计/基本支出` is table 表5, the row named 总计
(or its total row), column 基本支出. The row part can be a code (`302 17`), a row name, `#2`
(the second row), or, where several rows are meant, 类 / 款 / 项 / 行 (all coded lines of that
depth, or all lines). `表1.expenditure/类/预算数` picks a side of a two-sided table.
`facts/three_public.total` names a figure of the document's `facts`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .findings import Place
from .memo import ObjectCache
from .model import Document, Facts, Profile, Row, Table, TableSpec
from .problems import Problems

MULTI = {"类": 1, "款": 2, "项": 3, "行": 0}
RULE_KEYS: dict[str, tuple[set[str], set[str]]] = {  # rule -> (required, optional) keys
    "columns": ({"total", "of"}, {"note"}),
    "sum": ({"total", "of"}, {"columns", "note", "side"}),
    "equal": ({"left", "right"}, {"severity", "note"}),
    "match": ({"left", "right"}, {"note"}),
    "prose": ({"section"}, {"terms", "lines", "share_of", "note"}),
    "sections": ({"required"}, {"note"}),
    "projects": ({"table", "name", "amount"}, {"note"}),
    "weights": ({"total"}, {"note"}),
    "funds": ({"total", "of"}, {"note"}),
}
TABLE_RULES = {"columns", "sum"}
_CODE = re.compile(r"^\d{3}( \d{1,2})*$")
_SPACES = re.compile(r"\s+")
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、|^\d+[、.．]\s*|^（[一二三四五六七八九十]+）")


@dataclass(frozen=True)
class Value:
    """A published figure found by a reference; `amount` None is a blank cell."""

    amount: Decimal | None
    unit: str
    place: Place
    label: str  # e.g. 表5 总计 基本支出
    name: str = ""  # the row's name, to match coded rows with uncoded ones


@functools.lru_cache(maxsize=65536)
def squash(text: str) -> str:
    """Compare names without spaces, brackets' width or a leading list number."""
    text = _SPACES.sub("", text or "").replace("(", "（").replace(")", "）")
    return _NUMBERING.sub("", text)


@functools.lru_cache(maxsize=65536)
def norm_code(code: str) -> str:
    """`301 2` and `301 02` name the same line."""
    first, *rest = code.split()
    return " ".join([first, *(seg.zfill(2) for seg in rest)])


# ---------------------------------------------------------------- validation

def validate_rules(profile: Profile, problems: Problems) -> None:
    """Report every rule of `profile` that names an unknown rule, table, column or fact."""
    for spec in profile.tables:
        for i, rule in enumerate(spec.checks):
            _validate(profile, rule, f"{spec.label}.checks 第 {i + 1} 条", problems, spec)
    for i, rule in enumerate(profile.checks):
        _validate(profile, rule, f"checks 第 {i + 1} 条", problems, None)


def _validate(profile: Profile, rule: Any, where: str, problems: Problems,
              spec: TableSpec | None) -> None:
    line = rule.get("_line", 1) if isinstance(rule, Mapping) else 1
    errors = _rule_errors(profile, rule, spec)
    for message in errors:
        problems.add(profile.path, line, 1, "bad-rule", f"{where}：{message}")


def _rule_errors(profile: Profile, rule: Any, spec: TableSpec | None) -> list[str]:
    if not isinstance(rule, Mapping) or "rule" not in rule:
        return ["每条检查要写成 {rule: 规则名, …}。"]
    name = rule["rule"]
    if name not in RULE_KEYS or (spec is not None) != (name in TABLE_RULES):
        allowed = sorted(TABLE_RULES) if spec else sorted(set(RULE_KEYS) - TABLE_RULES)
        return [f"不认识的规则“{name}”；{'表内' if spec else '模板级'}可用：{'、'.join(allowed)}。"]
    required, optional = RULE_KEYS[name]
    keys = set(rule) - {"rule", "_line"}
    errors = [f"规则 {name} 缺少 {k}。" for k in sorted(required - keys)]
    errors += [f"规则 {name} 不认识的键“{k}”；可用：{'、'.join(sorted(required | optional))}。"
               for k in sorted(keys - required - optional)]
    if errors:
        return errors
    if spec is not None:
        return _table_rule_errors(rule, spec)
    refs = [rule[k] for k in ("left", "right", "share_of") if k in rule]
    refs += list(terms_of(rule).values())
    if name == "projects":
        refs.append(f"{rule['table']}/行/{rule['amount']}")
    if name == "prose" and "lines" in rule:
        refs.append(_lines_ref(rule["lines"]))
    flat = [r for ref in refs for r in (ref if isinstance(ref, tuple) else (ref,))]
    return [e for ref in flat if (e := ref_error(profile, ref))]


def terms_of(rule: Mapping) -> dict[str, str]:
    """A prose rule's terms (without the reader's `_line`)."""
    terms = rule.get("terms")
    return {k: v for k, v in terms.items() if k != "_line"} if isinstance(terms, Mapping) else {}


def _table_rule_errors(rule: Mapping, spec: TableSpec) -> list[str]:
    keys = {k for side in spec.sides for k in side.amount_keys}
    names = [rule["total"], *rule["of"]] if rule["rule"] == "columns" else list(rule.get("columns", ()))
    return [f"{spec.label} 没有金额列“{k}”；有：{'、'.join(sorted(keys))}。"
            for k in names if k not in keys]


def ref_error(profile: Profile, ref: Any) -> str | None:
    """Why `ref` cannot name a figure of this profile, or None."""
    if not isinstance(ref, str):
        return f"引用应是“表5/总计/合计”这样的文字，实际是 {ref!r}。"
    parts = ref.split("/")
    if parts[0] == "facts":
        return None if len(parts) == 2 and _fact_path_ok(parts[1]) else \
            f"“{ref}”：facts 里没有这一项（例如 facts/three_public.total）。"
    if len(parts) != 3:
        return f"“{ref}”应写成 表/行/列，例如 表5/总计/基本支出。"
    label, _, side = parts[0].partition(".")
    spec = profile.table(label)
    if spec is None:
        return f"“{ref}”：模板里没有 {label}；有 {'、'.join(t.label for t in profile.tables)}。"
    sides = [s for s in spec.sides if not side or s.key == side]
    if not sides:
        return f"“{ref}”：{label} 没有“{side}”这一栏；有 {'、'.join(s.key for s in spec.sides)}。"
    if not any(parts[2] in s.amount_keys for s in sides):
        keys = sorted({k for s in sides for k in s.amount_keys})
        return f"“{ref}”：{label} 没有金额列“{parts[2]}”；有 {'、'.join(keys)}。"
    return None


def _fact_path_ok(path: str) -> bool:
    cls: Any = Facts
    for name in path.split("."):
        fields = {f.name: f for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else {}
        if name not in fields:
            return False
        cls = _inner_type(fields[name].type)
    return True


def _inner_type(hint: Any) -> Any:
    names = {"ThreePublic", "Procurement", "PerformanceCounts", "Assets"}
    text = hint if isinstance(hint, str) else getattr(hint, "__name__", "")
    from . import model
    for name in names:
        if name in text:
            return getattr(model, name)
    return None


def _lines_ref(lines: str) -> str:
    table, _, column = lines.partition("/")
    return f"{table}/行/{column}"


# ---------------------------------------------------------------- resolution

def resolve(doc: Document, ref: str) -> Value | Cell | None:
    """The one figure `ref` names in `doc`; None if the table or row is not there."""
    parts = ref.split("/")
    if parts[0] == "facts":
        return _fact(doc, parts[1])
    cache = _RESOLVED.get(doc, _empty)
    if ref not in cache:
        cache[ref] = _resolve(doc, parts)
    return cache[ref]


def _empty(doc: Document) -> dict:
    return {}


_RESOLVED: ObjectCache[Document, dict[str, Cell | None]] = ObjectCache(256)  # ref -> figure


def _resolve(doc: Document, parts: list[str]) -> Cell | None:
    found = _rows(doc, parts[0], parts[1])
    if found is None or not found[1]:
        return None
    table, rows = found
    amounts = [item[2].amounts.get(parts[2]) for item in rows]
    present = [a for a in amounts if a is not None]
    total = sum(present, Decimal(0)) if present else None
    side, index, first = rows[0][:3]
    return Cell(total, table, parts[2], first, (side, index, first))


def resolve_many(doc: Document, ref: str) -> dict[str, Cell]:
    """Figures of all rows a multi-row reference (类/款/项/行) names, keyed by code or name."""
    label, selector, column = ref.split("/")
    found = _rows(doc, label, selector)
    if found is None:
        return {}
    table, rows = found
    out: dict[str, Cell] = {}
    for side, index, row, key, name in rows:
        value = Cell(row.amounts.get(column), table, column, row, (side, index, row), name)
        before = out.get(key)
        if before is None:
            out[key] = value
        elif value.amount is not None:  # a line printed twice: one figure, placed at the first
            out[key] = value if before.amount is None else \
                Cell(before.amount + value.amount, table, column, row, before.place_at, value.name)
    return out


class Cell:
    """A figure of a table row, like `Value`; its place and label are worked out when asked for.

    Nearly every figure agrees with the figures it is compared with, and only a finding
    needs the cell's file position (worked out from the row's text) and its label.
    """

    __slots__ = ("amount", "unit", "name", "table", "column", "label_row", "place_at")

    def __init__(self, amount: Decimal | None, table: Table, column: str, label_row: Row,
                 place_at: tuple[str, int, Row], name: str = "") -> None:
        self.amount, self.unit, self.name = amount, table.spec.unit, name
        self.table, self.column, self.label_row, self.place_at = table, column, label_row, place_at

    @property
    def label(self) -> str:
        """E.g. 表5 总计“基本支出”."""
        return (f"{self.table.spec.label} {row_label(self.label_row)}"
                f"“{self.table.headers.get(self.column, self.column)}”")

    @property
    def place(self) -> Place:
        side, index, row = self.place_at
        return Place(row.cell_pos.get(self.column, row.pos), self.table.spec.label, side, index, self.column)


def row_label(row: Row) -> str:
    return f"{row.code} {row.name}".strip() if row.code else row.name


def _rows(doc: Document, token: str, selector: str):
    label, _, side_key = token.partition(".")
    table = doc.table(label)
    if table is None:
        return None
    return table, _index(table, side_key).select(selector)


class _RowIndex:
    """A table's rows (one side or all) indexed by code and name, built once per table.

    `resolve` is called for every figure a rule or a sentence names; scanning all rows for
    each call was a large share of the audits.
    """

    def __init__(self, table, side_key: str) -> None:
        sides = [s.key for s in table.spec.sides if not side_key or s.key == side_key]
        # (side, index, row, its key: code or else name, its squashed name); few containers,
        # as the cyclic collector goes through whatever the audits keep
        self.indexed = [(s, i, row, norm_code(row.code) if row.code else squash(row.name), squash(row.name))
                        for s in sides for i, row in enumerate(table.rows(s))]
        self.by_code: dict[str, tuple | list] = {}  # code -> its row, or its rows if printed twice
        self.by_name: dict[str, tuple] = {}  # the first row of a name
        for item in self.indexed:
            if item[2].code:
                before = self.by_code.setdefault(item[3], item)
                if before is not item:
                    self.by_code[item[3]] = [*before, item] if isinstance(before, list) else [before, item]
            self.by_name.setdefault(item[4], item)
        self.totals = [item for item in self.indexed if item[2].is_total][:1]
        self.depths: dict[int, list] = {}

    def select(self, selector: str) -> list:
        """The rows `selector` names, in table order (see the module's docstring)."""
        if selector in MULTI:
            depth = MULTI[selector]
            if depth not in self.depths:
                self.depths[depth] = [
                    item for item in self.indexed if not (r := item[2]).is_total and (depth == 0 or (
                        len(r.segments) == depth if r.code else depth == 1 and r.level == 1))]
            return self.depths[depth]
        if selector.startswith("#") and selector[1:].isdigit():
            n = int(selector[1:]) - 1
            return self.indexed[n:n + 1]
        if _CODE.match(selector):
            found = self.by_code.get(norm_code(selector))
            return found if isinstance(found, list) else [found] if found else []
        named = self.by_name.get(squash(selector))
        return [named] if named else self.totals if selector in ("总计", "合计") else []


_INDEXES: ObjectCache = ObjectCache(1024)


def _index(table, side_key: str) -> _RowIndex:
    """The row index of `table` (tables are frozen: one per Table object and side)."""
    return _INDEXES.get(table, lambda t: _RowIndex(t, side_key), side_key)


def _fact(doc: Document, path: str) -> Value | None:
    obj: Any = doc.facts
    holder: Any = obj
    for name in path.split("."):
        holder = obj
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    pos = getattr(holder, "pos", None) or getattr(doc.facts, "pos", None)
    if pos is None:
        from .model import Pos
        pos = Pos(doc.path, 1, 1)
    return Value(obj, "万元", Place(pos), f"facts.{path}")
