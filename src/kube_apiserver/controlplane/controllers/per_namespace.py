"""The shape shared by controllers that keep one object in every active namespace.

kube-controller-manager's serviceaccount and root-ca-cert-publisher controllers work alike: a
queue of namespace names, fed by the namespaces' watch and by changes to the kept object
(so a deleted or edited copy is put back), drained by one worker that syncs a namespace at a
time and retries a failed sync a few times with growing delays. Subclasses say which object
they keep (`store`, `object_name`) and how to sync it (`sync`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta.unstructured import get_dict, get_str
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.storage.cacher import CacheWatcher
from kube_apiserver.storage.interface import ADDED, DELETED, KeyNotFoundError

log = logging.getLogger(__name__)

Obj = dict[str, Any]

RETRY_SECONDS = 0.5
MAX_ATTEMPTS = 5


def is_active(namespace: Obj) -> bool:
    """Active: neither being deleted nor Terminating (what the namespace controller empties)."""
    phase = get_str(get_dict(namespace, "status"), "phase")
    return phase == "Active" and not get_dict(namespace, "metadata").get("deletionTimestamp")


def refused_by_namespace(exc: errors.StatusError) -> bool:
    """The create failed because the namespace is gone or terminating: nothing to retry."""
    causes = (exc.details or {}).get("causes") or []
    return exc.code == 404 or any(c.get("reason") == "NamespaceTerminating" for c in causes)


class PerNamespaceController:
    object_name = ""  # the object kept in every namespace

    def __init__(self, namespaces: Store, store: Store) -> None:
        self.namespaces = namespaces
        self.store = store  # where the kept objects live
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._queued: set[str] = set()
        self._attempts: dict[str, int] = {}
        self._later: dict[str, asyncio.TimerHandle] = {}  # namespaces to sync again soon
        self._watchers: list[CacheWatcher] = []
        self._tasks: list[asyncio.Task[None]] = []

    async def sync(self, namespace: Obj) -> None:
        """Make the kept object right in this active namespace."""
        raise NotImplementedError

    def start(self) -> None:
        # Only changes to the kept objects matter: each namespace is synced once at start anyway.
        kept = self.store.cache.watch_from(
            self.store.cache.prefix, self.store.cache.revision, None, initial=False
        )
        namespaces = self.namespaces.cache.watch_from(
            self.namespaces.cache.prefix, 0, None, initial=True
        )
        self._watchers = [kept, namespaces]
        self._tasks = [
            asyncio.create_task(self._follow_namespaces(namespaces)),
            asyncio.create_task(self._follow_kept(kept)),
            asyncio.create_task(self._work()),
        ]

    async def _follow_namespaces(self, watcher: CacheWatcher) -> None:
        async for event in watcher:
            if event.type != DELETED and is_active(event.current.obj):
                self._enqueue(get_str(get_dict(event.current.obj, "metadata"), "name"))

    async def _follow_kept(self, watcher: CacheWatcher) -> None:
        async for event in watcher:
            meta = get_dict(event.current.obj, "metadata")
            if event.type != ADDED and get_str(meta, "name") == self.object_name:
                self._enqueue(get_str(meta, "namespace"))

    def _enqueue(self, namespace: str) -> None:
        if namespace and namespace not in self._queued:
            self._queued.add(namespace)
            self._queue.put_nowait(namespace)

    async def _work(self) -> None:
        while True:
            name = await self._queue.get()
            self._queued.discard(name)
            try:
                namespace = await self._namespace(name)
                if namespace is not None and is_active(namespace):
                    await self.sync(namespace)
                self._attempts.pop(name, None)
            except Exception:
                self._retry(name)

    async def _namespace(self, name: str) -> Obj | None:
        # A consistent read: the watch that woke us may be ahead of the namespaces' cache.
        try:
            return (await self.namespaces.cache.get(self.namespaces.key("", name))).obj
        except KeyNotFoundError:
            return None

    def _retry(self, name: str) -> None:
        attempt = self._attempts.get(name, 0) + 1
        if attempt >= MAX_ATTEMPTS:
            log.exception("%s in namespace %s: giving up", self.object_name, name)
            self._attempts.pop(name, None)
            return
        log.warning("%s in namespace %s: retrying", self.object_name, name, exc_info=True)
        self._attempts[name] = attempt
        self.sync_later(name, RETRY_SECONDS * 2 ** (attempt - 1))

    def sync_later(self, name: str, delay: float) -> None:
        """Sync the namespace again after `delay` seconds (unless already due sooner)."""
        if name not in self._later:
            self._later[name] = asyncio.get_running_loop().call_later(delay, self._due, name)

    def _due(self, name: str) -> None:
        self._later.pop(name, None)
        self._enqueue(name)

    async def stop(self) -> None:
        for handle in self._later.values():
            handle.cancel()
        for watcher in self._watchers:
            watcher.close()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
