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
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from . import memo
from .clauses import read_paragraph
from .formulaic import read_formulaic
from .model import Pos, Section
from .paragraphs import paragraphs


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


def _statement(draft: dict, section: str, pos: Pos, text: str) -> Statement:
    """The frozen statement of a draft's fields (`Statement(…)` without a setattr per field)."""
    new = object.__new__(Statement)
    new.__dict__.update(_DEFAULTS)
    new.__dict__.update(draft)
    new.__dict__.update(section=section, pos=pos, text=text)
    return new


_DEFAULTS = {f.name: f.default for f in fields(Statement)}


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
        statements += [_statement(d, title, places[d["pos"]], text) for d in found]
    return tuple(statements)


@memo.forgettable
@functools.lru_cache(maxsize=8192)
def _parse_text(text: str) -> tuple[tuple[dict, ...], str | None]:
    """A paragraph's statements as the fields read (`pos` the index of a character in `text`).

    The parse depends on the words only, so a paragraph repeated in other years or documents
    (“收入预算包括：……”, a sentence unchanged from last year) is read once; `_parse_section`
    gives the statements their section title and file position. (Do not modify the fields.)
    """
    if not ("元" in text or "%" in text or "比" in text or "主要原因" in text):
        return (), None  # no amount, share, change or reason: nothing `_useful`, no orphan
    formulaic = read_formulaic(text)  # most paragraphs with figures: one match, not clause by clause
    if formulaic is not None:
        return formulaic
    found, orphan = read_paragraph(text)
    return tuple(d.__dict__ for d in found), orphan


def _parse_paragraph(title: str, text: str, places: Sequence) -> tuple[list[Statement], str | None]:
    """A paragraph's statements placed at `places` (each character's position), and its orphan reason."""
    found, orphan = read_paragraph(text)
    return [_statement(d.__dict__, title, places[d.pos], text) for d in found], orphan
