"""Read the formulaic sentences of the prose into statements.

    一般公共预算 294.06 万元，占 97.97%，比上年预算增加 13.83 万元，增长 4.94%，主要原因是……
    “…（类）…（款）…（项）”25.77万元，主要用于……。2023年当年预算执行数为60.13万元，
    2024年预算安排25.77万元，比2023年预算执行数减少57.14%。主要原因是：……

Each statement keeps its subject (or 类/款/项 path), the figures as written (万元), the
comparison basis (上年预算 or 上年执行数), the reason and purpose texts, and the file line of
its first figure. Spaces are ignored (PDF text often has "294.06 万元").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import memo
from .model import Pos, Section
from .paragraphs import paragraphs

NUM = r"\d[\d,]*(?:\.\d+)?"
AMOUNT = re.compile(rf"({NUM})(万元|亿元|元)")
PATH = re.compile(r"([^（）“”\"、：:，。]+?)（类）(?:([^（）“”\"]+?)（款）)?(?:([^（）“”\"]+?)（项）)?")
CHANGE = re.compile(rf"^(.*?)比(上年预算执行数|上年执行数|上年预算|上年|\d{{4}}年(?:当年)?预算执行数|"
                    rf"\d{{4}}年预算|\d{{4}}年)(增加|减少|增长|下降|持平)(?:({NUM})(万元|元|%))?")
PLAIN_CHANGE = re.compile(rf"^(.+?)(增加|减少)({NUM})(万元|元)$")
RATE = re.compile(rf"^(增长|下降|增加|减少)({NUM})%")
SHARE = re.compile(rf"占[^0-9%]{{0,12}}?({NUM})%")
EXECUTED = re.compile(rf"(\d{{4}})年(?:当年)?预算执行数为({NUM})(万元|元)")
ARRANGED = re.compile(rf"(\d{{4}})年(?:预算安排|预算数为)({NUM})(万元|元)")
REASON = re.compile(r"主要原因(?:是|为)?[:：]?")
PURPOSE = re.compile(r"主要用于")
LEADING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）][、.．]?|[一二三四五六七八九十\d]+[、.．])?"
                     r"(?:其中|包括)?[:：]?")
_CLAUSE_END = re.compile(r"([，；;。]|,(?!\d{3}))")  # not the comma in 18,976.76
_SUBJECT_TAIL = re.compile(r"(预算数为|预算数|为|科目)$")
DIRECTION = {"增加": 1, "增长": 1, "减少": -1, "下降": -1, "持平": 0}


@dataclass(frozen=True)
class Statement:
    """One subject's figures as the prose states them (amounts in the stated unit)."""

    section: str
    subject: str
    pos: Pos
    path: tuple[str, ...] = ()
    amount: Decimal | None = None
    unit: str = "万元"
    share: Decimal | None = None
    direction: int | None = None  # +1 增加, -1 减少, 0 持平
    change: Decimal | None = None  # as written (no sign)
    rate: Decimal | None = None  # as written (no sign)
    rate_direction: int | None = None
    basis: str = ""  # 上年预算 | 执行数
    basis_year: int | None = None
    executed: Decimal | None = None  # 上年执行数 as stated
    arranged: Decimal | None = None  # "YYYY年预算安排 X 万元" restating the amount
    arranged_year: int | None = None
    reason: str | None = None
    purpose: str | None = None
    text: str = ""  # the whole paragraph


def _replace(st: Statement, **changes) -> Statement:
    """`dataclasses.replace` without its checks (every caller names real fields): it was hot."""
    new = object.__new__(Statement)
    new.__dict__.update(st.__dict__, **changes)
    return new


def _new(section: str, subject: str, pos, path: tuple[str, ...] = (), **fields) -> Statement:
    """`Statement(…)` without the frozen dataclass's setattr per field (also hot)."""
    return _replace(_BLANK, section=section, subject=subject, pos=pos, path=path, **fields)


_BLANK = Statement("", "", Pos("", 0, 0))


def parse_section(section: Section) -> list[Statement]:
    """All statements of one prose section, in order."""
    return list(_parse_section(section))


@memo.forgettable
@functools.lru_cache(maxsize=4096)
def _parse_section(section: Section) -> tuple[Statement, ...]:
    # Sections are frozen, so several audits and the comparison share one parse.
    statements: list[Statement] = []
    title = section.title
    for text, places in paragraphs(section):
        found, orphan = _parse_text(text)
        if orphan and not found:  # "……减少的主要原因是项目调整。" explains what came before
            statements = [_replace(s, reason=orphan) if s.reason is None and s.direction
                          else s for s in statements]
        statements += [_replace(s, section=title, pos=places[s.pos]) for s in found]
    return tuple(statements)


@memo.forgettable
@functools.lru_cache(maxsize=8192)
def _parse_text(text: str) -> tuple[tuple[Statement, ...], str | None]:
    """A paragraph's statements, each `pos` the index of its character in `text`, no section.

    The parse depends on the words only, so a paragraph repeated in other years or documents
    (“收入预算包括：……”, a sentence unchanged from last year) is read once; `_parse_section`
    gives the statements their section title and file position.
    """
    if not ("元" in text or "%" in text or "比" in text or "主要原因" in text):
        return (), None  # no amount, share, change or reason: nothing `_useful`, no orphan
    found, orphan = _parse_paragraph("", text, range(len(text)))
    return tuple(found), orphan


def _clauses(text: str):
    """(start, clause, end-of-sentence char) for each clause split at ，；。"""
    start = 0
    bits = _CLAUSE_END.split(text + "。")  # clause, its end, clause, its end, …, ""
    for n in range(0, len(bits) - 1, 2):
        clause, end = bits[n], bits[n + 1]
        pieces = clause.split("、") if "、" in clause else ()
        if len(pieces) > 1 and sum(bool(_has_amount(p)) for p in pieces) > 1:  # "货物 93.98 万元、工程 815.87 万元"
            offset = start
            for i, piece in enumerate(pieces):
                yield offset, piece, end if i == len(pieces) - 1 else "，"
                offset += len(piece) + 1
        else:
            yield start, clause, end
        start += len(clause) + len(end)


def _parse_paragraph(title: str, text: str, places: Sequence):
    found: list[Statement] = []
    current: Statement | None = None
    orphan = None
    reason_into: list[str] | None = None
    purpose_into: list[str] | None = None
    for start, clause, end in _clauses(text):
        if reason_into is not None or purpose_into is not None:
            target = reason_into if reason_into is not None else purpose_into
            target.append(clause)
            if end in "；;。":
                current, orphan = _close(found, current, reason_into, purpose_into, orphan)
                reason_into = purpose_into = None
            continue
        if not clause:
            continue
        pos = places[min(start, len(places) - 1)]
        if "主要原因" in clause and (m := REASON.search(clause)) is not None:
            reason_into = [clause[m.end():]]
            if clause[:m.start()].endswith("的"):  # "……减少的主要原因是……": for all before it
                current = None
            if current is None:
                current = _new(title, clause[:m.start()], pos, text=text)
            if end in "；;。":
                current, orphan = _close(found, current, reason_into, None, orphan)
                reason_into = None
            continue
        if "主要用于" in clause and (m := PURPOSE.search(clause)) is not None and current is not None:
            purpose_into = [clause[m.end():]]
            if end in "；;。":
                current, orphan = _close(found, current, None, purpose_into, orphan)
                purpose_into = None
            continue
        current = _clause(title, clause, pos, places, start, current, found, text)
    if current is not None and current not in found:
        found.append(current)
    return [s for s in found if _useful(s)], orphan


def _close(found, current, reason, purpose, orphan):
    text = "，".join(reason or purpose or []).strip("：: ")
    if current is None or (not _useful(current) and reason is not None):
        if reason is not None:
            found[:] = [_replace(s, reason=text) if s.reason is None and s.direction else s
                        for s in found]
        return None, text if reason is not None else orphan
    updated = _replace(current, reason=text) if reason is not None else _replace(current, purpose=text)
    if current in found:
        found[found.index(current)] = updated
    return updated, orphan


def _useful(s: Statement) -> bool:
    return s.amount is not None or s.direction is not None or s.share is not None \
        or s.executed is not None


def _clause(title, clause, pos, places, start, current, found, text):
    """Update or start a statement from one clause."""
    # Each pattern is tried only if the words it cannot match without are there (the
    # patterns start with groups, so a failing search tries every position of the clause).
    path_match = PATH.search(clause) if "（类）" in clause else None
    if path_match and not _change_match(clause) and not _plain_change(clause):
        rest = clause[path_match.end():]
        if not AMOUNT.search(clause[:path_match.start()]):
            current = _new(title, _subject(clause[:path_match.end()]), pos,
                                _path(clause[:path_match.end()]), text=text)
            found.append(current)
            offset = start + path_match.end()
            return _clause(title, rest, places[min(offset, len(places) - 1)],
                           places, offset, current, found, text) if rest.strip("：:“”\"") else current
    if "预算执行数为" in clause and (m := EXECUTED.search(clause)) and current is not None:
        return _swap(found, current, _replace(current, executed=_num(m.group(2)),
                                             basis_year=int(m.group(1))))
    if "年预算" in clause and (m := ARRANGED.search(clause)) and current is not None:
        if current.amount is None:
            return _swap(found, current, _replace(current, amount=_num(m.group(2)), unit=m.group(3),
                                                 pos=places[start + m.start(2)],
                                                 arranged_year=int(m.group(1))))
        return _swap(found, current, _replace(current, arranged=_num(m.group(2)),
                                             arranged_year=int(m.group(1))))
    if (m := _change_match(clause)):
        return _change(title, m, pos, current, found, text)
    if "%" in clause and current is not None and (m := RATE.match(LEADING.sub("", clause))):
        return _swap(found, current, _replace(current, rate=_num(m.group(2)),
                                             rate_direction=DIRECTION[m.group(1)]))
    if "占" in clause and (m := SHARE.search(clause)) and current is not None and not _has_amount(clause):
        return _swap(found, current, _replace(current, share=_num(m.group(1))))
    if (m := _plain_change(clause)):
        basis = next((s.basis for s in reversed(found) if s.basis), "上年预算")
        new = _new(title, _subject(m.group(1)), pos, _path(m.group(1)), basis=basis,
                        direction=DIRECTION[m.group(2)], change=_num(m.group(3)), text=text)
        found.append(new)
        return new
    if (m := _has_amount(clause)):
        return _amount(title, clause, m, places, start, current, found, text)
    return current


def _has_amount(clause: str):
    return AMOUNT.search(clause) if "元" in clause else None


def _change_match(clause: str):
    return CHANGE.match(clause) if "比" in clause else None


def _plain_change(clause: str):
    """PLAIN_CHANGE on the clause without its leading number (which holds no 元, 增加 or 减少)."""
    if "元" in clause and ("增加" in clause or "减少" in clause):
        return PLAIN_CHANGE.match(LEADING.sub("", clause))
    return None


def _amount(title, clause, m, places, start, current, found, text):
    before = clause[:m.start()]
    subject = _subject(before)
    pos = places[start + m.start()]
    if not subject and current is not None and current.amount is None:
        return _swap(found, current, _replace(current, amount=_num(m.group(1)), unit=m.group(2), pos=pos))
    new = _new(title, subject, pos, _path(before), amount=_num(m.group(1)), unit=m.group(2),
                    text=text)
    if "占" in clause and (s := SHARE.search(clause[m.end():])):
        new = _replace(new, share=_num(s.group(1)))
    found.append(new)
    return new


def _change(title, m, pos, current, found, text):
    subject, basis, word, number, unit = m.groups()
    fields = {"direction": DIRECTION[word], "basis": "执行数" if "执行数" in basis else "上年预算",
              "basis_year": int(basis[:4]) if basis[:4].isdigit() else None}
    if number is not None and unit == "%":
        fields |= {"rate": _num(number), "rate_direction": DIRECTION[word]}
    elif number is not None:
        fields |= {"change": _num(number)}
    if _subject(subject) and (current is None or current.direction is not None
                              or not _same_subject(current, subject)):
        new = _new(title, _subject(subject), pos, _path(subject), text=text, **fields)
        found.append(new)
        return new
    if current is None:
        return None
    return _swap(found, current, _replace(current, **fields))


def _same_subject(current: Statement, subject: str) -> bool:
    return not _subject(subject) or _subject(subject) in current.subject


def _swap(found, old, new):
    if old in found:
        found[found.index(old)] = new
    else:
        found.append(new)
    return new


@memo.forgettable
@functools.lru_cache(maxsize=8192)
def _subject(text: str) -> str:
    text = text.split("：")[-1].split(":")[-1]
    text = LEADING.sub("", text).strip("：: ")
    if text.count("“") != text.count("”"):  # a quote cut by the clause split
        text = text.strip("“”")
    elif text.startswith("“") and text.endswith("”"):
        text = text[1:-1]
    return _SUBJECT_TAIL.sub("", text)


@memo.forgettable
@functools.lru_cache(maxsize=8192)
def _path(text: str) -> tuple[str, ...]:
    m = PATH.search(text)
    if not m:
        return ()
    names = [LEADING.sub("", g).strip("“”\"：: ") if g else None for g in m.groups()]
    return tuple(n for n in names if n)


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))
