"""The repeated parts of a comparison page as HTML, built in Python rather than in Jinja.

A comparison page has a few hundred lines; drawing each through a Jinja macro was most of the
page's cost. The markup is exactly what `compare.html` produced with its loops (with the
environment's trim_blocks/lstrip_blocks; tests/test_compare_html.py keeps them as the
reference), escaped the way autoescape does: each table section with its rows, the key
figures' rows and the lists of largest changes.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import chain
from operator import attrgetter

from markupsafe import Markup

from .charts import format_signed
from .compare import LineChange, TableComparison, rate_text
from .table_body import money
from .table_html import escape

_TAGS = {"new": '<span class="tag tag-new">新增</span>',
         "removed": '<span class="tag tag-removed">取消</span>'}
_UNSAFE = re.compile(r"[&<>'\"]")  # what `escape` changes
_TEXTS = attrgetter("code", "name", "previous_name", "reason")  # a line's published texts
_FUZZY = '<span class="tag tag-fuzzy" title="名称相近，按同一行比较">名称相近</span>'


def comparison_section(c: TableComparison, number: int, execution: bool) -> Markup:
    """The `<section>` of one comparison table (the `number`th of the page), rows included."""
    tid, label, title, unit = f"cmp-{number}", escape(c.label), escape(c.title), escape(c.unit)
    side = f"（{escape(c.side)}）" if c.side else ""
    extra = ('<th scope="col">上年执行数（据说明，万元）</th>' if execution else "") + (
        '<th scope="col">主要原因（据文字说明）</th>' if c.has_reasons else "")
    return Markup(
        f'<section class="compare-table" id="{tid}" aria-labelledby="{tid}-title">\n'
        f'  <h2 id="{tid}-title">{label + "　" if c.label else ""}{title}{side}</h2>\n'
        f'  <p class="table-meta"><span>比较列：{escape(c.column)}</span> <span>单位：{unit}</span> '
        f'<span>上年数来源：{escape("、".join(c.sources))}</span></p>\n'
        f'  <div class="table-scroll" role="region" aria-labelledby="{tid}-title" tabindex="0">\n'
        '    <table class="data compare">\n'
        f'      <caption class="visually-hidden">{label} {title} 与上年比较（单位：{unit}）</caption>\n'
        "      <thead><tr>\n"
        '        <th scope="col">科目</th><th scope="col">上年</th><th scope="col">本年</th>\n'
        f'        <th scope="col">增减额</th><th scope="col">增减率</th>\n{extra}'
        f"      </tr></thead>\n      <tbody>\n{comparison_rows(c, execution)}      </tbody>\n"
        "    </table>\n  </div>\n</section>\n")


def headline_rows(headlines: list) -> Markup:
    """The rows of the key figures' table (`compare_pages.Headline`: a line and its unit)."""
    return Markup("".join(_headline_row(h.line, h.unit) for h in headlines))


def _headline_row(ln: LineChange, unit: str) -> str:
    source = "上年公开文件" if ln.source == "document" else "本年文字说明"
    return ("        <tr>\n"
            f'          <th scope="row" class="name">{escape(ln.name)}</th>\n'
            f'          <td class="num">{_amount(ln.previous, "")}</td>\n'
            f'          <td class="num">{_amount(ln.current, "")}</td>\n'
            f'          {_change_cell(ln.change)}\n'
            f'          <td class="num">{ln.rate_text}</td>\n'
            f'          <td class="nowrap">{escape(unit)}</td>\n'
            f'          <td class="nowrap">{source}</td>\n'
            f'          <td class="reason">{escape(ln.reason or "")}</td>\n'
            "        </tr>\n")


def change_items(lines: list[LineChange], unit: str) -> Markup:
    """The items of a list of largest changes: figures in `unit`, with the prose's reason."""
    unit = escape(unit)
    return Markup("".join(
        f'      <li><span class="name">{escape(ln.label)}</span>：{_amount(ln.previous, "—")} → '
        f"{_amount(ln.current, '—')} {unit}，<strong>{format_signed(ln.change)}</strong>"
        f"（{ln.rate_text}）"
        + (f'<br><span class="reason">主要原因：{escape(ln.reason)}</span>' if ln.reason else "")
        + "</li>\n" for ln in lines))


def comparison_rows(comparison: TableComparison, execution: bool) -> Markup:
    """Every line of `comparison` as a table row; `execution` adds the 上年执行数 column.

    One loop that unpacks each line (a tuple): reading its fields by name cost more than
    drawing the row. Status, level and rate are this module's own words and digits: nothing
    to escape; `shown` escapes the published texts (or leaves them when none needs it). A row's
    parts go to the join as they are (no copy of the row per line)."""
    lines = comparison.lines
    texts = "".join(filter(None, chain.from_iterable(map(_TEXTS, lines))))
    shown = escape if _UNSAFE.search(texts) else str  # most tables have nothing to escape
    with_reason, out = comparison.has_reasons, []
    for code, name, level, total, before, now, status, _, was, match, reason, stated, _, change in lines:
        notes = _TAGS.get(status, "")
        if was:
            notes += f'<span class="was">（上年名称：{shown(was)}）</span>'
        if match == "fuzzy":
            notes += _FUZZY
        code_span = f'<span class="code">{shown(code)}</span> ' if code else ""
        row = (f'<tr class="{status}{" total" if total else ""}">\n'
               f'  <th scope="row" class="name lvl-{level}">{code_span}{shown(name)}\n{notes}  </th>\n'
               f'  <td class="num">{"—" if before is None else money(before)}</td>\n'
               f'  <td class="num">{"—" if now is None else money(now)}</td>\n'
               f'  {_change_cell(change)}\n'
               f'  <td class="num">{rate_text(before, now, change, status)}</td>\n')
        out.append(row)
        if execution:
            out.append(f'<td class="num">{_amount(stated, "")}</td>')
        if with_reason:
            out.append(f'<td class="reason">{shown(reason) if reason else ""}</td>')
        out.append("</tr>\n")
    return Markup("".join(out))


def _change_cell(change: Decimal | None) -> str:
    """The 增减额 cell: up or down, and the change with its sign (a change is worked out, not
    published: not one for `money`'s cache of published amounts)."""
    direction = "" if not change else "up" if change > 0 else "down"
    return f'<td class="num change {direction}">{format_signed(change)}</td>'


def _amount(value: Decimal | None, blank: str) -> str:
    """The `money` filter, or `blank` for an unknown figure (digits and separators: no escaping)."""
    return blank if value is None else money(value)
