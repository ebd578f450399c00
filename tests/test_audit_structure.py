"""The audits' shared passes find what the per-item passes found (sections scanned whole, …)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from types import SimpleNamespace

from site_builder import audit_identities, audit_names
from site_builder.audit_names import code_names
from site_builder.audit_text import _scan
from site_builder.findings import Place
from site_builder.loader import load_site
from site_builder.model import Pos, Section
from site_builder.paragraphs import paragraphs
from site_builder.rules import figures_many, resolve_many

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

MARKED = ("比2023年预算增加增加XX万元，\n2024年预算安排1万元。\n\n"
          "某某单位 比2022年 预算 执行数\u3000减少。\n\n"
          "平常的句子，没有年份。\n\n"
          "  2022年当年预算执行数为3万元，2025年预算数为 4 万元，ＸＸＸ。\n"
          "万元万元xx×××\n\n"
          "末段XX")


def test_a_section_scanned_whole_gives_the_findings_of_its_paragraphs_scanned_one_by_one():
    doc = SimpleNamespace(year=2024, path="f.yaml")
    section = Section("情况说明", "一、说明", MARKED, Pos("f.yaml", 10, 3), Pos("f.yaml", 10, 9))
    paras = paragraphs(section)
    whole = _scan(doc, "一、说明", paras)
    one_by_one = [f for para in paras for f in _scan(doc, "一、说明", [para])]
    assert len(whole) >= 8 and {f.rule for f in whole} == {"placeholder", "doubled-word", "wrong-year"}
    key = lambda f: (f.pos.line, f.pos.column, f.rule, f.message)  # noqa: E731 - the audit's order
    assert sorted(whole, key=key) == sorted(one_by_one, key=key)


def _paragraphs_line_by_line(section: Section) -> list[tuple[str, list[Pos]]]:
    """Paragraphs as they were split before: line by line, every position made at once."""
    anchor = section.body_pos or section.pos
    lines = section.body.split("\n")
    if len(lines) == 1:
        first, column = anchor.line, anchor.column
    else:
        first, column = anchor.line + 1, (section.pos.column if section.pos else anchor.column) + 2
    out, chars, places = [], [], []
    for n, text in enumerate([*lines, ""]):
        if not text or text.isspace():
            if chars:
                out.append(("".join(chars), places))
            chars, places = [], []
            continue
        chars += [c for c in text if not c.isspace()]
        places += [Pos(anchor.file, first + n, column + j) for j, c in enumerate(text) if not c.isspace()]
    return out


BODIES = [MARKED, "一行", "  缩进 的\u3000一行  ", "\n\n开头空行\n\n\n结尾空行\n\n", "a\n \t\nb\n\u3000\nc d\n\x1cе",
          "甲\r\n乙\n\n丙 丁\n戊", "单独一段没有换行，有 空格 与\u00a0不换行空格"]


def test_paragraphs_split_at_blank_lines_with_every_position_as_before():
    site, _ = load_site(ROOT / "content")
    sections = [s for doc in site.documents for s in doc.sections]
    sections += [Section("说明", "一", body, Pos("f.yaml", 3, 1), Pos("f.yaml", 3, 7)) for body in BODIES]
    sections += [Section("说明", "一", body, Pos("f.yaml", 3, 1), None) for body in BODIES]
    for section in sections:
        new = paragraphs(section)
        assert [text for text, _ in new] == [text for text, _ in _paragraphs_line_by_line(section)]
        assert [[places[i] for i in range(len(places))] for _, places in new] == \
            [places for _, places in _paragraphs_line_by_line(section)]


def _altered(doc):
    """`doc` with one figure of each table's first coded line changed (so that matches fail)."""
    tables = dict(doc.tables)
    for label, table in doc.tables.items():
        side = table.spec.sides[0].key
        rows = list(table.rows(side))
        at = next((i for i, r in enumerate(rows) if r.code and r.amounts), None)
        if at is not None:
            key = next(iter(rows[at].amounts))
            rows[at] = dataclasses.replace(rows[at], amounts={**rows[at].amounts, key: rows[at].amounts[key] + 1})
            tables[label] = dataclasses.replace(table, parts={**table.parts, side: tuple(rows)})
    return dataclasses.replace(doc, tables=tables)


def test_match_rules_find_with_the_shortcut_what_they_find_line_by_line(monkeypatch, tmp_path):
    content = tmp_path / "content"
    generate(content, departments=4, years=1, seed=3, mistakes=2)
    docs = [d for folder in (ROOT / "content", content) for d in load_site(folder)[0].documents]
    docs += [_altered(d) for d in docs]
    rules = [(d, r) for d in docs for r in d.profile.checks if r["rule"] == "match"]
    shortcut = [audit_identities._match(d, r, None) for d, r in rules]
    monkeypatch.setattr(audit_identities, "_same_lines", lambda doc, rule: False)
    line_by_line = [audit_identities._match(d, r, None) for d, r in rules]
    assert shortcut == line_by_line
    assert sum(map(len, shortcut)) > 10 and sum(not found for found in shortcut) > len(rules) / 4


def _printed_twice(doc):
    """`doc` with each table's first coded lines printed again (blank, then with figures)."""
    tables = dict(doc.tables)
    for label, table in doc.tables.items():
        side = table.spec.sides[0].key
        rows = table.rows(side)
        coded = [r for r in rows if r.code][:2]
        blank = [dataclasses.replace(r, amounts={}) for r in coded]
        tables[label] = dataclasses.replace(table, parts={**table.parts, side: (*blank, *rows, *coded)})
    return dataclasses.replace(doc, tables=tables)


def test_figures_of_many_lines_are_those_of_their_cells():
    docs = load_site(ROOT / "content")[0].documents
    refs = [r for d in docs for rule in d.profile.checks if rule["rule"] == "match"
            for r in (rule["left"], *audit_identities._refs(rule["right"]))]
    assert refs
    for doc in [*docs, *map(_printed_twice, docs)]:
        for ref in refs:
            cells = resolve_many(doc, ref)
            assert figures_many(doc, ref) == {key: cell.amount for key, cell in cells.items()}


def _renamed(doc, every: int):
    """`doc` with every `every`-th coded line of each table renamed."""
    tables = dict(doc.tables)
    for label, table in doc.tables.items():
        parts = {side: tuple(dataclasses.replace(r, name=r.name + "（调整）") if r.code and i % every == 0 else r
                             for i, r in enumerate(rows)) for side, rows in table.parts.items()}
        tables[label] = dataclasses.replace(table, parts=parts)
    return dataclasses.replace(doc, tables=tables)


def _cross_year_names_as_before(doc, site):
    """audit_names' findings against other years, key by key as they were made before."""
    mine, out = code_names(doc), []
    department = next(d for d in site.departments if d.slug == doc.department)
    for other in (d for d in department.documents if d.path != doc.path):
        theirs = code_names(other)
        for key, uses in mine.ordered:
            if key in theirs.first and theirs.first[key] not in mine.squashed[key]:
                out.append(audit_names._name(doc, key[1], uses[0][0], theirs.uses[key][0][0],
                                             f"{other.year} 年文件", Place(*uses[0][1:])))
    return out


def test_names_against_other_years_are_found_as_key_by_key(tmp_path):
    content = tmp_path / "content"
    generate(content, departments=2, years=3, seed=5, mistakes=0)
    site = load_site(content)[0]
    for dep in site.departments:
        docs = [dep.documents[0], _renamed(dep.documents[1], 3), _renamed(dep.documents[2], 4)]
        altered = dataclasses.replace(site, departments=(dataclasses.replace(dep, documents=tuple(docs)),))
        found = 0
        for doc in docs:
            expected = _cross_year_names_as_before(doc, altered)
            assert [f for f in audit_names.audit_names(doc, altered) if "年文件" in f.message] == expected
            found += len(expected)
        assert found > 10
