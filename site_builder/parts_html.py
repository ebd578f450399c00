"""The 绩效目标表 part of a document page (`performance_part`), in Python.

It was a macro of `_parts.html`; a document has a dozen of these tables with a few dozen
escaped fields each, and the macro cost more than the rest of the prose parts together. The
markup is exactly the macro's, whitespace included (`tests/test_pages_parts.py` keeps the
macro as the reference); Markdown fields still go through `prose`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from .model import LabelledAmount, PerformanceTable
from .prose import render_markdown
from .table_html import escape, indicator_rows


def performance_part(views: Sequence[Any], intro: str) -> Markup:
    """The intro, then each 绩效目标表 (a `pages.PerformanceView`): its fields and funds, its
    goals and its indicator grid."""
    return Markup(render_markdown(intro) + "\n" + "".join(_performance_table(v) for v in views))


def _performance_table(view: Any) -> str:
    t: PerformanceTable = view.table
    anchor, title = escape(view.anchor), escape(t.title)
    name = f"（{escape(t.name)}）" if t.name else ""
    out = [f'<section class="perf" id="{anchor}" aria-labelledby="{anchor}-title">\n'
           f'  <h3 id="{anchor}-title">{title}{name}</h3>\n']
    if t.fields or t.funds:
        out.append(f'  <table class="kv">\n    <caption class="visually-hidden">{title} 基本信息</caption>\n'
                   "    <tbody>\n")
        out += [f'      <tr><th scope="row">{escape(f.label)}</th><td>{escape(f.value)}</td></tr>\n'
                for f in t.fields]
        out += [f'      <tr><th scope="row">{escape(f.label)}</th><td class="num">{_fund(f, t.funds_unit)}</td></tr>\n'
                for f in t.funds]
        out.append("    </tbody>\n  </table>\n")
    if t.goal:
        out.append(f'  <h4>{"总体目标" if t.annual_goal else "绩效目标"}</h4>\n  {render_markdown(t.goal)}\n')
    if t.annual_goal:
        out.append(f"  <h4>年度目标</h4>\n  {render_markdown(t.annual_goal)}\n")
    if t.columns and t.indicators:
        columns = "".join(f'<th scope="col">{escape(col)}</th>' for col in t.columns)
        out.append(f'  <div class="table-scroll" role="region" aria-labelledby="{anchor}-title" tabindex="0">\n'
                   '    <table class="data indicators">\n'
                   f'      <caption class="visually-hidden">{title} 绩效指标</caption>\n'
                   f"      <thead><tr>{columns}</tr></thead>\n      <tbody>\n{indicator_rows(view)}\n"
                   "      </tbody>\n    </table>\n  </div>\n")
    out.append("</section>\n")
    return "".join(out)


def _fund(fund: LabelledAmount, unit: str) -> str:
    """The amount as `money` shows it, with the unit unless the label names it; blank without."""
    if fund.amount is None:
        return ""
    return f"{fund.amount:,f}" + (f" {escape(unit)}" if unit not in fund.label else "")
