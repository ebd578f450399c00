"""Prose against itself and last year: the arithmetic of a stated change (audit_prose's part).

    一般公共预算 294.06 万元，比上年预算增加 13.83 万元，增长 4.94%

is checked on its own figures (this year − change = last year; the rate is change / last year;
no decrease below zero), and, when the basis is 上年预算 and last year's document is present,
against that document. A basis of 上年执行数 is compared with the stated 执行数 only. The
changes stated in `facts` (“三公”, 机关运行经费) are checked against last year's `facts`.
"""

from __future__ import annotations

from decimal import Decimal

from .findings import ERROR, WARNING, Finding, Place, fmt, grade_percent, half_unit, to_unit
from .model import Document, Pos
from .rules import Value, resolve
from .statements import Statement

HUNDRED = Decimal(100)


def statement_finding(doc, rule, severity, kind, st: Statement, message, published=None, computed=None,
                      extra: tuple[Place, ...] = ()) -> Finding:
    """A finding about a statement, placed at its first figure (then at the `extra` places)."""
    diff = published - computed if published is not None and computed is not None else None
    unit = "%" if rule in PERCENT_RULES else st.unit
    return Finding(rule, severity, kind, f"{st.section}：{st.subject}", message, doc.path,
                   (Place(st.pos), *extra), published, computed, diff, unit)


PERCENT_RULES = frozenset({"prose-share", "prose-rate", "prose-zero-base"})  # figures in %


def facts_last_year(doc: Document, previous: Document) -> list[Finding]:
    """facts' stated changes (“三公”, 机关运行经费) = this year's figure − last year's document's."""
    out = []
    pairs = [("“三公”经费", doc.facts.three_public, previous.facts.three_public, "total", "change"),
             ("机关运行经费", doc.facts, previous.facts, "operating_costs", "operating_costs_change")]
    for label, now, before, figure, change in pairs:
        stated = getattr(now, change, None) if now is not None else None
        if stated is None or before is None or getattr(before, figure) is None:
            continue
        actual = getattr(now, figure) - getattr(before, figure)
        if actual != stated:
            pos = getattr(now, "pos", None) or Pos(doc.path, 1, 1)
            message = (f"facts 的{label}比上年增减写作 {fmt(stated)} 万元，但本年 {fmt(getattr(now, figure))}"
                       f" − {previous.year} 年文件 {fmt(getattr(before, figure))} = {fmt(actual)}。")
            out.append(Finding("facts-last-year", ERROR, "content", label, message, doc.path,
                               (Place(pos),), stated, actual, stated - actual, "万元"))
    return out


def growth(doc, st: Statement, target: Value | None) -> list[Finding]:
    """The statement's own arithmetic: direction, rate, zero or negative base."""
    if st.direction is None:
        return []
    current = st.amount if st.amount is not None else \
        to_unit(target.amount, target.unit, st.unit) if target and target.amount is not None else None
    if st.basis == "执行数" and st.executed is not None and current is not None:
        return _rate_check(doc, st, current - st.executed, st.executed, "上年执行数")
    if current is None or (st.change is None and st.direction != 0):
        return []
    change = (st.change or Decimal(0)) * st.direction
    last = current - change
    if last < 0:
        message = (f"{st.section}：“{st.subject}”本年 {fmt(current)} {st.unit}，却说比上年"
                   f"{'增加' if change > 0 else '减少'} {fmt(st.change)} {st.unit}，上年数应为 "
                   f"{fmt(last)}（负数），不可能。")
        return [statement_finding(doc, "prose-negative-base", ERROR, "content", st, message, change, current)]
    return _rate_check(doc, st, change, last, "上年数")


def _rate_check(doc, st: Statement, change: Decimal, last: Decimal, basis: str) -> list[Finding]:
    out = []
    sign = (change > 0) - (change < 0)
    if st.basis == "执行数" and st.direction is not None and st.direction != sign:
        words = {1: "增加", -1: "减少", 0: "持平"}
        message = (f"{st.section}：“{st.subject}”写“{words[st.direction]}”，但{basis} {fmt(last)}、"
                   f"本年 {fmt(last + change)} {st.unit}，实际是{words[sign]}。")
        out.append(statement_finding(doc, "prose-direction", ERROR, "content", st, message))
    if st.rate is None:
        return out
    stated = st.rate * (st.rate_direction if st.rate_direction is not None else 1)
    if last == 0:
        if stated != 0 or change != 0:
            message = (f"{st.section}：“{st.subject}”写“{'增长' if stated >= 0 else '下降'} "
                       f"{fmt(st.rate)}%”，但{basis}为 0，增长率无从计算（应只写增减金额）。")
            out.append(statement_finding(doc, "prose-zero-base", WARNING, "content", st, message, stated))
        return out
    exact = change / last * HUNDRED
    graded = grade_percent(stated, exact)
    if graded:
        message = (f"{st.section}：“{st.subject}”写变动 {fmt(stated)}%，按 {fmt(change)} ÷ "
                   f"{basis} {fmt(last)} 计算为 {exact.quantize(Decimal('0.0001'))}%。")
        out.append(statement_finding(doc, "prose-rate", *graded, st, message, stated, exact))
    return out


def last_year(doc, previous: Document, st: Statement, target: Value | None, ref: str) -> list[Finding]:
    """“比上年预算增加 C” against last year's document: this year − C = last year's figure."""
    if st.basis_year is not None and st.basis_year != doc.year - 1:
        return []
    before = resolve(previous, ref)
    current = st.amount if st.amount is not None else \
        to_unit(target.amount, target.unit, st.unit) if target and target.amount is not None else None
    if before is None or current is None:
        return []
    implied = current - (st.change or Decimal(0)) * st.direction
    actual = to_unit(before.amount or Decimal(0), before.unit, st.unit)
    off = abs(implied - actual)
    if off <= half_unit(current) + half_unit(st.change or current):
        return []
    message = (f"{st.section}：“{st.subject}”按正文推算上年预算为 {fmt(implied)} {st.unit}，"
               f"但 {previous.year} 年文件 {before.label} 为 {fmt(before.amount)} {before.unit}。")
    place = Place(before.place.pos, before.place.table, before.place.side, before.place.row,
                  before.place.column)
    return [statement_finding(doc, "prose-last-year", ERROR, "content", st, message, implied, actual, (place,))]
