"""Legacy service account token Secrets, kept as kube-controller-manager's token controller keeps
them, since no controller manager runs beside this server.

A Secret of type `kubernetes.io/service-account-token` names its service account in the
`kubernetes.io/service-account.name` annotation (and, optionally, its uid in
`kubernetes.io/service-account.uid`). While that service account exists, the Secret is given a
never-expiring legacy token for it (`data.token`), the cluster CA (`data.ca.crt`) and its
namespace (`data.namespace`), and both annotations. A Secret whose service account does not exist
(or has another uid) is deleted, and so are a service account's token Secrets when it is deleted;
a deleted token Secret is dropped from its service account's `secrets` list.

Deleting the Secret revokes the token: the legacy token authenticator only accepts a token its
Secret still holds.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_apiserver.serviceaccount.tokens import ServiceAccountTokens
from kube_apiserver.storage import interface as storage

log = logging.getLogger(__name__)

Obj = dict[str, Any]

TOKEN_TYPE = "kubernetes.io/service-account-token"
NAME_ANNOTATION = "kubernetes.io/service-account.name"
UID_ANNOTATION = "kubernetes.io/service-account.uid"


class _Unchanged(Exception):
    """The Secret already holds what it should: nothing to write."""


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def _sa_ref(secret: Obj) -> tuple[str, str] | None:
    """(name, uid) of the service account a token Secret names; None for other Secrets."""
    if secret.get("type") != TOKEN_TYPE:
        return None
    annotations = _meta(secret).get("annotations") or {}
    name = annotations.get(NAME_ANNOTATION) or ""
    return (name, annotations.get(UID_ANNOTATION) or "") if name else None


def _decoded(secret: Obj, key: str) -> bytes:
    try:
        return base64.b64decode((secret.get("data") or {}).get(key) or "")
    except ValueError:
        return b""


class LegacyTokenController:
    def __init__(
        self, stores: dict[str, Store], *, tokens: ServiceAccountTokens, root_ca: bytes = b""
    ) -> None:
        self._secrets = stores.get("secrets")
        self._accounts = stores.get("serviceaccounts")
        self._tokens = tokens
        self._root_ca = root_ca
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        if self._secrets is None or self._accounts is None or not self._tokens.can_issue:
            return
        self._tasks = [
            asyncio.create_task(self._follow(self._secrets, self._sync_secret)),
            asyncio.create_task(self._follow(self._accounts, self._sync_account)),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @staticmethod
    async def _follow(store: Store, sync: Callable[[str, Obj], Awaitable[None]]) -> None:
        watcher = store.cache.watch_from(store.cache.prefix, 0, None, initial=True)
        async for event in watcher:
            if event.type not in (storage.ADDED, storage.MODIFIED, storage.DELETED):
                continue
            try:
                await sync(event.type, event.current.obj)
            except Exception:
                log.exception("service account token sync of %s", event.current.key)

    async def _sync_account(self, event: str, sa: Obj) -> None:
        if event != storage.DELETED:
            return
        meta = _meta(sa)
        assert self._secrets is not None
        for item in self._secrets.cache.snapshot(self._secrets.prefix(meta.get("namespace", ""))):
            ref = _sa_ref(item.obj)
            if ref is not None and ref[0] == meta.get("name") and ref[1] in ("", meta.get("uid")):
                await self._delete(item.obj)

    async def _sync_secret(self, event: str, secret: Obj) -> None:
        ref = _sa_ref(secret)
        if ref is None:
            return
        if event == storage.DELETED:
            await self._drop_reference(secret, *ref)
            return
        sa = await self._account(_meta(secret).get("namespace", ""), *ref)
        if sa is None:
            await self._delete(secret)
        elif self._needs(secret):
            await self._fill(secret, sa)

    async def _account(self, namespace: str, name: str, uid: str) -> Obj | None:
        """The service account, from the cache or else the store; None if absent or another."""
        assert self._accounts is not None
        cached = self._accounts.cache.get_cached(self._accounts.key(namespace, name))
        if cached is None:
            try:
                cached = await self._accounts.get(namespace, name)
            except errors.StatusError as exc:
                if exc.code != 404:
                    raise
                return None
        return cached.obj if uid in ("", _meta(cached.obj).get("uid")) else None

    def _needs(self, secret: Obj) -> bool:
        data = secret.get("data") or {}
        needs_ca = bool(self._root_ca) and _decoded(secret, "ca.crt") != self._root_ca
        return needs_ca or not data.get("namespace") or not data.get("token")

    async def _fill(self, secret: Obj, sa: Obj) -> None:
        meta = _meta(secret)

        async def fill(current: Obj) -> Obj:
            current_meta = current.setdefault("metadata", {})
            if current_meta.get("uid") != meta.get("uid") or not self._needs(current):
                raise _Unchanged
            data = current.setdefault("data", {})
            if self._root_ca:
                data["ca.crt"] = base64.b64encode(self._root_ca).decode()
            if not data.get("namespace"):
                data["namespace"] = base64.b64encode(meta["namespace"].encode()).decode()
            if not data.get("token"):
                token = self._tokens.legacy_token(sa, meta["name"])
                data["token"] = base64.b64encode(token.encode()).decode()
            current_meta["annotations"] = {
                **(current_meta.get("annotations") or {}),
                NAME_ANNOTATION: _meta(sa)["name"],
                UID_ANNOTATION: _meta(sa).get("uid", ""),
            }
            return current

        assert self._secrets is not None
        with contextlib.suppress(_Unchanged):
            try:
                await self._secrets.update(meta["namespace"], meta["name"], fill)
            except errors.StatusError as exc:
                if exc.code not in (404, 409):  # gone, or changed: its next event comes
                    raise

    async def _delete(self, secret: Obj) -> None:
        meta = _meta(secret)
        opts = DeleteOptions(preconditions=storage.Preconditions(uid=meta.get("uid")))
        assert self._secrets is not None
        try:
            await self._secrets.delete(meta.get("namespace", ""), meta.get("name", ""), opts)
        except errors.StatusError as exc:
            if exc.code not in (404, 409):  # already gone, or another Secret by that name
                raise

    async def _drop_reference(self, secret: Obj, sa_name: str, sa_uid: str) -> None:
        """Remove a deleted token Secret from its service account's `secrets` list."""
        meta = _meta(secret)
        sa = await self._account(meta.get("namespace", ""), sa_name, sa_uid)
        if sa is None or all(r.get("name") != meta["name"] for r in sa.get("secrets") or []):
            return

        async def drop(current: Obj) -> Obj:
            if sa_uid not in ("", _meta(current).get("uid")):
                raise _Unchanged
            refs = current.get("secrets") or []
            current["secrets"] = [r for r in refs if r.get("name") != meta["name"]]
            return current

        assert self._accounts is not None
        with contextlib.suppress(_Unchanged):
            try:
                await self._accounts.update(meta["namespace"], sa_name, drop)
            except errors.StatusError as exc:
                if exc.code != 404:
                    raise
