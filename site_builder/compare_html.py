"""The <tbody> rows of a comparison table as HTML, built in Python rather than in a macro.

A comparison page has a few hundred lines; drawing each through a Jinja macro was most of the
page's cost. The markup is exactly what the `line_row` macro of `compare.html` produced (with
the environment's trim_blocks/lstrip_blocks), escaped the way autoescape does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from markupsafe import Markup

from .compare import LineChange, TableComparison
from .render import format_change
from .table_html import escape

_TAGS = {"new": '<span class="tag tag-new">新增</span>',
         "removed": '<span class="tag tag-removed">取消</span>'}
_UNSAFE = re.compile(r"[&<>'\"]")  # what `escape` changes
_FUZZY = '<span class="tag tag-fuzzy" title="名称相近，按同一行比较">名称相近</span>'


def comparison_rows(comparison: TableComparison, execution: bool) -> Markup:
    """Every line of `comparison` as a table row; `execution` adds the 上年执行数 column."""
    lines = comparison.lines
    shown = escape if _UNSAFE.search("".join(_texts(lines))) else str
    with_reason = comparison.has_reasons
    return Markup("".join([_row(ln, with_reason, execution, shown) for ln in lines]))


def _texts(lines: tuple[LineChange, ...]) -> Iterator[str]:
    """The published texts of the lines (codes, names, last year's names, reasons)."""
    for ln in lines:
        yield ln.name
        if ln.code:
            yield ln.code
        if ln.previous_name:
            yield ln.previous_name
        if ln.reason:
            yield ln.reason


def _row(ln: LineChange, with_reason: bool, execution: bool, shown: Callable[[str], str]) -> str:
    # status and rate_text are this module's own words and digits: nothing to escape; `shown`
    # escapes the published texts (or leaves them as they are when none of them needs it)
    code = f'<span class="code">{shown(ln.code)}</span> ' if ln.code else ""
    notes = _TAGS.get(ln.status, "")
    if ln.previous_name:
        notes += f'<span class="was">（上年名称：{shown(ln.previous_name)}）</span>'
    if ln.match == "fuzzy":
        notes += _FUZZY
    change = ln.change
    cells = (f'  <td class="num">{_amount(ln.previous, "—")}</td>\n'
             f'  <td class="num">{_amount(ln.current, "—")}</td>\n'
             f'  <td class="num change {_direction(change)}">{format_change(change)}</td>\n'
             f'  <td class="num">{ln.rate_text}</td>\n')
    if execution:
        cells += f'<td class="num">{_amount(ln.stated_previous, "")}</td>'
    if with_reason:
        cells += f'<td class="reason">{shown(ln.reason) if ln.reason else ""}</td>'
    return (f'<tr class="{ln.status}{" total" if ln.is_total else ""}">\n'
            f'  <th scope="row" class="name lvl-{ln.level}">{code}{shown(ln.name)}\n'
            f"{notes}  </th>\n{cells}</tr>\n")


def _direction(change: Decimal | None) -> str:
    return "" if not change else "up" if change > 0 else "down"


def _amount(value: Decimal | None, blank: str) -> str:
    """The `money` filter, or `blank` for an unknown figure (digits and separators: no escaping)."""
    return blank if value is None else format(value, ",f")
