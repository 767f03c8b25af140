"""A service account token world for tests below HTTP: real stores (SQLite and watch caches)
for the objects tokens name, and an issuer with keys made once per session."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kube_apiserver.authentication.interface import AuthRequest
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_apiserver.serviceaccount import keys as sakeys
from kube_apiserver.serviceaccount.tokens import ServiceAccountTokens
from registry_stores import created, open_stores

ISSUER = "https://kubernetes.default.svc.cluster.local"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
KEPT = ("namespaces", "serviceaccounts", "secrets", "pods", "nodes")


@dataclass
class World:
    stores: dict[str, Store]
    tokens: ServiceAccountTokens

    async def create(self, resource: str, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Create `obj` and wait until the watch caches have it; returns the stored object."""
        return await created(self.stores[resource], namespace, obj)

    async def delete(self, resource: str, namespace: str, name: str) -> None:
        store = self.stores[resource]
        await store.delete(namespace, name, DeleteOptions(grace_period_seconds=0))
        await store.cache.wait_until(await store.cache.current_revision())

    async def authenticate(self, token: str, audiences: tuple[str, ...] = ()) -> UserInfo | None:
        """The first answer of the service account authenticators, as the union asks them."""
        req = AuthRequest({"authorization": f"Bearer {token}"}, audiences=audiences)
        for authenticator in self.tokens.authenticators():
            user = await authenticator.authenticate(req)
            if user is not None:
                return user
        return None


def make_tokens(**overrides: Any) -> ServiceAccountTokens:
    settings: dict[str, Any] = {
        "signing_key": RSA_KEY,
        "verification_keys": [sakeys.public_key(RSA_KEY)],
        "issuers": [ISSUER],
        "api_audiences": [ISSUER],
    }
    settings.update(overrides)
    return ServiceAccountTokens(**settings)


@contextlib.asynccontextmanager
async def world(tmp_path: Path, **overrides: Any) -> AsyncIterator[World]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    async with open_stores(tmp_path, KEPT) as stores:
        tokens = make_tokens(**overrides)
        for authenticator in tokens.authenticators():
            authenticator.attach(stores)  # type: ignore[attr-defined]
        for store in stores.values():
            store.strategy.attach_auth(None, tokens)
        yield World(stores, tokens)


def service_account(name: str = "robot") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}}


def pod(name: str = "web", *, sa: str = "robot", node: str = "") -> dict[str, Any]:
    spec: dict[str, Any] = {"serviceAccountName": sa, "containers": [{"name": "c", "image": "i"}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def secret(name: str = "creds", **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, **extra}


def node(name: str = "node-1") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}}
