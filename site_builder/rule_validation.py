"""Validation of the profiles' `checks:`: each rule's name and keys, and the figures it names.

The rules themselves are applied by the audits; a reference is resolved by `rules.resolve`.
A profile with a broken rule is reported before any audit runs (`audit.rule_problems`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .model import Facts, Profile, TableSpec
from .problems import Problems

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
