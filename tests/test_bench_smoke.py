"""Smoke tests of bench/: the synthetic corpus loads, checks clean, builds; no timing assertions."""

from __future__ import annotations

import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

from generate import department_specs, generate  # noqa: E402

from site_builder.build import build_site  # noqa: E402
from site_builder.checks import collect_problems  # noqa: E402
from site_builder.loader import load_site  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Three clean documents (three departments, one year)."""
    content = tmp_path_factory.mktemp("bench") / "content"
    manifest = generate(content, departments=3, years=1, seed=7, mistakes=0)
    assert manifest["documents"] == 3 and manifest["mistakes"] == []
    return content


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generator_is_deterministic(tmp_path):
    first = generate(tmp_path / "a" / "content", 2, 2, seed=3)
    second = generate(tmp_path / "b" / "content", 2, 2, seed=3)
    generate(tmp_path / "c" / "content", 2, 2, seed=4)
    assert first == second
    assert _snapshot(tmp_path / "a" / "content") == _snapshot(tmp_path / "b" / "content")
    assert _snapshot(tmp_path / "a" / "content") != _snapshot(tmp_path / "c" / "content")


def test_both_profiles_are_generated_and_load(tmp_path):
    specs = department_specs(4)
    assert {s.profile for s in specs} == {"xinjiang-11", "shanghai-district-9"}
    assert len({s.slug for s in department_specs(600)}) == 600
    generate(tmp_path / "content", departments=4, years=1, seed=1, mistakes=0)
    site, problems = load_site(tmp_path / "content")
    assert problems.errors == [] and site is not None
    assert {d.profile.id for d in site.documents} == {"xinjiang-11", "shanghai-district-9"}
    rows = [len(t.rows(s.key)) for d in site.documents for t in d.tables.values() for s in t.spec.sides]
    assert max(rows) >= 30


def test_clean_corpus_checks_clean(corpus):
    assert collect_problems(corpus) == []


def test_seeded_mistake_is_found_where_the_manifest_says(tmp_path):
    manifest = generate(tmp_path / "content", departments=3, years=1, seed=7, mistakes=1)
    (mistake,) = manifest["mistakes"]
    errors = [p for p in collect_problems(tmp_path / "content") if p.severity == "error"]
    assert errors and {p.file for p in errors} == {mistake["file"]}
    assert any(mistake["published"] in p.message for p in errors)


def test_three_public_mistake_skips_a_document_without_three_public_rows():
    from mistakes import _three_public
    doc = {"profile": "xinjiang-11", "tables": {"表10": {"rows": []}}, "facts": {}}
    assert _three_public(doc, random.Random(1), Decimal(1)) is None
    assert doc["tables"]["表10"]["rows"] == []


def test_corpus_builds(corpus, tmp_path):
    report = build_site(corpus, tmp_path / "out")
    assert report.ok, [p.format() for p in report.problems]
    assert len(report.pages) > 3 * 9


def test_run_prints_the_summary_line(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH / "run.py"), "--departments", "3", "--years", "1",
                           "--runs", "1", "--keep", str(tmp_path)], capture_output=True, text=True, check=True)
    last = done.stdout.strip().splitlines()[-1]
    fields = dict(item.split("=") for item in last.split())
    assert fields["documents"] == "3" and float(fields["build_s"]) > 0 and int(fields["pages"]) > 27
    assert float(fields["peak_mb"]) > 0


def test_versus_builds_with_each_checkout_in_turn(corpus):
    done = subprocess.run([sys.executable, str(BENCH / "versus.py"), str(corpus), str(BENCH.parent), str(BENCH.parent),
                           "--rounds", "1"], capture_output=True, text=True, check=True)
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 2 and all("round 1: wall" in line and line.endswith("exit 0") for line in lines)
