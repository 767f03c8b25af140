"""Defaulting of HorizontalPodAutoscalers, as kube-apiserver 1.33 applies it after decoding.

autoscaling/v2 (the stored version) defaults `minReplicas` to 1, `metrics` to an 80% average
CPU utilization target, and, when a `behavior` is given, each of its scaling rules to the HPA
controller's historic policies (scale up by 4 pods or 100% per 15s with no stabilization,
scale down by 100% per 15s). autoscaling/v1 defaults only `minReplicas`; its metrics are settled
by the conversion to v2 (conversion.py).

The status is kept in the shape Go's encoder writes it: `desiredReplicas` always (0 included),
`currentMetrics` always (null when unset), `currentReplicas` and `conditions` only when set.
"""

from __future__ import annotations

import copy

from kube_apiserver.apis.autoscaling.conversion import DEFAULT_CPU_UTILIZATION
from kube_apiserver.apis.meta.unstructured import ensure_dict

SCALE_UP_RULES = {
    "stabilizationWindowSeconds": 0,
    "selectPolicy": "Max",
    "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15},
    ],
}
# No stabilization window: the controller's --horizontal-pod-autoscaler-downscale-stabilization
# flag decides it.
SCALE_DOWN_RULES = {
    "selectPolicy": "Max",
    "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
}


def _rules(given: object, defaults: dict) -> dict:
    """A scaling rule with each unset part taken from the defaults."""
    out = copy.deepcopy(defaults)
    if isinstance(given, dict):
        for key in ("selectPolicy", "stabilizationWindowSeconds", "policies", "tolerance"):
            if given.get(key) is not None:
                out[key] = given[key]
    return out


def status_shape(status: dict) -> dict:
    """A v2 status with the fields Go always writes present and the omitempty ones dropped."""
    out = dict(status)
    out.setdefault("desiredReplicas", 0)
    out.setdefault("currentMetrics", None)
    if not out.get("currentReplicas"):
        out.pop("currentReplicas", None)
    if not out.get("conditions"):
        out.pop("conditions", None)
    return out


def default_hpa(obj: dict) -> None:
    """autoscaling/v2 defaults."""
    spec = ensure_dict(obj, "spec")
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if not spec.get("metrics"):
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {
                        "type": "Utilization",
                        "averageUtilization": DEFAULT_CPU_UTILIZATION,
                    },
                },
            }
        ]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        behavior["scaleUp"] = _rules(behavior.get("scaleUp"), SCALE_UP_RULES)
        behavior["scaleDown"] = _rules(behavior.get("scaleDown"), SCALE_DOWN_RULES)
    status = obj.get("status")
    obj["status"] = status_shape(status if isinstance(status, dict) else {})


def default_hpa_v1(obj: dict) -> None:
    """autoscaling/v1 defaults, applied before the object is converted to v2."""
    spec = ensure_dict(obj, "spec")
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
