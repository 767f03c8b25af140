"""The expiring LRU cache webhook answers are kept in."""

from __future__ import annotations

from kube_apiserver.webhook.cache import ExpiringLRUCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_lives_for_its_own_ttl() -> None:
    clock = Clock()
    cache: ExpiringLRUCache[str] = ExpiringLRUCache(10, clock=clock)
    cache.add("short", "a", 5)
    cache.add("long", "b", 60)
    clock.now = 4.9
    assert cache.get("short") == "a"
    clock.now = 5
    assert cache.get("short") is None
    assert cache.get("long") == "b"
    clock.now = 60
    assert cache.get("long") is None
    assert len(cache) == 0


def test_the_least_recently_used_entry_goes_first_when_full() -> None:
    cache: ExpiringLRUCache[int] = ExpiringLRUCache(2, clock=Clock())
    cache.add("a", 1, 10)
    cache.add("b", 2, 10)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.add("c", 3, 10)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)


def test_adding_again_replaces_the_value_and_its_ttl() -> None:
    clock = Clock()
    cache: ExpiringLRUCache[str] = ExpiringLRUCache(2, clock=clock)
    cache.add("k", "old", 1)
    cache.add("k", "new", 10)
    clock.now = 5
    assert cache.get("k") == "new"
