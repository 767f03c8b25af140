"""IPAddress objects for Services' cluster IPs, as Kubernetes 1.33 keeps them.

Since 1.33 every cluster IP a Service holds is also an `IPAddress` (networking.k8s.io/v1)
named by the address, whose `parentRef` is the Service, so `kubectl get ipaddresses` lists
them. The allocator picks the addresses (registry/core/ipallocator.py, which also treats
addresses held by IPAddress objects of other parents as taken); this controller follows the
Services' watch cache and creates and deletes the matching objects.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_apiserver.storage.interface import DELETED

log = logging.getLogger(__name__)

MANAGED_BY = "ipallocator.k8s.io"

Obj = dict[str, Any]


def service_ips(service: Obj | None) -> set[str]:
    spec = (service or {}).get("spec") or {}
    return {
        ip for ip in spec.get("clusterIPs") or [] if isinstance(ip, str) and ip and ip != "None"
    }


def _parent(service: Obj) -> Obj:
    meta = service.get("metadata") or {}
    return {
        "group": "",
        "resource": "services",
        "namespace": meta.get("namespace", ""),
        "name": meta.get("name", ""),
    }


def ip_address(address: str, service: Obj) -> Obj:
    family = "IPv4" if ipaddress.ip_address(address).version == 4 else "IPv6"
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IPAddress",
        "metadata": {
            "name": address,
            "labels": {
                "ipaddress.kubernetes.io/ip-family": family,
                "ipaddress.kubernetes.io/managed-by": MANAGED_BY,
            },
        },
        "spec": {"parentRef": _parent(service)},
    }


class IPAddressController:
    def __init__(self, services: Store, addresses: Store) -> None:
        self.services = services
        self.addresses = addresses
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        watcher = self.services.cache.watch_from(self.services.cache.prefix, 0, None, initial=True)
        async for event in watcher:
            current = event.current.obj
            if event.type == DELETED:
                now, before = set(), service_ips(current)
            else:
                now = service_ips(current)
                before = service_ips(event.prev.obj) if event.prev is not None else set()
            try:
                for address in sorted(now):
                    await self._ensure(address, current)
                for address in sorted(before - now):
                    await self._release(address, current)
            except Exception:
                log.exception("IPAddress objects of service %s", _parent(current))

    async def _ensure(self, address: str, service: Obj) -> None:
        existing = self.addresses.cache.get_cached(self.addresses.key("", address))
        if existing is not None:
            return
        with contextlib.suppress(errors.StatusError):  # taken meanwhile, or invalid: leave it
            await self.addresses.create("", ip_address(address, service))

    async def _release(self, address: str, service: Obj) -> None:
        existing = self.addresses.cache.get_cached(self.addresses.key("", address))
        if existing is None or (existing.obj.get("spec") or {}).get("parentRef") != _parent(
            service
        ):
            return  # not this service's
        with contextlib.suppress(errors.StatusError):
            await self.addresses.delete("", address, DeleteOptions())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
