"""Pod status conditions as the apiserver writes them (podutil.UpdatePodCondition): a new
condition is appended; an existing one of the same type is replaced, keeping its
lastTransitionTime when its status did not change."""

from __future__ import annotations

from kube_apiserver.registry.rest import Obj, now_rfc3339

# PodStatus fields in Go's order, so a status written here reads back as Kubernetes writes it.
_STATUS_ORDER = (
    "observedGeneration",
    "phase",
    "conditions",
    "message",
    "reason",
    "nominatedNodeName",
    "hostIP",
    "hostIPs",
    "podIP",
    "podIPs",
    "startTime",
    "initContainerStatuses",
    "containerStatuses",
    "qosClass",
    "ephemeralContainerStatuses",
    "resize",
    "resourceClaimStatuses",
)


def condition(kind: str, status: str, reason: str = "", message: str = "") -> Obj:
    out: Obj = {
        "type": kind,
        "status": status,
        "lastProbeTime": None,  # a zero metav1.Time encodes as null
        "lastTransitionTime": now_rfc3339(),
    }
    if reason:
        out["reason"] = reason
    if message:
        out["message"] = message
    return out


def set_condition(pod: Obj, new: Obj) -> None:
    """Add or replace the condition of new's type in pod.status, in place."""
    status = pod.setdefault("status", {})
    conditions = [c for c in status.get("conditions") or [] if isinstance(c, dict)]
    for i, old in enumerate(conditions):
        if old.get("type") == new["type"]:
            if old.get("status") == new["status"] and old.get("lastTransitionTime"):
                new = {**new, "lastTransitionTime": old["lastTransitionTime"]}
            conditions[i] = new
            break
    else:
        conditions.append(new)
    status["conditions"] = conditions
    ordered = {k: status[k] for k in _STATUS_ORDER if k in status}
    ordered.update({k: v for k, v in status.items() if k not in ordered})
    pod["status"] = ordered
