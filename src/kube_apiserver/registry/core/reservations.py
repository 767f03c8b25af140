"""What the stored Services hold of a shared pool (cluster IPs, node ports), plus what is
promised to writes not yet seen by the watch cache.

Taken values are derived from the services in the watch cache — so they survive restarts
(they are stored with the services) and come free when a service is deleted or changed —
together with reservations: values handed to a create or update in flight. A reservation ends
when its write fails, or once the cache has caught up with the revision the write produced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kube_apiserver.storage.cacher import Cacher

Obj = dict[str, Any]


class Reservations:
    def __init__(self, cache: Cacher, values_of: Callable[[Obj], Iterable[Any]]) -> None:
        self.cache = cache
        self.values_of = values_of  # the values one stored service holds
        self._pending: dict[str, set[Any]] = {}  # write -> values promised to it
        self._settled: dict[str, int] = {}  # write -> revision it was stored at

    def taken(self, write: str) -> set[Any]:
        """Values held by every service but the one `write` ("namespace/name") stores: its own
        values are not in the way of its create or update."""
        for done, revision in list(self._settled.items()):
            if self.cache.revision >= revision:
                self._pending.pop(done, None)
                del self._settled[done]
        used: set[Any] = set()
        own = self.cache.prefix + write
        for item in self.cache.snapshot(self.cache.prefix):
            if item.key != own:
                used.update(self.values_of(item.obj))
        for values in self._pending.values():
            used |= values
        return used

    def hold(self, write: str, value: Any) -> None:
        self._pending.setdefault(write, set()).add(value)
        self._settled.pop(write, None)

    def release(self, write: str) -> None:
        self._pending.pop(write, None)
        self._settled.pop(write, None)

    def settle(self, write: str, revision: int | None) -> None:
        """The write is stored at `revision` (its values stay held until the cache has it), or
        failed (None: they are given back)."""
        if revision is None:
            self.release(write)
        elif write in self._pending:
            self._settled[write] = revision
