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
from functools import cached_property, lru_cache
from operator import attrgetter

from .model import Pos, Row

FUZZY_RATIO = 0.75  # below this two names are not taken for the same line
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)+|^其中[:：]")
_NOISE = re.compile(r"[\s　“”\"'‘’（）()【】\[\]：:、，,。.．]")
PASSES = ("total", "code", "name", "fuzzy")
_CODE, _TOTAL = attrgetter("code"), attrgetter("is_total")


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
    """Last year's rows, indexed by code (and, when asked, by name), with those already paired.

    Each `find_*` gives the first row left that matches a row of this year in one way of
    `PASSES`, or None."""

    def __init__(self, rows: tuple[Row, ...], label_key: str | None):
        self.rows, self.label_key = rows, label_key
        self.taken = [False] * len(rows)
        self.names: dict[int, str] = {}
        self.by_code: dict[str, list[int]] = {}
        for k, r in enumerate(rows):
            if r.code:
                self.by_code.setdefault(match_code(r.code), []).append(k)

    def name(self, row: Row) -> str:
        return match_name(row_label(row, self.label_key))

    def name_at(self, k: int) -> str:
        """The normalised name of last year's row `k` (worked out when first asked for)."""
        name = self.names.get(k)
        if name is None:
            name = self.names[k] = self.name(self.rows[k])
        return name

    @cached_property
    def by_name(self) -> dict[tuple[int, str], list[int]]:
        """The rows left, by code depth and name: first asked for by the name pass, and rows
        paired before it could never be found again anyway."""
        index: dict[tuple[int, str], list[int]] = {}
        for k, r in enumerate(self.rows):
            if not r.is_total and not self.taken[k]:
                index.setdefault((len(r.segments), self.name_at(k)), []).append(k)
        return index

    def _first(self, indices) -> int | None:
        return next((k for k in indices if not self.taken[k]), None)

    def find_total(self, row: Row) -> int | None:
        return self._first(k for k, r in enumerate(self.rows) if r.is_total) if row.is_total else None

    def find_code(self, row: Row) -> int | None:
        coded = self.by_code.get(match_code(row.code)) if row.code and not row.is_total else None
        if not coded:
            return None
        if len(coded) == 1:  # the usual case: one line of that code last year
            return None if self.taken[coded[0]] else coded[0]
        same = [k for k in coded if not self.taken[k]]
        if self.label_key and len(same) > 1:
            name = self.name(row)
            return next((k for k in same if self.name_at(k) == name), same[0])
        return same[0] if same else None

    def find_name(self, row: Row) -> int | None:
        return None if row.is_total else self._first(self.by_name.get((len(row.segments), self.name(row)), ()))

    def find_similar(self, row: Row) -> int | None:
        """The most similar uncoded name left (the first of equals), if similar enough.

        The length bound (difflib's real_quick_ratio) is never below the ratio, so the names
        it rules out could not have been the answer."""
        if row.is_total or row.code is not None:
            return None
        name, best = self.name(row), None
        for k, r in enumerate(self.rows):
            if self.taken[k] or r.is_total or r.code is not None:
                continue
            other = self.name_at(k)
            total = len(name) + len(other)
            if total and 2.0 * min(len(name), len(other)) / total < FUZZY_RATIO:
                continue
            ratio = SequenceMatcher(None, name, other).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, k)
        return best[1] if best and best[0] >= FUZZY_RATIO else None


def pair_rows(current: tuple[Row, ...], previous: tuple[Row, ...],
              label_key: str | None = None) -> Pairing:
    """Pair rows of two years: totals, codes, names, then similar names (with a finding)."""
    if _in_step(current, previous, label_key):
        return Pairing([(row, prev, "total" if row.is_total else "code" if row.code else "name")
                        for row, prev in zip(current, previous, strict=True)])
    return pair_by_passes(current, previous, label_key)


def pair_by_passes(current: tuple[Row, ...], previous: tuple[Row, ...],
                   label_key: str | None = None) -> Pairing:
    """`pair_rows` pass by pass, for any two tables."""
    out = Pairing()
    last = _LastYear(previous, label_key)
    matched: dict[int, tuple[Row, str]] = {}
    left = list(range(len(current)))  # this year's rows not paired yet
    finders = (last.find_total, last.find_code, last.find_name, last.find_similar)
    for how, find in zip(PASSES, finders, strict=True):
        if not left or len(matched) == len(previous):
            break  # nothing left on one side
        still = []
        for i in left:
            k = find(current[i])
            if k is None:
                still.append(i)
                continue
            last.taken[k] = True
            matched[i] = (previous[k], how)
            if how in ("name", "fuzzy"):
                out.findings.extend(_match_findings(current[i], previous[k], how, label_key))
        left = still
    out.pairs = [(row, *matched.get(i, (None, "new"))) for i, row in enumerate(current)]
    _insert_removed(out.pairs, previous, last.taken)
    return out


def _in_step(current: tuple[Row, ...], previous: tuple[Row, ...], label_key: str | None = None) -> bool:
    """Whether both years publish the same lines in the same order (most tables): the same
    codes, each under a code of its own, the totals in the same places and each uncoded line
    under last year's name in its place. The passes would then pair every line with the one in
    its place (totals in turn, codes one to one, names in turn), so the pairing is that."""
    codes, totals = list(map(_CODE, current)), list(map(_TOTAL, current))
    if len(current) != len(previous) or codes != list(map(_CODE, previous)) \
            or totals != list(map(_TOTAL, previous)):
        return False
    keys = [match_code(code) for code, total in zip(codes, totals, strict=True) if code and not total]
    return len(set(keys)) == len(keys) and all(
        row_label(row, label_key) == row_label(prev, label_key)
        for row, prev in zip(current, previous, strict=True) if not row.code and not row.is_total)


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
    if all(taken):
        return
    rank = {id(row): k for k, row in enumerate(previous)}
    ranks = [rank[id(p)] if p is not None else len(previous) for _, p, _ in pairs]
    for k, prev_row in enumerate(previous):
        if taken[k]:
            continue
        at = next((j + 1 for j in range(len(ranks) - 1, -1, -1) if ranks[j] < k), 0)
        pairs.insert(at, (None, prev_row, "removed"))
        ranks.insert(at, k)
