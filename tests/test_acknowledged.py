"""Findings about the published original can be acknowledged: reported as notes, never blocking."""

from __future__ import annotations

import shutil

from contentkit import REPO

from site_builder.checks import collect_problems
from site_builder.cli import failed

ACK = """
acknowledged:
  - rule: prose-zero-base
    published: 100.00
    about: 非财政拨款结转结余
    note: 原文如此：上年为 0，增长率无从计算。
"""


def reference_content(tmp_path, extra: str = ""):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(REPO / "content" / "site.yaml", content)
    shutil.copytree(REPO / "content" / "profiles", content / "profiles")
    shutil.copytree(REPO / "content" / "changji-kaoping", content / "changji-kaoping")
    doc = content / "changji-kaoping" / "2024-yusuan.yaml"
    text = doc.read_text(encoding="utf-8")
    text = text.split("\nacknowledged:")[0]  # start from no acknowledgements
    doc.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")
    return content


def by_rule(problems, rule):
    return [p for p in problems if p.code == rule]


def test_unacknowledged_finding_is_a_warning_that_fails_strict(tmp_path):
    problems = collect_problems(reference_content(tmp_path))
    [zero] = by_rule(problems, "prose-zero-base")
    assert zero.severity == "warning"
    assert failed(problems, strict=True)


def test_acknowledged_finding_becomes_a_note_and_stops_blocking(tmp_path):
    problems = collect_problems(reference_content(tmp_path, ACK))
    [zero] = by_rule(problems, "prose-zero-base")
    assert zero.severity == "note"
    assert zero.message.endswith("（已确认：原文如此：上年为 0，增长率无从计算。）")
    others = [p for p in problems if p.severity == "warning" and p.kind != "rounding"]
    assert failed(problems, strict=True) == bool(others)


def test_rounding_warnings_do_not_fail_strict(tmp_path):
    problems = [p for p in collect_problems(reference_content(tmp_path)) if p.kind == "rounding"]
    assert problems and not failed(problems, strict=True)


def test_acknowledgement_matching_nothing_is_reported(tmp_path):
    stale = ACK.replace("published: 100.00", "published: 99.00")
    problems = collect_problems(reference_content(tmp_path, stale))
    [unused] = by_rule(problems, "ack-unused")
    assert unused.severity == "warning" and "prose-zero-base" in unused.message
    text = (tmp_path / "content" / "changji-kaoping" / "2024-yusuan.yaml").read_text(encoding="utf-8")
    assert unused.line == next(i for i, line in enumerate(text.splitlines(), 1) if "- rule: prose-zero-base" in line)
    assert by_rule(problems, "prose-zero-base")[0].severity == "warning"
