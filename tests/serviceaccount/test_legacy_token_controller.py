"""The legacy token controller over real stores: token Secrets are filled for existing service
accounts, and removed with them."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kube_apiserver.authentication.interface import AuthenticationError
from kube_apiserver.controlplane.controllers.serviceaccount_tokens import LegacyTokenController
from serviceaccount.world import World, secret, service_account, world

NS = "team"
CA = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def token_secret(name: str = "robot-token", sa: str = "robot", uid: str = "") -> dict[str, Any]:
    annotations = {"kubernetes.io/service-account.name": sa}
    if uid:
        annotations["kubernetes.io/service-account.uid"] = uid
    obj = secret(name, type="kubernetes.io/service-account-token")
    obj["metadata"]["annotations"] = annotations
    return obj


async def until(check: Callable[[], Any], what: str) -> Any:
    """Poll `check` until it returns something truthy, for at most ten seconds."""
    deadline = time.monotonic() + 10
    while not (found := check()):
        assert time.monotonic() < deadline, f"never: {what}"
        await asyncio.sleep(0.02)
    return found


def cached(w: World, resource: str, name: str) -> dict[str, Any] | None:
    store = w.stores[resource]
    item = store.cache.get_cached(store.key(NS, name))
    return item.obj if item is not None else None


def filled(w: World, name: str = "robot-token") -> dict[str, Any] | None:
    """The token Secret once the controller has given it a token."""
    found = cached(w, "secrets", name)
    return found if found is not None and (found.get("data") or {}).get("token") else None


def run(tmp_path: Path, body: Callable[[World], Any]) -> Any:
    async def main() -> Any:
        async with world(tmp_path) as w:
            controller = LegacyTokenController(w.stores, tokens=w.tokens, root_ca=CA)
            controller.start()
            try:
                return await body(w)
            finally:
                await controller.stop()

    return asyncio.run(main())


def test_a_token_secret_of_an_existing_account_is_filled(tmp_path: Path) -> None:
    async def body(w: World) -> tuple[dict, dict, Any]:
        sa = await w.create("serviceaccounts", NS, service_account())
        await w.create("secrets", NS, token_secret())
        stored = await until(lambda: filled(w), "the token is filled")
        token = base64.b64decode(stored["data"]["token"]).decode()
        return sa, stored, await w.authenticate(token)

    sa, stored, user = run(tmp_path, body)
    data = {k: base64.b64decode(v) for k, v in stored["data"].items()}
    assert data["ca.crt"] == CA and data["namespace"] == NS.encode()
    assert stored["metadata"]["annotations"] == {
        "kubernetes.io/service-account.name": "robot",
        "kubernetes.io/service-account.uid": sa["metadata"]["uid"],
    }
    assert user is not None and user.name == "system:serviceaccount:team:robot"


def test_a_token_secret_of_a_missing_or_replaced_account_is_deleted(tmp_path: Path) -> None:
    async def body(w: World) -> bool:
        await w.create("serviceaccounts", NS, service_account())
        await w.create("secrets", NS, token_secret("orphan", sa="ghost"))
        await w.create("secrets", NS, token_secret("stale", uid="not-robots-uid"))
        await until(lambda: cached(w, "secrets", "orphan") is None, "orphan deleted")
        await until(lambda: cached(w, "secrets", "stale") is None, "stale deleted")
        return True

    assert run(tmp_path, body)


def test_deleting_the_account_deletes_its_token_secrets_and_revokes_them(tmp_path: Path) -> None:
    async def body(w: World) -> tuple[bool, bool]:
        await w.create("serviceaccounts", NS, service_account())
        await w.create("secrets", NS, token_secret())
        await w.create("secrets", NS, secret("unrelated"))
        stored = await until(lambda: filled(w), "the token is filled")
        token = base64.b64decode(stored["data"]["token"]).decode()
        await w.delete("serviceaccounts", NS, "robot")
        await until(lambda: cached(w, "secrets", "robot-token") is None, "token Secret deleted")
        try:
            await w.authenticate(token)
            revoked = False
        except AuthenticationError:
            revoked = True
        return revoked, cached(w, "secrets", "unrelated") is not None

    assert run(tmp_path, body) == (True, True)


def test_a_deleted_token_secret_leaves_its_accounts_secrets_list(tmp_path: Path) -> None:
    async def body(w: World) -> list:
        sa = service_account()
        sa["secrets"] = [{"name": "robot-token"}, {"name": "other"}]
        await w.create("serviceaccounts", NS, sa)
        await w.create("secrets", NS, token_secret())
        await until(lambda: filled(w), "the token is filled")
        await w.delete("secrets", NS, "robot-token")

        def references() -> list | None:
            refs = (cached(w, "serviceaccounts", "robot") or {}).get("secrets")
            return refs if refs is not None and len(refs) == 1 else None

        return await until(references, "the reference is dropped")

    assert run(tmp_path, body) == [{"name": "other"}]
