"""Each bad input gets a clear message at the right file, line and column."""

from __future__ import annotations

import pytest
from contentkit import MINIMAL_DOC, make_content, only_error, problems_for

from site_builder.loader import load_site

FILE = "content/demo/2024-yusuan.yaml"


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def with_row(row: str) -> str:
    """The minimal document with one more 表2 row."""
    anchor = "      - {code: 201 32 50"
    return MINIMAL_DOC.replace(anchor, row + "\n" + anchor)


def test_minimal_document_loads_without_errors(tmp_path):
    site, problems = load_site(make_content(tmp_path))
    assert site is not None, [p.format() for p in problems.items]
    doc = site.documents[0]
    row = doc.tables["表2"].rows()[1]
    assert row.code == "201 32 50" and str(row.amounts["总计"]) == "10.00"
    assert "单位资金" not in row.amounts  # blank cell stays blank, never 0


def test_yaml_syntax_error_names_line(tmp_path):
    doc = MINIMAL_DOC.replace("title: 2024年测试中心部门预算", "title: [2024年测试中心部门预算")
    p = only_error(problems_for(tmp_path, doc))
    assert (p.file, p.code) == (FILE, "yaml-syntax")
    assert "YAML 格式错误" in p.message


def test_duplicate_key_is_refused_with_both_lines(tmp_path):
    doc = MINIMAL_DOC.replace("kind: 预算\n", "kind: 预算\nyear: 2025\n")
    p = only_error(problems_for(tmp_path, doc))
    assert (p.line, p.code) == (line_of(doc, "year: 2025"), "duplicate-key")
    assert "第一次在第 3 行" in p.message


def test_unknown_key_suggests_the_right_one(tmp_path):
    doc = MINIMAL_DOC.replace("  publisher: 测试中心", "  publsher: 测试中心")
    problems = problems_for(tmp_path, doc)
    unknown = next(p for p in problems if p.code == "unknown-key")
    assert unknown.line == line_of(doc, "publsher")
    assert "是不是“publisher”" in unknown.message
    assert any(p.code == "missing-field" and "publisher" in p.message for p in problems)


def test_unknown_column_key_in_a_row(tmp_path):
    doc = with_row("      - {code: 201, name: 一般公共服务支出, 总计: 10.00, 一般公共预付: 10.00}")
    p = only_error(problems_for(tmp_path, doc))
    assert (p.line, p.code) == (line_of(doc, "一般公共预付"), "unknown-key")
    assert "是不是“一般公共预算”" in p.message


def test_thousands_separators_split_by_flow_mapping_get_a_hint(tmp_path):
    doc = with_row("      - {code: 201, name: 一般公共服务支出, 总计: 156,211,123}")
    problems = [p for p in problems_for(tmp_path, doc) if p.code == "unknown-key"]
    assert {p.line for p in problems} == {line_of(doc, "156,211,123")}
    assert "千分位" in problems[0].message


def test_grouped_thousands_in_block_style_are_read_exactly(tmp_path):
    doc = with_row("      - code: 201\n        name: 一般公共服务支出\n        总计: 156,211,123.00")
    site, problems = load_site(make_content(tmp_path, doc))
    row = site.documents[0].tables["表2"].rows()[1]
    assert str(row.amounts["总计"]) == "156211123.00"


@pytest.mark.parametrize("value, code", [("1,23,456", "bad-number"), ("12,x", "bad-number"),
                                         ("10.001", "too-many-decimals"), ("10万元", "bad-number")])
def test_bad_amounts_are_refused_never_misread(tmp_path, value, code):
    doc = with_row(f"      - code: 201\n        name: 一般公共服务支出\n        总计: '{value}'")
    p = only_error(problems_for(tmp_path, doc))
    assert (p.line, p.code) == (line_of(doc, f"总计: '{value}'"), code)
    assert value in p.message


def test_fullwidth_digits_are_read_exactly_with_a_warning(tmp_path):
    doc = with_row("      - {code: 201, name: 一般公共服务支出, 总计: １０．５０}")
    site, problems = load_site(make_content(tmp_path, doc))
    assert str(site.documents[0].tables["表2"].rows()[1].amounts["总计"]) == "10.50"
    assert [p.code for p in problems.warnings] == ["fullwidth-digits"]


def test_codes_stay_text_even_with_leading_zeros(tmp_path):
    doc = with_row("      - {code: 208 05 05, name: 机关事业单位基本养老保险缴费支出, 总计: 1.00}")
    site, _ = load_site(make_content(tmp_path, doc))
    assert site.documents[0].tables["表2"].rows()[1].segments == ("208", "05", "05")


def test_code_written_without_spaces_gets_the_spaced_form(tmp_path):
    doc = with_row("      - {code: 2080505, name: 机关事业单位基本养老保险缴费支出, 总计: 1.00}")
    p = only_error(problems_for(tmp_path, doc))
    assert (p.line, p.code) == (line_of(doc, "2080505"), "bad-code")
    assert "208 05 05" in p.message


def test_code_written_as_decimal_number_is_refused(tmp_path):
    doc = with_row("      - {code: 201.05, name: 统计信息事务, 总计: 1.00}")
    p = only_error(problems_for(tmp_path, doc))
    assert p.code == "bad-code" and "用空格隔开" in p.message


def test_yaml11_words_and_dates_stay_text(tmp_path):
    doc = MINIMAL_DOC.replace("title: 2024年测试中心部门预算", "title: NO")
    site, _ = load_site(make_content(tmp_path, doc))
    assert site.documents[0].title == "NO"
    assert str(site.documents[0].meta.published) == "2024-02-23"


def test_boolean_field_refuses_yaml11_booleans(tmp_path):
    profile = (make_content(tmp_path) / "profiles" / "xinjiang-11.yaml")
    text = profile.read_text(encoding="utf-8").replace("numbering: true", "numbering: off", 1)
    profile.write_text(text, encoding="utf-8")
    problems = load_site(profile.parent.parent)[1].sorted()
    p = next(p for p in problems if p.code == "bad-boolean")
    assert p.file == "content/profiles/xinjiang-11.yaml"
    assert p.line == line_of(text, "numbering: off") and "true 或 false" in p.message


def test_bad_date_is_refused(tmp_path):
    doc = MINIMAL_DOC.replace("published: 2024-02-23", "published: 2024年2月23日")
    p = only_error(problems_for(tmp_path, doc))
    assert (p.line, p.code) == (line_of(doc, "published"), "bad-date")


def test_wrong_type_for_a_list(tmp_path):
    doc = MINIMAL_DOC.replace("meta:\n", "glossary: 财政拨款\nmeta:\n")
    p = only_error(problems_for(tmp_path, doc))
    assert (p.line, p.code) == (line_of(doc, "glossary:"), "wrong-type")


def test_missing_table_is_named(tmp_path):
    doc = MINIMAL_DOC.replace("  表9: {note: 空表。}\n", "")
    p = only_error(problems_for(tmp_path, doc))
    assert p.code == "missing-table" and "表9" in p.message


def test_gbk_file_is_explained_in_chinese(tmp_path):
    content = make_content(tmp_path)
    (content / "demo" / "2024-yusuan.yaml").write_bytes(MINIMAL_DOC.encode("gb18030"))
    p = only_error(load_site(content)[1].sorted())
    assert p.code == "gbk-encoding" and "另存为" in p.message and "UTF-8" in p.message
    assert p.line == line_of(MINIMAL_DOC, "kind: 预算")  # the first byte that is not UTF-8


def test_utf8_bom_is_accepted(tmp_path):
    content = make_content(tmp_path)
    path = content / "demo" / "2024-yusuan.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL_DOC.encode("utf-8"))
    assert load_site(content)[0] is not None


def test_alias_bomb_is_refused(tmp_path):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    p = only_error(problems_for(tmp_path, bomb + MINIMAL_DOC))
    assert p.code == "yaml-alias" and p.line == 2


def test_oversized_file_is_refused(tmp_path):
    p = only_error(problems_for(tmp_path, MINIMAL_DOC + "#" * (3 * 1024 * 1024)))
    assert p.code == "file-too-large"


def test_file_outside_content_is_not_read(tmp_path):
    content = make_content(tmp_path)
    outside = tmp_path / "secret.yaml"
    outside.write_text(MINIMAL_DOC.replace("year: 2024", "year: 2025"), encoding="utf-8")
    (content / "demo" / "2025-yusuan.yaml").symlink_to(outside)
    p = only_error(load_site(content)[1].sorted())
    assert (p.file, p.code) == ("content/demo/2025-yusuan.yaml", "outside-content")


def test_department_folder_linked_from_outside_is_not_read(tmp_path):
    content = make_content(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "department.yaml").write_text("name: 外部\n", encoding="utf-8")
    (outside / "2024-yusuan.yaml").write_text(MINIMAL_DOC.replace("department: demo", "department: other"),
                                              encoding="utf-8")
    (content / "other").symlink_to(outside, target_is_directory=True)
    found = load_site(content)[1].sorted()
    assert {(p.file, p.code) for p in found} == {("content/other/department.yaml", "outside-content"),
                                                  ("content/other/2024-yusuan.yaml", "outside-content")}


def test_year_must_match_file_name(tmp_path):
    p = only_error(problems_for(tmp_path, MINIMAL_DOC, name="2025-yusuan.yaml"))
    assert (p.line, p.code) == (3, "wrong-year") and "2025-yusuan.yaml" in p.message


def test_department_must_match_folder(tmp_path):
    doc = MINIMAL_DOC.replace("department: demo", "department: other")
    p = only_error(problems_for(tmp_path, doc))
    assert (p.line, p.code) == (2, "wrong-department")


def test_kind_must_match_file_name(tmp_path):
    p = only_error(problems_for(tmp_path, MINIMAL_DOC, name="2024-juesuan.yaml"))
    assert (p.line, p.code) == (4, "wrong-kind") and "决算" in p.message


def test_department_folder_must_be_an_ascii_slug(tmp_path):
    p = only_error(problems_for(tmp_path, MINIMAL_DOC, slug="测试"))
    assert p.code == "bad-slug" and "小写英文字母" in p.message


def test_badly_named_file_is_reported(tmp_path):
    p = only_error(problems_for(tmp_path, MINIMAL_DOC, name="2024预算.yaml"))
    assert p.code == "bad-filename"


def test_unknown_profile_lists_the_known_ones(tmp_path):
    doc = MINIMAL_DOC.replace("profile: xinjiang-11", "profile: xinjiang-12")
    p = only_error(problems_for(tmp_path, doc))
    assert (p.line, p.code) == (1, "unknown-profile") and "xinjiang-11" in p.message


def test_all_problems_are_collected_not_just_the_first(tmp_path):
    doc = with_row("      - {code: 2010, name: x, 总计: abc, 总记: 1}")
    codes = sorted(p.code for p in problems_for(tmp_path, doc))
    assert codes == ["bad-code", "bad-number", "unknown-key"]


def test_asterisk_mark_is_kept_beside_the_amount(tmp_path):
    doc = with_row("      - {code: 201 32 99, name: 其他组织事务支出, 总计: '*81.10'}")
    site, _ = load_site(make_content(tmp_path, doc))
    row = site.documents[0].tables["表2"].rows()[1]
    assert (row.marks["总计"], str(row.amounts["总计"])) == ("*", "81.10")


def test_unquoted_asterisk_explains_quoting(tmp_path):
    doc = with_row("      - {code: 201 32 99, name: 其他组织事务支出, 总计: *81.10}")
    p = only_error(problems_for(tmp_path, doc))
    assert p.code == "yaml-syntax" and "加引号" in p.message
