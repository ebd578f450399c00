"""The audits' shortcuts give what the plain ways gave: parse per text, lazy cells, sums, marks."""

from __future__ import annotations

import dataclasses
import random
import re
from decimal import Decimal

import pytest

from site_builder import memo
from site_builder.audit_identities import _rows_by_name
from site_builder.audit_tables import _adder, _sums_to, _unbalanced, agrees, balanced, compare
from site_builder.audit_text import DOUBLED, PLACEHOLDER, _marks
from site_builder.findings import Place
from site_builder.model import Pos, Section
from site_builder.paragraphs import _SPACE, Places, paragraphs
from site_builder.rules import Value, resolve, resolve_many, row_label, squash
from site_builder.statements import _parse_paragraph, _parse_text, parse_section


def _section(title: str, body: str, line: int = 10) -> Section:
    return Section("情况说明", title, body, Pos("f.yaml", line, 5), Pos("f.yaml", line, 11))


def _parsed_in_place(section: Section):
    """The statements as parsed before: each paragraph with its own file positions."""
    out = []
    for text, places in paragraphs(section):
        found, orphan = _parse_paragraph(section.title, text, places)
        if orphan and not found:
            out = [dataclasses.replace(s, reason=orphan) if s.reason is None and s.direction else s
                   for s in out]
        out += found
    return out


TRICKY = ("一般公共预算 294.06 万元，占 97.97%，比上年预算增加 13.83 万元，增\n长 4.94%，主要原因是人员增加。\n\n"
          "基本支出608.51万元，比上年预算增加11.23万元。\n\n"
          "项目支出减少的主要原因是项目调整。\n\n"
          "1、一般公共服务支出（类）2153.82万元，占79.37%。\n\n"
          "基本支出608.51万元，比上年预算增加11.23万元。\n\n"
          "货物 93.98 万元、工程 815.87 万元、服务 1\u3000200.00 万元。")


def test_statements_parsed_per_text_are_those_parsed_in_place():
    memo.forget_all()
    one, other = _section("二、收入", TRICKY), _section("三、支出", "前言\n\n" + TRICKY, line=40)
    for section in (one, other):  # the second reuses the first's paragraphs, placed anew
        assert parse_section(section) == _parsed_in_place(section)
    assert parse_section(other)[0].section == "三、支出" and parse_section(other)[0].pos.line > 40


def test_statements_of_the_example_site_are_those_parsed_in_place(example_site):
    memo.forget_all()
    sections = [s for doc in example_site.documents for s in doc.sections]
    assert sections and all(parse_section(s) == _parsed_in_place(s) for s in sections)


@pytest.mark.parametrize("line", ["a b\u3000c  d\xa0e", "  lead", "x\ty\u2003z", "none", "尾 "])
def test_places_find_the_column_of_each_kept_character(line):
    places = Places("f")
    kept = "".join(line.split())
    places.add_line(7, 3, line, kept)
    columns = [j for j, ch in enumerate(line) if not ch.isspace()]
    assert [places[i] for i in range(len(kept))] == [Pos("f", 7, 3 + j) for j in columns]


def _old_resolve_many(doc, ref):
    """resolve_many as it was: every Value made at once, a repeated line merged by replace."""
    label, selector, column = ref.split("/")
    table = doc.table(label.partition(".")[0])
    from site_builder.rules import _rows
    found = _rows(doc, label, selector)
    if found is None:
        return {}
    table, rows = found
    out = {}
    for side, index, row, *_ in rows:
        key = row.code and " ".join([row.code.split()[0], *(s.zfill(2) for s in row.code.split()[1:])]) \
            or squash(row.name)
        value = Value(row.amounts.get(column), table.spec.unit,
                      Place(row.cell_pos.get(column, row.pos), table.spec.label, side, index, column),
                      f"{table.spec.label} {row_label(row)}“{table.headers.get(column, column)}”",
                      squash(row.name))
        if key in out and out[key].amount is not None and value.amount is not None:
            value = dataclasses.replace(value, amount=out[key].amount + value.amount, place=out[key].place)
        out[key] = value if key not in out or value.amount is not None else out[key]
    return out


def _fields(value):
    return (value.amount, value.unit, value.place, value.label, value.name)


def _with_repeated_lines(doc):
    """`doc` with 表3's lines printed twice (blank, then with figures) and once more."""
    table = doc.table("表3")
    rows = table.rows()
    blank = [dataclasses.replace(r, amounts={}) for r in rows if r.code][:2]
    again = [dataclasses.replace(r, pos=Pos(r.pos.file, r.pos.line + 500, 1)) for r in rows if r.code][:3]
    parts = dict(table.parts)
    parts[table.spec.sides[0].key] = (*blank, *rows, *again)
    return dataclasses.replace(doc, tables={**doc.tables, "表3": dataclasses.replace(table, parts=parts)})


@pytest.mark.parametrize("ref", ["表3/类/合计", "表3/款/基本支出", "表3/行/合计", "表1.expenditure/类/预算数",
                                 "表5/项/合计", "表2/行/总计"])
def test_lazy_cells_are_the_values_made_before(example_site, ref):
    docs = [d for d in example_site.documents if d.profile.id == "xinjiang-11"]
    for doc in [*docs, *(_with_repeated_lines(d) for d in docs)]:
        new, old = resolve_many(doc, ref), _old_resolve_many(doc, ref)
        assert list(new) == list(old)
        assert [_fields(v) for v in new.values()] == [_fields(v) for v in old.values()]
        single = resolve(doc, ref.replace("/类/", "/总计/").replace("/款/", "/总计/"))
        assert single is None or single.place.table == ref.split("/")[0].split(".")[0]


def test_a_table_with_a_huge_figure_keeps_the_size_checks(example_site):
    doc = next(d for d in example_site.documents if d.table("表3") is not None)
    table = doc.table("表3")
    assert _adder(table) is _sums_to
    rows = table.rows()
    huge = dataclasses.replace(rows[0], amounts={**rows[0].amounts, "合计": Decimal("1e16")})
    side = table.spec.sides[0].key
    assert _adder(dataclasses.replace(table, parts={**table.parts, side: (huge, *rows[1:])})) is balanced


def test_plain_sums_agree_with_balanced_for_sane_figures():
    rng = random.Random(5)
    for _ in range(2000):
        parts = [None if rng.random() < 0.2 else Decimal(rng.randint(-500, 500)) / 100
                 for _ in range(rng.randint(0, 4))]
        total = None if rng.random() < 0.2 else sum((p for p in parts if p is not None), Decimal(0)) + \
            rng.choice([0, 0, Decimal("0.01")])
        assert _sums_to(total, parts) == balanced(total, parts)


def test_agreeing_figures_are_those_compare_finds_nothing_in():
    place = Place(Pos("f", 1, 1))
    rng = random.Random(9)
    for _ in range(500):
        units = [rng.choice(["万元", "元"]) for _ in range(3)]
        amounts = [None if rng.random() < 0.2 else Decimal(rng.randint(0, 300)) for _ in range(3)]
        total, *parts = [Value(a, u, place, "x") for a, u in zip(amounts, units, strict=True)]
        if agrees(total, parts):
            assert compare(None, "r", "s", total, parts, None) is None


def _old_marks(text):
    out = [("placeholder", m.start(), m.group(), 0) for m in PLACEHOLDER.finditer(text)]
    out += [("doubled", m.start(), m.group(), 0) for m in DOUBLED.finditer(text)]
    for pattern, what in ((r"比(\d{4})年", "比较的上年"), (r"(\d{4})年(?:预算安排|预算数为)", "本年预算"),
                          (r"(\d{4})年(?:当年)?预算执行数", "上年执行数")):
        out += [(what, m.start(), m.group(), int(m.group(1))) for m in re.finditer(pattern, text)]
    return out


@pytest.mark.parametrize("text", ["比2023年预算增加增加XX万元，2024年预算安排1万元，某某", "无年份的ＸＸ句子",
                                  "2022年预算执行数为3万元，比2022年", "平常的句子", "万元万元xx×××某",
                                  "2021年当年预算执行数，2024年预算数为", "AXX xxB ＸＸＸ",
                                  "年预算安排1，23年预算数为，12024年预算安排，２０２４年预算数为",
                                  "上年当年预算执行数，x2023年当年预算执行数2022年预算执行数"])
def test_marks_are_found_as_before(text):
    assert list(_marks(text)) == _old_marks(text)


def test_project_rows_by_name_are_the_rows_a_scan_finds(example_site):
    for doc in example_site.documents:
        table = doc.table("表7")
        if table is None:
            continue
        index = _rows_by_name(table, "项目名称")
        for name in {*index, "不存在的项目"}:
            scan = [(s.key, i, r) for s in table.spec.sides for i, r in enumerate(table.rows(s.key))
                    if squash(r.texts.get("项目名称", "")) == name]
            assert index.get(name, []) == scan


def test_spaces_skipped_by_places_are_those_split_drops():
    spaces = [c for c in map(chr, range(0x3100)) if _SPACE.match(c)]
    assert spaces == [c for c in map(chr, range(0x3100)) if c.isspace()]


def test_columns_found_unbalanced_are_those_balanced_rejects():
    rng = random.Random(11)
    for _ in range(300):
        width = rng.randint(1, 5)
        parts = [[None if rng.random() < 0.3 else Decimal(rng.randint(-3, 3)) for _ in range(width)]
                 for _ in range(rng.randint(1, 4))]
        total = [None if rng.random() < 0.3 else sum((p[k] for p in parts if p[k] is not None), Decimal(0))
                 + rng.choice([0, 0, 1]) for k in range(width)]
        expected = [k for k in range(width) if not balanced(total[k], [p[k] for p in parts])]
        assert _unbalanced(total, parts, _sums_to) == expected == _unbalanced(total, parts, balanced)


def test_path_chains_are_the_squashed_names_of_each_ancestor(example_site):
    from site_builder.audit_prose import _PathIndex
    from site_builder.rules import norm_code
    checked = 0
    for doc in example_site.documents:
        for table in doc.tables.values():
            rows = table.rows()
            orphaned = dataclasses.replace(table, parts={**table.parts, table.spec.sides[0].key: rows[1:]})
            for t in (table, orphaned):  # the second lacks its first 类: a chain with a blank name
                index = _PathIndex(t)
                for _, _, row, _, _ in index.rows:
                    assert index._chain(norm_code(row.code)) == tuple(squash(n) for n in index.chain_names(row))
                    checked += 1
    assert checked > 100


@pytest.mark.parametrize("text", ["一般公共服务支出（类）行政运行（项）", "收入预算包括：一般公共预算、单位资金。",
                                  "主要用于日常运转。增长较快，减少开支。", "2024年预算安排如下：", "其中：占用较多"])
def test_paragraphs_without_figures_or_reasons_have_no_statements(text):
    assert _parse_paragraph("", text, range(len(text))) == ([], None)
    assert _parse_text(text) == ((), None)


def test_skipped_paragraphs_of_the_example_site_have_no_statements(example_site):
    texts = {t for doc in example_site.documents for s in doc.sections for t, _ in paragraphs(s)}
    quiet = [t for t in texts if not any(w in t for w in ("元", "%", "比", "主要原因"))]
    assert quiet and all(_parse_paragraph("", t, range(len(t))) == ([], None) for t in quiet)
