"""Selectable fields of core/v1 objects: what `?fieldSelector=` can match, per resource.

Each function returns the fields Kubernetes 1.33 exposes for one resource, as strings (booleans
as "true"/"false", missing values as ""). Namespaced resources get `metadata.name` and
`metadata.namespace`, cluster-scoped ones `metadata.name` only, exactly as the registry's
GetAttrs functions build them; a selector on any other field is refused by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def _str(obj: Any, *keys: str) -> str:
    v = _get(obj, *keys)
    return v if isinstance(v, str) else ""


def _bool(obj: Any, *keys: str) -> str:
    return "true" if _get(obj, *keys) is True else "false"


def object_meta_fields(obj: dict, *, namespaced: bool = True) -> dict[str, str]:
    fields = {"metadata.name": _str(obj, "metadata", "name")}
    if namespaced:
        fields["metadata.namespace"] = _str(obj, "metadata", "namespace")
    return fields


def pod_fields(pod: dict) -> dict[str, str]:
    pod_ips = _get(pod, "status", "podIPs")
    first = pod_ips[0] if isinstance(pod_ips, list) and pod_ips else None
    return {
        **object_meta_fields(pod),
        "spec.nodeName": _str(pod, "spec", "nodeName"),
        "spec.restartPolicy": _str(pod, "spec", "restartPolicy"),
        "spec.schedulerName": _str(pod, "spec", "schedulerName"),
        "spec.serviceAccountName": _str(pod, "spec", "serviceAccountName"),
        "spec.hostNetwork": _bool(pod, "spec", "hostNetwork"),
        "status.phase": _str(pod, "status", "phase"),
        # Kubernetes matches the first of status.podIPs, not status.podIP.
        "status.podIP": _str(first, "ip"),
        "status.podIPs": _str(first, "ip"),
        "status.nominatedNodeName": _str(pod, "status", "nominatedNodeName"),
        # The spelling old v1 clients send for spec.nodeName.
        "spec.host": _str(pod, "spec", "nodeName"),
    }


def event_fields(event: dict) -> dict[str, str]:
    source = _str(event, "source", "component") or _str(event, "reportingComponent")
    involved = {
        k: _str(event, "involvedObject", k)
        for k in ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")
    }
    return {
        **object_meta_fields(event),
        **{f"involvedObject.{k}": v for k, v in involved.items()},
        "reason": _str(event, "reason"),
        "reportingComponent": _str(event, "reportingComponent"),
        "source": source,
        "type": _str(event, "type"),
    }


def namespace_fields(ns: dict) -> dict[str, str]:
    # "name" is a historical extra Kubernetes keeps accepting for namespaces.
    return {
        **object_meta_fields(ns, namespaced=False),
        "status.phase": _str(ns, "status", "phase"),
        "name": _str(ns, "metadata", "name"),
    }


def node_fields(node: dict) -> dict[str, str]:
    return {
        **object_meta_fields(node, namespaced=False),
        "spec.unschedulable": _bool(node, "spec", "unschedulable"),
    }


def secret_fields(secret: dict) -> dict[str, str]:
    return {**object_meta_fields(secret), "type": _str(secret, "type")}


def service_fields(service: dict) -> dict[str, str]:
    return {
        **object_meta_fields(service),
        "spec.clusterIP": _str(service, "spec", "clusterIP"),
        "spec.type": _str(service, "spec", "type"),
    }


def replicationcontroller_fields(rc: dict) -> dict[str, str]:
    replicas = _get(rc, "status", "replicas")
    count = replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else 0
    return {**object_meta_fields(rc), "status.replicas": str(count)}


def persistentvolume_fields(pv: dict) -> dict[str, str]:
    # "name" is a historical extra Kubernetes keeps accepting for volumes and claims.
    return {**object_meta_fields(pv, namespaced=False), "name": _str(pv, "metadata", "name")}


def persistentvolumeclaim_fields(pvc: dict) -> dict[str, str]:
    return {**object_meta_fields(pvc), "name": _str(pvc, "metadata", "name")}


FIELD_SETS: dict[str, Callable[[dict], dict[str, str]]] = {
    "namespaces": namespace_fields,
    "configmaps": object_meta_fields,
    "secrets": secret_fields,
    "serviceaccounts": object_meta_fields,
    "pods": pod_fields,
    "services": service_fields,
    "endpoints": object_meta_fields,
    "events": event_fields,
    "nodes": node_fields,
    "replicationcontrollers": replicationcontroller_fields,
    "persistentvolumes": persistentvolume_fields,
    "persistentvolumeclaims": persistentvolumeclaim_fields,
    "podtemplates": object_meta_fields,
    "limitranges": object_meta_fields,
    "resourcequotas": object_meta_fields,
    # Probed objects are matched as namespaced ones, whose namespace is always "".
    "componentstatuses": object_meta_fields,
}
