"""Completeness and the figures held in `facts`.

- required prose sections (profile rule `sections`) are present;
- a table whose note says it is empty carries no figures;
- the publication date suits the year, and is within 20 days of approval (预算法 第十四条);
- performance-table weights sum alike (to the profile's `weights` total, or to the usual sum);
- facts add up (“三公” = 出国 + 接待 + 车辆, 车辆 = 购置 + 运行, 政府采购 = 货物 + 工程 + 服务,
  project allocations = the project's amount) and each fact is stated in the prose.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from .audit_tables import compare
from .findings import ERROR, WARNING, Finding, Place
from .model import Document, Pos, Settings
from .rules import Value, squash, squash_text

PUBLISH_DAYS = 20
_NOT_NUMBER = re.compile(r"[^\d.]")


def audit_completeness(doc: Document, settings: Settings | None) -> list[Finding]:
    """Findings about what `doc` lacks or contradicts in its own parts."""
    return [f for f in (*_sections(doc), *_empty_notes(doc), *_dates(doc), *_weights(doc),
                        *_facts(doc, settings), *_facts_in_prose(doc), *_funds(doc, settings)) if f]


def _funds(doc: Document, settings) -> list[Finding | None]:
    """绩效目标表 funds: a total label = the labels after it (rule `funds`)."""
    out: list[Finding | None] = []
    tables = [t for t in (doc.performance.overall, *doc.performance.projects) if t]
    for rule in (r for r in doc.profile.checks if r["rule"] == "funds"):
        for t in tables:
            labels = [squash(f.label) for f in t.funds]
            if squash(rule["total"]) not in labels:
                continue
            start = labels.index(squash(rule["total"]))
            parts = [_fund(doc, t, labels.index(squash(p), start + 1)) for p in rule["of"]
                     if squash(p) in labels[start + 1:]]
            out.append(compare(doc, "funds", f"绩效目标表“{t.name or t.title}”的{rule['total']}",
                               _fund(doc, t, start), parts, settings, "、".join(rule["of"]) + " 之和"))
    return out


def _fund(doc: Document, table, index: int) -> Value:
    item = table.funds[index]
    return Value(item.amount, table.funds_unit, Place(_here(doc, table.pos)),
                 f"“{table.name or table.title}” {item.label}")


def _here(doc: Document, pos: Pos | None = None) -> Pos:
    return pos or Pos(doc.path, 1, 1)


def _sections(doc: Document) -> list[Finding]:
    text = squash_text(" ".join(f"{s.title}\n{s.body}" for s in doc.sections))
    out = []
    for rule in (r for r in doc.profile.checks if r["rule"] == "sections"):
        for phrase in rule["required"]:
            if squash(phrase) not in text:
                out.append(Finding("section-missing", ERROR, "completeness", phrase,
                                   f"缺少必备的说明部分“{phrase}”（表样模板 {doc.profile.id} 要求）。",
                                   doc.path, (Place(_here(doc)),)))
    return out


def _empty_notes(doc: Document) -> list[Finding]:
    out = []
    for table in doc.tables.values():
        if table.is_empty and not table.note:
            out.append(Finding("empty-table-note", WARNING, "completeness", table.spec.label,
                               f"{table.spec.label} 没有任何数字，但没有 note 说明为什么是空表"
                               "（公开规定要求说明）。", doc.path, (Place(table.pos, table.spec.label),)))
        if table.note and "空表" in table.note and not table.is_empty:
            out.append(Finding("empty-note-with-data", WARNING, "content", table.spec.label,
                               f"{table.spec.label} 的注说“{table.note}”，但表里有数字。",
                               doc.path, (Place(table.pos, table.spec.label),)))
    return out


def _dates(doc: Document) -> list[Finding]:
    meta, out = doc.meta, []
    if meta.published is not None:
        year = doc.year if doc.kind == "预算" else doc.year + 1
        earliest = dt.date(year - 1, 12, 1) if doc.kind == "预算" else dt.date(year, 1, 1)
        if not earliest <= meta.published <= dt.date(year, 12, 31):
            out.append(Finding("publish-year", WARNING, "sanity", "公开日期",
                               f"公开日期 {meta.published} 与 {doc.year} 年{doc.kind}不相称"
                               f"（通常在 {year} 年内公开）。", doc.path, (Place(_here(doc)),)))
    if meta.published and meta.approved:
        days = (meta.published - meta.approved).days
        if days < 0 or days > PUBLISH_DAYS:
            why = "早于批复日期" if days < 0 else f"批复后第 {days} 天才公开，超过 {PUBLISH_DAYS} 天"
            out.append(Finding("publish-late", WARNING, "completeness", "公开时限",
                               f"公开日期 {meta.published}、批复日期 {meta.approved}：{why}"
                               "（预算法第十四条：批复后二十日内公开）。", doc.path, (Place(_here(doc)),)))
    return out


def _weights(doc: Document) -> list[Finding]:
    tables = [t for t in (doc.performance.overall, *doc.performance.projects) if t and t.weight_column]
    sums = []
    for t in tables:
        try:
            sums.append(sum((Decimal(_NOT_NUMBER.sub("", i.get(t.weight_column, "")) or "0")
                             for i in t.indicators), Decimal(0)))
        except InvalidOperation:
            sums.append(None)
    expected = next((Decimal(str(r["total"])) for r in doc.profile.checks if r["rule"] == "weights"), None)
    usual = Counter(s for s in sums if s is not None).most_common(1)
    target = expected if expected is not None else usual[0][0] if usual else None
    out = []
    for t, total in zip(tables, sums, strict=False):
        if total is not None and target is not None and total != target:
            out.append(Finding("weights", WARNING, "sanity", t.name or t.title,
                               f"绩效目标表“{t.name or t.title}”的{t.weight_column}合计 {total}，"
                               f"{'模板要求' if expected is not None else '本文件其他表为'} {target}。",
                               doc.path, (Place(_here(doc, t.pos)),), total, target, total - target))
    return out


def _fact(value: Decimal | None, pos: Pos | None, doc: Document, label: str) -> Value:
    return Value(value, "万元", Place(_here(doc, pos)), label)


def _facts(doc: Document, settings) -> list[Finding | None]:
    f, out = doc.facts, []
    tp = f.three_public
    if tp is not None:
        v = lambda x, label: _fact(x, tp.pos, doc, f"“三公”经费{label}")  # noqa: E731
        vehicle_parts = [v(tp.vehicle_purchase, "购置费"), v(tp.vehicle_operation, "运行费")]
        has_parts = tp.vehicle_purchase is not None or tp.vehicle_operation is not None
        if tp.vehicles is not None and has_parts:
            out.append(compare(doc, "facts-sum", "“三公”经费 公务用车购置及运行费",
                               v(tp.vehicles, "公务用车购置及运行费"), vehicle_parts, settings))
        parts = [v(tp.outbound, "因公出国（境）费"), v(tp.reception, "公务接待费")]
        parts += [v(tp.vehicles, "公务用车购置及运行费")] if tp.vehicles is not None else vehicle_parts
        out.append(compare(doc, "facts-sum", "“三公”经费合计", v(tp.total, "合计"), parts, settings))
    pr = f.procurement
    if pr is not None and any(x is not None for x in (pr.goods, pr.works, pr.services)):
        parts = [_fact(x, pr.pos, doc, n) for x, n in ((pr.goods, "货物"), (pr.works, "工程"),
                                                        (pr.services, "服务"))]
        out.append(compare(doc, "facts-sum", "政府采购预算", _fact(pr.total, pr.pos, doc, "政府采购"),
                           parts, settings, precise=True))
    for project in f.projects:
        for label, items in (("资金分配情况", [a.amount for a in project.allocations]),
                             ("分季度用款计划", list(project.quarterly))):
            if items and project.amount is not None:
                parts = [_fact(x, project.pos, doc, label) for x in items]
                out.append(compare(doc, "facts-sum", f"项目“{project.name}”的{label}",
                                   _fact(project.amount, project.pos, doc, "预算安排规模"), parts,
                                   settings, f"{label}之和", precise=True))
    return out


def _facts_in_prose(doc: Document) -> list[Finding]:
    """Each figure in facts is also written in the prose (facts hold what the text states)."""
    f = doc.facts
    checks = [(f.three_public, ("total", "outbound", "reception", "vehicles", "vehicle_purchase",
                                "vehicle_operation")),
              (f.procurement, ("total", "goods", "works", "services", "sme_reserved",
                               "small_micro_reserved"))]
    figures = [(obj, name, value) for obj, names in checks if obj is not None for name in names
               if (value := getattr(obj, name)) is not None]
    if not figures and f.operating_costs is None:
        return []  # nothing to look for in the prose
    stated = stated_amounts(doc)
    if not stated:
        return []
    out = [Finding("facts-prose", WARNING, "content", name,
                   f"facts 的 {type(obj).__name__}.{name} = {value}，正文里找不到这个金额"
                   "（facts 应与正文一致）。", doc.path, (Place(_here(doc, obj.pos)),))
           for obj, name, value in figures if value not in stated]
    if f.operating_costs is not None and f.operating_costs not in stated:
        out.append(Finding("facts-prose", WARNING, "content", "operating_costs",
                           f"facts 的 operating_costs = {f.operating_costs}，正文里找不到这个金额。",
                           doc.path, (Place(_here(doc)),)))
    return out


def stated_amounts(doc: Document) -> set[Decimal]:
    """Every amount the prose writes in 万元 (spaces and thousands commas ignored)."""
    text = "".join(" ".join(s.body for s in doc.sections).split()).replace(",", "")
    # The numbers of (\d+(?:\.\d+)?)万元, each read backwards from its 万元: a search for a
    # pattern that starts with \d would try every character of the text.
    return {Decimal(number[::-1]) for number in set(_AMOUNT_BACKWARDS.findall(text[::-1]))}


_AMOUNT_BACKWARDS = re.compile(r"元万((?:\d+\.)?\d+)")  # (\d+(?:\.\d+)?)万元 written backwards
