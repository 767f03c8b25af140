"""Defaulting of apps/v1 Deployments, as kube-apiserver 1.33 applies it after decoding.

The Deployment defaults (replicas, strategy, history and progress limits) plus the PodSpec
defaults of its template — but not the pod-only ones (enableServiceLinks, requests from
limits), which Kubernetes applies to Pods alone. The template's `metadata.creationTimestamp:
null` is what a 1.33 server's Go serializer emits for the template's zero time, so a fresh
Deployment reads back with it.
"""

from __future__ import annotations

from kube_apiserver.apis.core.defaults import default_pod_spec


def _dict(obj: dict, key: str) -> dict:
    v = obj.get(key)
    if v is None:
        v = obj[key] = {}
    return v if isinstance(v, dict) else {}


def default_deployment(obj: dict) -> None:
    spec = _dict(obj, "spec")
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = _dict(spec, "strategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = _dict(strategy, "rollingUpdate")
        for key in ("maxUnavailable", "maxSurge"):
            if rolling.get(key) is None:
                rolling[key] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    template = _dict(spec, "template")
    _dict(template, "metadata").setdefault("creationTimestamp", None)
    default_pod_spec(_dict(template, "spec"))
    obj.setdefault("status", {})
