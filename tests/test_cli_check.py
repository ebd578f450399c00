"""`check` prints every problem as path:line:column, exits 1 on errors, 0 otherwise."""

from __future__ import annotations

import json
import os

import pytest
from contentkit import make_content
from test_third_profile import DOC

from site_builder.cli import main, make_parser

# The made-up third profile declares no audit rules, so this small document is clean;
# the tests are about how `check` reports, not about the audits (tests/test_checks_*).
NAME = "2023-juesuan.yaml"
FILE = f"content/demo/{NAME}"


def make(tmp_path, doc=DOC):
    import shutil

    from test_third_profile import FIXTURE
    content = make_content(tmp_path, doc, name=NAME)
    shutil.copy(FIXTURE / "hunan-juesuan-3.yaml", content / "profiles")
    return content


@pytest.fixture
def in_tmp(tmp_path):
    old = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def test_clean_content_exits_zero(in_tmp, capsys):
    make(in_tmp)
    assert main(["check"]) == 0
    assert "0 个错误" in capsys.readouterr().out


def test_errors_exit_one_and_are_all_printed(in_tmp, capsys):
    doc = DOC.replace("meta: {publisher: 测试局}", "meta: {publsher: 测试局}").replace("year: 2023", "year: 2025")
    make(in_tmp, doc)
    assert main(["check", "--content", "content"]) == 1
    out = capsys.readouterr().out
    assert f"{FILE}:3:7: error: year 写的是 2025" in out
    assert f"{FILE}:6:8: error: meta：不认识的键“publsher”" in out
    assert "3 个错误" in out


def test_warnings_fail_only_with_strict(in_tmp, capsys):
    make(in_tmp, DOC.replace("      - {name: 一、财政拨款收入, 决算数: 120.50}", "      - {name: 一、财政拨款收入, 决算数: １２０.50}"))
    assert main(["check"]) == 0
    assert main(["check", "--strict"]) == 1
    assert "warning: 表1.income 第 1 行（一、财政拨款收入） 的“决算数”：'１２０.50' 含全角数字" in capsys.readouterr().out


def test_json_format_lists_objects(in_tmp, capsys):
    make(in_tmp, DOC.replace("year: 2023", "year: 2025"))
    assert main(["check", "--format", "json"]) == 1
    items = json.loads(capsys.readouterr().out)
    assert items[0] == {"file": FILE, "line": 3, "column": 7,
                        "severity": "error", "code": "wrong-year",
                        "message": items[0]["message"], "kind": ""}


def test_all_verbs_and_flags_parse():
    parser = make_parser()
    assert parser.parse_args(["build", "--content", "c", "--output", "o", "--base-url", "/x/", "--strict"]).strict
    assert parser.parse_args(["check", "--format", "json", "--strict"]).format == "json"
    assert parser.parse_args(["serve", "--port", "8001", "--host", "0.0.0.0"]).port == 8001
    assert parser.parse_args(["new", "demo", "2025"]).year == 2025
