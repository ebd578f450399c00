"""The words of the prose: reasons for changes, copied reasons, wrong years, placeholders.

- every stated increase or decrease has a 主要原因;
- a reason's direction agrees with the change (no “经费增加” for a decrease);
- a reason or purpose does not name another line's 科目 instead of its own (copied text);
- comparisons name last year (“比2023年预算” in a 2024 budget), this year's figures this year;
- no placeholder text (XX, ××, ＸＸ, 某某) and no doubled words (增加增加).
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

from .audit_prose import locate, section_rules
from .findings import WARNING, Finding, Place
from .model import Document, Pos
from .paragraphs import Places, paragraphs
from .rules import squash
from .statements import Statement, parse_section

PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:XX+|xx+|××+|ＸＸ+|某某)(?![A-Za-z0-9])")
DOUBLED = re.compile(r"(增加|减少|增长|下降|持平|万元)\1")
COMPARED_YEAR = re.compile(r"比(\d{4})年")
# (\d{4})年(?:预算安排|预算数为) and (\d{4})年(?:当年)?预算执行数, found by their words (see `_years`)
THIS_YEAR = re.compile(r"年(?:预算安排|预算数为)")
EXECUTED_YEAR = re.compile(r"年(?:当年)?预算执行数")
UP = ("增加", "增长", "提高", "上升")
DOWN = ("减少", "下降", "压减", "降低")
SAME = ("持平", "不变")
_UP, _DOWN, _SAME = (re.compile("|".join(words)) for words in (UP, DOWN, SAME))


def audit_text(doc: Document) -> list[Finding]:
    """Findings about the wording of `doc`'s prose."""
    out: list[Finding] = []
    for section in doc.sections:
        rules = section_rules(doc, section.title)
        statements = parse_section(section)
        owns = [_own_names(doc, st, rules) for st in statements]
        levels: dict[int, set[str]] = {}
        for level, own in owns:
            levels.setdefault(level, set()).update(own)
        for st, (level, own) in zip(statements, owns, strict=True):
            out += _reason(doc, st, own, levels.get(level, set()))
        out += _scan(doc, section.title, paragraphs(section))
    return out


def _finding(doc, rule, kind, subject, message, pos: Pos) -> Finding:
    return Finding(rule, WARNING, kind, subject, message, doc.path, (Place(pos),))


def _own_names(doc: Document, st: Statement, rules) -> tuple[int, set[str]]:
    """The level (1 类, 3 项) and names of the line a statement speaks of; names compare per level."""
    if len(st.path) >= 2:
        level, names = 3, {squash(st.path[-1]), squash("".join(st.path[-2:]))}
    elif st.path or _named_line(doc, st, rules):
        name = squash(st.path[0] if st.path else st.subject)
        level, names = 1, {name, name.removesuffix("支出")}
    else:
        return 0, set()
    return level, {n for n in names if len(n) >= 4}


def _ancestors(st: Statement) -> set[str]:
    """A line's own 类 and 款 names: a reason may name them (“社会保障和就业支出缴费基数调整”)."""
    names = {squash(p) for p in st.path[:-1]}
    return names | {n.removesuffix("支出") for n in names}


def _named_line(doc: Document, st: Statement, rules) -> bool:
    """Whether the statement's subject is the name of a row of the section's `lines` table."""
    _, ref, _ = locate(doc, st, rules)
    return bool(ref) and ref.split("/")[1] == st.subject


def _reason(doc, st: Statement, mine: set[str], names: set[str]) -> list[Finding]:
    out = []
    changed = st.direction in (1, -1) and (st.change or st.rate or st.executed is not None)
    if changed and not st.reason and not _explained(st):
        out.append(_finding(doc, "reason-missing", "completeness", st.subject,
                            f"{st.section}：“{st.subject}”说明了增减，但没有写主要原因。", st.pos))
    if st.reason:
        said = _direction(st.reason)
        if said is not None and st.direction is not None and said != st.direction and _moved(st):
            words = {1: "增加", -1: "减少", 0: "持平"}
            out.append(_finding(doc, "reason-direction", "content", st.subject,
                                f"{st.section}：“{st.subject}”{words[st.direction]}，主要原因却写"
                                f"“{st.reason}”（方向相反）。", st.pos))
    if mine and (st.reason or st.purpose):
        others = names - _ancestors(st)
        for what, text in (("主要原因", st.reason), ("用途", st.purpose)):
            other = _copied(text, mine, others)
            if other:
                out.append(_finding(doc, "reason-copied", "content", st.subject,
                                    f"{st.section}：“{st.subject}”的{what}“{text}”写的是另一科目"
                                    f"“{other}”，疑似照抄。", st.pos))
    return out


def _explained(st: Statement) -> bool:
    """Whether 其中 follows the subject: the parts that follow explain the change."""
    return "其中" in st.text[st.text.find(st.subject) + len(st.subject):]


def _moved(st: Statement) -> bool:
    """Whether the stated change is not zero (“增加 0.00 万元” moves nothing)."""
    if st.executed is not None and st.amount is not None:
        return st.amount != st.executed
    return bool(st.change) or bool(st.rate)


def _direction(reason: str) -> int | None:
    ups, downs = bool(_UP.search(reason)), bool(_DOWN.search(reason))
    same = bool(_SAME.search(reason))
    if ups + downs + same != 1:
        return None
    return 1 if ups else -1 if downs else 0


def _copied(text: str | None, mine: set[str], names: set[str]) -> str | None:
    if not text:
        return None
    flat = squash(text)
    if any(m in flat for m in mine):
        return None
    others = [n for n in names - mine if n in flat and not any(n in m for m in mine)]
    return max(others, key=len) if others else None


def _scan(doc, title: str, paras: list[tuple[str, Places]]) -> list[Finding]:
    """The marks of a section's paragraphs, found in their text joined by line breaks (which no
    mark spans or touches); a mark's file position is worked out only for a finding."""
    out = []
    starts = list(accumulate((len(text) + 1 for text, _ in paras), initial=0))
    for what, start, found, year in _marks("\n".join(text for text, _ in paras)):
        if what == "placeholder":
            message = f"{title}：正文里有占位文字“{found}”，应填写实际内容。"
            rule, kind = "placeholder", "sanity"
        elif what == "doubled":
            message, rule, kind = f"{title}：“{found}”重复。", "doubled-word", "sanity"
        else:
            expected = doc.year - 1 if what != "本年预算" else doc.year
            if year == expected:
                continue
            message = f"{title}：“{found}”——这是 {doc.year} 年的文件，{what}应为 {expected} 年。"
            rule, kind = "wrong-year", "content"
        n = bisect.bisect_right(starts, start) - 1
        out.append(_finding(doc, rule, kind, title, message, paras[n][1][start - starts[n]]))
    return out


def _marks(text: str) -> tuple[tuple[str, int, str, int], ...]:
    """(what, start, matched text, stated year) of the placeholders, doubled words and years
    in a text, in the order they are reported."""
    out = []
    if any(c in text for c in _PLACEHOLDER_CHARS):  # each pattern only where its words are
        out += [("placeholder", m.start(), m.group(), 0) for m in PLACEHOLDER.finditer(text)]
    if any(w in text for w in _DOUBLED_WORDS):
        out += [("doubled", m.start(), m.group(), 0) for m in DOUBLED.finditer(text)]
    if "比" in text:
        out += [("比较的上年", m.start(), m.group(), int(m.group(1))) for m in COMPARED_YEAR.finditer(text)]
    for pattern, what, needed in YEARS:
        if needed in text:
            out += _years(text, pattern, what)
    return tuple(out)


def _years(text: str, words: re.Pattern, what: str) -> list[tuple[str, int, str, int]]:
    r"""The marks of `words` with the four digits before them (a search for a pattern starting
    with \d{4} would try every character of the text; the words start with a literal 年)."""
    out = []
    for m in words.finditer(text):
        start = m.start() - 4
        year = text[start:m.start()] if start >= 0 else ""
        if len(year) == 4 and year.isdecimal():  # \d is a Unicode decimal digit, as isdecimal
            out.append((what, start, year + m.group(), int(year)))
    return out


_PLACEHOLDER_CHARS = ("X", "x", "×", "Ｘ", "某某")
_DOUBLED_WORDS = tuple(w + w for w in ("增加", "减少", "增长", "下降", "持平", "万元"))


YEARS = ((THIS_YEAR, "本年预算", "年预"), (EXECUTED_YEAR, "上年执行数", "预算执行数"))  # words, what, a word they need
