"""Pods: status starts Pending, deletion is graceful once a pod is on a node."""

from __future__ import annotations

from kube_apiserver.apis.core import defaults, printers, validation
from kube_apiserver.registry.core.simple import CoreStrategy
from kube_apiserver.registry.rest import Obj

DEFAULT_GRACE_SECONDS = 30


def qos_class(pod: Obj) -> str:
    """BestEffort with no requests or limits, Guaranteed when every container's requests
    equal its limits for cpu and memory, else Burstable."""
    containers = list((pod.get("spec") or {}).get("containers") or []) + list(
        (pod.get("spec") or {}).get("initContainers") or []
    )
    any_set = False
    guaranteed = True
    for c in containers:
        res = c.get("resources") or {}
        requests, limits = res.get("requests") or {}, res.get("limits") or {}
        if requests or limits:
            any_set = True
        for name in ("cpu", "memory"):
            limit = limits.get(name)
            if limit is None or str(requests.get(name, limit)) != str(limit):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


class PodStrategy(CoreStrategy):
    table = printers.TABLES["pods"]
    return_deleted_object = True
    status_subresource = True
    defaulter = staticmethod(defaults.default_pod)
    validator = staticmethod(validation.validate_pod)
    update_validator = staticmethod(validation.validate_pod_update)
    status_update_validator = staticmethod(validation.validate_pod_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"phase": "Pending", "qosClass": qos_class(obj)}

    def grace_period(self, pod: Obj, requested: int | None) -> int:
        """Pods not yet on a node, or already finished, go at once (as kube-apiserver)."""
        spec = pod.get("spec") or {}
        phase = (pod.get("status") or {}).get("phase")
        if not spec.get("nodeName") or phase in ("Succeeded", "Failed"):
            return 0
        if requested is not None:
            return max(requested, 0) or 0
        grace = spec.get("terminationGracePeriodSeconds")
        return grace if isinstance(grace, int) and grace >= 0 else DEFAULT_GRACE_SECONDS
