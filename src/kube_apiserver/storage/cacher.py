"""The watch cache: one resource's objects and recent changes, kept in memory.

A `Cacher` lists its resource's prefix once, then follows the backend's watch. It serves
watches (from any revision it still holds) and lists from memory, so that many watchers and
informers' relists cost the backend nothing. Each change is handed to every watcher as the
same `WatchEvent`, whose encoded frames are made once and shared.

Writes pass straight through to the backend; the cacher sees them arrive on its watch.
A read that must be consistent first waits until the cache has caught up with the backend's
current revision (as Kubernetes' consistent reads from cache do).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import Any

from kube_apiserver.storage.interface import (
    ADDED,
    BOOKMARK,
    DELETED,
    MODIFIED,
    KeyNotFoundError,
    ListResult,
    Preconditions,
    Storage,
    StorageUnavailableError,
    StoredObject,
    TooLargeResourceVersionError,
    TooOldResourceVersionError,
    UpdateFunc,
    WatchEvent,
    prefix_end,
)

log = logging.getLogger(__name__)

Predicate = Callable[[dict[str, Any]], bool]

DEFAULT_CAPACITY = 10_000
WATCHER_QUEUE_LIMIT = 50_000
# How long a read asking for a revision the cache has not reached yet waits (as Kubernetes).
WAIT_FOR_REVISION_SECONDS = 3.0
RETRY_SECONDS, MAX_RETRY_SECONDS = 0.1, 5.0  # re-watching after the backend went away


class CacheWatcher:
    """One watch on the cache: a queue of events that passed its filter."""

    def __init__(
        self, cacher: Cacher, prefix: str, predicate: Predicate | None, after: int = 0
    ) -> None:
        self.prefix = prefix
        self.predicate = predicate
        self.after = after  # events at or before this revision are not this watch's
        self.queue: asyncio.Queue[WatchEvent | None] = asyncio.Queue()
        self._cacher = cacher
        self.closed = False

    def offer(self, event: WatchEvent) -> None:
        """Queue an event, rewritten as Kubernetes does when the filter's verdict changes."""
        if not event.current.key.startswith(self.prefix) or event.revision <= self.after:
            return
        predicate = self.predicate
        if predicate is not None:
            now = event.type != DELETED and predicate(event.current.obj)
            before = event.prev is not None and predicate(event.prev.obj)
            if event.type == DELETED:
                if not predicate(event.current.obj):
                    return
            elif now and not before and event.type == MODIFIED:
                event = WatchEvent(ADDED, event.current, event.prev, event.frames)
            elif before and not now:
                # The object left the filter: watchers see it deleted, at this revision.
                event = WatchEvent(DELETED, event.current, event.prev, event.frames)
            elif not now:
                return
        if self.queue.qsize() >= WATCHER_QUEUE_LIMIT:
            log.warning(
                "closing a watcher of %s that fell %d events behind",
                self.prefix,
                WATCHER_QUEUE_LIMIT,
            )
            self.close()
            return
        self.queue.put_nowait(event)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._cacher._watchers.discard(self)
            self.queue.put_nowait(None)

    async def __aiter__(self) -> AsyncIterator[WatchEvent]:
        while True:
            event = await self.queue.get()
            if event is None:
                return
            yield event


class Cacher:
    """A watch cache in front of one prefix of a backend (implements `Storage`)."""

    def __init__(self, storage: Storage, prefix: str, *, capacity: int = DEFAULT_CAPACITY) -> None:
        self.storage = storage
        self.prefix = prefix
        self._objects: dict[str, StoredObject] = {}
        self._sorted_keys: list[str] | None = None
        self._events: deque[WatchEvent] = deque(maxlen=capacity)
        self._oldest = 0  # every event after this revision is in self._events
        self.revision = 0
        self._watchers: set[CacheWatcher] = set()
        self._advanced = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    async def start(self) -> None:
        await self._list()
        self._task = asyncio.create_task(self._follow())
        self.ready.set()

    async def _list(self) -> None:
        listed = await self.storage.list(self.prefix)
        self._objects = {item.key: item for item in listed.items}
        self._sorted_keys = None
        self._events.clear()
        self.revision = self._oldest = listed.revision

    async def _follow(self) -> None:
        """Follow the backend's watch for good: resume after an outage from the last revision
        seen; when that history is compacted away, list again and end every watch on the
        cache (their clients resume, or re-list on 410, as with kube-apiserver's cacher)."""
        backoff = RETRY_SECONDS
        while True:
            try:
                async for event in self.storage.watch(self.prefix, self.revision):
                    await self._apply(event)
                    backoff = RETRY_SECONDS
                return
            except TooOldResourceVersionError:
                log.warning("watch cache of %s fell behind compaction; listing again", self.prefix)
                try:
                    await self._list()
                except StorageUnavailableError:
                    await asyncio.sleep(backoff)
                for watcher in list(self._watchers):
                    watcher.close()
            except StorageUnavailableError as exc:
                log.warning("watch cache of %s: %s; retrying in %.1fs", self.prefix, exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_RETRY_SECONDS)

    async def _apply(self, event: WatchEvent) -> None:
        if event.type == BOOKMARK:  # progress: nothing changed under our prefix up to here
            if event.revision > self.revision:
                self.revision = event.revision
                async with self._advanced:
                    self._advanced.notify_all()
            return
        key = event.current.key
        if event.type == DELETED:
            if self._objects.pop(key, None) is not None:
                self._sorted_keys = None
        else:
            if key not in self._objects:
                self._sorted_keys = None
            if event.prev is None:
                event.prev = self._objects.get(key)
            self._objects[key] = event.current
        if len(self._events) == self._events.maxlen:
            self._oldest = self._events[0].revision
        self._events.append(event)
        self.revision = event.revision
        for watcher in list(self._watchers):
            watcher.offer(event)
        async with self._advanced:
            self._advanced.notify_all()

    async def wait_until(
        self, revision: int, *, timeout: float = WAIT_FOR_REVISION_SECONDS
    ) -> None:
        """Wait until the cache has seen `revision`; TooLargeResourceVersionError after `timeout`."""
        if self.revision >= revision:
            return
        await self.storage.request_progress()
        try:
            async with asyncio.timeout(timeout), self._advanced:
                await self._advanced.wait_for(lambda: self.revision >= revision)
        except TimeoutError:
            raise TooLargeResourceVersionError(revision, self.revision) from None

    async def caught_up(self, revision: int | None = None) -> bool:
        """Whether memory may serve a read that must see `revision` (None: every commit).

        Waits for the watch when the backend can prove progress (ordered progress
        notifications); otherwise False, and the caller reads the backend instead. A revision
        beyond the backend's raises TooLargeResourceVersionError after the usual wait.
        """
        if revision is not None and self.revision >= revision:
            return True
        current = await self.storage.current_revision()
        target = current if revision is None else revision
        if self.revision >= target:
            return True
        if target > current or self.storage.ordered_progress:
            await self.wait_until(target)
            return True
        return False

    # -- reads from memory ---------------------------------------------------------------

    def snapshot(self, prefix: str, predicate: Predicate | None = None) -> list[StoredObject]:
        """Current objects under prefix, in key order, that pass the predicate."""
        if self._sorted_keys is None:
            self._sorted_keys = sorted(self._objects)
        keys = self._sorted_keys
        # Keys under a prefix are one contiguous run of the sorted keys.
        start = bisect.bisect_left(keys, prefix)
        end = bisect.bisect_left(keys, prefix_end(prefix), lo=start)
        objects = self._objects
        if predicate is None:
            return [objects[key] for key in keys[start:end]]
        return [item for key in keys[start:end] if predicate((item := objects[key]).obj)]

    def get_cached(self, key: str) -> StoredObject | None:
        return self._objects.get(key)

    def watch_from(
        self, prefix: str, revision: int, predicate: Predicate | None, *, initial: bool
    ) -> CacheWatcher:
        """A watcher that sees events after `revision` (after the current state if `initial`).

        `initial` queues an ADDED event for each current object first, as a watch from
        resourceVersion "" or "0" (or with sendInitialEvents) begins.
        """
        watcher = CacheWatcher(self, prefix, predicate, 0 if initial else revision)
        if initial:
            for item in self.snapshot(prefix, predicate):
                watcher.queue.put_nowait(WatchEvent(ADDED, item))
        else:
            if revision < self._oldest:
                raise TooOldResourceVersionError(revision, self._oldest)
            for event in self._events:
                if event.revision > revision:
                    watcher.offer(event)
        self._watchers.add(watcher)
        return watcher

    # -- Storage: writes pass through; reads go to the backend ----------------------------

    async def create(self, key: str, obj: dict[str, Any]) -> StoredObject:
        return await self.storage.create(key, obj)

    async def get(self, key: str) -> StoredObject:
        # A consistent read: from memory when the cache has everything the store has
        # committed (the common case), else from the store itself.
        if self.revision >= await self.storage.current_revision():
            item = self._objects.get(key)
            if item is None:
                raise KeyNotFoundError(key)
            return item
        return await self.storage.get(key)

    async def list(
        self, prefix: str, *, revision: int | None = None, start_after: str = "", limit: int = 0
    ) -> ListResult:
        return await self.storage.list(
            prefix, revision=revision, start_after=start_after, limit=limit
        )

    async def guaranteed_update(
        self, key: str, update: UpdateFunc, *, preconditions: Preconditions | None = None
    ) -> StoredObject:
        return await self.storage.guaranteed_update(key, update, preconditions=preconditions)

    async def delete(
        self, key: str, *, preconditions: Preconditions | None = None, revision: int | None = None
    ) -> StoredObject:
        return await self.storage.delete(key, preconditions=preconditions, revision=revision)

    async def current_revision(self) -> int:
        return await self.storage.current_revision()

    async def request_progress(self) -> None:
        await self.storage.request_progress()

    async def stop(self) -> None:
        for watcher in list(self._watchers):
            watcher.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
