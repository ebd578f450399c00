"""Deliberate mistakes seeded into a clean synthetic corpus, each recorded in the manifest.

Each mistake alters one published figure; the manifest says where, what the consistent
value was and which identity should now fail, so a checker's findings can be compared
with exactly what was seeded.
"""

from __future__ import annotations

import random
from decimal import Decimal

KINDS = ("parent-sum", "table1-totals", "facts-operating-costs", "three-public-total")


def _shift(text: str, delta: Decimal) -> str:
    value = Decimal(text)
    places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
    return str((value + delta).quantize(Decimal(1).scaleb(-places)))


def _delta(doc: dict, rng: random.Random) -> tuple[Decimal, str]:
    """A rounding-sized (one published unit) or a material difference."""
    yuan = doc["profile"] == "shanghai-district-9"
    if rng.random() < 0.3:
        return (Decimal(1) if yuan else Decimal("0.01")), "rounding"
    return (Decimal(rng.randint(100, 5000)) if yuan else Decimal(rng.randint(100, 5000)) / 100), "material"


def _alter(row: dict, key: str, delta: Decimal) -> tuple[str, str] | None:
    if key not in row:
        return None
    before = row[key]
    row[key] = _shift(before, delta)
    return before, row[key]


def _values(change: tuple[str, str]) -> dict[str, str]:
    return {"consistent": change[0], "published": change[1]}


def _parent_sum(doc: dict, rng: random.Random, delta: Decimal) -> dict | None:
    rows = [r for r in doc["tables"]["表3"]["rows"] if len(r.get("code", "").split()) == 2]
    if not rows:
        return None
    row = rng.choice(rows)
    change = _alter(row, "合计", delta)
    return change and {"table": "表3", "row": row["code"], "column": "合计", **_values(change),
                       "expect": "款行合计不等于其下各项之和，且不等于基本支出+项目支出"}


def _table1_totals(doc: dict, rng: random.Random, delta: Decimal) -> dict | None:
    row = doc["tables"]["表1"]["expenditure"][-1]
    change = _alter(row, "预算数", delta)
    return change and {"table": "表1", "row": row["name"], "column": "预算数", **_values(change),
                       "expect": "表1 支出总计不等于收入总计，也不等于各类之和"}


def _facts_operating(doc: dict, rng: random.Random, delta: Decimal) -> dict | None:
    f = doc["facts"]
    before = f["operating_costs"]
    f["operating_costs"] = _shift(before, abs(delta) if doc["profile"] == "xinjiang-11" else Decimal("0.10"))
    return {"table": "facts", "row": "operating_costs", "column": "operating_costs",
            **_values((before, f["operating_costs"])),
            "expect": "facts.operating_costs（机关运行经费）不等于公用经费合计"}


def _three_public(doc: dict, rng: random.Random, delta: Decimal) -> dict | None:
    label = "表10" if doc["profile"] == "xinjiang-11" else "表9"
    rows = doc["tables"][label]["rows"]
    if not rows:  # no “三公” spending this year: nothing to alter
        return None
    row, key = rows[0], "合计"
    if label == "表9":
        delta = Decimal("0.01") * (1 if delta == 1 else 37)
    change = _alter(row, key, delta)
    return change and {"table": label, "row": row.get("name", "合计"), "column": key, **_values(change),
                       "expect": "“三公”经费合计不等于各项之和"}


_MAKERS = dict(zip(KINDS, (_parent_sum, _table1_totals, _facts_operating, _three_public), strict=True))


def seed_mistakes(docs: dict[str, dict], count: int, rng: random.Random) -> list[dict]:
    """Alter `count` figures in distinct documents; return the manifest entries."""
    seeded = []
    for rel in sorted(rng.sample(sorted(docs), min(count, len(docs)))):
        doc = docs[rel]
        kind = rng.choice(KINDS)
        delta, size = _delta(doc, rng)
        snapshot = repr(doc["tables"]) + repr(doc["facts"])
        entry = _MAKERS[kind](doc, rng, delta)
        if entry is None or snapshot == repr(doc["tables"]) + repr(doc["facts"]):
            continue
        seeded.append({"file": rel, "kind": kind, "size": size, **entry})
    return seeded
