#!/usr/bin/env python3
"""Generate a synthetic content folder: D departments × Y years of budget documents.

    python bench/generate.py OUT --departments 200 --years 5 --seed 1 [--mistakes N]

Documents follow docs/content-format.md with the repository's two profiles (every fourth
department uses shanghai-district-9, the others xinjiang-11). Figures are consistent by
construction; `--mistakes` cells are deliberately altered and listed in OUT/../manifest.json
(or --manifest) so that a checker's findings can be compared with what was seeded.
Output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budget import Budget, Plan, make_budget, make_plan  # noqa: E402
from catalog import AGENCIES, GLOSSARY, SHANGHAI_REGIONS, XINJIANG_REGIONS, chinese_number  # noqa: E402
from mistakes import seed_mistakes  # noqa: E402
from prose import Money, facts, performance, shanghai_sections, xinjiang_sections  # noqa: E402
from tables import shanghai_tables, xinjiang_tables  # noqa: E402
from yamlout import dump  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
LAST_YEAR = 2025


@dataclass(frozen=True)
class DepartmentSpec:
    slug: str
    name: str
    region: str
    profile: str
    home: str  # main 款 code


def department_specs(count: int) -> list[DepartmentSpec]:
    """Deterministic names: region × agency; every fourth department is a Shanghai one."""
    specs = []
    for i in range(count):
        shanghai = i % 4 == 3
        regions = SHANGHAI_REGIONS if shanghai else XINJIANG_REGIONS
        agency, pinyin, home = AGENCIES[i % len(AGENCIES)]
        region, rslug = regions[(i // len(AGENCIES)) % len(regions)]
        rounds = i // (len(regions) * len(AGENCIES))
        suffix = f"-{rounds + 1}" if rounds else ""
        name = f"{region}{agency}" + (f"（第{chinese_number(rounds + 1)}分局）" if rounds else "")
        specs.append(DepartmentSpec(f"{rslug}-{pinyin}{suffix}", name, region,
                                    "shanghai-district-9" if shanghai else "xinjiang-11", home))
    return specs


def document(spec: DepartmentSpec, b: Budget, last: Budget, rng: random.Random) -> dict:
    """One document as plain data in the content format."""
    shanghai = spec.profile == "shanghai-district-9"
    m = Money(10000 if shanghai else 100)
    contact = rng.choice(["李娜", "王芳", "张伟", "刘洋", "陈静", "杨帆", "马丽", "阿依古丽"])
    if shanghai:
        tables = shanghai_tables(b, lambda units: m.wan(units))
        sections = shanghai_sections(b, last, spec.name, m, rng)
    else:
        tables = xinjiang_tables(b, spec.name)
        sections = xinjiang_sections(b, last, spec.name, m, rng)
    return {
        "profile": spec.profile, "department": spec.slug, "year": str(b.year), "kind": "预算",
        "title": f"{b.year}年{spec.name}部门预算",
        "meta": {"publisher": spec.name, "published": f"{b.year}-02-{rng.randint(10, 28)}",
                 "signed_by": spec.name,
                 "contacts": [{"name": contact, "phone": f"0994{rng.randint(2000000, 2999999)}",
                               "role": "部门联系人"}]},
        "overview": _overview(spec, rng),
        "tables": _format_tables(tables, m),
        "sections": sections,
        "facts": facts(b, last, m, spec.name),
        "performance": performance(b, spec.name, contact, m, rng,
                                   [20, 20, 20, 10, 20, 10] if shanghai else [15, 15, 15, 15, 20, 10]),
        "glossary": [{"term": t, "definition": d} for t, d in GLOSSARY],
    }


def _overview(spec: DepartmentSpec, rng: random.Random) -> dict:
    offices = ["办公室", "综合科", "业务一科", "业务二科", "财务科", "政策法规科", "信息中心"]
    chosen = offices[: rng.randint(3, len(offices))]
    staff = rng.randint(8, 120)
    return {
        "functions": {"intro": f"{spec.name}的主要职责是：", "numbering": "（一）",
                      "items": [f"贯彻执行国家和自治区、州有关{spec.name[-6:]}工作的方针政策和法律法规。",
                                "拟订并组织实施本领域发展规划和年度工作计划。",
                                "负责本领域的监督管理和统计分析工作。",
                                "完成上级交办的其他任务。"]},
        "organization": {"text": f"{spec.name}下设 {len(chosen)} 个科室，分别是：{'、'.join(chosen)}。",
                         "offices": chosen},
        "staff": {"text": f"{spec.name}编制数{staff + 3}，实有人数{staff}人。",
                  "establishment": str(staff + 3), "actual": str(staff),
                  "in_service": {"count": str(staff), "change": str(rng.randint(-2, 3))},
                  "retired": {"count": str(rng.randint(0, 30)), "change": "0"},
                  "lixiu": {"count": "0", "change": "0"}},
    }


def _format_tables(tables: dict[str, dict], m: Money) -> dict[str, dict]:
    """Turn int amounts into published text; strings (e.g. 万元 in 表9) stay as they are."""
    def cell(key: str, value):
        return m.cell(value) if isinstance(value, int) and key != "level" else str(value)
    return {label: {part: ([{k: cell(k, v) for k, v in row.items()} for row in rows]
                           if isinstance(rows, list) else rows)
                    for part, rows in table.items()} for label, table in tables.items()}


def department_budgets(spec: DepartmentSpec, seed: int, years: int) -> list[Budget]:
    """The budgets of `years` consecutive years, plus the year before (for 比上年 figures)."""
    rng = random.Random(f"{seed}:{spec.slug}")
    shanghai = spec.profile == "shanghai-district-9"
    unit = 10000 if shanghai else 100
    rows = 30 + int(120 * rng.random() ** 3)  # 30–150 rows, median about 45
    plan: Plan = make_plan(rng, spec.home, unit * (10 if shanghai else 1), rows, not shanghai,
                           public_step=100 if shanghai else 1, round_to=100)
    first = LAST_YEAR - years + 1
    return [make_budget(rng, plan, year) for year in range(first - 1, LAST_YEAR + 1)]


def generate(out: Path, departments: int, years: int, seed: int = 1, mistakes: int | None = None) -> dict:
    """Write the content folder `out`; return the manifest (documents and seeded mistakes)."""
    if out.exists():
        shutil.rmtree(out)
    (out / "profiles").mkdir(parents=True)
    for profile in ("xinjiang-11", "shanghai-district-9"):
        shutil.copy(REPO / "content" / "profiles" / f"{profile}.yaml", out / "profiles")
    shutil.copy(REPO / "content" / "site.yaml", out / "site.yaml")
    docs: dict[str, dict] = {}
    for spec in department_specs(departments):
        folder = out / spec.slug
        folder.mkdir()
        (folder / "department.yaml").write_text(
            dump({"name": spec.name, "short_name": spec.name.removeprefix(spec.region),
                  "region": spec.region}), encoding="utf-8")
        budgets = department_budgets(spec, seed, years)
        rng = random.Random(f"{seed}:{spec.slug}:prose")
        for last, b in zip(budgets, budgets[1:], strict=False):
            docs[f"{out.name}/{spec.slug}/{b.year}-yusuan.yaml"] = document(spec, b, last, rng)
    count = max(1, len(docs) // 20) if mistakes is None else mistakes
    seeded = seed_mistakes(docs, count, random.Random(f"{seed}:mistakes"))
    size = 0
    for rel, doc in docs.items():
        text = dump(doc)
        size += len(text.encode("utf-8"))
        (out.parent / rel).write_text(text, encoding="utf-8")
    return {"seed": seed, "departments": departments, "years": years, "documents": len(docs),
            "bytes": size, "mistakes": seeded}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="content folder to create (replaced if it exists)")
    parser.add_argument("--departments", type=int, default=10)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mistakes", type=int, default=None,
                        help="cells to alter deliberately (default: one per 20 documents; 0 = none)")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="where to write the manifest (default: OUT/../manifest.json)")
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.departments, args.years, args.seed, args.mistakes)
    target = args.manifest or args.out.parent / "manifest.json"
    target.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"documents={manifest['documents']} bytes={manifest['bytes']} "
          f"mistakes={len(manifest['mistakes'])} manifest={target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
