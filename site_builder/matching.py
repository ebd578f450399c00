"""Which line of last year's table is the same line as one of this year's.

Lines are paired by total, then classification code (normalised for matching only: "301 2" ≡
"301 02"), then name, and as a last resort by a similar name (difflib) with a finding. Last
year's rows are indexed once by code and by name, so a table of n lines costs about n look-ups;
only lines that nothing else paired are compared by similarity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from .model import Pos, Row

FUZZY_RATIO = 0.75  # below this two names are not taken for the same line
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)+|^其中[:：]")
_NOISE = re.compile(r"[\s　“”\"'‘’（）()【】\[\]：:、，,。.．]")
PASSES = ("total", "code", "name", "fuzzy")


@dataclass(frozen=True)
class Finding:
    """Something the reader or maintainer should know about a comparison."""

    code: str  # fuzzy-match | code-changed | disagreement | unit-mismatch | basis
    message: str
    pos: Pos | None = None

    def format(self) -> str:
        where = f"{self.pos.file}:{self.pos.line}: " if self.pos else ""
        return f"{where}{self.message}"


@lru_cache(maxsize=4096)
def match_code(code: str | None) -> str | None:
    """The key a code is matched by: segments after the first padded to two digits."""
    if not code:
        return None
    segments = code.split()
    if len(segments) == 1 and len(segments[0]) in (5, 7) and segments[0].isdigit():
        whole = segments[0]
        segments = [whole[:3]] + [whole[i:i + 2] for i in range(3, len(whole), 2)]
    return " ".join([segments[0]] + [s.zfill(2) for s in segments[1:]])


@lru_cache(maxsize=1 << 16)
def match_name(name: str) -> str:
    """A name stripped of numbering, spaces and punctuation: `（一）1、工资 福利` → `工资福利`."""
    name = _NUMBERING.sub("", name.strip())
    return _NOISE.sub("", name)


def row_label(row: Row, label_key: str | None) -> str:
    """The name a row is known by: its project name (`label_key`) where it has one."""
    return (row.texts.get(label_key) if label_key else None) or row.name


@dataclass
class Pairing:
    pairs: list[tuple[Row | None, Row | None, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class _LastYear:
    """Last year's rows, indexed by code and by name, with the ones already paired."""

    def __init__(self, rows: tuple[Row, ...], label_key: str | None):
        self.rows, self.label_key = rows, label_key
        self.names = [match_name(row_label(r, label_key)) for r in rows]
        self.taken = [False] * len(rows)
        self.totals = [k for k, r in enumerate(rows) if r.is_total]
        self.uncoded = [k for k, r in enumerate(rows) if not r.is_total and r.code is None]
        self.by_code: dict[str | None, list[int]] = {}
        self.by_name: dict[tuple[int, str], list[int]] = {}
        for k, r in enumerate(rows):
            self.by_code.setdefault(match_code(r.code), []).append(k)
            if not r.is_total:
                self.by_name.setdefault((len(r.segments), self.names[k]), []).append(k)

    def find(self, row: Row, how: str) -> int | None:
        """The first row left that matches `row` in the way `how` (see `PASSES`)."""
        if how == "total":
            return self._first(self.totals) if row.is_total else None
        if row.is_total:
            return None
        name = match_name(row_label(row, self.label_key))
        if how == "code":
            key = match_code(row.code)
            if key is None:
                return None
            same = [k for k in self.by_code.get(key, ()) if not self.taken[k]]
            if self.label_key and len(same) > 1:
                return next((k for k in same if self.names[k] == name), same[0])
            return same[0] if same else None
        if how == "name":
            return self._first(self.by_name.get((len(row.segments), name), ()))
        return self._similar(name) if row.code is None else None

    def _first(self, indices) -> int | None:
        return next((k for k in indices if not self.taken[k]), None)

    def _similar(self, name: str) -> int | None:
        """The most similar uncoded name left (the first of equals), if similar enough.

        The length bound (difflib's real_quick_ratio) is never below the ratio, so the names
        it rules out could not have been the answer."""
        best: tuple[float, int] | None = None
        for k in self.uncoded:
            other = self.names[k]
            total = len(name) + len(other)
            if self.taken[k] or total and 2.0 * min(len(name), len(other)) / total < FUZZY_RATIO:
                continue
            ratio = SequenceMatcher(None, name, other).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, k)
        return best[1] if best and best[0] >= FUZZY_RATIO else None


def pair_rows(current: tuple[Row, ...], previous: tuple[Row, ...],
              label_key: str | None = None) -> Pairing:
    """Pair rows of two years: totals, codes, names, then similar names (with a finding)."""
    out = Pairing()
    last = _LastYear(previous, label_key)
    matched: dict[int, tuple[Row, str]] = {}
    for how in PASSES:
        for i, row in enumerate(current):
            if i in matched:
                continue
            k = last.find(row, how)
            if k is not None:
                last.taken[k] = True
                matched[i] = (previous[k], how)
                out.findings.extend(_match_findings(row, previous[k], how, label_key))
    for i, row in enumerate(current):
        prev, how = matched.get(i, (None, "new"))
        out.pairs.append((row, prev, how))
    _insert_removed(out.pairs, previous, last.taken)
    return out


def _match_findings(row: Row, prev: Row, how: str, label_key: str | None) -> list[Finding]:
    name, old = row_label(row, label_key), row_label(prev, label_key)
    if how == "fuzzy":
        return [Finding("fuzzy-match", f"“{name}”与上年的“{old}”名称相近，按同一行比较，请核对。",
                        row.pos)]
    if how == "name" and row.code and prev.code and match_code(row.code) != match_code(prev.code):
        return [Finding("code-changed", f"“{name}”的编码由上年的 {prev.code} 改为 {row.code}，"
                        "按名称对应。", row.pos)]
    return []


def _insert_removed(pairs: list, previous: tuple[Row, ...], taken: list[bool]) -> None:
    """Put each removed line after the last line placed so far that preceded it last year."""
    rank = {id(row): k for k, row in enumerate(previous)}
    ranks = [rank[id(p)] if p is not None else len(previous) for _, p, _ in pairs]
    for k, prev_row in enumerate(previous):
        if taken[k]:
            continue
        at = next((j + 1 for j in range(len(ranks) - 1, -1, -1) if ranks[j] < k), 0)
        pairs.insert(at, (None, prev_row, "removed"))
        ranks.insert(at, k)
