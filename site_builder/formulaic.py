"""The formulaic sentences of the prose, each read in one match (`read_formulaic`).

Most paragraphs that state figures are one of a few fixed sentences:

    1、一般公共服务支出（类）人大事务（款）其他人大事务支出（项）：2024年预算数为292.00万元，
    比上年预算增加50.00万元，增长20.66%，主要原因是新增重点工作任务，项目支出相应增加。

    1、一般公共服务支出（类）5781.00万元，占48.92%。

    1.“一般公共服务支出（类）人大事务（款）一般行政管理事务（项）”2589.59万元，主要用于一般行政
    管理事务。2020年当年预算执行数为3326.71万元，2021年预算安排2589.59万元，比2020年预算执行数
    减少22.16%。主要原因是：项目调整。

    基本支出941.32万元，占7.96%，比上年预算增加1.70万元，增长0.18%，主要原因是新增重点工作任务。

    预算安排规模：434.00万元

Reading them clause by clause (clauses.py) was most of the prose audit's time. A whole match
gives the very fields the clause reader gives: the patterns admit only what that reader takes
the same way (names without digits, brackets, quotes or the words 比/增/减/元; no comma inside a
figure; no 。；, or 元 inside a reason or purpose), the subject and path come from the reader's
own helpers, and tests/test_formulaic.py compares both readers on every paragraph of the
example and synthetic content. Anything else does not match and goes to the clause reader.
"""

from __future__ import annotations

import re

from .clauses import DIRECTION, _num, _path, _subject

_NAME = r"[^（）“”\"、：:，。；;,\d元%比增减]+"
_HEAD = rf"(?P<head>\d{{1,3}}[、.]“?{_NAME}（类）(?:{_NAME}（款）)?(?:{_NAME}（项）)?)”?"
_SUBJECT = r"(?P<head>[^（）“”\"、，。；;,\d元%比增减]*)"  # before a figure: no name path
_NUM = r"\d+(?:\.\d+)?"
_FREE = r"[^；;。,元]*"  # a reason or purpose: the clause reader joins its pieces with ， as written

_CHANGED = (rf"比上年预算(?P<word>增加|减少)(?P<change>{_NUM})万元(?:，(?P<rate_word>增长|下降)(?P<rate>{_NUM})%)?，"
            rf"主要原因是(?P<reason>{_FREE})。?")
_ITEM = re.compile(  # a 项 with this year's figure, the change and its reason
    rf"{_HEAD}：(?P<arranged_year>\d{{4}})年预算数为(?P<amount>{_NUM})万元，{_CHANGED}")
_SUBJECT_CHANGED = re.compile(rf"{_SUBJECT}(?P<amount>{_NUM})万元，(?:占(?P<share>{_NUM})%，)?{_CHANGED}")
_AMOUNT = re.compile(rf"{_SUBJECT}(?P<amount>{_NUM})万元。?")  # a label and its figure
_SHARE = re.compile(rf"{_HEAD}(?P<amount>{_NUM})万元，占(?P<share>{_NUM})%。?")  # a 类 and its share
_EXECUTED = re.compile(  # a 项, its purpose, last year's execution and the change from it
    rf"{_HEAD}(?P<amount>{_NUM})万元，主要用于(?P<purpose>{_FREE})。"
    rf"(?P<executed_year>\d{{4}})年当年预算执行数为(?P<executed>{_NUM})万元，"
    rf"(?P<arranged_year>\d{{4}})年预算安排(?P<arranged>{_NUM})万元，"
    rf"比(?P<basis_year>\d{{4}})年预算执行数(?P<word>增加|减少)(?P<rate>{_NUM})%。"
    rf"主要原因是(?P<reason>{_FREE})。?")


def read_formulaic(text: str) -> tuple[tuple[dict, ...], None] | None:
    """The statement fields of a formulaic paragraph (as statements._parse_text gives them), else None."""
    if text.count("主要原因") > 1:  # a second one would start a clause the reader reads anew
        return None
    for pattern, read, needed in _PATTERNS:
        if needed in text and (m := pattern.fullmatch(text)) is not None:
            # the reader takes a clause with 主要原因 or 主要用于 for a reason or purpose
            if "主要" in m["head"] or "主要原因" in (m.groupdict().get("purpose") or ""):
                return None
            head = m["head"]
            return ({"subject": _subject(head), "path": _path(head), "pos": m.start("amount"),
                     "amount": _num(m["amount"]), "unit": "万元", **read(m)},), None
    return None


def _item(m: re.Match) -> dict:
    return {"arranged_year": int(m["arranged_year"]), **_changed(m)}


def _subject_changed(m: re.Match) -> dict:
    return _changed(m) if m["share"] is None else {"share": _num(m["share"]), **_changed(m)}


def _amount(m: re.Match) -> dict:
    return {}


def _changed(m: re.Match) -> dict:
    """比上年预算增加 C 万元[，增长 R%]，主要原因是……"""
    fields = {"direction": DIRECTION[m["word"]], "basis": "上年预算", "basis_year": None,
              "change": _num(m["change"]), "reason": m["reason"].strip("：: ")}
    if m["rate"] is not None:
        fields |= {"rate": _num(m["rate"]), "rate_direction": DIRECTION[m["rate_word"]]}
    return fields


def _share(m: re.Match) -> dict:
    return {"share": _num(m["share"])}


def _executed(m: re.Match) -> dict:
    direction = DIRECTION[m["word"]]
    return {"purpose": m["purpose"].strip("：: "), "executed": _num(m["executed"]),
            "arranged": _num(m["arranged"]), "arranged_year": int(m["arranged_year"]),
            "direction": direction, "basis": "执行数", "basis_year": int(m["basis_year"]),
            "rate": _num(m["rate"]), "rate_direction": direction, "reason": m["reason"].strip("：: ")}


# Each pattern with words it cannot match without: a paragraph without them is not tried
# (a failed fullmatch still scans the paragraph; the order of the patterns is kept).
_PATTERNS = ((_ITEM, _item, "年预算数为"), (_SHARE, _share, "，占"), (_EXECUTED, _executed, "当年预算执行数为"),
             (_SUBJECT_CHANGED, _subject_changed, "比上年预算"), (_AMOUNT, _amount, "万元"))
