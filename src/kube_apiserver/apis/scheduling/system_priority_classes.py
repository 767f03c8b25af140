"""The PriorityClasses kube-apiserver creates at start and reserves the `system-` prefix for.

Kubernetes keeps them in one list that both the bootstrap and validation read: a class named
`system-...` must be one of these, with the same value and globalDefault.
"""

from __future__ import annotations

from typing import Any

SYSTEM_PREFIX = "system-"
HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000
SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY

SYSTEM_PRIORITY_CLASSES: tuple[dict[str, Any], ...] = (
    {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": "system-node-critical"},
        "value": SYSTEM_CRITICAL_PRIORITY + 1000,
        "description": "Used for system critical pods that must not be moved from their current node.",
    },
    {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": "system-cluster-critical"},
        "value": SYSTEM_CRITICAL_PRIORITY,
        "description": (
            "Used for system critical pods that must run in the cluster, but can be moved to "
            "another node if necessary."
        ),
    },
)
SYSTEM_PRIORITY_CLASS_NAMES = tuple(pc["metadata"]["name"] for pc in SYSTEM_PRIORITY_CLASSES)


def known_system_class_error(name: str, value: Any, global_default: bool) -> str | None:
    """Why a `system-` class is not one of the system classes, or None when it is."""
    for pc in SYSTEM_PRIORITY_CLASSES:
        if pc["metadata"]["name"] != name:
            continue
        if pc["value"] != value:
            return f"value of {name} PriorityClass must be {pc['value']}"
        if global_default:
            return f"globalDefault of {name} PriorityClass must be false"
        return None
    return f"{name} is not a known system priority class"
