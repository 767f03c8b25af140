"""Defaulting of apps/v1 workloads, as kube-apiserver 1.33 applies it after decoding.

Each kind's own defaults plus the PodSpec defaults of its template — but not the pod-only
ones (enableServiceLinks, requests from limits), which Kubernetes applies to Pods alone. The
template's `metadata.creationTimestamp: null` is what a 1.33 server's Go serializer emits for
the template's zero time, so a fresh workload reads back with it. Status fields Go writes
without omitempty (a ReplicaSet's `replicas`, a DaemonSet's scheduling counts) read back as 0.
"""

from __future__ import annotations

from kube_apiserver.apis.core.persistentvolumeclaims import default_persistentvolumeclaim
from kube_apiserver.apis.core.replicationcontrollers import default_template
from kube_apiserver.apis.meta.unstructured import dict_items, ensure_dict


def _template(spec: dict) -> None:
    default_template(ensure_dict(spec, "template"))


def _zero_status(obj: dict, *keys: str) -> None:
    status = ensure_dict(obj, "status")
    for key in keys:
        if status.get(key) is None:
            status[key] = 0


def default_deployment(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = ensure_dict(spec, "strategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = ensure_dict(strategy, "rollingUpdate")
        for key in ("maxUnavailable", "maxSurge"):
            if rolling.get(key) is None:
                rolling[key] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    _template(spec)
    ensure_dict(obj, "status")


def default_replicaset(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _template(spec)
    _zero_status(obj, "replicas")


def default_statefulset(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    strategy = ensure_dict(spec, "updateStrategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        ensure_dict(strategy, "rollingUpdate")
    rolling = strategy.get("rollingUpdate")
    if strategy["type"] == "RollingUpdate" and isinstance(rolling, dict):
        if rolling.get("partition") is None:
            rolling["partition"] = 0
    policy = ensure_dict(spec, "persistentVolumeClaimRetentionPolicy")
    for key in ("whenDeleted", "whenScaled"):
        if not policy.get(key):
            policy[key] = "Retain"
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    _template(spec)
    # Claim templates are whole PersistentVolumeClaims: they get a claim's defaults, and Go
    # writes their type and zero creationTimestamp.
    for claim in dict_items(spec, "volumeClaimTemplates"):
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        ensure_dict(claim, "metadata").setdefault("creationTimestamp", None)
        default_persistentvolumeclaim(claim)
    _zero_status(obj, "replicas", "availableReplicas")


def default_daemonset(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    strategy = ensure_dict(spec, "updateStrategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = ensure_dict(strategy, "rollingUpdate")
        if rolling.get("maxUnavailable") is None:
            rolling["maxUnavailable"] = 1
        if rolling.get("maxSurge") is None:
            rolling["maxSurge"] = 0
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    _template(spec)
    _zero_status(
        obj, "currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"
    )
