#!/usr/bin/env python3
"""Prototype, for measurement only: parsed-document cache and parallel parsing around load_site.

    python bench/loadproto.py CONTENT [--workers 2] [--cache DIR]

Uses `load_site(content, load=hook)`. The hook answers from a cache of pickled documents
keyed by path + mtime + size + a hash of the program's source and the profiles; misses are
parsed by `load_document`. With --workers, a process pool fills the cache first (each worker
parses a share of the files), then the main process loads everything from the cache.
Prints cold (empty cache) and warm (no change) wall and CPU times.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import pickle
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder import loader  # noqa: E402
from site_builder.model import Profile  # noqa: E402
from site_builder.problems import Problems  # noqa: E402


def code_version(content: Path) -> str:
    """Any change to the program or a profile invalidates every cached document."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "site_builder").glob("*.py")) + sorted((content / "profiles").glob("*.yaml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):  # profiles are shared, not copied into every entry
        return ("profile", obj.id) if isinstance(obj, Profile) else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, profiles: dict[str, Profile]):
        super().__init__(io.BytesIO(data))
        self.profiles = profiles

    def persistent_load(self, pid):
        return self.profiles[pid[1]]


class DocumentCache:
    def __init__(self, folder: Path, version: str):
        self.folder = folder / version
        self.folder.mkdir(parents=True, exist_ok=True)

    def entry(self, path: Path) -> Path:
        st = path.stat()
        key = f"{path.resolve()}|{st.st_mtime_ns}|{st.st_size}"
        return self.folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pickle")

    def hook(self, path, rel, slug, profiles, problems):
        """Same signature as loader.load_document; problems are cached with the document."""
        entry = self.entry(path)
        if entry.exists():
            doc, found = _Unpickler(entry.read_bytes(), profiles).load()
        else:
            found = Problems()
            doc = loader.load_document(path, rel, slug, profiles, found)
            out = io.BytesIO()
            _Pickler(out, protocol=5).dump((doc, found.items))
            entry.write_bytes(out.getvalue())
            found = found.items
        problems.extend(found)
        return doc


def _fill(args: tuple[str, str, list[str]]) -> int:
    """Worker: parse a share of the files into the cache."""
    content, cache_dir, paths = Path(args[0]), Path(args[1]), [Path(p) for p in args[2]]
    gc.disable()
    profiles = loader._load_profiles(content.resolve(), Problems())
    cache = DocumentCache(cache_dir, code_version(content))
    for path in paths:
        rel = (Path(content.resolve().name) / path.resolve().relative_to(content.resolve())).as_posix()
        cache.hook(path, rel, path.parent.name, profiles, Problems())
    return len(paths)


def load(content: Path, cache_dir: Path, workers: int):
    if workers > 1:
        files = sorted(str(p) for p in content.glob("*/[0-9]*-*.yaml"))
        shares = [files[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_fill, [(str(content), str(cache_dir), s) for s in shares]))
    cache = DocumentCache(cache_dir, code_version(content))
    return loader.load_site(content, load=cache.hook)


def timed(label: str, fn) -> None:
    c0 = resource.getrusage(resource.RUSAGE_SELF)
    k0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    site, problems = fn()
    wall = time.perf_counter() - t
    c1, k1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(b, f) - getattr(a, f) for a, b in ((c0, c1), (k0, k1)) for f in ("ru_utime", "ru_stime"))
    print(f"{label:28s} docs={len(site.documents)} problems={len(problems.items)} wall={wall:.2f}s cpu={cpu:.2f}s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("content", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    gc.disable()  # see README: the cyclic GC costs 60% of an unpatched load at 1,000 documents
    cache_dir = args.cache or Path(tempfile.mkdtemp(prefix="doc-cache-"))
    shutil.rmtree(cache_dir, ignore_errors=True)
    timed(f"cold, {args.workers} worker(s)", lambda: load(args.content, cache_dir, args.workers))
    timed("warm (no change)", lambda: load(args.content, cache_dir, 1))
    size = sum(p.stat().st_size for p in cache_dir.rglob("*.pickle"))
    print(f"cache: {size / 1e6:.1f} MB in {cache_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
