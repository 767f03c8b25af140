"""The garbage collector: owner references and the deletion propagation policies.

In Kubernetes this runs in kube-controller-manager; here it runs in the server so that a
server used on its own honours `propagationPolicy` as a cluster does:
- Background: once an owner is gone, dependents whose owners are all gone are deleted.
- Foreground: the owner (holding the `foregroundDeletion` finalizer) waits until its
  dependents are deleted, then the finalizer is removed and the owner goes.
- Orphan: dependents lose their owner reference to it, then its `orphan` finalizer goes.
Dependents are found by scanning the watch caches: fine at the scale one server serves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_apiserver.storage.interface import DELETED, StoredObject

log = logging.getLogger(__name__)

ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"
RETRY_SECONDS = 0.5

Obj = dict[str, Any]


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


class GarbageCollector:
    def __init__(self, stores: list[Store]) -> None:
        self.stores = stores
        self._tasks: list[asyncio.Task[None]] = []
        self._working: set[str] = set()

    def start(self) -> None:
        seen = set()
        for store in self.stores:
            if id(store.cache) in seen:
                continue
            seen.add(id(store.cache))
            watcher = store.cache.watch_from(store.cache.prefix, 0, None, initial=True)
            self._tasks.append(asyncio.create_task(self._follow(watcher)))

    def _store_for(self, key: str) -> Store | None:
        for store in self.stores:
            if key.startswith(store.key_root):
                return store
        return None

    async def _follow(self, watcher: Any) -> None:
        async for event in watcher:
            meta = _meta(event.current.obj)
            uid = meta.get("uid", "")
            if event.type == DELETED:
                if any(True for _ in self._dependents(uid)):
                    self._spawn(self._collect_dependents_of(uid))
            elif meta.get("deletionTimestamp") and {ORPHAN, FOREGROUND} & set(
                meta.get("finalizers") or ()
            ):
                if uid not in self._working:
                    self._working.add(uid)
                    self._spawn(self._finish(event.current))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.append(task)
        task.add_done_callback(lambda t: self._tasks.remove(t) if t in self._tasks else None)

    def _dependents(self, uid: str) -> list[tuple[Store, StoredObject]]:
        out = []
        seen = set()
        for store in self.stores:
            if id(store.cache) in seen:
                continue
            seen.add(id(store.cache))
            for item in store.cache.snapshot(store.cache.prefix):
                refs = _meta(item.obj).get("ownerReferences") or ()
                if any(ref.get("uid") == uid for ref in refs if isinstance(ref, dict)):
                    owner_store = self._store_for(item.key)
                    if owner_store is not None:
                        out.append((owner_store, item))
        return out

    def _exists(self, uid: str) -> bool:
        return any(
            _meta(item.obj).get("uid") == uid
            for store in self.stores
            for item in store.cache.snapshot(store.cache.prefix)
        )

    async def _delete(self, store: Store, item: StoredObject, policy: str = "Background") -> None:
        meta = _meta(item.obj)
        with contextlib.suppress(errors.StatusError):
            await store.delete(
                meta.get("namespace", ""), meta["name"], DeleteOptions(propagation_policy=policy)
            )

    async def _collect_dependents_of(self, uid: str) -> None:
        """Background: delete dependents none of whose owners remain."""
        for store, item in self._dependents(uid):
            refs = _meta(item.obj).get("ownerReferences") or ()
            if all(not self._exists(ref.get("uid", "")) for ref in refs if isinstance(ref, dict)):
                await self._delete(store, item)

    async def _finish(self, owner: StoredObject) -> None:
        meta = _meta(owner.obj)
        uid = meta.get("uid", "")
        store = self._store_for(owner.key)
        try:
            if store is None:
                return
            finalizers = set(meta.get("finalizers") or ())
            if ORPHAN in finalizers:
                for dep_store, item in self._dependents(uid):
                    await self._drop_owner(dep_store, item, uid)
                await self._remove_finalizer(store, meta, ORPHAN)
            if FOREGROUND in finalizers:
                while dependents := self._dependents(uid):
                    for dep_store, item in dependents:
                        if not _meta(item.obj).get("deletionTimestamp"):
                            await self._delete(dep_store, item, "Foreground")
                    await asyncio.sleep(RETRY_SECONDS)
                await self._remove_finalizer(store, meta, FOREGROUND)
        except Exception:
            log.exception("garbage collector failed for %s", owner.key)
        finally:
            self._working.discard(uid)

    async def _drop_owner(self, store: Store, item: StoredObject, uid: str) -> None:
        async def drop(current: Obj) -> Obj:
            m = current.setdefault("metadata", {})
            refs = [r for r in m.get("ownerReferences") or () if r.get("uid") != uid]
            if refs:
                m["ownerReferences"] = refs
            else:
                m.pop("ownerReferences", None)
            return current

        meta = _meta(item.obj)
        with contextlib.suppress(errors.StatusError):
            await store.update(meta.get("namespace", ""), meta["name"], drop, allow_create=False)

    async def _remove_finalizer(self, store: Store, meta: Obj, finalizer: str) -> None:
        async def remove(current: Obj) -> Obj:
            m = current.setdefault("metadata", {})
            remaining = [f for f in m.get("finalizers") or () if f != finalizer]
            if remaining:
                m["finalizers"] = remaining
            else:
                m.pop("finalizers", None)
            return current

        with contextlib.suppress(errors.StatusError):
            await store.update(meta.get("namespace", ""), meta["name"], remove, allow_create=False)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
