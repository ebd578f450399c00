"""Last year's figures as this year's prose states them, tied to table lines by 类/款/项 path.

`statements.py` reads the sentences; this module finds the table line each one describes and
derives last year's figure: amount − stated change for statements against 上年预算, the stated
figure for Shanghai's statements against 上年预算执行数 (another basis, kept apart). A
statement is tied to a line only where its stated amount equals the line's published amount
(in the prose's unit), so a misread path can never attach a figure to the wrong line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

from .compare import Finding, LineChange, TableComparison, match_code, match_name
from .memo import ObjectCache
from .model import Document, Pos, Row
from .statements import Statement, parse_section
from .trends import Figure, three_public_item

UNIT_FACTORS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
FIGURE_WORDS = (("三公", "“三公”经费合计"), ("机关运行经费", "机关运行经费"),
                ("财政拨款收入", "财政拨款"), ("基本支出", "基本支出"), ("项目支出", "项目支出"))


class StatedLine(NamedTuple):
    """One table line's figures as the prose states them (in the prose's unit); a tuple, as
    every statement that names a line makes one (a frozen dataclass's __init__ cost most)."""

    key: str  # match_code of the line
    code: str  # as published in the table
    name: str
    amount: Decimal
    previous: Decimal | None
    unit: str
    basis: str  # 上年预算 | 执行数
    reason: str | None
    pos: Pos
    rate: Decimal | None = None  # the stated growth rate, signed, in percent

    @property
    def source(self) -> str:
        return "prose-execution" if self.basis == "执行数" else "prose"


_PARSED: ObjectCache[Document, tuple[Statement, ...]] = ObjectCache(256)
_STATED: ObjectCache[Document, dict[str, StatedLine]] = ObjectCache(256)


def statements(doc: Document) -> tuple[Statement, ...]:
    """Every statement of the document's prose, in order (parsed once per Document object)."""
    return _PARSED.get(doc, lambda d: tuple(st for section in d.sections for st in parse_section(section)))


def stated_lines(doc: Document) -> dict[str, StatedLine]:
    """The lines that the prose gives last year's figure for, by match_code (do not modify;
    worked out once per Document object: the comparison, chart and link providers all ask)."""
    return _STATED.get(doc, _stated_lines)


def _stated_lines(doc: Document) -> dict[str, StatedLine]:
    said = [st for st in statements(doc)
            if st.path and st.amount is not None and st.unit in UNIT_FACTORS]
    if not said:
        return {}
    rows = _coded_rows(doc)
    # the last row of a code wins
    names = dict(zip(map(match_code, [r.code for r, _ in rows]), [r.name for r, _ in rows], strict=True))
    by_name = _name_index(rows, {match_name(st.path[-1]) for st in said})
    found: dict[str, StatedLine] = {}
    for st in said:
        above = [match_name(name) for name in st.path[:-1]]  # the stated 类 and 款
        for row, unit in (rows[i] for i in _candidates(by_name, st.path[-1])):
            key = match_code(row.code)
            if _under(key, above, names) and _agrees(row, unit, st):
                if key not in found:  # the first statement of a line wins
                    found[key] = _stated_line(key, row, st)
                break
    return found


def _stated_line(key: str, row: Row, st: Statement) -> StatedLine:
    rate = st.rate * st.rate_direction if st.rate is not None and st.rate_direction is not None else None
    return StatedLine(key, row.code, row.name, st.amount, _previous(st), st.unit,
                      st.basis or "上年预算", st.reason, st.pos, rate)


def _previous(st: Statement) -> Decimal | None:
    if st.basis == "执行数":
        return st.executed
    if st.direction == 0:
        return st.amount
    if st.change is None or st.direction is None:
        return None
    return st.amount - st.direction * st.change


def _coded_rows(doc: Document) -> list[tuple[Row, str]]:
    """Coded rows of the 支出 tables (一般公共预算 first), with each table's unit."""
    tables = [t for t in doc.tables.values() if t.spec.rows in ("functional", "project")
              and "收入" not in t.title]
    tables.sort(key=lambda t: "一般公共预算" not in t.title)
    return [(row, t.spec.unit) for t in tables if t.spec.sides[0].amount_keys
            for row in t.rows() if row.code]


_NameIndex = tuple[dict[str, list[int]], dict[str, list[int]]]


def _name_index(rows: list[tuple[Row, str]], wanted: set[str]) -> _NameIndex:
    """Row positions by normalised name, and by that name without its first character (only
    for the `wanted` names: those the statements give)."""
    exact: dict[str, list[int]] = {}
    shortened: dict[str, list[int]] = {}
    for i, name in enumerate(map(match_name, [row.name for row, _ in rows])):
        if name in wanted:
            exact.setdefault(name, []).append(i)
        if len(name) >= 4 and name[1:] in wanted:
            shortened.setdefault(name[1:], []).append(i)
    return exact, shortened


def _candidates(index: _NameIndex, stated: str) -> list[int]:
    """The rows whose name is the `stated` one (`_same_name`), in table order."""
    name = match_name(stated)
    found = index[0].get(name, [])
    if len(name) >= 3 and name in index[1]:
        found = sorted({*found, *index[1][name]})
    return found


def _under(key: str, above: list[str], names: dict[str, str]) -> bool:
    """Whether the line of code `key` is as deep as the stated path and under the stated 类
    and 款 names (`above`, normalised), where the tables publish those lines (`names`)."""
    segments = key.split()
    if len(segments) != len(above) + 1:
        return False
    for depth, stated in enumerate(above, start=1):
        name = names.get(" ".join(segments[:depth]))
        if name is not None and not _same_name(match_name(name), stated):
            return False
    return True


def _same_name(published: str, stated: str) -> bool:
    """Equal (both normalised); a stated name that lost its first character still counts."""
    return published == stated or (len(stated) >= 3 and published.endswith(stated)
                                   and len(published) - len(stated) <= 1)


def _agrees(row: Row, unit: str, st: Statement) -> bool:
    amount = _amount(row)
    return amount is not None and to_unit(amount, unit, st.unit, st.amount) == st.amount


def _amount(row: Row) -> Decimal | None:
    return next(iter(row.amounts.values()), None)


def to_unit(amount: Decimal, unit: str, target: str, like: Decimal) -> Decimal:
    """`amount` in `unit` expressed in `target`, rounded half up to `like`'s decimals."""
    value = amount if unit == target else amount * UNIT_FACTORS[unit] / UNIT_FACTORS[target]
    return value.quantize(_quantum(like.as_tuple().exponent), ROUND_HALF_UP)  # by position: cheaper


@lru_cache(maxsize=64)
def _quantum(exponent: int) -> Decimal:
    """1, 0.1, 0.01 … for a figure with that exponent (whole numbers stay whole)."""
    return Decimal(1).scaleb(min(exponent, 0))


def prose_comparisons(doc: Document, stated: dict[str, StatedLine]) -> list[TableComparison]:
    """Without last year's document: one comparison of the lines the prose covers."""
    lines = [s for s in stated.values() if s.previous is not None]
    if not lines:
        return []
    order = {match_code(r.code): i for i, (r, _) in enumerate(_coded_rows(doc))}
    lines.sort(key=lambda s: order.get(s.key, len(order)))
    out = []
    for basis in ("上年预算", "执行数"):
        chosen = [s for s in lines if s.basis == basis]
        if not chosen:
            continue
        changes = tuple(LineChange(s.code, s.name, 3, False, s.previous, s.amount,
                                   "matched", source=s.source, match="prose", reason=s.reason)
                        for s in chosen)
        column = "上年预算执行数" if basis == "执行数" else "上年预算"
        out.append(TableComparison("", "文字说明所列科目", "", column, chosen[0].unit,
                                   changes, tuple(_rate_findings(chosen, changes))))
    return out


def _rate_findings(stated: list[StatedLine], lines: tuple[LineChange, ...]) -> list[Finding]:
    """Where the prose's own rate differs from the one its figures give, say so."""
    out = []
    for s, line in zip(stated, lines, strict=True):
        if s.rate is None or line.rate is None:
            continue
        computed = line.rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if computed != s.rate:
            out.append(Finding("stated-rate", (
                f"{line.label}：文字说明写的增减率是 {s.rate:f}%，按其所述金额计算为 {computed:f}%"
                "；本站显示按金额计算的结果。"), s.pos))
    return out


def annotate(comparison: TableComparison, stated: dict[str, StatedLine],
             unit: str) -> TableComparison:
    """Add the prose's reasons and figures to a comparison made from last year's document.

    Against 上年预算 the stated figure must equal last year's published one (in the prose's
    unit); a difference is a finding. Against 执行数 it is shown apart, never compared.
    """
    found = list(map(stated.get, map(match_code, [line.code for line in comparison.lines])))
    if not any(found):
        return comparison  # no line the prose speaks of: nothing to add
    findings, lines = list(comparison.findings), list(comparison.lines)
    for k in compress(range(len(lines)), found):  # only the lines the prose speaks of
        line, s = lines[k], found[k]
        if s.previous is None or line.current is None:
            continue
        execution = s.basis == "执行数"
        line = lines[k] = line.with_prose(s.reason or line.reason,
                                          s.previous if execution else line.stated_previous,
                                          s.unit if execution else line.stated_unit)
        if not execution and line.previous is not None:
            published = to_unit(line.previous, unit, s.unit, s.previous)
            if published != s.previous:
                findings.append(Finding("disagreement", (
                    f"{line.label}：本年文字说明推算的上年数为 {s.previous} {s.unit}"
                    f"（{s.amount} − 增减额），上年公开文件为 {published} {s.unit}；"
                    "比较采用上年公开文件。"), s.pos))
    return replace(comparison, lines=tuple(lines), findings=tuple(findings))


@dataclass(frozen=True)
class StatedFigure:
    """A key figure (trends.GROUPS) and last year's, as the prose states them."""

    key: str
    amount: Decimal
    previous: Decimal
    unit: str
    basis: str
    reason: str | None
    pos: Pos


@lru_cache(maxsize=4096)
def figure_key(subject: str) -> str | None:
    """The key figure a sentence's subject names: 基本支出, 公务接待费, “三公”经费合计 …
    (subjects repeat from year to year: each is read once)."""
    item = three_public_item(subject)
    if item or "购置及运行" in subject:
        return item
    return next((key for word, key in FIGURE_WORDS if word in subject), None)


def stated_figures(doc: Document, figures: dict[str, Figure]) -> dict[str, StatedFigure]:
    """Key figures whose change the prose states; the first statement that agrees wins."""
    found: dict[str, StatedFigure] = {}
    for st in statements(doc):
        key = figure_key(st.subject)
        figure = figures.get(key) if key else None
        if figure is None or key in found or st.direction is None \
                or {st.unit, figure.unit} - set(UNIT_FACTORS):
            continue
        amount = st.amount if st.amount is not None else (
            figure.amount if figure.unit == st.unit else None)
        change = Decimal(0) if st.direction == 0 else st.change
        if amount is None or change is None \
                or to_unit(figure.amount, figure.unit, st.unit, amount) != amount:
            continue
        found[key] = StatedFigure(key, amount, amount - st.direction * change, st.unit,
                                  st.basis or "上年预算", st.reason, st.pos)
    return found
