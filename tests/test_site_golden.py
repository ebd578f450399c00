"""Golden output: the fixture site built and compared file by file with tests/golden/site/.

Regenerate only on purpose: `UPDATE_GOLDEN=1 python3 -m pytest tests/test_site_golden.py`,
then review the diff. CI never sets UPDATE_GOLDEN. Static assets are copied verbatim and are
not part of the golden output.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from site_builder import pages
from site_builder.build import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "site"
GOLDEN = Path(__file__).parent / "golden" / "site"
SKIP = ("static/", ".budget-site-output")


def comparable(path: str, data: bytes) -> object:
    """XLSX archives are compared member by member: deflate output depends on the zlib build."""
    if not path.endswith(".xlsx"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, i.date_time, archive.read(i)) for i in archive.infolist()]


def built_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(SKIP)}


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """The core site only: pages registered by later stages have their own tests."""
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    out = tmp_path_factory.mktemp("golden") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages, "_PAGE_PROVIDERS", [])
        mp.setattr(pages, "_LINK_PROVIDERS", [])
        mp.setattr(pages, "_MARK_PROVIDERS", [])  # 数据核对 marks link to a page left out here
        report = build_site(FIXTURE, out)
    assert report.ok, [p.format() for p in report.problems] + [report.error]
    return out


def test_golden_output(output):
    actual = built_files(output)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in actual.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
        pytest.skip("golden output regenerated; review `git diff tests/golden`")
    expected = built_files(GOLDEN)
    assert sorted(actual) == sorted(expected), "the set of output files changed"
    changed = [path for path in expected if comparable(path, actual[path]) != comparable(path, expected[path])]
    assert not changed, f"output differs from tests/golden/site in: {changed[:10]}"


def test_golden_covers_every_page_kind():
    files = built_files(GOLDEN)
    for path in ("index.html", "404.html", "sitemap.xml", ".nojekyll", "xinjiang-demo/index.html",
                 "xinjiang-demo/2024/index.html", "xinjiang-demo/2024/table-6/index.html",
                 "xinjiang-demo/2024/xinjiang-demo-2024-table-6.csv",
                 "xinjiang-demo/2024/xinjiang-demo-2024-table-6.xlsx",
                 "xinjiang-demo/2024/xinjiang-demo-2024.json", "shanghai-demo/2023/table-9/index.html"):
        assert path in files, path
