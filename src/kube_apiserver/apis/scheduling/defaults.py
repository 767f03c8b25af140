"""Defaulting of scheduling.k8s.io/v1 PriorityClasses: the preemption policy.

`value` is a plain int32 in Kubernetes, so an object without one reads back with 0.
"""

from __future__ import annotations


def default_priority_class(obj: dict) -> None:
    obj.setdefault("value", 0)
    if obj.get("preemptionPolicy") is None:
        obj["preemptionPolicy"] = "PreemptLowerPriority"
