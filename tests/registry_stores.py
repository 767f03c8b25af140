"""Real stores for tests below the HTTP layer: SQLite storage, watch caches and the generic
Store of each resource asked for, behind a given admission chain, as the control plane builds
them (keys as `registry.provider.store_key` names them: "pods", "leases.coordination.k8s.io")."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from kube_apiserver.admission.interface import Chain
from kube_apiserver.controlplane.resources import SPECS
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.registry.provider import store_key
from kube_apiserver.storage.cacher import Cacher
from kube_apiserver.storage.sqlite import SQLiteStorage


@contextlib.asynccontextmanager
async def open_stores(
    tmp_path: Path, keys: Iterable[str], admission: Chain | None = None
) -> AsyncIterator[dict[str, Store]]:
    wanted = set(keys)
    storage = SQLiteStorage(tmp_path / "db")
    stores: dict[str, Store] = {}
    for spec in SPECS:
        key = store_key(spec.resource)
        if key in wanted and key not in stores:
            cacher = Cacher(storage, spec.key_root)
            await cacher.start()
            stores[key] = Store(
                spec.strategy(spec.resource),
                cacher,
                key_root=spec.key_root,
                admission=admission or Chain([]),
            )
    for store in stores.values():
        store.strategy.attach(stores)
    try:
        yield stores
    finally:
        for store in stores.values():
            await store.cache.stop()
        await storage.close()
