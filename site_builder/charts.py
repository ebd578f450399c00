"""Chart specs as plain dicts for plotly.js, each with a one-sentence summary and its data table.

Chart styling lives here and nowhere else: the Okabe–Ito palette (safe for colour-blind
readers), Chinese hover text, readable type sizes and tick labels in 万/亿. A spec is plain
JSON (not plotly.graph_objects: a dict costs microseconds, a Figure milliseconds and kilobytes
of template); amounts are plotted as floats but every number a reader sees (hover, table,
summary) is the published Decimal formatted exactly.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import chain

from markupsafe import Markup

from .table_body import money
from .table_html import escape

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000")
INCREASE, DECREASE = "#0072B2", "#D55E00"
FONT = ('"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",'
        '"Source Han Sans SC","WenQuanYi Micro Hei",sans-serif')
NARROW_WIDTH = 520  # below this width (px) charts.js draws a chart's `narrow` spec if it has one
LABEL_CHARS = 9  # longer axis labels are shortened (the hover and the table keep the full name)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)  # not the int 100: a Decimal times an int converts the int every time
_NEXT_CELL = '</td><td class="num">'
_UNSAFE = re.compile(r"[&<>'\"]")  # what `escape` changes


@dataclass(frozen=True)
class ChartTable:
    """The chart's numbers as a table: column titles and rows of display strings."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @cached_property
    def body(self) -> Markup:
        """The <tbody> rows of the chart's figure (first cell the row's header), drawn once;
        cells escaped as autoescape does, only when one of them needs it (most are figures)."""
        rows = self.rows
        if _UNSAFE.search("".join(chain.from_iterable(rows))):
            rows = tuple(tuple(escape(text) for text in row) for row in rows)
        return Markup("".join(f"          <tr>{_cells(row)}</tr>\n" for row in rows))


def _cells(row: tuple[str, ...]) -> str:
    """One row's cells, already escaped."""
    rest = f'<td class="num">{_NEXT_CELL.join(row[1:])}</td>' if len(row) > 1 else ""
    return f'<th scope="row">{row[0]}</th>{rest}' if row else ""


@dataclass(frozen=True)
class Chart:
    id: str  # the element id: stable across builds, unique on its page
    title: str
    summary: str  # one sentence, shown above the chart and used as its accessible name
    unit: str
    spec: dict  # {"data": [...], "layout": {...}, "narrow": {...}?}
    table: ChartTable

    @cached_property
    def figure(self) -> Markup:
        """The chart's <figure>: summary, plot box, JSON spec and data table (drawn once: the
        compare and chart pages show the same Chart objects)."""
        i, title, unit = escape(self.id), escape(self.title), escape(self.unit)
        heads = "".join(f'<th scope="col">{escape(col)}</th>' for col in self.table.columns)
        return Markup(
            f'<figure class="chart" id="{i}-figure" aria-labelledby="{i}-title">\n'
            f'  <h2 class="chart-title" id="{i}-title">{title}</h2>\n'
            f'  <p class="chart-summary" id="{i}-summary">{escape(self.summary)} '
            f'<span class="chart-unit">单位：{unit}</span></p>\n'
            f'  <div class="chart-plot" id="{i}" style="height:{plot_height(self.spec)}px" role="img" '
            f'aria-labelledby="{i}-title" aria-describedby="{i}-summary"></div>\n'
            f'  <script type="application/json" data-chart-for="{i}">{self.json}</script>\n'
            f'  <details class="chart-data" id="{i}-data" open>\n'
            "    <summary>图表数据（表格）</summary>\n"
            f'    <div class="table-scroll" role="region" aria-label="{title} 数据" tabindex="0">\n'
            '      <table class="data chart-table">\n'
            f'        <caption class="visually-hidden">{title}（单位：{unit}）</caption>\n'
            f"        <thead><tr>{heads}</tr></thead>\n"
            f"        <tbody>\n{self.table.body}        </tbody>\n"
            "      </table>\n    </div>\n  </details>\n</figure>\n")

    @cached_property
    def json(self) -> Markup:
        """The spec as JSON that is safe inside <script type="application/json">."""
        text = json.dumps(self.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return Markup(text)


def plot_height(spec: dict) -> int:
    """The plot box's height, reserved before charts.js runs: the light view's fixed rows (bars:
    20 px label + 18 px per trace + 8 px; rings: 148 px + 20 px per slice, see charts.css) or
    the plotly height, whichever is larger. plotly.js later draws at this same height."""
    narrow = spec.get("narrow")
    light = narrow if narrow and spec["data"][0]["type"] == "sunburst" else spec
    first = light["data"][0]
    if first["type"] == "pie":
        need = 148 + 20 * len(first["labels"])
    else:
        bars = first["y"] if first.get("orientation") == "h" else first["x"]
        need = len(bars) * (28 + 18 * len(light["data"]))
    return max(need, spec["layout"]["height"], narrow["layout"]["height"] if narrow else 0)


def format_amount(value: Decimal | None) -> str:
    """`156211123` → `156,211,123`, `6.10` → `6.10`: the published precision kept."""
    return "—" if value is None else money(value)


def format_signed(value: Decimal | None) -> str:
    """A change (worked out, not published: not kept) with its sign: `+1,200.50`."""
    return "—" if value is None else ("+" if value > 0 else "") + format(value, ",f")


def format_share(part: Decimal, whole: Decimal) -> str:
    """A share in percent to two places (ROUND_HALF_UP); `—` when the whole is 0."""
    if not whole:
        return "—"
    # no exponent; the rounding by position (by keyword it cost twice as much)
    return str((part / whole * HUNDRED).quantize(CENT, ROUND_HALF_UP)) + "%"


def compact(value: float, unit: str) -> str:
    """A tick label in Chinese magnitudes: 1.5亿, 3,000万, 250 (in the document's unit)."""
    yuan_factor = 10000 if unit == "万元" else 1
    yuan = value * yuan_factor
    if abs(yuan) >= 1e8:
        return f"{yuan / 1e8:,.4g}亿"
    if abs(yuan) >= 1e4 and unit == "元":
        return f"{yuan / 1e4:,.4g}万"
    return f"{value:,.6g}"


def nice_ticks(high: float, low: float = 0.0, count: int = 4) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 × 10ⁿ."""
    span = (high - low) or abs(high) or 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    start = (low // step) * step
    ticks, tick = [], start
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    if ticks[-1] < high:
        ticks.append(round(tick, 10))
    return ticks


def value_axis(values: list[float], unit: str, room: float = 0.0, **extra) -> dict:
    """A value axis with 万/亿 tick labels, a unit title and no tiny text.

    `room` widens the range on each side that has bars by that share of the span, so that
    value labels written outside the bars stay on screen.
    """
    low, high = min([0.0, *values]), max([0.0, *values])
    ticks = nice_ticks(high, low)
    axis = {"tickvals": ticks, "ticktext": [compact(t, unit) for t in ticks],
            "title": {"text": unit, "font": {"size": 12}}, "zeroline": True,
            "zerolinecolor": "#555", "gridcolor": "#ddd", "tickfont": {"size": 12},
            "fixedrange": True, "automargin": True, **extra}
    span = (high - low) or 1.0
    axis["range"] = [low - span * room if low < 0 else ticks[0],
                     high + span * room if room and high > 0 else ticks[-1]]
    return axis


def short_label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def base_layout(height: int, **extra) -> dict:
    """What every chart shares: font, palette, margins, Chinese number separators."""
    layout = {
        "font": {"family": FONT, "size": 13, "color": "#222"},
        "colorway": list(OKABE_ITO), "separators": ".,", "height": height,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8, "pad": 2},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT, "size": 13}, "align": "left"},
        "uniformtext": {"minsize": 12, "mode": "hide"},
        "legend": {"orientation": "h", "y": -0.12, "x": 0, "font": {"size": 12}},
        "dragmode": False,
    }
    layout.update(extra)
    return layout


def hbar_spec(labels: list[str], traces: list[tuple[str, list[Decimal | None], str | None]],
              unit: str, barmode: str = "group", ticks: list[str] | None = None) -> dict:
    """Horizontal bars, one category per line (top to bottom in `labels` order).

    `labels` must be unique (they are the categories and the hover text); `ticks` are the
    shorter texts shown on the axis, e.g. the name without its code.
    """
    data = []
    for name, values, colour in traces:
        trace = {"type": "bar", "orientation": "h", "name": name, "y": list(labels),
                 "x": [float(v) if v is not None else None for v in values],
                 "customdata": [[full, format_amount(v)] for full, v in zip(labels, values, strict=True)],
                 "hovertemplate": f"%{{customdata[0]}}<br>{name}：%{{customdata[1]}} {unit}<extra></extra>",
                 "text": [format_signed(v) if barmode == "relative" else format_amount(v)
                          for v in values],
                 # Diverging bars keep their labels inside: outside, long labels collide with
                 # the axis labels at 360 px. Labels that do not fit are hidden (uniformtext).
                 "textposition": "inside" if barmode == "relative" else "auto",
                 "insidetextanchor": "end", "cliponaxis": False}
        if colour:
            trace["marker"] = {"color": colour}
        data.append(trace)
    values = [float(v) for _, vs, _ in traces for v in vs if v is not None]
    height = 60 + max(len(labels), 1) * (22 + 14 * len(traces)) + (30 if len(traces) > 1 else 0)
    ticktext = [short_label(label) for label in (ticks or labels)]
    layout = base_layout(height, barmode="relative" if barmode == "relative" else barmode,
                         showlegend=len(traces) > 1,
                         xaxis=value_axis(values, unit, room=0.05 if barmode == "relative" else 0.3,
                                          side="top"),
                         yaxis={"autorange": "reversed", "tickvals": list(labels),
                                "ticktext": ticktext, "tickfont": {"size": 12},
                                "fixedrange": True, "automargin": True, "type": "category"})
    return {"data": data, "layout": layout}


def donut_spec(labels: list[str], values: list[Decimal], unit: str) -> dict:
    """A donut of shares; labels outside only when they fit, the legend always."""
    total = sum(values, Decimal(0))
    trace = {"type": "pie", "hole": 0.5, "sort": False, "direction": "clockwise",
             "labels": labels, "values": [float(v) for v in values],
             "customdata": [[format_amount(v), format_share(v, total)] for v in values],
             "hovertemplate": f"%{{label}}<br>%{{customdata[0]}} {unit}（%{{customdata[1]}}）<extra></extra>",
             "texttemplate": "%{customdata[1]}", "textposition": "inside",
             "marker": {"colors": list(OKABE_ITO[:len(values)]), "line": {"color": "#fff", "width": 1}}}
    return {"data": [trace], "layout": base_layout(300, showlegend=True,
                                                   legend={"orientation": "h", "y": -0.05, "x": 0,
                                                           "font": {"size": 12}})}


def sunburst_spec(nodes: list[tuple[str, str, str, Decimal, Decimal]], unit: str,
                  total: Decimal, shown: list[list[str]] | None = None) -> dict:
    """A sunburst of (id, parent, label, published amount, plotted remainder) nodes.

    Plotted values are remainders (a parent's published amount less its children's), so a
    parent whose published figure differs from the sum of its parts by rounding still draws;
    hover text shows the published amount and share (`shown`, when the caller has them).
    """
    ids, parents, labels, amounts, rest = zip(*nodes, strict=True)  # the columns (nodes: one or more)
    if shown is None:
        shown = [[format_amount(a), format_share(a, total)] for a in amounts]
    trace = {"type": "sunburst", "branchvalues": "remainder", "maxdepth": 3,
             "ids": list(ids), "parents": list(parents), "labels": list(labels),
             "values": list(map(float, rest)), "customdata": shown,
             "hovertemplate": (f"%{{label}}<br>%{{customdata[0]}} {unit}"
                               "（占 %{customdata[1]}）<extra></extra>"),
             "texttemplate": "%{label}", "insidetextorientation": "horizontal",
             "marker": {"line": {"color": "#fff", "width": 1}}}
    layout = base_layout(420, sunburstcolorway=list(OKABE_ITO), extendsunburstcolors=True)
    return {"data": [trace], "layout": layout}


def line_spec(years: list[str], traces: list[tuple[str, list[Decimal | None]]], unit: str,
              bars: bool = False, stacked: bool = False) -> dict:
    """Values over the years: lines with markers, or (stacked) bars per year."""
    data = []
    for name, values in traces:
        trace = {"type": "bar" if bars else "scatter", "name": name, "x": years,
                 "y": [float(v) if v is not None else None for v in values],
                 "customdata": [format_amount(v) for v in values],
                 "hovertemplate": f"%{{x}} {name}：%{{customdata}} {unit}<extra></extra>"}
        if not bars:
            trace.update(mode="lines+markers", marker={"size": 9}, line={"width": 3})
        data.append(trace)
    values = [float(v) for _, vs in traces for v in vs if v is not None]
    if stacked:
        values = [sum(float(vs[i] or 0) for _, vs in traces) for i in range(len(years))]
    layout = base_layout(300, showlegend=len(traces) > 1, barmode="stack" if stacked else "group",
                         xaxis={"type": "category", "fixedrange": True, "tickfont": {"size": 13},
                                "automargin": True},
                         yaxis=value_axis(values, unit))
    layout["margin"]["b"] = 40 if len(traces) > 1 else 8
    return {"data": data, "layout": layout}
