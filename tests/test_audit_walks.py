"""The audits walk each table once: what they share stands for what each one worked out alone."""

from __future__ import annotations

from site_builder.rules import norm_code, squash, table_rows


def test_table_rows_give_each_row_its_code_or_name_key(example_site):
    checked = 0
    for doc in example_site.documents:
        for table in doc.tables.values():
            shared = table_rows(table)
            assert list(shared) == [s.key for s in table.spec.sides]
            for side in table.spec.sides:
                assert shared[side.key] == [
                    (side.key, i, row, norm_code(row.code) if row.code else squash(row.name), squash(row.name))
                    for i, row in enumerate(table.rows(side.key))]
                checked += len(shared[side.key])
            assert table_rows(table) is shared  # made once per table
    assert checked > 100


def test_a_rows_amounts_are_its_present_figures_in_key_order(example_site):
    """audit_names._fractions reads `row.amounts.values()` as the row's figures, key by key."""
    cells = 0
    for doc in example_site.documents:
        for table in doc.tables.values():
            for side in table.spec.sides:
                for row in table.rows(side.key):
                    assert list(row.amounts) == [k for k in side.amount_keys if k in row.amounts]
                    cells += len(row.amounts)
    assert cells > 1000
