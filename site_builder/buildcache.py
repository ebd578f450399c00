"""The cache between builds: an unchanged department is not loaded, audited or rendered again.

Its files are taken from the last output (hard links) and its problems and home-page summary
from the cache. The key of a department is a digest of everything its pages can depend on:
the program (site_builder/, templates/, static/), site.yaml, every profile, the build options,
and every file in the department's folder — names and bytes, not times, which editors and
copies change freely. Before reuse, every file recorded for the department must still be in
the output with the size and modification time recorded after the last build; a file deleted
or edited by hand, or another output folder, means the department is rendered again.

The cache lives beside the output (`output` → `.output-cache`); deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

VERSION = b"1"
PROGRAM = Path(__file__).resolve().parent.parent


def cache_folder(output: Path) -> Path:
    output = output.absolute()
    return output.parent / f".{output.name}-cache"


def digest_files(paths: list[Path], seed: bytes = b"") -> str:
    """One digest of the names and bytes of `paths` (in the given order)."""
    h = hashlib.blake2b(seed, digest_size=20)
    for path in paths:
        h.update(path.name.encode() + b"\0" + str(path.stat().st_size).encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def program_digest() -> str:
    """The code and assets every page is made with, and the Python that pickles the cache."""
    files = sorted(p for folder in ("site_builder", "templates", "static")
                   for p in (PROGRAM / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest_files(files, VERSION + sys.version.encode())


def shared_digest(content: Path, options: Any) -> str:
    """The program, site.yaml, the profiles and the build options (anything with a stable repr)."""
    files = [content / "site.yaml", *sorted((content / "profiles").glob("*.yaml"))]
    seed = f"{program_digest()}\0{options!r}".encode()
    return digest_files([p for p in files if p.is_file()], seed)


def department_digest(shared: str, folder: Path) -> str:
    return digest_files(sorted(p for p in folder.iterdir() if p.is_file()), shared.encode())


class BuildCache:
    """Per-department entries: (key, result, {output path: (size, mtime_ns)})."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def holds(self, slug: str) -> bool:
        """Whether an entry is kept for `slug` (only then is its key worth working out now)."""
        return self.folder is not None and (self.folder / f"{slug}.pickle").is_file()

    def lookup(self, slug: str, key: str, output: Path) -> Any | None:
        """The cached result when the key matches and the output still holds its files."""
        if self.folder is None:
            return None
        try:
            with open(self.folder / f"{slug}.pickle", "rb") as f:
                stored_key, result, stats = pickle.load(f)
        except Exception:  # noqa: BLE001  missing, truncated, or written by other code: a miss
            return None
        if stored_key != key or not _unchanged(output, stats):
            return None
        return result

    def store(self, slug: str, key: str, result: Any, stats: dict[str, tuple[int, int]]) -> None:
        """Record a department just written, with each file's (size, mtime_ns) as written."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{slug}.{os.getpid()}.tmp"
        with open(temporary, "wb") as f:
            pickle.dump((key, result, stats), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / f"{slug}.pickle")

    def keep_only(self, slugs: set[str]) -> None:
        """Forget departments that are gone."""
        if self.folder is None or not self.folder.is_dir():
            return
        for entry in self.folder.glob("*.pickle"):
            if entry.stem not in slugs:
                entry.unlink(missing_ok=True)


def file_stat(path: str | Path) -> tuple[int, int]:
    """What `lookup` compares: size and modification time (a rename of the folder keeps both)."""
    s = os.stat(path)
    return s.st_size, s.st_mtime_ns


def _unchanged(output: Path, stats: dict[str, tuple[int, int]]) -> bool:
    try:
        return all(file_stat(os.path.join(output, path)) == expected for path, expected in stats.items())
    except OSError:
        return False
