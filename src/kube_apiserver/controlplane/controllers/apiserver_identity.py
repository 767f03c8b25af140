"""API server identity: each server keeps a Lease in kube-system saying it is alive.

As kube-apiserver: the Lease is named `apiserver-<hash>`, held by `<name>_<uuid>` (a new
holder each start), labelled `apiserver.kubernetes.io/identity=kube-apiserver`, lasts an
hour and is renewed every 10 seconds; each server also deletes the Leases of servers that
stopped renewing theirs. kube-apiserver hashes the host name; several of our servers may
share a host, so the hash here covers host name and port.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.registry.generic.store import DeleteOptions, ListOptions, Store

log = logging.getLogger(__name__)

NAMESPACE = "kube-system"
IDENTITY_LABEL = "apiserver.kubernetes.io/identity"
LEASE_DURATION_SECONDS = 3600
RENEW_SECONDS = 10.0


def lease_name(hostname: str, port: int) -> str:
    digest = hashlib.sha256(f"{hostname}:{port}".encode()).digest()
    return "apiserver-" + base64.b32encode(digest).decode().lower().rstrip("=")[:26]


def _micro_time(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _expired(lease: dict[str, Any], now: datetime) -> bool:
    spec = lease.get("spec") or {}
    renewed = spec.get("renewTime")
    if not renewed:
        return False
    at = datetime.strptime(renewed, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return at + timedelta(seconds=spec.get("leaseDurationSeconds") or LEASE_DURATION_SECONDS) < now


class IdentityLeaseController:
    def __init__(self, leases: Store, hostname: str, port: int) -> None:
        self.leases = leases
        self.hostname = hostname
        self.name = lease_name(hostname, port)
        self.holder = f"{self.name}_{uuid.uuid4()}"
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            try:
                await self.renew()
                await self.collect_expired()
            except Exception as exc:  # noqa: BLE001 - keep renewing; the store may be back soon
                log.warning("apiserver identity lease %s: %s", self.name, exc)
            await asyncio.sleep(RENEW_SECONDS)

    async def renew(self) -> None:
        now = _micro_time(datetime.now(UTC))

        async def renewed(current: dict[str, Any]) -> dict[str, Any]:
            spec = current.setdefault("spec", {})
            if spec.get("holderIdentity") != self.holder:
                spec["acquireTime"] = now
            spec.update(
                holderIdentity=self.holder,
                leaseDurationSeconds=LEASE_DURATION_SECONDS,
                renewTime=now,
            )
            return current

        try:
            await self.leases.update(NAMESPACE, self.name, renewed, allow_create=False)
        except errors.StatusError as exc:
            if exc.code != 404:
                raise
            await self.leases.create(
                NAMESPACE,
                {
                    "apiVersion": "coordination.k8s.io/v1",
                    "kind": "Lease",
                    "metadata": {
                        "name": self.name,
                        "namespace": NAMESPACE,
                        "labels": {
                            IDENTITY_LABEL: "kube-apiserver",
                            "kubernetes.io/hostname": self.hostname,
                        },
                    },
                    "spec": {
                        "holderIdentity": self.holder,
                        "leaseDurationSeconds": LEASE_DURATION_SECONDS,
                        "acquireTime": now,
                        "renewTime": now,
                    },
                },
            )

    async def collect_expired(self) -> None:
        now = datetime.now(UTC)
        page = await self.leases.list(NAMESPACE, ListOptions())
        for item in page.items:
            meta = item.obj.get("metadata") or {}
            if (meta.get("labels") or {}).get(IDENTITY_LABEL) and _expired(item.obj, now):
                with contextlib.suppress(errors.StatusError):
                    await self.leases.delete(NAMESPACE, meta["name"], DeleteOptions())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
