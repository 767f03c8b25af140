"""The `kubernetes` Service and its Endpoints in `default`: how clients inside a cluster find
the API server. kube-apiserver creates them at start, with the first address of the service
range and the address and port it serves on; so do we, and we put them right if they drifted.
Endpoints may not hold loopback addresses, so a server advertising one (the default here:
we listen on 127.0.0.1) gets the Service alone.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.registry.generic.store import Store

NAME = "kubernetes"
NAMESPACE = "default"


def first_service_ip(service_cluster_ip_range: str) -> str:
    network = ipaddress.ip_network(service_cluster_ip_range.split(",")[0].strip(), strict=False)
    return str(next(network.hosts()))


async def _ensure(store: Store, obj: dict[str, Any], wanted: dict[str, Any]) -> None:
    """Create `obj`, or make the stored one carry `wanted`'s top-level fields."""
    try:
        await store.create(NAMESPACE, obj)
        return
    except errors.StatusError as exc:
        if exc.code != 409:
            raise

    async def reconcile(current: dict[str, Any]) -> dict[str, Any]:
        for key, value in wanted.items():
            if key == "spec":
                current["spec"] = {**current.get("spec", {}), **value}
            else:
                current[key] = value
        return current

    await store.update(NAMESPACE, NAME, reconcile, allow_create=False)


async def ensure_kubernetes_service(
    services: Store, endpoints: Store, *, service_cluster_ip_range: str, address: str, port: int
) -> None:
    cluster_ip = first_service_ip(service_cluster_ip_range)
    labels = {"component": "apiserver", "provider": "kubernetes"}
    service_spec = {
        "clusterIP": cluster_ip,
        "clusterIPs": [cluster_ip],
        "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": port}],
        "sessionAffinity": "None",
        "type": "ClusterIP",
    }
    await _ensure(
        services,
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": NAME, "labels": labels},
            "spec": service_spec,
        },
        {"spec": service_spec},
    )
    if ipaddress.ip_address(address).is_loopback:
        return
    subsets = [
        {
            "addresses": [{"ip": address}],
            "ports": [{"name": "https", "port": port, "protocol": "TCP"}],
        }
    ]
    await _ensure(
        endpoints,
        {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {
                "name": NAME,
                "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
            },
            "subsets": subsets,
        },
        {"subsets": subsets},
    )
