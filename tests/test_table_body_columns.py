"""The body drawn column by column (`table_body`) writes what the cell-by-cell macro wrote,
also for codes with more or fewer segments than the table has code columns."""

from __future__ import annotations

import dataclasses

from test_render_speed import MACRO_ROWS, _macro, _text, site  # noqa: F401  (the fixture site)

from site_builder.pages import table_view
from site_builder.table_body import money
from site_builder.table_html import table_rows


def _coded_table(site):  # noqa: F811
    """A one-sided table of the fixture with code columns and at least three rows."""
    return next((doc, t) for doc in site.documents for t in doc.tables.values()
                if len(t.spec.sides) == 1 and len(t.rows()) >= 3
                and any(leaf.column.role == "code" for leaf in table_view(doc, t).layout.leaves))


def test_codes_longer_shorter_and_absent_match_the_macro(site):  # noqa: F811
    doc, table = _coded_table(site)
    side = table.spec.sides[0].key
    rows = list(table.rows(side))
    rows[0] = dataclasses.replace(rows[0], code="201 01 02 03 04")  # more segments than columns
    rows[1] = dataclasses.replace(rows[1], code="2")
    rows[2] = dataclasses.replace(rows[2], code=None, name="合计 & <其他>")
    odd = dataclasses.replace(table, parts={**table.parts, side: tuple(rows)})
    view = table_view(doc, odd)
    expected = _macro(MACRO_ROWS, L=view.layout, view=view, url=str)
    assert "合计 &amp; &lt;其他&gt;" in expected
    assert _text(table_rows(view, str)) == expected


def test_money_keeps_each_precision():
    from decimal import Decimal
    assert money(Decimal("1.0")) == "1.0" and money(Decimal("1.00")) == "1.00"
    assert money(Decimal("1234567.5")) == "1,234,567.5"
