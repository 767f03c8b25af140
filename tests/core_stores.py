"""Real stores of the core kinds (SQLite and watch caches), in process, for tests of admission
plugins and controllers: objects are written through the real admission chain and strategies."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from kube_apiserver.admission.interface import Chain, Plugin
from kube_apiserver.admission.plugins.namespace_lifecycle import NamespaceLifecycle
from kube_apiserver.registry.core.storage_provider import SPECS
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.storage.cacher import Cacher
from kube_apiserver.storage.sqlite import SQLiteStorage

KINDS = ("namespaces", "serviceaccounts", "pods", "secrets", "configmaps")


@contextlib.asynccontextmanager
async def core_stores(tmp_path: Path, *plugins: Plugin) -> AsyncIterator[dict[str, Store]]:
    """Stores for KINDS behind NamespaceLifecycle and `plugins` (attached to the stores)."""
    storage = SQLiteStorage(tmp_path / "db")
    stores: dict[str, Store] = {}

    async def namespace(name: str) -> dict[str, Any] | None:
        cached = stores["namespaces"].cache.get_cached(stores["namespaces"].key("", name))
        return cached.obj if cached else None

    chain = Chain([NamespaceLifecycle(namespace), *plugins])
    for spec in SPECS:
        if spec.resource.name in KINDS:
            cacher = Cacher(storage, spec.key_root)
            await cacher.start()
            stores[spec.resource.name] = Store(
                spec.strategy(spec.resource), cacher, key_root=spec.key_root, admission=chain
            )
    for store in stores.values():
        store.strategy.attach(stores)
    for plugin in plugins:
        if hasattr(plugin, "attach"):
            plugin.attach(stores)
    try:
        yield stores
    finally:
        for store in stores.values():
            await store.cache.stop()
        await storage.close()


async def created(store: Store, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    """Create through the store and wait until its watch cache has the object."""
    item = await store.create(namespace, obj)
    await store.cache.wait_until(item.mod_revision)
    return item.obj


def namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
