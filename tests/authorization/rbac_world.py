"""The RBAC stores of a server over a real SQLite store and watch caches, for RBAC unit tests:
roles and bindings are written through the stores (with the escalation checks) and read by the
RBAC authorizer from the caches, as in the server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.rbac.authorizer import RBACAuthorizer
from kube_apiserver.authorization.union import UnionAuthorizer
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_apiserver.registry.provider import store_key
from kube_apiserver.registry.rbac.storage_provider import SPECS
from registry_stores import open_stores

GROUP = "rbac.authorization.k8s.io"
PLURAL = {
    "Role": "roles",
    "ClusterRole": "clusterroles",
    "RoleBinding": "rolebindings",
    "ClusterRoleBinding": "clusterrolebindings",
}


def role(name: str, rules: list[dict], *, namespace: str = "", **extra: Any) -> dict:
    kind = "Role" if namespace else "ClusterRole"
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": f"{GROUP}/v1", "kind": kind, "metadata": meta, "rules": rules, **extra}


def binding(name: str, ref: tuple[str, str], subjects: list[dict], *, namespace: str = "") -> dict:
    kind = "RoleBinding" if namespace else "ClusterRoleBinding"
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {
        "apiVersion": f"{GROUP}/v1",
        "kind": kind,
        "metadata": meta,
        "roleRef": {"apiGroup": GROUP, "kind": ref[0], "name": ref[1]},
        "subjects": subjects,
    }


def user(name: str) -> dict:
    return {"kind": "User", "apiGroup": GROUP, "name": name}


def group(name: str) -> dict:
    return {"kind": "Group", "apiGroup": GROUP, "name": name}


def service_account(name: str, namespace: str = "") -> dict:
    return {
        "kind": "ServiceAccount",
        "name": name,
        **({"namespace": namespace} if namespace else {}),
    }


@dataclass
class World:
    stores: dict[str, Store]
    authorizer: UnionAuthorizer

    def store(self, kind: str) -> Store:
        return self.stores[f"{PLURAL[kind]}.{GROUP}"]

    async def create(self, obj: dict, *, by: UserInfo | None = None) -> dict:
        """Create `obj` as `by` (None: the server itself); wait until the caches have it."""
        namespace = obj["metadata"].get("namespace", "")
        created = await self.store(obj["kind"]).create(namespace, obj, user=by)
        await self.settled(created.mod_revision)
        return created.obj

    async def replace(self, obj: dict, *, by: UserInfo | None = None) -> dict:
        meta = obj["metadata"]
        store = self.store(obj["kind"])

        async def new(current: dict) -> dict:
            return obj

        updated, _ = await store.update(meta.get("namespace", ""), meta["name"], new, user=by)
        await self.settled(updated.mod_revision)
        return updated.obj

    async def delete(self, kind: str, name: str, *, namespace: str = "") -> None:
        store = self.store(kind)
        await store.delete(namespace, name, DeleteOptions())
        await self.settled(await store.cache.current_revision())

    async def settled(self, revision: int) -> None:
        for store in self.stores.values():
            await store.cache.wait_until(revision)


@asynccontextmanager
async def rbac_world(tmp_path: Path) -> AsyncIterator[World]:
    async with open_stores(tmp_path, [store_key(spec.resource) for spec in SPECS]) as stores:
        authorizer = UnionAuthorizer([RBACAuthorizer()])
        for store in stores.values():
            store.strategy.attach_auth(authorizer, None)
        authorizer.attach(stores)
        yield World(stores, authorizer)
