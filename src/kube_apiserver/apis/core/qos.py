"""A pod's quality-of-service class, as Kubernetes computes it (helper/qos.ComputePodQOS).

Only cpu and memory count, and only positive amounts, summed over the regular and init
containers: BestEffort with none at all; Guaranteed when every container limits both and the
summed requests equal the summed limits; Burstable otherwise. Pods are defaulted first, so
requests already default to their limits.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from kube_apiserver.apis.core.quantities import parse_quantity

_QOS_RESOURCES = ("cpu", "memory")


def _positive(amounts: Any) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for name, raw in (amounts if isinstance(amounts, dict) else {}).items():
        quantity = parse_quantity(raw) if name in _QOS_RESOURCES else None
        if quantity is not None and quantity.value > 0:
            out[name] = quantity.value
    return out


def compute_pod_qos(pod: dict) -> str:
    spec = pod.get("spec") if isinstance(pod.get("spec"), dict) else {}
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for kind in ("containers", "initContainers"):
        for container in spec.get(kind) or []:
            resources = container.get("resources") if isinstance(container, dict) else None
            resources = resources if isinstance(resources, dict) else {}
            for name, value in _positive(resources.get("requests")).items():
                requests[name] = requests.get(name, Fraction(0)) + value
            container_limits = _positive(resources.get("limits"))
            for name, value in container_limits.items():
                limits[name] = limits.get(name, Fraction(0)) + value
            if set(_QOS_RESOURCES) - set(container_limits):
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(limits.get(n) == v for n, v in requests.items()):
        if len(requests) == len(limits):
            return "Guaranteed"
    return "Burstable"


def pod_qos(pod: dict) -> str:
    """The class recorded in the pod's status, else the computed one (helper/qos.GetPodQOS)."""
    recorded = (pod.get("status") or {}).get("qosClass")
    return recorded if isinstance(recorded, str) and recorded else compute_pod_qos(pod)
