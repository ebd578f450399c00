"""For the dev server: documents and department.yaml files read again only when they changed."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from .loader import department_info, load_document
from .problems import Problem, Problems


class DocumentCache:
    """`load_document` (and `department_info`) with memory: same path, time, size and bytes →
    the same Document.

    The file's bytes are read and compared only while its time is too recent to trust: a
    file saved twice within one tick of a coarse clock (FAT, network drives) with the same
    size would look unchanged ("racy" times, as git calls them). Older files are judged by
    time and size, as the watcher judges them, so a rebuild does not read the whole site."""

    RACY_NS = 3_000_000_000  # coarser than FAT's two seconds

    def __init__(self) -> None:
        self.entries: dict[Path, tuple[tuple, bytes | None, object, list[Problem]]] = {}
        self.parsed = 0

    def __call__(self, path: Path, rel: str, slug: str, profiles: dict, problems: Problems):
        # Profiles are not in the key: the Rebuilder empties this cache when a profile changes.
        return self._cached(path, slug, lambda own: load_document(path, rel, slug, profiles, own), problems)

    def department_info(self, content: Path, path: Path, problems: Problems):
        return self._cached(path, "", lambda own: department_info(content, path, own), problems)

    def _cached(self, path: Path, extra: str, read, problems: Problems):
        try:
            stat = path.stat()
        except OSError:  # missing: let the loader say so, every time
            return read(problems)
        key = (stat.st_mtime_ns, stat.st_size, extra)
        hit = self.entries.get(path)
        if hit and hit[0] == key and (hit[1] is None or hit[1] == _digest(path)):
            problems.extend(hit[3])
            return hit[2]
        racy = time.time_ns() - stat.st_mtime_ns < self.RACY_NS
        digest = _digest(path) if racy else None
        own = Problems()
        value = read(own)
        problems.extend(own)
        self.entries[path] = (key, digest, value, list(own.items))
        self.parsed += path.name != "department.yaml"
        return value


def _digest(path: Path) -> bytes:
    return hashlib.sha1(path.read_bytes()).digest()
