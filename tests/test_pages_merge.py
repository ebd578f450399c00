"""`table_layout.merge_repeats` gives the rowspans its first, plainer version gave."""

from __future__ import annotations

import random

from site_builder.table_layout import merge_repeats


def _reference(rows: list[list[str]], columns: int = 2) -> list[list[tuple[str, int]]]:
    """The first version: a row continues a block when every column before it is covered."""
    out = [[(text, 1) for text in row] for row in rows]
    for col in range(min(columns, min((len(r) for r in rows), default=0))):
        start = 0
        for i in range(1, len(rows) + 1):
            same = i < len(rows) and rows[i][col] == rows[start][col] and rows[i][col] and all(
                out[i][c][1] == 0 for c in range(col))
            if not same:
                out[start][col] = (rows[start][col], i - start)
                for j in range(start + 1, i):
                    out[j][col] = (rows[j][col], 0)
                start = i
    return out


def test_merge_repeats_matches_the_first_version_on_random_grids():
    rng = random.Random(3)
    merged = 0
    for _ in range(3000):
        width = rng.randint(1, 4)
        rows = [[rng.choice(["", "产出", "效益", "数量"]) for _ in range(width)] for _ in range(rng.randint(0, 8))]
        columns = rng.randint(1, 3)
        expected = _reference(rows, columns)
        assert merge_repeats(rows, columns) == expected, rows
        merged += any(span > 1 for row in expected for _, span in row)
    assert merged > 1000
