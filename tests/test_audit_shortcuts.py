"""The audits' shortcuts find what the plain way found (round 2 of the audit speed work)."""

from __future__ import annotations

import random
import re
import sys
from decimal import Decimal

import pytest

from site_builder.audit_completeness import stated_amounts
from site_builder.audit_names import _may_exceed
from site_builder.audit_prose import _locate, _section_rules, _unquoted, section_rules
from site_builder.audit_tables import _adder, _sums_to, _unbalanced_rows, adder, balanced
from site_builder.clauses import ARRANGED, LEADING, PATH, RATE, _has_change_word, _path
from site_builder.model import Section
from site_builder.rule_validation import terms_of
from site_builder.rules import squash, squash_text
from site_builder.statements import parse_section

WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


class _Doc:
    def __init__(self, *bodies: str) -> None:
        self.sections = tuple(Section("情况说明", "说明", body) for body in bodies)


def _stated_plainly(bodies) -> set[Decimal]:
    """The former `_facts_in_prose` reading: spaces out, commas out, every `…万元`."""
    text = re.sub(r"\s+", "", " ".join(bodies)).replace(",", "")
    return {Decimal(m) for m in re.findall(r"(\d+(?:\.\d+)?)万元", text)}


@pytest.mark.parametrize("seed", range(300))
def test_amounts_read_backwards_are_those_found_forwards(seed):
    rng = random.Random(seed)
    alphabet = ["1", "2", "0", ".", ".", "万元", "万", "元", "元万", "a", " ", "\n", ",", "１", "٣", "万元万元"]
    bodies = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(rng.randint(1, 3))]
    assert stated_amounts(_Doc(*bodies)) == _stated_plainly(bodies)


def test_amounts_of_the_example_site_are_those_found_forwards(example_site):
    docs = list(example_site.documents)
    assert docs and all(stated_amounts(d) == _stated_plainly([s.body for s in d.sections]) for d in docs)
    assert any(len(stated_amounts(d)) > 10 for d in docs)


@pytest.mark.parametrize("seed", range(200))
def test_squashed_text_without_a_pattern_is_as_before(seed):
    rng = random.Random(seed)
    alphabet = [*WHITESPACE, "一、", "1、", "12.", "（三）", "(", ")", "支出", "x", "　"]
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
    before = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    before = re.sub(r"^[一二三四五六七八九十]+、|^\d+[、.．]\s*|^（[一二三四五六七八九十]+）", "", before)
    assert squash_text(text) == before


CLAUSE_WORDS = ["增长", "下降", "增加", "减少", "12.5", "%", "2024", "年", "预算安排", "预算数为", "占", "（一）",
                "1、", "其中", "：", "万元", "当年", "预算执行数为", "比上年", "x"]


@pytest.mark.parametrize("seed", range(400))
def test_the_words_a_clause_is_tried_for_are_those_its_patterns_need(seed):
    """A clause without the words is never tried, and the pattern could not have matched it."""
    rng = random.Random(seed)
    clause = "".join(rng.choice(CLAUSE_WORDS) for _ in range(rng.randint(1, 8)))
    if not _has_change_word(clause):
        assert not RATE.match(LEADING.sub("", clause))
    if "年预算安排" not in clause and "年预算数为" not in clause:
        assert not ARRANGED.search(clause)


def _applies(rule, title: str) -> bool:
    """Whether a `prose` rule speaks of the section titled `title` (as section_rules decided it)."""
    wanted = rule["section"] if isinstance(rule["section"], tuple) else (rule["section"],)
    return any(squash(w) in squash(title) for w in wanted)


def test_a_sections_rules_are_the_prose_rules_naming_its_title(example_site):
    for doc in example_site.documents:
        for section in doc.sections:
            rules = [r for r in doc.profile.checks if r["rule"] == "prose" and _applies(r, section.title)]
            expected = _section_rules(rules)
            assert section_rules(doc, section.title) == expected


def test_a_sections_terms_pick_the_longest_term_in_the_subject_as_before(example_site):
    picked = 0
    for doc in example_site.documents:
        for section in doc.sections:
            rules = [r for r in doc.profile.checks if r["rule"] == "prose" and _applies(r, section.title)]
            terms = {t: ref for r in rules for t, ref in terms_of(r).items()}
            for st in parse_section(section):
                matches = [t for t in terms if _unquoted(t) in _unquoted(st.subject)]
                if matches and not (st.path and section_rules(doc, section.title).lines):
                    before = terms[max(matches, key=lambda t: len(_unquoted(t)))]
                    assert _locate(doc, st, section_rules(doc, section.title))[1] == before
                    picked += 1
    assert picked > 10


@pytest.mark.parametrize("seed", range(100))
@pytest.mark.parametrize("adds_up", [_sums_to, balanced])
def test_a_columns_rule_finds_the_rows_it_found_row_by_row(seed, adds_up):
    rng = random.Random(seed)
    keys = ["合计", "a", "b", "c"]
    figures = [[rng.choice([None, Decimal(0), Decimal("1.5"), Decimal(3), Decimal("4.5")]) for _ in keys]
               for _ in range(rng.randint(0, 12))]
    rule = {"rule": "columns", "total": "合计", "of": rng.choice([["a", "b"], ["a", "b", "c"], ["c"], []])}
    row_by_row = [i for i, row in enumerate(figures)
                  if not adds_up(row[0], [row[keys.index(k)] for k in rule["of"]])]
    assert _unbalanced_rows(keys, figures, rule, adds_up) == row_by_row


class _Row:
    def __init__(self, amounts: dict, is_total: bool = False) -> None:
        self.amounts, self.is_total = amounts, is_total


@pytest.mark.parametrize("seed", range(200))
def test_largest_figures_are_found_without_absolute_values_as_with_them(seed):
    rng = random.Random(seed)
    values = [Decimal(0), Decimal(1), Decimal(-1), Decimal("999.99"), Decimal(-1000), Decimal(1000),
              Decimal(10) ** 15, -Decimal(10) ** 15, Decimal("-5e14")]
    rows = tuple(_Row({k: rng.choice(values) for k in "abc" if rng.random() < 0.7}, rng.random() < 0.2)
                 for _ in range(rng.randint(0, 6)))
    totals = [r for r in rows if r.is_total]
    tops = [abs(a) for r in totals for a in r.amounts.values() if a]
    lines = [a for r in rows if not r.is_total for a in r.amounts.values()]
    assert _may_exceed(rows, totals) == (bool(tops) and max(map(abs, lines), default=0) >= min(tops) * 1000)
    table = type("T", (), {"parts": {"main": rows}})()
    sane = max((abs(a) for r in rows for a in r.amounts.values()), default=Decimal(0)) < Decimal(10) ** 15
    assert _adder(table) is (_sums_to if sane else balanced)


@pytest.mark.parametrize("seed", range(200))
def test_the_adder_of_a_rules_figures_agrees_with_balanced_on_them(seed):
    rng = random.Random(seed)
    values = [None, Decimal(0), Decimal("1.25"), Decimal(-3), Decimal(10) ** 15, Decimal("0.1")]
    figures = [rng.choice(values) for _ in range(rng.randint(0, 6))]
    adds_up = adder(iter(figures))
    for _ in range(20):
        total, parts = rng.choice(figures or [None]), [rng.choice(figures or [None]) for _ in range(rng.randint(0, 3))]
        assert adds_up(total, parts) == balanced(total, parts)



@pytest.mark.parametrize("seed", range(300))
def test_paths_of_texts_without_a_class_are_empty_as_the_pattern_finds(seed):
    """`_path` skips texts without （类）: PATH could not have matched them."""
    rng = random.Random(seed)
    words = ["预算数为", "支出", "（类）", "（款）", "（项）", "“", "”", "1、", "：", "（", "类）"]
    text = "".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
    found = PATH.search(text)
    expected = tuple(n for n in (LEADING.sub("", g).strip("“”\"：: ") if g else None
                                 for g in found.groups()) if n) if found else ()
    assert _path(text) == expected
