"""The namespace controller: empties a Terminating namespace, then finalizes it.

In Kubernetes this runs in kube-controller-manager; a server used on its own would leave
deleted namespaces Terminating forever, so we run it here. Objects are deleted with a zero
grace period (no kubelet will ever finish a graceful pod deletion); objects that still
carry finalizers keep the namespace Terminating until they are released, as in Kubernetes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.registry.core.namespace import FinalizeStrategy
from kube_apiserver.registry.generic.store import DeleteOptions, ListOptions, Store
from kube_apiserver.storage.cacher import Cacher

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
FINALIZER = "kubernetes"


class NamespaceController:
    def __init__(self, namespaces: Store, cache: Cacher, stores: list[Store]) -> None:
        self.namespaces = namespaces
        self.cache = cache
        self.stores = [s for s in stores if s.resource.namespaced]
        self._task: asyncio.Task[None] | None = None
        self._working: dict[str, asyncio.Task[None]] = {}

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        watcher = self.cache.watch_from(self.cache.prefix, 0, None, initial=True)
        async for event in watcher:
            meta = event.current.obj.get("metadata") or {}
            name = meta.get("name", "")
            if (
                event.type != "DELETED"
                and meta.get("deletionTimestamp")
                and name not in self._working
            ):
                self._working[name] = asyncio.create_task(self._finish(name))

    async def _finish(self, name: str) -> None:
        try:
            while not await self._empty(name):
                await asyncio.sleep(RETRY_SECONDS)
            await self._finalize(name)
        except Exception:
            log.exception("namespace controller failed for %s", name)
        finally:
            self._working.pop(name, None)

    async def _empty(self, namespace: str) -> bool:
        """Delete what is left; True once nothing remains."""
        empty = True
        for store in self.stores:
            page = await store.list(namespace, ListOptions())
            for item in page.items:
                empty = False
                meta = item.obj["metadata"]
                if meta.get("deletionTimestamp") and meta.get("finalizers"):
                    continue  # waiting for its finalizers
                with contextlib.suppress(errors.StatusError):
                    await store.delete(
                        namespace, meta["name"], DeleteOptions(grace_period_seconds=0)
                    )
        return empty

    async def _finalize(self, name: str) -> None:
        async def drop_finalizer(current: dict[str, Any]) -> dict[str, Any]:
            spec = current.setdefault("spec", {})
            spec["finalizers"] = [f for f in spec.get("finalizers", []) if f != FINALIZER]
            return current

        with contextlib.suppress(errors.StatusError):
            await self.namespaces.update(
                "",
                name,
                drop_finalizer,
                strategy=FinalizeStrategy(self.namespaces.strategy),
                subresource="finalize",
                allow_create=False,
            )

    async def stop(self) -> None:
        for task in [self._task, *self._working.values()]:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
