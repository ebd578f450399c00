"""The numbers of one synthetic department-year, internally consistent by construction.

Amounts are integers in the profile's smallest published unit (0.01 万元 for xinjiang-11,
1 元 for shanghai-district-9), so every sum is exact. A department has a `Plan` (its lines,
projects and sizes); each year's `Budget` is the plan grown by that year's random factors.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from catalog import ECONOMIC, FUNCTIONAL, PROJECT_WORDS

# Basic-expenditure lines fed by one economic line each (code -> economic code).
PENSION, ANNUITY, MEDICAL, CIVIL_MED, HOUSING = "208 05 05", "208 05 06", "210 11 0{}", "210 11 03", "221 02 01"
SALARY_SHARES = {"301 01": 0.26, "301 02": 0.22, "301 03": 0.08, "301 07": 0.24}
SOCIAL_RATES = {"301 08": 0.16, "301 09": 0.08, "301 10": 0.075, "301 12": 0.008, "301 13": 0.12}
PUBLIC_ALWAYS = ["302 01", "302 07", "302 11", "302 28", "302 29", "302 99"]
PUBLIC_OPTIONAL = ["302 02", "302 05", "302 06", "302 09", "302 13", "302 14", "302 15",
                   "302 16", "302 17", "302 26", "302 27", "302 31", "302 39"]
RESERVED = {PENSION, ANNUITY, "210 11 01", "210 11 02", CIVIL_MED, HOUSING, "208 05 01", "208 05 02"}


@dataclass
class Line:
    """One functional 项: 一般公共预算 basic/project, 单位资金 and 非财政拨款结转结余 (project)."""

    basic: int = 0
    project: int = 0
    own: int = 0
    carry: int = 0

    @property
    def total(self) -> int:
        return self.basic + self.project + self.own + self.carry


@dataclass
class ProjectPlan:
    name: str
    code: str
    base: int
    capital_share: float  # part of the amount spent as 资本性支出


@dataclass
class Project:
    name: str
    code: str
    amount: int
    goods_services: int
    capital: int


@dataclass
class Plan:
    """What stays the same for a department over the years."""

    salary: int  # yearly 301 01/02/03/07 pool in base units
    is_admin: bool
    operating: list[str]
    public: list[str]
    public_base: dict[str, int]
    projects: list[ProjectPlan]
    own_lines: dict[str, int]  # 单位资金 by code
    carry_items: list[tuple[str, str, int]]  # (name, code, amount) 非财政拨款结转结余
    retirees: bool
    round_to: int  # project amounts are round numbers of this many units
    public_step: int = 1  # 公用经费 items are multiples of this (Shanghai: 100 元 = 0.01 万元)


@dataclass
class Budget:
    """One year's figures."""

    year: int
    lines: dict[str, Line]
    economic: dict[str, tuple[int, int]]  # 款 -> (人员经费, 公用经费)
    projects: list[Project]
    carry_items: list[tuple[str, str, int]]
    three_public: dict[str, int] = field(default_factory=dict)
    vehicles: int = 1

    @property
    def gp(self) -> int:
        return sum(line.basic + line.project for line in self.lines.values())

    @property
    def basic(self) -> int:
        return sum(line.basic for line in self.lines.values())

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines.values())

    @property
    def own(self) -> int:
        return sum(line.own for line in self.lines.values())

    @property
    def carry(self) -> int:
        return sum(line.carry for line in self.lines.values())

    @property
    def public(self) -> int:
        return sum(p for _, p in self.economic.values())


def make_plan(rng: random.Random, home: str, unit: int, target_rows: int,
              with_other_funds: bool, public_step: int = 1, round_to: int = 100) -> Plan:
    """A department's shape: `home` is its main 款, `unit` base units per 万元."""
    salary = int(rng.uniform(60, 900) * unit)
    under = [c for c in FUNCTIONAL if c.startswith(home + " ") and c not in RESERVED]
    operating = [next((c for c in (f"{home} 01", f"{home} 50") if c in FUNCTIONAL), under[0])]
    if rng.random() < 0.3 and f"{home} 50" in FUNCTIONAL and operating[0] != f"{home} 50":
        operating.append(f"{home} 50")
    public = PUBLIC_ALWAYS + rng.sample(PUBLIC_OPTIONAL, rng.randint(4, len(PUBLIC_OPTIONAL)))
    public_base = {k: int(salary * rng.uniform(0.004, 0.03)) for k in public}
    projects = _plan_projects(rng, home, unit, operating, target_rows)
    own_lines, carry_items = {}, []
    if with_other_funds and rng.random() < 0.4:
        code = rng.choice(projects).code
        own_lines[code] = int(rng.uniform(2, 60) * unit)
    if with_other_funds and rng.random() < 0.3:
        code = rng.choice(projects).code
        carry_items.append(("机构运行补助（自有资金）", code, int(rng.uniform(1, 30) * unit)))
    return Plan(salary, rng.random() < 0.6, operating, sorted(public), public_base, projects,
                own_lines, carry_items, rng.random() < 0.5, round_to, public_step)


def _plan_projects(rng: random.Random, home: str, unit: int, operating: list[str],
                   target_rows: int) -> list[ProjectPlan]:
    """Add project lines until the functional tables reach about `target_rows` rows."""
    xiang = [c for c in FUNCTIONAL if len(c.split()) == 3 and c not in RESERVED]
    near = [c for c in xiang if c.startswith(home) and c not in operating]
    codes = set(operating) | {PENSION, ANNUITY, HOUSING, "210 11 01"}
    projects: list[ProjectPlan] = []
    pool = near + rng.sample(xiang, len(xiang))
    while _row_count(codes) < target_rows and pool:
        code = pool.pop(0)
        if code in codes:
            continue
        codes.add(code)
        for _ in range(rng.choice((1, 1, 1, 2))):
            word = rng.choice(PROJECT_WORDS)
            name = f"{_subject(code)}{word}"
            if any(p.name == name for p in projects):
                name = f"{name}（{len(projects) + 1}）"
            projects.append(ProjectPlan(name, code, int(rng.uniform(3, 400)) * unit,
                                        rng.choice((0, 0, 0, 0.2, 0.5))))
    return projects


GENERIC = {"行政运行", "一般行政管理事务", "机关服务", "事业运行", "机构运行"}


def _subject(code: str) -> str:
    """What a project on `code` is about: the 项's name, or its 款's for generic 项."""
    name = FUNCTIONAL[code]
    if name in GENERIC or name.startswith("其他"):
        name = FUNCTIONAL[code.rsplit(" ", 1)[0]]
    return name.removeprefix("其他").removesuffix("支出").removesuffix("事务")


def _row_count(codes: set[str]) -> int:
    parts = {" ".join(c.split()[:n]) for c in codes for n in (1, 2, 3)}
    return len(parts)


def make_budget(rng: random.Random, plan: Plan, year: int) -> Budget:
    """One year's consistent figures from the plan."""
    growth = rng.uniform(0.96, 1.09)
    economic = _personnel(rng, plan, growth)
    for code in plan.public:
        amount = plan.public_base[code] * growth * rng.uniform(0.9, 1.1)
        economic[code] = (0, max(1, round(amount / plan.public_step)) * plan.public_step)
    lines: dict[str, Line] = {}
    _basic_lines(rng, plan, economic, lines)
    projects = []
    for p in plan.projects:
        if rng.random() < 0.08:  # a project not funded this year: its line may disappear
            continue
        amount = max(plan.round_to, round(p.base * rng.uniform(0.8, 1.25) / plan.round_to) * plan.round_to)
        capital = round(amount * p.capital_share)
        projects.append(Project(p.name, p.code, amount, amount - capital, capital))
        lines.setdefault(p.code, Line()).project += amount
    for code, own in plan.own_lines.items():
        lines.setdefault(code, Line()).own += int(own * rng.uniform(0.8, 1.2))
    for _, code, amount in plan.carry_items:
        lines.setdefault(code, Line()).carry += amount
    three = {"outbound": 0, "reception": economic.get("302 17", (0, 0))[1],
             "purchase": 0, "operation": economic.get("302 31", (0, 0))[1]}
    return Budget(year, dict(sorted(lines.items())), dict(sorted(economic.items())), projects,
                  list(plan.carry_items), three)


def _personnel(rng: random.Random, plan: Plan, growth: float) -> dict[str, tuple[int, int]]:
    salary = plan.salary * growth
    economic = {k: (int(salary * share * rng.uniform(0.9, 1.1)), 0) for k, share in SALARY_SHARES.items()}
    base = sum(v for v, _ in economic.values())
    for code, rate in SOCIAL_RATES.items():
        economic[code] = (int(base * rate), 0)
    if plan.is_admin:
        economic["301 11"] = (int(base * 0.006), 0)
    economic["301 99"] = (int(base * rng.uniform(0.01, 0.08)), 0)
    if plan.retirees:
        economic["303 02"] = (int(base * rng.uniform(0.01, 0.05)), 0)
    economic["303 05"] = (int(base * rng.uniform(0.002, 0.01)), 0)
    return economic


def _basic_lines(rng: random.Random, plan: Plan, economic: dict[str, tuple[int, int]],
                 lines: dict[str, Line]) -> None:
    """Spread 基本支出 over functional lines so both classifications sum to the same total."""
    fed = {PENSION: "301 08", ANNUITY: "301 09", MEDICAL.format(1 if plan.is_admin else 2): "301 10",
           HOUSING: "301 13"}
    if plan.is_admin:
        fed[CIVIL_MED] = "301 11"
    if plan.retirees:
        fed["208 05 01" if plan.is_admin else "208 05 02"] = "303 02"
    for code, econ in fed.items():
        lines[code] = Line(basic=economic[econ][0])
    rest = sum(a + b for a, b in economic.values()) - sum(line.basic for line in lines.values())
    shares = [rng.uniform(0.3, 1) for _ in plan.operating]
    left = rest
    for i, code in enumerate(plan.operating):
        part = left if i == len(plan.operating) - 1 else int(rest * shares[i] / sum(shares))
        lines[code] = Line(basic=part)
        left -= part


def parents(codes: list[str]) -> list[str]:
    """The 类/款/项 rows for a set of 项 codes, in table order."""
    rows = {" ".join(c.split()[:n]) for c in codes for n in range(1, len(c.split()) + 1)}
    return sorted(rows)


def economic_name(code: str) -> str:
    return ECONOMIC[code]
