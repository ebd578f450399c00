"""Which charts a document page and a department's trend page get, built from the model.

Per document: income composition, expenditure by 功能分类 (类 → 款 → 项), 基本 vs 项目,
基本支出 by 经济分类, the "三公" items with last year, the largest changes from last year.
Per department: one chart per trend. Each chart comes with its summary and its table.
"""

from __future__ import annotations

from decimal import Decimal

from .charts import (
    DECREASE,
    INCREASE,
    Chart,
    ChartTable,
    donut_spec,
    format_amount,
    format_share,
    format_signed,
    hbar_spec,
    line_spec,
    sunburst_spec,
)
from .compare import LineChange, TableComparison, largest_changes, match_code
from .model import Document, Row, Table
from .trends import GROUPS, Figure, Trend

ZERO = Decimal(0)
_SUBTOTAL_WORDS = ("小计", "合计", "总计")


def document_charts(doc: Document, comparisons: list[TableComparison] | None = None,
                    previous: dict[str, Figure] | None = None) -> list[Chart]:
    """The document's charts, in reading order; a chart without data is left out."""
    found = [income_chart(doc), functional_chart(doc), split_chart(doc), economic_chart(doc),
             three_public_chart(doc, previous), changes_chart(comparisons or [], _expenditure_label(doc))]
    return [c for c in found if c is not None]


def _find(doc: Document, test) -> Table | None:
    return next((t for t in doc.tables.values() if not t.is_empty and test(t)), None)


def _total_row(table: Table) -> Row | None:
    return next((r for r in table.rows() if r.is_total), None)


def _expenditure_table(doc: Document) -> Table | None:
    return _find(doc, lambda t: t.spec.rows == "functional"
                 and {"基本支出", "项目支出"} <= set(t.spec.sides[0].amount_keys))


def _expenditure_label(doc: Document) -> str | None:
    table = _expenditure_table(doc)
    return table.spec.label if table else None


def income_chart(doc: Document) -> Chart | None:
    """收入 by source: the total row of the 收入 table, one slice per non-zero source column."""
    table = _find(doc, lambda t: t.spec.rows == "functional" and "收入" in t.title)
    row = _total_row(table) if table else None
    if row is None:
        return None
    keys = table.spec.sides[0].amount_keys
    parts = [(table.header(c), row.amounts[c.key]) for c in table.spec.sides[0].leaves
             if c.key in keys[1:] and not any(w in c.key for w in _SUBTOTAL_WORDS)
             and row.amounts.get(c.key)]
    total = row.amounts.get(keys[0])
    if not parts or total is None:
        return None
    unit = table.spec.unit
    biggest = max(parts, key=lambda p: p[1])
    summary = (f"收入合计 {format_amount(total)} {unit}（{table.spec.label}），"
               f"最大来源是{biggest[0]} {format_amount(biggest[1])} {unit}，"
               f"占 {format_share(biggest[1], total)}。")
    rows = tuple((name, format_amount(v), format_share(v, total)) for name, v in parts)
    return Chart("chart-income", "收入构成", summary, unit,
                 donut_spec([p[0] for p in parts], [p[1] for p in parts], unit),
                 ChartTable(("收入来源", f"金额（{unit}）", "占合计"), rows))


def functional_chart(doc: Document) -> Chart | None:
    """支出 by 功能分类, 类 → 款 → 项, as a sunburst; on narrow screens bars of the 类."""
    table = _expenditure_table(doc)
    row = _total_row(table) if table else None
    if row is None:
        return None
    column = table.spec.sides[0].amount_keys[0]
    coded = [r for r in table.rows() if r.code and r.amounts.get(column) is not None]
    if not coded:
        return None
    unit, total = table.spec.unit, row.amounts.get(column) or sum(
        (r.amounts[column] for r in coded if r.level == 1), ZERO)
    nodes = _tree_nodes([(match_code(r.code), r.name, r.amounts[column]) for r in coded])
    shown = [[format_amount(r.amounts[column]), format_share(r.amounts[column], total)]
             for r in coded]  # the hover text and the table: nodes are the coded rows, in order
    spec = sunburst_spec(nodes, unit, total, shown)
    top = [r for r in coded if r.level == 1]
    spec["narrow"] = hbar_spec([r.name for r in top],
                               [("金额", [r.amounts[column] for r in top], None)], unit)
    biggest = max(top or coded, key=lambda r: r.amounts[column])
    summary = (f"支出合计 {format_amount(total)} {unit}，分 {len(top)} 类，最多的是"
               f"{biggest.name} {format_amount(biggest.amounts[column])} {unit}，"
               f"占 {format_share(biggest.amounts[column], total)}（{table.spec.label}）。")
    rows = tuple((r.code, r.name, *texts) for r, texts in zip(coded, shown, strict=True))
    return Chart("chart-functional", "支出按功能分类（类 → 款 → 项）", summary, unit, spec,
                 ChartTable(("科目编码", "科目名称", f"金额（{unit}）", "占合计"), rows))


def _tree_nodes(items: list[tuple[str, str, Decimal]]) -> list[tuple[str, str, str, Decimal, Decimal]]:
    """(id, parent, label, published, remainder) with parents found by code prefix (the ids
    are `match_code` keys: segments joined by single spaces)."""
    ids = {key for key, _, _ in items}
    parents = [_parent(key, ids) for key, _, _ in items]
    children: dict[str, list[Decimal]] = {}
    for (_, _, amount), parent in zip(items, parents, strict=True):
        children.setdefault(parent, []).append(amount)  # a parent is a strict prefix: never itself
    return [(key, parent, name, amount, max(amount - sum(children.get(key, ()), ZERO), ZERO))
            for (key, name, amount), parent in zip(items, parents, strict=True)]


def _parent(key: str, ids: set[str]) -> str:
    """The longest code prefix of `key` among `ids` (`201 01` for `201 01 02`), else ""."""
    while " " in key:
        key = key.rpartition(" ")[0]
        if key in ids:
            return key
    return ""


def split_chart(doc: Document) -> Chart | None:
    """基本支出 vs 项目支出 from the 支出 table's total row."""
    table = _expenditure_table(doc)
    row = _total_row(table) if table else None
    if row is None:
        return None
    parts = [(k, row.amounts[k]) for k in ("基本支出", "项目支出") if row.amounts.get(k) is not None]
    total = sum((v for _, v in parts), ZERO)
    if len(parts) < 2 or not total:
        return None
    unit = table.spec.unit
    summary = "，".join(f"{k} {format_amount(v)} {unit}（{format_share(v, total)}）" for k, v in parts)
    rows = tuple((k, format_amount(v), format_share(v, total)) for k, v in parts)
    return Chart("chart-split", "基本支出与项目支出", f"{summary}（{table.spec.label}）。", unit,
                 donut_spec([k for k, _ in parts], [v for _, v in parts], unit),
                 ChartTable(("支出类型", f"金额（{unit}）", "占两者之和"), rows))


def economic_chart(doc: Document) -> Chart | None:
    """基本支出 by 经济分类: 人员经费 / 公用经费, then their 款."""
    table = _find(doc, lambda t: t.spec.rows == "economic")
    row = _total_row(table) if table else None
    if row is None:
        return None
    unit = table.spec.unit
    groups = [k for k in ("人员经费", "公用经费") if row.amounts.get(k)]
    leaves = [r for r in table.rows() if len(r.segments) == 2] or [
        r for r in table.rows() if r.code]
    nodes, bars, rows = [], [], []
    for group in groups:
        items = [(r, r.amounts[group]) for r in leaves if r.amounts.get(group)]
        rest = row.amounts[group] - sum((v for _, v in items), ZERO)
        nodes.append((group, "", group, row.amounts[group], max(rest, ZERO)))
        nodes.extend((f"{group} {r.code}", group, r.name, v, v) for r, v in items)
        bars.extend((f"{group[:2]}·{r.name}", v) for r, v in items)
        rows.extend((group, r.code or "", r.name, format_amount(v)) for r, v in items)
    if not nodes:
        return None
    total = row.amounts.get(table.spec.sides[0].amount_keys[0]) or sum(
        (row.amounts[g] for g in groups), ZERO)
    spec = sunburst_spec(nodes, unit, total)
    bars.sort(key=lambda b: -b[1])
    spec["narrow"] = hbar_spec([b[0] for b in bars[:12]], [("金额", [b[1] for b in bars[:12]], None)], unit)
    summary = "，".join(f"{g} {format_amount(row.amounts[g])} {unit}（{format_share(row.amounts[g], total)}）"
                       for g in groups)
    return Chart("chart-economic", "基本支出按经济分类", f"基本支出中{summary}（{table.spec.label}）。",
                 unit, spec, ChartTable(("经费", "科目编码", "科目名称", f"金额（{unit}）"), tuple(rows)))


def three_public_chart(doc: Document, previous: dict[str, Figure] | None) -> Chart | None:
    """The "三公" items this year, and last year's where known."""
    from .trends import document_figures
    figures = document_figures(doc)
    keys = [k for k in GROUPS["three_public"][1] if k in figures]
    if not keys:
        return None
    unit = figures[keys[0]].unit
    now = [figures[k].amount for k in keys]
    before = [previous[k].amount if previous and k in previous and previous[k].unit == unit
              else None for k in keys]
    traces = [("本年", now, "#0072B2")]
    if any(v is not None for v in before):
        traces.insert(0, ("上年", before, "#E69F00"))
    total_key = "“三公”经费合计"
    total = figures[total_key].amount if total_key in figures else None
    summary = f"“三公”经费合计 {format_amount(total)} {unit}" if total is not None else "“三公”经费"
    if total is not None and before[keys.index(total_key)] is not None:
        summary += f"，比上年 {format_signed(total - before[keys.index(total_key)])} {unit}"
    rows = tuple((k, format_amount(b), format_amount(n), format_signed(n - b) if b is not None else "—")
                 for k, b, n in zip(keys, before, now, strict=True))
    sources = "、".join(sorted({figures[k].source for k in keys}))
    return Chart("chart-three-public", "“三公”经费", f"{summary}（{sources}）。", unit,
                 hbar_spec(keys, traces, unit),
                 ChartTable(("项目", f"上年（{unit}）", f"本年（{unit}）", "增减"), rows))


def changes_source(comparisons: list[TableComparison], label: str | None) -> list[TableComparison]:
    """The comparison `changes_chart` draws: the first coded one of table `label`, else of any."""
    coded = [c for c in comparisons if any(ln.code for ln in c.lines)]
    return [c for c in coded if c.label == label][:1] or coded[:1]


def changes_chart(comparisons: list[TableComparison], label: str | None = None,
                  count: int = 6) -> Chart | None:
    """The largest increases and decreases from last year, on the 支出 table's deepest lines."""
    pick = changes_source(comparisons, label)
    ups, downs = largest_changes(pick, count)
    lines: list[LineChange] = ups + downs[::-1]
    if not lines:
        return None
    unit = pick[0].unit
    labels = [ln.label for ln in lines]
    changes = [ln.change for ln in lines]
    spec = hbar_spec(labels, [("增减额", changes, None)], unit, barmode="relative",
                     ticks=[ln.name for ln in lines])
    spec["data"][0]["marker"] = {"color": [INCREASE if c > 0 else DECREASE for c in changes]}
    parts = []
    if ups:
        parts.append(f"增加最多的是{ups[0].name}（{format_signed(ups[0].change)} {unit}）")
    if downs:
        parts.append(f"减少最多的是{downs[0].name}（{format_signed(downs[0].change)} {unit}）")
    rows = tuple((ln.label, format_amount(ln.previous), format_amount(ln.current),
                  format_signed(ln.change), ln.rate_text) for ln in lines)
    return Chart("chart-changes", "比上年变化最大的科目", f"与上年相比（{pick[0].label or '文字说明'}），"
                 + "，".join(parts) + "。", unit, spec,
                 ChartTable(("科目", "上年", "本年", "增减额", "增减率"), rows))


def trend_charts(trends: list[Trend]) -> list[Chart]:
    """One chart per trend: lines for single figures, stacked bars for parts of a whole."""
    charts = []
    for trend in trends:
        years = [f"{y}年" for y in trend.years]
        traces = [(s.label, list(s.values)) for s in trend.series]
        stacked = trend.key in ("split", "economic")
        spec = line_spec(years, traces, trend.unit, bars=len(traces) > 1, stacked=stacked)
        first, last = _ends(trend)
        summary = f"{trend.title}：{first}，{last}（{'、'.join(trend.sources)}）。"
        rows = tuple((y, *(format_amount(s.values[i]) for s in trend.series))
                     for i, y in enumerate(years))
        charts.append(Chart(f"chart-trend-{trend.key.replace('_', '-')}", trend.title, summary,
                            trend.unit, spec, ChartTable(("年度", *(s.label for s in trend.series)), rows)))
    return charts


def _ends(trend: Trend) -> tuple[str, str]:
    """The first and last year with a figure, described for the main series."""
    series = trend.series[-1] if trend.key == "three_public" else trend.series[0]
    known = [(y, v) for y, v in zip(trend.years, series.values, strict=True) if v is not None]
    (y0, v0), (y1, v1) = known[0], known[-1]
    return (f"{series.label} {y0}年 {format_amount(v0)} {trend.unit}",
            f"{y1}年 {format_amount(v1)} {trend.unit}（{format_signed(v1 - v0)}）")
