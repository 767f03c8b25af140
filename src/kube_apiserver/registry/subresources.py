"""Subresources served by every resource that has them: `status`."""

from __future__ import annotations

from typing import Any

from kube_apiserver.registry import rest
from kube_apiserver.registry.generic.store import NewObjectFunc, Store
from kube_apiserver.storage.interface import StoredObject


class StatusREST:
    """GET returns the whole object; PUT/PATCH change only its status."""

    verbs = ("get", "patch", "update")

    def __init__(self, parent: rest.Strategy, status_strategy: rest.Strategy | None = None) -> None:
        self.strategy = status_strategy or rest.StatusStrategy(parent)
        res = parent.resource
        self.group, self.version, self.kind = res.group, res.version, res.kind

    async def get(self, store: Store, namespace: str, name: str) -> StoredObject:
        return await store.get(namespace, name)

    async def update(
        self,
        store: Store,
        namespace: str,
        name: str,
        new_object: NewObjectFunc,
        *,
        user: Any,
        dry_run: bool,
    ) -> StoredObject | dict:
        result, _ = await store.update(
            namespace,
            name,
            new_object,
            strategy=self.strategy,
            subresource="status",
            user=user,
            dry_run=dry_run,
            allow_create=False,
        )
        return result
