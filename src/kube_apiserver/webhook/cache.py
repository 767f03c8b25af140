"""The cache webhook answers are kept in: least recently used first out, each entry with its own
time to live (Kubernetes' LRUExpireCache).

The webhooks cache allowed and refused answers for different lengths of time, so the TTL is per
entry. The clock is injectable so tests can move time on instead of sleeping.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ExpiringLRUCache(Generic[V]):
    def __init__(self, max_size: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._max_size = max_size
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def add(self, key: Hashable, value: V, ttl: float) -> None:
        self._entries[key] = (self._clock() + ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
