"""Audit findings: what the checks found, with the figures compared and where they are.

A finding is never a correction: it names the published figure, the figure computed from
other published figures, their difference, and the places (file, line, table row) concerned.
Amounts are compared in exact `Decimal`; a difference within what rounding of the published
figures allows is a warning labelled 舍入差异, a larger one an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import Acknowledgement, Pos, Settings
from .problems import ERROR, NOTE, WARNING, Problem

KINDS = {"rounding": "舍入差异", "content": "不一致", "completeness": "缺漏", "sanity": "疑点"}
UNIT_FACTORS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


@dataclass(frozen=True)
class Place:
    """A place concerned by a finding; table places let the site mark the row."""

    pos: Pos
    table: str | None = None  # 表6
    side: str | None = None  # side key, e.g. main, income
    row: int | None = None  # index in Table.rows(side)
    column: str | None = None  # column key


@dataclass(frozen=True)
class Finding:
    """One result of an audit rule on one document."""

    rule: str  # e.g. sum-children, prose-rate
    severity: str  # error | warning
    kind: str  # rounding | content | completeness | sanity
    subject: str  # the things compared, in plain Chinese
    message: str
    document: str  # Document.path
    places: tuple[Place, ...]  # first = where to fix (total cell, prose line)
    published: Decimal | None = None
    computed: Decimal | None = None
    difference: Decimal | None = None
    unit: str = ""
    acknowledged: Acknowledgement | None = None  # verified as published; never blocks

    @property
    def pos(self) -> Pos:
        return self.places[0].pos

    def to_problem(self, settings: Settings | None = None) -> Problem:
        """The finding as a Problem; its severity says whether it blocks the build."""
        pos = self.pos
        if self.acknowledged:
            return Problem(pos.file, pos.line, pos.column, NOTE, self.rule,
                           f"[{KINDS[self.kind]}] {self.message}（已确认：{self.acknowledged.note}）",
                           self.kind)
        severity = ERROR if blocks(self, settings) else WARNING
        return Problem(pos.file, pos.line, pos.column, severity, self.rule,
                       f"[{KINDS[self.kind]}] {self.message}", self.kind)


def blocks(finding: Finding, settings: Settings | None) -> bool:
    """Whether `finding` blocks the build under `settings.blocking` (error, warning, rounding)."""
    if finding.acknowledged:
        return False
    blocking = settings.blocking if settings else ("error",)
    if finding.kind == "rounding":
        return "rounding" in blocking
    return finding.severity in blocking


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last published place of `value` (0.005 for 12.34, 0.5 for 1234)."""
    exponent = value.as_tuple().exponent
    return Decimal(5).scaleb(exponent - 1) if isinstance(exponent, int) else Decimal(0)


def tolerance(parts: list[Decimal], settings: Settings | None = None,
              factor: Decimal = Decimal(1)) -> Decimal:
    """What rounding of the published `parts` allows (Settings.rounding_tolerance overrides)."""
    if settings is not None and settings.rounding_tolerance is not None:
        return settings.rounding_tolerance * factor
    return sum((half_unit(p) for p in parts), Decimal(0)) * factor


def grade(difference: Decimal, allowed: Decimal) -> tuple[str, str] | None:
    """(severity, kind) for a difference: None when equal, rounding within `allowed`."""
    if difference == 0:
        return None
    if abs(difference) <= allowed:
        return WARNING, "rounding"
    return ERROR, "content"


def grade_percent(stated: Decimal, exact: Decimal) -> tuple[str, str] | None:
    """A two-decimal percentage: ≤ 0.005 off is fine, ≤ 0.01 a rounding warning, else an error."""
    off = abs(stated - exact)
    if off <= Decimal("0.005"):
        return None
    if off <= Decimal("0.01"):
        return WARNING, "rounding"
    return ERROR, "content"


def fmt(value: Decimal | None) -> str:
    """A figure as text for a message: exactly as it is, blank as 空白."""
    if value is None:
        return "空白"
    return f"{value:f}"


def fmt_diff(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value != 0 else "0"
    return text if value < 0 else f"+{text}"


def to_unit(value: Decimal, unit: str, target: str) -> Decimal:
    """Convert exactly between 元, 万元 and 亿元."""
    return value * UNIT_FACTORS.get(unit, Decimal(1)) / UNIT_FACTORS.get(target, Decimal(1))


def findings_to_problems(findings: list[Finding], settings: Settings | None) -> list[Problem]:
    return [f.to_problem(settings) for f in findings]
