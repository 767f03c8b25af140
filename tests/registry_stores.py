"""Real stores for tests below the HTTP layer: SQLite storage, watch caches and the generic
Store of each resource asked for, behind a given admission chain, as the control plane builds
them (keys as `registry.provider.store_key` names them: "pods", "leases.coordination.k8s.io").

`core_stores` are the core kinds behind the real NamespaceLifecycle plugin and the plugins under
test, for tests of admission plugins and controllers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from kube_apiserver.admission.interface import Chain, Plugin
from kube_apiserver.admission.plugins.namespace_lifecycle import NamespaceLifecycle
from kube_apiserver.controlplane.resources import SPECS
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.registry.provider import store_key
from kube_apiserver.storage.cacher import Cacher
from kube_apiserver.storage.sqlite import SQLiteStorage

CORE_KINDS = ("namespaces", "serviceaccounts", "pods", "secrets", "configmaps")


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


@contextlib.asynccontextmanager
async def core_stores(tmp_path: Path, *plugins: Plugin) -> AsyncIterator[dict[str, Store]]:
    """Stores for CORE_KINDS behind NamespaceLifecycle and `plugins` (attached to the stores)."""
    opened: dict[str, Store] = {}

    async def namespace(name: str) -> dict[str, Any] | None:
        namespaces = opened["namespaces"]
        cached = namespaces.cache.get_cached(namespaces.key("", name))
        return cached.obj if cached else None

    chain = Chain([NamespaceLifecycle(namespace), *plugins])
    async with open_stores(tmp_path, CORE_KINDS, chain) as stores:
        opened.update(stores)
        for plugin in plugins:
            if hasattr(plugin, "attach"):
                plugin.attach(stores)
        yield stores


async def created(store: Store, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    """Create through the store and wait until its watch cache has the object."""
    item = await store.create(namespace, obj)
    await store.cache.wait_until(item.mod_revision)
    return item.obj


def namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
