"""Values worked out from model objects, kept per object, and one place to forget them all.

The model is frozen, so whatever is derived from a document or a table (an index of its
rows, its parsed statements, its grid) can be kept for as long as that very object is in
use. `ObjectCache` keeps such values by identity — with the object itself, so that its id
cannot be reused by another object while the entry lives — up to a limit. `forget_all()`
empties every cache and every function marked `forgettable` (the build's worker
processes call it when they move on to the next department, so memory stays at one).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")
F = TypeVar("F")
_CLEARERS: list[Callable[[], None]] = []


class ObjectCache(Generic[K, V]):
    """`get(obj, make)` is `make(obj)`, worked out once per object (and optional `extra` key)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.entries: dict[tuple, tuple[K, V]] = {}
        _CLEARERS.append(self.entries.clear)

    def get(self, obj: K, make: Callable[[K], V], extra: Hashable = None) -> V:
        key = (id(obj), extra)
        hit = self.entries.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        if len(self.entries) >= self.limit:
            self.entries.clear()
        value = make(obj)
        self.entries[key] = (obj, value)
        return value


def forgettable(cached: F) -> F:
    """Decorate an `functools.lru_cache`d function so that `forget_all` empties it too."""
    _CLEARERS.append(cached.cache_clear)
    return cached


def forget_all() -> None:
    for clear in _CLEARERS:
        clear()
