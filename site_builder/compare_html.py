"""The <tbody> rows of a comparison table as HTML, built in Python rather than in a macro.

A comparison page has a few hundred lines; drawing each through a Jinja macro was most of the
page's cost. The markup is exactly what the `line_row` macro of `compare.html` produced (with
the environment's trim_blocks/lstrip_blocks), escaped the way autoescape does.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from .compare import LineChange, TableComparison
from .render import format_change
from .table_html import escape

_TAGS = {"new": '<span class="tag tag-new">新增</span>',
         "removed": '<span class="tag tag-removed">取消</span>'}
_FUZZY = '<span class="tag tag-fuzzy" title="名称相近，按同一行比较">名称相近</span>'


def comparison_rows(comparison: TableComparison, execution: bool) -> Markup:
    """Every line of `comparison` as a table row; `execution` adds the 上年执行数 column."""
    with_reason = comparison.has_reasons
    return Markup("".join(_row(ln, with_reason, execution) for ln in comparison.lines))


def _row(ln: LineChange, with_reason: bool, execution: bool) -> str:
    # status and rate_text are this module's own words and digits: nothing to escape
    code = f'<span class="code">{escape(ln.code)}</span> ' if ln.code else ""
    notes = _TAGS.get(ln.status, "")
    if ln.previous_name:
        notes += f'<span class="was">（上年名称：{escape(ln.previous_name)}）</span>'
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
        cells += f'<td class="reason">{escape(ln.reason) if ln.reason else ""}</td>'
    return (f'<tr class="{ln.status}{" total" if ln.is_total else ""}">\n'
            f'  <th scope="row" class="name lvl-{ln.level}">{code}{escape(ln.name)}\n'
            f"{notes}  </th>\n{cells}</tr>\n")


def _direction(change: Decimal | None) -> str:
    return "" if not change else "up" if change > 0 else "down"


def _amount(value: Decimal | None, blank: str) -> str:
    """The `money` filter, or `blank` for an unknown figure (digits and separators: no escaping)."""
    return blank if value is None else format(value, ",f")
