"""Bounded caches of the screening hot path: plain dicts, emptied when full.

Not `functools.lru_cache`: a bounded LRU relinks its entries on every hit, writing to memory
that screening workers forked after the index build share with their parent (the kernel then
copies the page), and it keys on the function's arguments where a cheaper key is often at hand
(strings, whose hashes CPython keeps, rather than dataclasses hashed in Python).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

_K = TypeVar("_K")
_V = TypeVar("_V")


def remember(cache: dict[_K, _V], size: int, key: _K, make: Callable[..., _V], *args: Any) -> _V:
    """`cache[key]`, made by `make(*args)` the first time; the cache is emptied when it holds
    `size` entries. Safe between threads: at worst two make the same value."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= size:
            cache.clear()
        found = cache[key] = make(*args)
    return found
