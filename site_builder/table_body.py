"""The body rows of a published table as HTML, drawn from the table's rows.

A table's body is most of the HTML of the site (a few hundred cells per table, each table shown
on the document page and on its own page), and the Jinja macros that drew it cell by cell were
the most expensive part of the build. The markup is exactly theirs (`tests/test_render_speed.py`
keeps them as the reference). Each side's cells are prepared once per header grid as text
pieces with a slot per varying part, so a line is one join; names, codes and texts are escaped
only when the table has a character that needs it; each amount object is formatted once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from operator import itemgetter
from string import Formatter
from typing import Any

from .model import Row, Side, Table
from .table_header import Leaf
from .table_layout import TableLayout, paired_rows, row_anchor

ROW_INDENT = "\n        "  # the rows sit inside <tbody> (`budget_table`)
CELL_INDENT = "\n          "
UNSAFE = re.compile(r"[&<>'\"]")  # what `escape` changes
# Where the link to a row's findings goes, until the page's own relative link replaces it. Text
# in the body is escaped, so no `<` of a value can make it; no tag of the body starts with `<@`.
HREF = "<@{}>"


def escape(value: object) -> str:
    """Jinja's autoescape (markupsafe): the same five characters, the same entities."""
    text = value if isinstance(value, str) else str(value)
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


class _Cells:
    """A `_SidePlan.format` string taken apart once: its text pieces, and which slot fills each
    gap. (`str.format` parses its format on every call, which cost more than the rest of a line.)"""

    def __init__(self, fmt: str) -> None:
        pieces, slots = [""], []
        for text, slot, _, _ in Formatter().parse(fmt):
            pieces[-1] += text
            if slot is not None:
                slots.append(int(slot))
                pieces.append("")
        self.skeleton: list[str | None] = [None] * (2 * len(slots) + 1)
        self.skeleton[0::2] = pieces
        self.pick = itemgetter(*slots) if len(slots) > 1 else lambda fill: (fill[slots[0]],)

    def format(self, fill: list[str]) -> str:
        """Like `fmt.format(*fill)`."""
        out = self.skeleton.copy()
        out[1::2] = self.pick(fill)
        return "".join(out)


class _SidePlan:
    """How one side of a table is drawn: the cells' markup with a slot per varying part, and the
    text of the slots for a row (`fill`)."""

    def __init__(self, side: Side, leaves: tuple[Leaf, ...], first: bool) -> None:
        self.side, self.leaves, self.first = side, leaves, first  # first: name cells are sticky
        roles = [leaf.column.role for leaf in leaves]
        self.codes = roles.count("code")
        self.amounts = tuple(leaf.column.key for leaf in leaves if leaf.column.role == "amount")
        self.texts = tuple(leaf.column.key for leaf in leaves if leaf.column.role == "text")
        self.cells = _Cells(self.format())
        self.empty = "".join(
            CELL_INDENT + (f'<td class="name{" sticky" if first else ""}"></td>' if role == "name"
                           else f'<td headers="{escape(leaf.headers)}" class="{_class(role)}"></td>')
            for leaf, role in zip(leaves, roles, strict=True))

    def format(self, flagged: frozenset[str] = frozenset()) -> str:
        """The cells of a line where the side has a row, as a format: {0} the line's id on this
        side, {1} the row's anchor (in the first cell), {2} its level, {3} the link to its
        findings (in the name cell), then the codes, the name, the amounts and the texts."""
        out, n_code, n_amount, n_text = [], 0, 0, 0
        first_amount = 5 + self.codes
        for n, leaf in enumerate(self.leaves):
            own = escape(leaf.headers).replace("{", "{{").replace("}", "}}")
            opens, role = "{1}" if n == 0 else "", leaf.column.role
            if role == "name":
                sticky = " sticky" if self.first else ""
                out.append(f'<th scope="row" id="{{0}}" headers="{own}" class="name lvl-{{2}}{sticky}">'
                           f"{opens}{{{4 + self.codes}}}{{3}}</th>")
                continue
            if role == "code":
                slot, n_code = 4 + n_code, n_code + 1
            elif role == "amount":
                slot, n_amount = first_amount + n_amount, n_amount + 1
            else:
                slot, n_text = first_amount + len(self.amounts) + n_text, n_text + 1
            headers = f"{own} {{0}}" if self.side.has_name else own
            flag = " flagged" if role == "amount" and leaf.column.key in flagged else ""
            out.append(f'<td headers="{headers}" class="{_class(role)}{flag}">{opens}{{{slot}}}</td>')
        return "".join(CELL_INDENT + cell for cell in out)

    def draw(self, head: list[str], row: Row, escaped: Callable[[str], str] | None,
             cells: _Cells | None = None) -> str:
        """The cells of a line where the side has `row`: `head` fills the first four slots, the
        row the others (codes, name, amounts with their published marker, texts); names, codes
        and texts go through `escaped` when given. `cells`: a marked row's own format."""
        code = row.code
        codes = code.split() if code else []
        if len(codes) != self.codes:
            codes = (codes + [""] * self.codes)[:self.codes]
        name = f"{code} {row.name}" if code and not self.codes else row.name
        texts = [row.texts.get(key) or "" for key in self.texts] if self.texts else []
        if escaped:
            codes, name, texts = [escaped(c) for c in codes], escaped(name), [escaped(t) for t in texts]
        get = row.amounts.get
        if row.marks:
            amounts = [_marked(get(key), row.marks.get(key)) for key in self.amounts]
        else:
            amounts = ["" if (value := get(key)) is None else money(value) for key in self.amounts]
        return (cells or self.cells).format([*head, *codes, name, *amounts, *texts])


# An amount as shown, by value; the entry holds its very object, as equal amounts of another
# precision (1.0, 1.00) are shown otherwise. The loader reads each amount's text once, so a
# site's tables repeat a few thousand objects (c100: 62,224 cells, 6,207 amounts).
_SHOWN: dict[Decimal, tuple[Decimal, str]] = {}
_SHOWN_LIMIT = 20_000  # a department has a few thousand; ~3 MB at most


def money(value: Decimal) -> str:
    """`format(value, ",f")` (`1,234.50`), worked out once per amount object."""
    hit = _SHOWN.get(value)
    if hit is not None and hit[0] is value:
        return hit[1]
    if len(_SHOWN) >= _SHOWN_LIMIT:
        _SHOWN.clear()
    text = format(value, ",f")
    _SHOWN[value] = (value, text)
    return text


def _marked(value: Decimal | None, mark: str | None) -> str:
    """An amount with the marker printed before it (`*81.10`); blank without an amount."""
    if value is None:
        return ""
    return f"{escape(mark)}{money(value)}" if mark else money(value)


def _class(role: str) -> str:
    return "num" if role == "amount" else escape(role)


def draw_body(table: Table, layout: TableLayout, marks: Mapping[str, Any], routes: list[str]) -> str:
    """Every line of the table; findings' links point at `HREF` slots numbered as `routes`."""
    sides, table_id = table.spec.sides, layout.id
    if "plans" not in layout.memo:  # the same for every table with this grid
        layout.memo["plans"] = [_SidePlan(side, tuple(leaf for leaf in layout.leaves if leaf.side is side), n == 0)
                                for n, side in enumerate(sides)]
    plans = layout.memo["plans"]
    escaped = escape if _needs_escaping(table) else None
    if len(sides) == 1 and not marks:
        return _draw_plain(plans[0], table.rows(sides[0].key), layout.id, escaped)
    # Row anchors (`t6-main-14`) are made from their escaped prefix: digits need no escaping.
    prefixes = [(prefix, escape(prefix), {id(row): n + 1 for n, row in enumerate(table.rows(side.key))},
                 f"-{n}" if len(sides) > 1 else "")
                for n, side in enumerate(sides, start=1) for prefix in [row_anchor(table_id, side.key, -1)[:-1]]]
    ids = escape(table_id)
    lines = []
    for i, group in enumerate(paired_rows(table), start=1):
        cells, opened, total, flagged = [], "", False, False
        for plan, (prefix, shown, index, suffix), row in zip(plans, prefixes, group, strict=True):
            if row is None:
                cells.append(plan.empty)
                continue
            number = index[id(row)]
            anchor, html_id = f"{prefix}{number}", f"{shown}{number}"
            span = f'<span id="{html_id}" class="row-anchor"></span>' if opened else ""
            opened, total = opened or html_id, total or row.is_total
            mark = marks.get(anchor) if marks else None
            flagged = flagged or (bool(marks) and anchor in marks)
            cells.append(_side_cells(plan, row, f"{ids}-r{i}{suffix}", span, mark, routes, escaped))
        names = ("total has-finding" if flagged else "total") if total else "has-finding" if flagged else ""
        attrs = f' id="{opened}" class="{names}"' if names else f' id="{opened}"'
        lines.append(f"<tr{attrs}>{''.join(cells)}{ROW_INDENT}</tr>")
    return ROW_INDENT.join(lines)


def _draw_plain(plan: _SidePlan, rows: tuple[Row, ...], table_id: str,
                escaped: Callable[[str], str] | None) -> str:
    """The lines of a one-sided table without marks (most tables): line i shows row i."""
    ids, anchors = escape(table_id), escape(row_anchor(table_id, plan.side.key, -1)[:-1])
    draw, end, lines = plan.draw, f"{ROW_INDENT}</tr>", []
    for i, row in enumerate(rows, start=1):
        opening = f'<tr id="{anchors}{i}" class="total">' if row.is_total else f'<tr id="{anchors}{i}">'
        lines.append(f'{opening}{draw([f"{ids}-r{i}", "", str(row.level), ""], row, escaped)}{end}')
    return ROW_INDENT.join(lines)


def _side_cells(plan: _SidePlan, row: Row, row_id: str, span: str, mark: Any, routes: list[str],
                escaped: Callable[[str], str] | None) -> str:
    """The cells of one side of a line, opening with `span` (the row's anchor), marked when `mark`."""
    if not mark:
        return plan.draw([row_id, span, str(row.level), ""], row, escaped)
    link = (f' <a class="finding-mark" href="{HREF.format(routes.index(mark.route))}#'
            f'{escape(mark.fragment)}" title="本行有 {escape(mark.count)} 条数据核对结果">核'
            '<span class="visually-hidden">（有核对结果）</span></a>')
    return plan.draw([row_id, span, str(row.level), link], row, escaped, _Cells(plan.format(mark.columns)))


def _needs_escaping(table: Table) -> bool:
    """Whether any name, code or text of the table has a character `escape` changes (rare)."""
    rows = [row for rows in table.parts.values() for row in rows]
    texts = [row.name for row in rows] + [row.code for row in rows if row.code] + \
        [text for row in rows if row.texts for text in row.texts.values()]
    return UNSAFE.search("".join(texts)) is not None
