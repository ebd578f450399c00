"""Write the rendered site: into a staging folder first, then swap it in for the old output.

A failed or interrupted build leaves the previous output untouched. The writer only ever
replaces a folder that carries its marker file (so `--output content` or `--output ~` is
refused instead of wiped), refuses duplicate paths and paths that would land outside the
output folder.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

MARKER = ".budget-site-output"
MARKER_TEXT = b"Written by budget-site (python build.py build); replaced on every build.\n"


class WriteError(Exception):
    """The output folder cannot be written safely; the message says why, in Chinese."""


def check_paths(files: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """Normalise relative output paths; refuse duplicates and anything escaping the folder."""
    checked: dict[str, bytes] = {}
    folded: dict[str, str] = {}
    for path, data in files:
        norm = normalise(path)
        key = norm.casefold()  # Windows and macOS file systems fold case
        if key in folded:
            raise WriteError(f"两个页面要写到同一个文件：“{folded[key]}”和“{path}”。")
        folded[key] = path
        checked[norm] = data
    return checked


def write_site(files: Iterable[tuple[str, bytes]], output: Path) -> int:
    """Write all files into a fresh staging folder, then swap it in; return the file count."""
    checked = check_paths(files)
    with Staging(output) as staging:
        for path, data in sorted(checked.items()):
            staging.write(path, data)
        staging.commit()
    return len(checked)


class Staging:
    """The next output, written file by file beside the old one and swapped in by `commit`.

    Leaving the `with` block without `commit` (an error, a refused build) removes it and
    leaves the old output as it was. Other processes may write into `folder` meanwhile.
    """

    def __init__(self, output: Path):
        self.output = output.absolute()
        _refuse_foreign(self.output)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(self.output)
        self.folder = self.output.parent / f".build-staging-{self.output.name}-{os.getpid()}"
        self.folder.mkdir()
        (self.folder / MARKER).write_bytes(MARKER_TEXT)
        self.made: set[str] = set()  # folders made below `folder` by `write`
        self.committed = False

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        if not self.committed:
            shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, path: str, data: bytes) -> None:
        write_into(self.folder, path, data, self.made)

    def commit(self) -> None:
        _swap(self.folder, self.output)
        self.committed = True


def write_into(folder: Path, path: str, data: bytes, made: set[str] | None = None) -> str:
    """Write one file below `folder` (a fresh staging folder: it holds no links to follow).

    `made` remembers the folders this process has made there already: a site has ~37 files
    per document, and asking the file system for each one's folder again costs a system call.
    Returns the file's full path."""
    target = os.path.join(folder, normalise(path))
    parent = os.path.dirname(target)
    if made is None or parent not in made:
        os.makedirs(parent, exist_ok=True)
        if made is not None:
            made.add(parent)
    with open(target, "wb") as f:
        f.write(data)
    return target


def replace_into(folder: Path, path: str, data: bytes) -> None:
    """Write one file below `folder` over the old one in one step, so a reader (the preview
    server) never sees it half-written: a temporary file beside it is renamed over it."""
    target = folder / normalise(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    for attempt in range(20):
        try:
            os.replace(temporary, target)
            return
        except PermissionError:  # Windows: the old file is being read right now
            if attempt == 19:
                raise
            time.sleep(0.05)


def normalise(path: str) -> str:
    """The normalised relative path; refuses absolute paths and any that would leave the folder."""
    norm = posixpath.normpath(path)
    if path.startswith("/") or norm == ".." or norm.startswith("../") or norm in (".", MARKER) \
            or "\\" in path or ":" in norm.split("/", 1)[0]:
        raise WriteError(f"输出路径“{path}”不合法：必须是输出文件夹内的相对路径。")
    return norm


def _refuse_foreign(output: Path) -> None:
    """Only a folder this writer made (or an empty one) may be replaced."""
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise WriteError(f"输出位置 {output} 不是文件夹，拒绝覆盖。")
    if output.is_dir() and not (output / MARKER).is_file() and any(output.iterdir()):
        raise WriteError(f"输出文件夹 {output} 里已有别的文件，且不是本程序生成的（缺少 {MARKER}），"
                         "为防误删拒绝清空。请换一个 --output，或先手动清空它。")


def _remove_stale_staging(output: Path) -> None:
    """Staging folders left by an interrupted build of this output (they carry the marker)."""
    for stale in output.parent.glob(f".build-staging-{output.name}-*"):
        if stale.is_dir() and not stale.is_symlink() and (stale / MARKER).is_file():
            shutil.rmtree(stale)


def _swap(staging: Path, output: Path) -> None:
    """Two renames on the same file system; the old output is restored if the second fails."""
    if not output.exists():
        staging.rename(output)
        return
    old = output.parent / f".build-staging-{output.name}-old-{os.getpid()}"
    output.rename(old)
    try:
        staging.rename(output)
    except BaseException:
        old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)


def reuse_into(folder: Path, path: str, source: Path) -> None:
    """Put an unchanged file of the old output into `folder`: a hard link, or a copy where
    the file system has none. The writer never modifies a file in place, so sharing is safe."""
    target = folder / normalise(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
