"""formulaic.read_formulaic gives what the clause reader gives, on real and on altered paragraphs."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from site_builder.clauses import read_paragraph
from site_builder.formulaic import read_formulaic
from site_builder.loader import load_site
from site_builder.paragraphs import paragraphs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402


def _fields(found: tuple | list) -> list[str]:
    """Each statement's fields as exact text (Decimal('5.0') and Decimal('5.00') differ)."""
    return [repr(sorted((d if isinstance(d, dict) else d.__dict__).items())) for d in found]


def _agrees(text: str) -> bool:
    fast = read_formulaic(text)
    if fast is None:
        return True
    found, orphan = read_paragraph(text)
    return _fields(fast[0]) == _fields(found) and fast[1] == orphan


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> list[str]:
    """Every paragraph of the example site and of a synthetic corpus of both profiles."""
    content = tmp_path_factory.mktemp("formulaic") / "content"
    generate(content, departments=4, years=2, seed=11, mistakes=0)
    out = []
    for folder in (ROOT / "content", content):
        site, _ = load_site(folder)
        assert site is not None
        out += [text for doc in site.documents for s in doc.sections for text, _ in paragraphs(s)]
    return sorted(set(out))


def test_formulaic_paragraphs_read_as_the_clause_reader_reads_them(texts):
    matched = [t for t in texts if read_formulaic(t) is not None]
    assert len(matched) > len(texts) / 4  # the three sentences are most paragraphs with figures
    for shape in ("年预算数为", "占", "预算执行数为"):  # each of the three sentences is there
        assert any(shape in t for t in matched)
    assert all(_agrees(t) for t in matched)


def test_altered_paragraphs_match_only_when_read_alike(texts):
    """Words the reader treats specially, put anywhere in formulaic paragraphs."""
    words = ["，", "；", "。", ",", "、", "“", "”", "（", "）", "比", "增加", "减少", "元", "万元", "%", ":",
             "：", "主要原因是", "主要用于", "0", ",000", "的", "其中", "（类）", "（项）", "2023年", "占", "持平"]
    rng = random.Random(5)
    formulaic = [t for t in texts if read_formulaic(t) is not None]
    altered = []
    for _ in range(20000):
        text = rng.choice(formulaic)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(words) + text[i + (rng.random() < 0.3):]
        altered.append(text)
    still = [t for t in altered if read_formulaic(t) is not None]
    assert 0 < len(still) < len(altered)
    assert [t for t in still if not _agrees(t)] == []


def test_each_pattern_is_tried_only_where_words_it_needs_are():
    """A pattern's guard words are written in the pattern outside any group or choice (it cannot
    match a paragraph without them)."""
    from site_builder.formulaic import _PATTERNS
    for pattern, _, needed in _PATTERNS:
        assert re.sub(r"\(\?P<\w+>[^()]*\)|\(\?:[^()]*\)\??", "", pattern.pattern).count(needed) >= 1
