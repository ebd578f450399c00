"""Prose against tables: amounts, shares and growth stated in the text, and last year's document.

Which figure a sentence speaks of is declared per section in the profile:

    - rule: prose
      section: 收入预算情况说明          # part of the section title
      terms: {一般公共预算: 表2/总计/一般公共预算, 单位资金: 表2/总计/单位资金}
      lines: 表5/合计                    # "…（类）…（款）…（项）" and line names: that table's rows
      share_of: 表2/总计/总计            # the denominator of "占 Y%"

Growth is checked against the statement's own figures and last year's document (audit_growth.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from .audit_growth import HUNDRED, facts_last_year, growth, last_year, statement_finding
from .findings import ERROR, WARNING, Finding, fmt, grade_percent, half_unit, to_unit
from .memo import ObjectCache
from .model import Document, Row, Settings, Table
from .rule_validation import terms_of
from .rules import Value, norm_code, resolve, row_label, squash, table_rows
from .statements import Statement, parse_section


def audit_prose(doc: Document, previous: Document | None, settings: Settings | None) -> list[Finding]:
    """Findings of every statement in every section of `doc`."""
    out: list[Finding] = []
    located = _LOCATED.get(doc, _no_statements)
    for section in doc.sections:
        rules = section_rules(doc, section.title)
        for st in parse_section(section):
            found = located[id(st)] = (st, _locate(doc, st, rules))  # for audit_text's `locate`
            out += _check_statement(doc, previous, st, rules, found[1])
    return out + (facts_last_year(doc, previous) if previous else [])


def statements_of(doc: Document) -> list[Statement]:
    return [st for section in doc.sections for st in parse_section(section)]


@dataclass(frozen=True)
class SectionRules:
    """What the `prose` rules of a section say: its lines table, share denominator and terms."""

    lines: str | None = None  # the first rule's `lines`, e.g. 表5/合计
    share_of: str | None = None
    terms: tuple[tuple[str, str], ...] = ()  # (term unquoted, its reference), later rules' refs winning


def section_rules(doc: Document, title: str) -> SectionRules:
    """What the `prose` rules of `doc`'s profile say of the section titled `title`."""
    prose = _PROSE.get(doc.profile, _prose_rules)
    flat = squash(title)  # titles differ per document; the rules that apply are a few sets
    applying = tuple(n for n, (words, _) in enumerate(prose) if any(w in flat for w in words))
    return _RULES.get(doc.profile, lambda p: _section_rules([prose[n][1] for n in applying]), applying)


def _prose_rules(profile) -> list[tuple[tuple[str, ...], dict]]:
    """The profile's `prose` rules in order, each with its squashed `section` words."""
    return [(tuple(squash(w) for w in (r["section"] if isinstance(r["section"], tuple) else (r["section"],))), r)
            for r in profile.checks if r["rule"] == "prose"]


def _section_rules(rules: list) -> SectionRules:
    terms = {t: ref for r in rules for t, ref in terms_of(r).items()}
    return SectionRules(next((r["lines"] for r in rules if "lines" in r), None),
                        next((r["share_of"] for r in rules if "share_of" in r), None),
                        tuple((_unquoted(t), ref) for t, ref in terms.items()))


_PROSE: ObjectCache = ObjectCache(64)  # per profile
_RULES: ObjectCache = ObjectCache(4096)  # per profile and the indexes of the rules that apply


def _check_statement(doc, previous, st: Statement, rules: SectionRules, located) -> list[Finding]:
    out: list[Finding] = []
    target, ref, note = located
    if note:
        out.append(statement_finding(doc, "prose-path", WARNING, "sanity", st, f"{st.section}：{note}",
                                     extra=(target.place,) if target else ()))
    if target is not None and st.amount is not None:
        out += _amount(doc, st, target, st.amount, "prose-amount")
    if target is not None and st.arranged is not None and st.arranged != st.amount:
        out += _amount(doc, st, target, st.arranged, "prose-restated")
    if st.share is not None and rules.share_of is not None:
        out += _share(doc, st, rules.share_of, target)
    out += growth(doc, st, target)
    if previous is not None and ref and st.basis == "上年预算" and st.direction is not None:
        out += last_year(doc, previous, st, target, ref)
    return out


def locate(doc: Document, st: Statement, rules: SectionRules) -> tuple[Value | None, str | None, str | None]:
    """The table figure a statement speaks of, the reference used, and a note on names.

    Worked out once per statement of a document (`rules` are its section's): the prose and
    text audits both ask.
    """
    located = _LOCATED.get(doc, _no_statements)
    found = located.get(id(st))
    if found is None or found[0] is not st:  # the entry keeps `st`, so its id is not reused
        found = located[id(st)] = (st, _locate(doc, st, rules))
    return found[1]


def _no_statements(doc: Document) -> dict:
    return {}


_LOCATED: ObjectCache[Document, dict[int, tuple]] = ObjectCache(256)
_NOWHERE = (None, None, None)


def _locate(doc: Document, st: Statement, rules: SectionRules) -> tuple[Value | None, str | None, str | None]:
    lines = rules.lines
    if st.path and lines:
        return _by_path(doc, lines, st.path)
    subject = _unquoted(st.subject)
    best = None  # the longest term in the subject (the first of equally long ones)
    for term, ref in rules.terms:
        if term in subject and (best is None or len(term) > len(best[0])):
            best = term, ref
    if best is not None:
        return resolve(doc, best[1]), best[1], None
    if lines and subject:
        table, column = lines.split("/")
        ref = f"{table}/{st.subject}/{column}"
        value = resolve(doc, ref)
        return (value, ref, None) if value else _NOWHERE
    return _NOWHERE


@functools.lru_cache(maxsize=65536)
def _unquoted(text: str) -> str:
    return squash(text).translate(_QUOTES)


_QUOTES = {ord(c): None for c in "“”\"'‘’"}


class _PathIndex:
    """A table's coded rows indexed by their squashed 类/款/项 name chain and by name."""

    def __init__(self, table: Table) -> None:
        # (side, index, row, code, squashed name) of each coded row
        self.rows = [x for rows in table_rows(table).values() for x in rows if x[2].code]
        self.names = {x[3]: x[2].name for x in self.rows}
        self.chains: dict[str, tuple[str, ...]] = {}  # code -> squashed names of chain_names
        self.by_chain: dict[tuple[str, ...], tuple] = {}
        self.by_name: dict[str, tuple] = {}
        for x in self.rows:  # the first row wins, as in a scan in table order
            self.by_chain.setdefault(self._chain(x[3]), x)
            self.by_name.setdefault(x[4], x)

    def _chain(self, code: str) -> tuple[str, ...]:
        """The squashed `chain_names` of a row coded `code`, from its parent's (kept per code)."""
        chain = self.chains.get(code)
        if chain is None:
            parent = code.rpartition(" ")[0]
            chain = self.chains[code] = (self._chain(parent) if parent else ()) + \
                (squash(self.names.get(code, "")),)
        return chain

    def chain_names(self, row: Row) -> list[str]:
        """The published names of the row's ancestors and its own, 类 first."""
        segs = norm_code(row.code).split()
        return [self.names.get(" ".join(segs[:n + 1]), "") for n in range(len(segs))]


_INDEXES: ObjectCache[Table, _PathIndex] = ObjectCache(256)


def _path_index(table: Table) -> _PathIndex:
    """The index of `table`, built once per Table object (tables are frozen)."""
    return _INDEXES.get(table, _PathIndex)


def _by_path(doc: Document, lines: str, path: tuple[str, ...]):
    label, column = lines.split("/")
    table = doc.table(label)
    if table is None:
        return None, None, None
    index = _path_index(table)
    wanted = tuple(squash(p) for p in path)
    exact = index.by_chain.get(wanted)
    found = exact or index.by_name.get(wanted[-1])
    if not found:
        note = f"正文的科目“{'／'.join(path)}”在 {label} 里找不到。"
        return None, None, note
    _, _, row, code, _ = found
    ref = f"{label}/{code}/{column}"
    if exact:
        return resolve(doc, ref), ref, None
    published = "／".join(index.chain_names(row))
    note = (f"正文写作“{'／'.join(path)}”，{label} 里 {code} 的层级名称是"
            f"“{published}”。")
    return resolve(doc, ref), ref, note


def _amount(doc, st: Statement, target: Value, stated: Decimal, rule: str) -> list[Finding]:
    """A stated amount against the table figure (converted to the stated unit)."""
    exact = to_unit(target.amount or Decimal(0), target.unit, st.unit)
    off = abs(stated - exact)
    if off == 0 or (off <= half_unit(stated) and target.unit != st.unit):
        return []
    unit_hint = "数量级相差一万倍，疑似把“元”和“万元”写混了。" if _ten_thousand(stated, exact) else ""
    severity, kind = (WARNING, "rounding") if off <= 2 * half_unit(stated) and not unit_hint else \
        (ERROR, "sanity" if unit_hint else "content")
    what = "正文重述的金额" if rule == "prose-restated" else "正文金额"
    message = (f"{st.section}：{what}“{st.subject}”{fmt(stated)} {st.unit}，{target.label} 为 "
               f"{fmt(target.amount)} {target.unit}（差 {fmt(stated - exact)} {st.unit}）。{unit_hint}")
    return [statement_finding(doc, rule, severity, kind, st, message, stated, exact, (target.place,))]


def _ten_thousand(stated: Decimal, exact: Decimal) -> bool:
    """Whether the figures differ by a factor of 10 000 (元 written for 万元 or the reverse)."""
    if not exact or not stated:
        return False
    small, large = sorted((stated, exact), key=abs)
    return abs(small * 10000 - large) <= 10000 * half_unit(small) + half_unit(large)


def _share(doc, st: Statement, ref: str, target: Value | None) -> list[Finding]:
    """A stated share 占 Y% against the table figures (`ref` the whole)."""
    whole = resolve(doc, ref)
    part = to_unit(target.amount or Decimal(0), target.unit, "元") if target else \
        to_unit(st.amount, st.unit, "元") if st.amount is not None else None
    if whole is None or not whole.amount or part is None:
        return []
    exact = part / to_unit(whole.amount, whole.unit, "元") * HUNDRED
    graded = grade_percent(st.share, exact)
    if graded is None:
        return []
    ratio = f"{target.label} ÷ {whole.label}" if target else whole.label
    message = (f"{st.section}：“{st.subject}”占 {fmt(st.share)}%，按表计算为 "
               f"{exact.quantize(Decimal('0.0001'))}%（{ratio}）。")
    return [statement_finding(doc, "prose-share", *graded, st, message, st.share, exact, (whole.place,))]


__all__ = ["audit_prose", "locate", "statements_of", "row_label"]
