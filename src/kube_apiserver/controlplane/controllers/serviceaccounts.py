"""The `default` ServiceAccount in every active namespace, as kube-controller-manager keeps it.

Pods that name no service account run as `default` (see admission/plugins/serviceaccount.py),
so each namespace needs one: created when the namespace appears and again whenever it is
deleted, never in a namespace being deleted (the namespace controller is emptying it).
"""

from __future__ import annotations

from kube_apiserver.apimachinery import errors
from kube_apiserver.controlplane.controllers.per_namespace import (
    Obj,
    PerNamespaceController,
    refused_by_namespace,
)
from kube_apiserver.registry.generic.store import Store

DEFAULT_ACCOUNT = "default"


class ServiceAccountsController(PerNamespaceController):
    object_name = DEFAULT_ACCOUNT

    def __init__(self, stores: dict[str, Store]) -> None:
        super().__init__(stores["namespaces"], stores["serviceaccounts"])

    async def sync(self, namespace: Obj) -> None:
        name = namespace["metadata"]["name"]
        if self.store.cache.get_cached(self.store.key(name, DEFAULT_ACCOUNT)) is not None:
            return
        account = {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": DEFAULT_ACCOUNT, "namespace": name},
        }
        try:
            await self.store.create(name, account)
        except errors.StatusError as exc:
            if exc.code != 409 and not refused_by_namespace(exc):
                raise
