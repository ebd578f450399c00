"""Read one paragraph, clause by clause, into drafts of statements (the reader of statements.py).

A draft is a statement being read: each clause sets some of its fields in place (the
amount, then 占, then 比上年, then 主要原因…), and `statements.py` makes the frozen
`Statement`s once the paragraph is read. A draft's `pos` is the index in the paragraph of
its first figure; the section title, file position and paragraph text are added then.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from . import memo

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


class Draft:
    """A statement being read: the fields its clauses set, changed in place.

    Drafts are not copied for each clause: a paragraph's `Statement`s are made once, when it
    is read. Two drafts are the same only if they are one object.
    """

    amount = direction = share = executed = reason = None  # what the reader asks before set
    basis = ""

    def __init__(self, subject: str, pos: int, path: tuple[str, ...] = (), **fields) -> None:
        self.__dict__.update(fields, subject=subject, pos=pos, path=path)


def read_paragraph(text: str) -> tuple[list[Draft], str | None]:
    """The paragraph's statements that state a figure, and a reason that stands alone, if any."""
    found: list[Draft] = []
    current: Draft | None = None
    orphan = None
    reason_into: list[str] | None = None
    purpose_into: list[str] | None = None
    last = len(text) - 1
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
        pos = min(start, last)
        if "主要原因" in clause and (m := REASON.search(clause)) is not None:
            reason_into = [clause[m.end():]]
            if clause[:m.start()].endswith("的"):  # "……减少的主要原因是……": for all before it
                current = None
            if current is None:
                current = Draft(clause[:m.start()], pos)
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
        current = _clause(clause, pos, last, start, current, found)
    if current is not None and current not in found:
        found.append(current)
    return [s for s in found if _useful(s)], orphan


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


def _close(found: list[Draft], current: Draft | None, reason, purpose, orphan):
    """End a reason or purpose: it belongs to `current`, or (a reason) to all changes before it."""
    text = "，".join(reason or purpose or []).strip("：: ")
    if current is None or (not _useful(current) and reason is not None):
        if reason is not None:
            for s in found:
                if s.reason is None and s.direction:
                    s.reason = text
        return None, text if reason is not None else orphan
    if reason is not None:
        current.reason = text
    else:
        current.purpose = text
    return current, orphan


def _useful(s: Draft) -> bool:
    return s.amount is not None or s.direction is not None or s.share is not None \
        or s.executed is not None


def _clause(clause: str, pos: int, last: int, start: int, current: Draft | None,
            found: list[Draft]) -> Draft | None:
    """Update or start a statement from one clause."""
    # Each pattern is tried only if the words it cannot match without are there (the
    # patterns start with groups, so a failing search tries every position of the clause).
    path_match = PATH.search(clause) if "（类）" in clause else None
    if path_match and not _change_match(clause) and not _plain_change(clause):
        rest = clause[path_match.end():]
        if not AMOUNT.search(clause[:path_match.start()]):
            current = Draft(_subject(clause[:path_match.end()]), pos, _path(clause[:path_match.end()]))
            found.append(current)
            offset = start + path_match.end()
            return _clause(rest, min(offset, last), last, offset, current, found) \
                if rest.strip("：:“”\"") else current
    if "预算执行数为" in clause and (m := EXECUTED.search(clause)) and current is not None:
        return _update(found, current, executed=_num(m.group(2)), basis_year=int(m.group(1)))
    if ("年预算安排" in clause or "年预算数为" in clause) and (m := ARRANGED.search(clause)) \
            and current is not None:
        if current.amount is None:
            return _update(found, current, amount=_num(m.group(2)), unit=m.group(3),
                           pos=start + m.start(2), arranged_year=int(m.group(1)))
        return _update(found, current, arranged=_num(m.group(2)), arranged_year=int(m.group(1)))
    if (m := _change_match(clause)):
        return _change(m, pos, current, found)
    if "%" in clause and current is not None and _has_change_word(clause) \
            and (m := RATE.match(LEADING.sub("", clause))):
        return _update(found, current, rate=_num(m.group(2)), rate_direction=DIRECTION[m.group(1)])
    if "占" in clause and (m := SHARE.search(clause)) and current is not None and not _has_amount(clause):
        return _update(found, current, share=_num(m.group(1)))
    if (m := _plain_change(clause)):
        basis = next((s.basis for s in reversed(found) if s.basis), "上年预算")
        new = Draft(_subject(m.group(1)), pos, _path(m.group(1)), basis=basis,
                    direction=DIRECTION[m.group(2)], change=_num(m.group(3)))
        found.append(new)
        return new
    if (m := _has_amount(clause)):
        return _amount(clause, m, start, current, found)
    return current


def _has_change_word(clause: str) -> bool:
    """Whether a word RATE starts with is in the clause (“占 26.18%” has none)."""
    return "增长" in clause or "下降" in clause or "增加" in clause or "减少" in clause


def _has_amount(clause: str):
    return AMOUNT.search(clause) if "元" in clause else None


def _change_match(clause: str):
    return CHANGE.match(clause) if "比" in clause else None


def _plain_change(clause: str):
    """PLAIN_CHANGE on the clause without its leading number (which holds no 元, 增加 or 减少)."""
    if "元" in clause and ("增加" in clause or "减少" in clause):
        return PLAIN_CHANGE.match(LEADING.sub("", clause))
    return None


def _amount(clause: str, m: re.Match, start: int, current: Draft | None, found: list[Draft]) -> Draft:
    before = clause[:m.start()]
    subject = _subject(before)
    pos = start + m.start()
    if not subject and current is not None and current.amount is None:
        return _update(found, current, amount=_num(m.group(1)), unit=m.group(2), pos=pos)
    new = Draft(subject, pos, _path(before), amount=_num(m.group(1)), unit=m.group(2))
    if "占" in clause and (s := SHARE.search(clause[m.end():])):
        new.share = _num(s.group(1))
    found.append(new)
    return new


def _change(m: re.Match, pos: int, current: Draft | None, found: list[Draft]) -> Draft | None:
    subject, basis, word, number, unit = m.groups()
    fields = {"direction": DIRECTION[word], "basis": "执行数" if "执行数" in basis else "上年预算",
              "basis_year": int(basis[:4]) if basis[:4].isdigit() else None}
    if number is not None and unit == "%":
        fields |= {"rate": _num(number), "rate_direction": DIRECTION[word]}
    elif number is not None:
        fields |= {"change": _num(number)}
    if _subject(subject) and (current is None or current.direction is not None
                              or not _same_subject(current, subject)):
        new = Draft(_subject(subject), pos, _path(subject), **fields)
        found.append(new)
        return new
    if current is None:
        return None
    return _update(found, current, **fields)


def _same_subject(current: Draft, subject: str) -> bool:
    return not _subject(subject) or _subject(subject) in current.subject


def _update(found: list[Draft], draft: Draft, **changes) -> Draft:
    """Set fields of `draft`, and list it among the paragraph's statements if it is not yet."""
    draft.__dict__.update(changes)
    if draft not in found:
        found.append(draft)
    return draft


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
    m = PATH.search(text) if "（类）" in text else None  # a failing search tries every position
    if not m:
        return ()
    names = [LEADING.sub("", g).strip("“”\"：: ") if g else None for g in m.groups()]
    return tuple(n for n in names if n)


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))
