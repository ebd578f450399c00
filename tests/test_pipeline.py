"""The department-by-department build: worker processes and the cache between builds give
exactly the site a plain build gives, and a failed build still leaves the old output alone."""

from __future__ import annotations

import gc
import pickle
import shutil
import weakref
from pathlib import Path

import pytest

from site_builder import buildcache, pipeline
from site_builder.build import _render_settings, build_site
from site_builder.buildcache import cache_folder

REPO = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REPO / "content", target)
    return target


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> dict[str, bytes]:
    """The example site built in this process, without the cache."""
    out = tmp_path_factory.mktemp("plain") / "site"
    assert build_site(REPO / "content", out).ok
    return tree(out)


def test_two_worker_processes_write_the_same_site(tmp_path: Path, plain) -> None:
    report = build_site(REPO / "content", tmp_path / "site", jobs=2)
    assert report.ok and report.reused == 0
    assert tree(tmp_path / "site") == plain
    assert report.files == len(plain) - 1  # all but the writer's marker file


def test_nothing_changed_leaves_the_output_as_it_was(content: Path, tmp_path: Path, plain) -> None:
    out = tmp_path / "site"
    first = build_site(content, out, cache=True)
    assert first.ok and first.reused == 0
    assert cache_folder(out).is_dir()
    stamp = (out / "index.html").stat().st_mtime_ns
    again = build_site(content, out, cache=True)
    assert again.ok and again.reused == 2
    assert again.problems == first.problems  # cached departments still report their findings
    assert (out / "index.html").stat().st_mtime_ns == stamp
    assert tree(out) == plain


def test_a_first_cached_build_leaves_the_keys_and_file_stats_to_the_workers(content: Path, tmp_path: Path,
                                                                             monkeypatch) -> None:
    out = tmp_path / "site"
    worked_out = []
    monkeypatch.setattr(pipeline, "department_digest", lambda shared, folder: worked_out.append(folder.name)
                        or buildcache.department_digest(shared, folder))
    plan = pipeline.plan_build(content, out, lambda s: _render_settings(s, None, False, False),
                               buildcache.BuildCache(cache_folder(out)))
    assert worked_out == [] and set(plan.keys.values()) == {""} and plan.shared  # nothing cached yet
    assert build_site(content, out, cache=True).ok
    assert sorted(worked_out) == sorted(plan.keys)  # each worked out once, by the department's job
    for slug in plan.keys:
        key, _, stats = pickle.loads((cache_folder(out) / f"{slug}.pickle").read_bytes())
        assert key == buildcache.department_digest(plan.shared, content / slug)
        assert stats and all(buildcache.file_stat(out / path) == stat for path, stat in stats.items())


def test_only_the_changed_department_is_built_again(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build_site(content, out, cache=True).ok
    info = content / "wanli-jiedao" / "department.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace("万里街道", "万里路街道", 1), encoding="utf-8")
    report = build_site(content, out, cache=True)
    assert report.ok and report.reused == 1
    fresh = tmp_path / "fresh"
    assert build_site(content, fresh).ok
    assert tree(out) == tree(fresh)
    assert "万里路街道".encode() in (out / "index.html").read_bytes()


def test_a_file_removed_from_the_output_by_hand_is_written_again(content: Path, tmp_path: Path, plain) -> None:
    out = tmp_path / "site"
    assert build_site(content, out, cache=True).ok
    (out / "changji-kaoping" / "2024" / "table-3" / "index.html").unlink()
    report = build_site(content, out, cache=True)
    assert report.ok and report.reused == 1
    assert tree(out) == plain


def test_a_site_wide_file_removed_by_hand_is_written_again(content: Path, tmp_path: Path, plain) -> None:
    out = tmp_path / "site"
    first = build_site(content, out, cache=True)
    (out / "index.html").unlink()
    again = build_site(content, out, cache=True)
    assert again.ok and again.reused == 2
    assert again.problems == first.problems
    assert tree(out) == plain


def test_a_removed_department_disappears_with_its_cache_entry(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build_site(content, out, cache=True).ok
    shutil.rmtree(content / "changji-kaoping")
    assert build_site(content, out, cache=True).ok
    assert not (out / "changji-kaoping").exists()
    assert sorted(p.name for p in cache_folder(out).iterdir()) == ["wanli-jiedao.pickle"]
    assert b"changji-kaoping" not in (out / "sitemap.xml").read_bytes()


def test_an_error_in_one_department_keeps_the_old_site(content: Path, tmp_path: Path, plain) -> None:
    out = tmp_path / "site"
    assert build_site(content, out, cache=True, jobs=2).ok
    doc = content / "changji-kaoping" / "2024-yusuan.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("year: 2024", "year: 2O24", 1), encoding="utf-8")
    report = build_site(content, out, cache=True, jobs=2)
    assert not report.ok
    assert any(p.file.endswith("2024-yusuan.yaml") and p.severity == "error" for p in report.problems)
    assert tree(out) == plain
    assert not list(tmp_path.glob(".build-staging-*"))


def test_a_damaged_cache_entry_is_a_miss(content: Path, tmp_path: Path, plain) -> None:
    out = tmp_path / "site"
    assert build_site(content, out, cache=True).ok
    for entry in cache_folder(out).glob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:40])
    report = build_site(content, out, cache=True)
    assert report.ok and report.reused == 0
    assert tree(out) == plain


def test_a_template_change_renders_everything_again(content: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "site"
    assert build_site(content, out, cache=True).ok
    monkeypatch.setattr("site_builder.buildcache.program_digest", lambda: "another program")
    assert build_site(content, out, cache=True).reused == 0


def test_check_audits_the_other_departments_when_one_cannot_be_read(content: Path) -> None:
    from site_builder.checks import collect_problems
    from site_builder.pipeline import check_departments
    assert check_departments(content, 2) == collect_problems(content)  # the same as one process
    doc = content / "changji-kaoping" / "2024-yusuan.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("year: 2024", "year: 2O24", 1), encoding="utf-8")
    found = check_departments(content, 2)
    assert [p.file for p in found if p.severity == "error"] == ["content/changji-kaoping/2024-yusuan.yaml"]
    assert any(p.file.startswith("content/wanli-jiedao/") for p in found)  # still audited


def test_a_department_is_built_with_the_collector_paused_and_the_collector_is_put_back(monkeypatch) -> None:
    seen = []

    def build(job, slug, loaded):
        loaded()  # what the department's build calls once the model is loaded
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return slug
    monkeypatch.setattr(pipeline, "_build_department", build)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert pipeline.build_department(None, "x") == "x"
    (enabled, frozen), = seen
    assert not enabled and frozen > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0

    def fail(job, slug, loaded):
        loaded()
        raise RuntimeError("broken")
    monkeypatch.setattr(pipeline, "_build_department", fail)
    with pytest.raises(RuntimeError):
        pipeline.build_department(None, "x")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_department_leaves_no_cyclic_garbage_behind(monkeypatch) -> None:

    class Node:
        pass
    left = []

    def build(job, slug, loaded):
        loaded()
        a, b = Node(), Node()
        a.other, b.other = b, a  # garbage only the collector can free
        left.append(weakref.ref(a))
    monkeypatch.setattr(pipeline, "_build_department", build)
    pipeline.build_department(None, "x")
    pipeline.build_department(None, "y")  # its freeze must not keep x's garbage
    assert [ref() for ref in left] == [None, None]


def test_a_process_that_keeps_frozen_objects_keeps_them_frozen(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "_build_department", lambda job, slug, loaded: loaded())
    gc.freeze()  # as the dev server does after a whole build
    try:
        frozen = gc.get_freeze_count()
        pipeline.build_department(None, "x")
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_second_file_at_the_same_path_up_to_case_is_refused_before_it_is_written(tmp_path: Path) -> None:
    job = pipeline.Job(tmp_path, tmp_path, None, {}, None, True, False)
    written: dict = {}
    pipeline._write(job, "d/2024/Table-1.csv", b"first", written)
    with pytest.raises(pipeline.WriteError, match="table-1.csv"):
        pipeline._write(job, "d/2024/table-1.csv", b"second", written)
    assert [p.name for p in (tmp_path / "d" / "2024").iterdir()] == ["Table-1.csv"]
    assert written == {"d/2024/table-1.csv": ("d/2024/Table-1.csv", None)}  # no stat: the build is not cached
