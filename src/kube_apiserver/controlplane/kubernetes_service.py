"""The `kubernetes` Service in `default`, its Endpoints and its EndpointSlice: how clients
inside a cluster find the API server. kube-apiserver creates them at start, with the first
address of the service range and the address and port it advertises; so do we, and we put
them right when they drifted (a new advertise address after a restart, edited labels).

The Endpoints carry `endpointslice.kubernetes.io/skip-mirror` so that the mirroring
controller leaves them alone; the EndpointSlice, written directly as kube-apiserver's
endpoints adapter does, carries only `kubernetes.io/service-name`. Endpoints may not hold
loopback addresses, so a server that could only advertise one (no default route) gets the
Service alone.
"""

from __future__ import annotations

import copy
import ipaddress
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.registry.generic.store import Store

NAME = "kubernetes"
NAMESPACE = "default"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"

Obj = dict[str, Any]


def first_service_ip(service_cluster_ip_range: str) -> str:
    network = ipaddress.ip_network(service_cluster_ip_range.split(",")[0].strip(), strict=False)
    return str(next(network.hosts()))


async def _ensure(store: Store, desired: Obj, *, keep_labels: bool = False) -> None:
    """Make the stored object carry `desired`'s fields (a spec is merged into the stored one,
    which has defaults of its own) and, unless `keep_labels`, its labels; create it when it is
    missing. Like kube-apiserver, look before creating: a second create of the Service would
    fail on its cluster IP before its name."""

    async def reconcile(current: Obj) -> Obj:
        for key, value in desired.items():
            if key == "spec":
                current["spec"] = {**current.get("spec", {}), **value}
            elif key not in ("apiVersion", "kind", "metadata"):
                current[key] = copy.deepcopy(value)
        if not keep_labels:
            current["metadata"]["labels"] = dict(desired["metadata"]["labels"])
        return current

    try:
        await store.update(NAMESPACE, NAME, reconcile, allow_create=False)
    except errors.StatusError as exc:
        if exc.code != 404:
            raise
        await store.create(NAMESPACE, copy.deepcopy(desired))


def _service(cluster_ip: str, port: int) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": NAME, "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {
            "clusterIP": cluster_ip,
            "clusterIPs": [cluster_ip],
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": port}],
            "sessionAffinity": "None",
            "type": "ClusterIP",
        },
    }


def _endpoints(address: str, port: int) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": NAME, "labels": {SKIP_MIRROR_LABEL: "true"}},
        "subsets": [
            {
                "addresses": [{"ip": address}],
                "ports": [{"name": "https", "port": port, "protocol": "TCP"}],
            }
        ],
    }


def _endpoint_slice(address: str, port: int) -> Obj:
    version = ipaddress.ip_address(address).version
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": NAME, "labels": {SERVICE_NAME_LABEL: NAME}},
        "addressType": f"IPv{version}",
        "endpoints": [{"addresses": [address], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "port": port, "protocol": "TCP"}],
    }


async def ensure_kubernetes_service(
    stores: dict[str, Store], *, service_cluster_ip_range: str, address: str, port: int
) -> None:
    """Make the Service, Endpoints and EndpointSlice present and current; a resource turned
    off by --runtime-config is left out."""
    services = stores.get("services")
    if services is not None:
        service = _service(first_service_ip(service_cluster_ip_range), port)
        await _ensure(services, service, keep_labels=True)
    if ipaddress.ip_address(address).is_loopback:
        return
    endpoints = stores.get("endpoints")
    if endpoints is not None:
        await _ensure(endpoints, _endpoints(address, port))
    slices = stores.get("endpointslices.discovery.k8s.io")
    if slices is not None:
        await _ensure(slices, _endpoint_slice(address, port))
