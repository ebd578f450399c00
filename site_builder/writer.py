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
        norm = posixpath.normpath(path)
        if path.startswith("/") or norm.startswith("..") or norm in (".", MARKER) or "\\" in path:
            raise WriteError(f"输出路径“{path}”不合法：必须是输出文件夹内的相对路径。")
        key = norm.casefold()  # Windows and macOS file systems fold case
        if key in folded:
            raise WriteError(f"两个页面要写到同一个文件：“{folded[key]}”和“{path}”。")
        folded[key] = path
        checked[norm] = data
    return checked


def write_site(files: Iterable[tuple[str, bytes]], output: Path) -> int:
    """Write all files into a fresh staging folder, then swap it in; return the file count."""
    checked = check_paths(files)
    output = output.absolute()
    _refuse_foreign(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(output)
    staging = output.parent / f".build-staging-{output.name}-{os.getpid()}"
    staging.mkdir()
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)
        root = staging.resolve()
        for path, data in sorted(checked.items()):
            target = (staging / path).resolve()
            if not target.is_relative_to(root):
                raise WriteError(f"输出路径“{path}”会写到输出文件夹以外（{target}），已拒绝。")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(checked)


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
