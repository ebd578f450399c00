"""`check` prints every problem as path:line:column, exits 1 on errors, 0 otherwise."""

from __future__ import annotations

import json
import os

import pytest

from contentkit import MINIMAL_DOC, make_content
from site_builder.cli import main, make_parser


@pytest.fixture
def in_tmp(tmp_path):
    old = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def test_clean_content_exits_zero(in_tmp, capsys):
    make_content(in_tmp)
    assert main(["check"]) == 0
    assert "0 个错误" in capsys.readouterr().out


def test_errors_exit_one_and_are_all_printed(in_tmp, capsys):
    doc = MINIMAL_DOC.replace("publisher: 测试中心", "publsher: 测试中心").replace("year: 2024", "year: 2025")
    make_content(in_tmp, doc)
    assert main(["check", "--content", "content"]) == 1
    out = capsys.readouterr().out
    assert "content/demo/2024-yusuan.yaml:3:7: error: year 写的是 2025" in out
    assert "content/demo/2024-yusuan.yaml:7:3: error: meta：不认识的键“publsher”" in out
    assert "3 个错误" in out


def test_warnings_fail_only_with_strict(in_tmp, capsys):
    make_content(in_tmp, MINIMAL_DOC.replace("表11: {note: 空表。}", "表11: {rows: []}"))
    assert main(["check"]) == 0
    assert main(["check", "--strict"]) == 1
    assert "warning: 表11 没有任何数字" in capsys.readouterr().out


def test_json_format_lists_objects(in_tmp, capsys):
    make_content(in_tmp, MINIMAL_DOC.replace("year: 2024", "year: 2025"))
    assert main(["check", "--format", "json"]) == 1
    items = json.loads(capsys.readouterr().out)
    assert items[0] == {"file": "content/demo/2024-yusuan.yaml", "line": 3, "column": 7,
                        "severity": "error", "code": "wrong-year",
                        "message": items[0]["message"]}


def test_all_verbs_and_flags_parse():
    parser = make_parser()
    assert parser.parse_args(["build", "--content", "c", "--output", "o", "--base-url", "/x/", "--strict"]).strict
    assert parser.parse_args(["check", "--format", "json", "--strict"]).format == "json"
    assert parser.parse_args(["serve", "--port", "8001", "--host", "0.0.0.0"]).port == 8001
    assert parser.parse_args(["new", "demo", "2025"]).year == 2025
