"""The default ServiceCIDR `kubernetes`, as kube-apiserver 1.33 creates it at start.

Its ranges are those of --service-cluster-ip-range (primary first), and its Ready condition
is set once the stored ranges match the flag. Like Kubernetes' controller, we never rewrite
ranges that differ from the flag, except to upgrade a single-stack object to the dual-stack
ranges the flag now names; an object being deleted is left to whoever deletes it.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.registry.rest import now_rfc3339

log = logging.getLogger(__name__)

NAME = "kubernetes"
STORE_KEY = "servicecidrs.networking.k8s.io"
READY_MESSAGE = "Kubernetes default Service CIDR is ready"

Obj = dict[str, Any]


def flag_cidrs(service_cluster_ip_range: str) -> list[str]:
    """The flag's ranges in canonical form, as Go's IPNet.String() writes them."""
    return [
        str(ipaddress.ip_network(cidr.strip(), strict=False))
        for cidr in service_cluster_ip_range.split(",")
    ]


def _ready_condition() -> Obj:
    return {
        "type": "Ready",
        "status": "True",
        "lastTransitionTime": now_rfc3339(),
        "reason": "",
        "message": READY_MESSAGE,
    }


def _mark_ready(obj: Obj) -> None:
    """Set Ready=True unless some component already reported Ready True or False."""
    status = obj.setdefault("status", {})
    conditions = [c for c in status.get("conditions") or [] if isinstance(c, dict)]
    ready = next((c for c in conditions if c.get("type") == "Ready"), None)
    if ready is not None and ready.get("status") in ("True", "False"):
        return
    status["conditions"] = [c for c in conditions if c is not ready] + [_ready_condition()]


async def ensure_default_service_cidr(
    stores: dict[str, Store], service_cluster_ip_range: str
) -> None:
    store = stores.get(STORE_KEY)
    if store is None:  # networking.k8s.io/v1 servicecidrs turned off by --runtime-config
        return
    cidrs = flag_cidrs(service_cluster_ip_range)
    desired: Obj = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "ServiceCIDR",
        "metadata": {"name": NAME},
        "spec": {"cidrs": cidrs},
    }
    _mark_ready(desired)

    async def reconcile(current: Obj) -> Obj:
        if (current.get("metadata") or {}).get("deletionTimestamp"):
            return current
        stored = (current.get("spec") or {}).get("cidrs") or []
        if len(cidrs) == 2 and len(stored) == 1 and stored[0] == cidrs[0]:
            log.info("updating default ServiceCIDR from %s to dual-stack %s", stored, cidrs)
            current["spec"]["cidrs"] = cidrs
        elif stored != cidrs:
            log.warning(
                "default ServiceCIDR %s does not match --service-cluster-ip-range %s", stored, cidrs
            )
            return current
        _mark_ready(current)
        return current

    try:
        await store.update("", NAME, reconcile, allow_create=False)
    except errors.StatusError as exc:
        if exc.code != 404:
            raise
        await store.create("", desired)
