"""HorizontalPodAutoscaler table cells: what `kubectl get hpa` prints."""

from __future__ import annotations

from datetime import UTC, datetime

from kube_apiserver.apis.autoscaling.printers import HPA, HPA_V1, format_metrics

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)


def resource(name: str, **target: object) -> dict:
    return {"type": "Resource", "resource": {"name": name, "target": target}}


def test_targets_show_current_over_target_for_each_kind_of_metric():
    specs = [
        resource("cpu", type="Utilization", averageUtilization=60),
        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"averageValue": "1k"}}},
    ]
    statuses = [
        {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 42}}},
        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "current": {"averageValue": "500"}}},
    ]
    assert format_metrics(specs, statuses) == "cpu: 42%/60%, 500/1k"
    external = {
        "type": "External",
        "external": {"metric": {"name": "q"}, "target": {"averageValue": "30"}},
    }
    assert format_metrics([external], []) == "<unknown>/30 (avg)"
    assert format_metrics([], []) == "<none>"


def test_more_than_two_metrics_are_summarised():
    specs = [
        resource(n, type="AverageValue", averageValue="1")
        for n in ("cpu", "memory", "ephemeral-storage")
    ]
    assert format_metrics(specs, []) == "cpu: <unknown>/1, memory: <unknown>/1 + 1 more..."


def test_hpa_rows_at_v2_and_v1():
    v2 = {
        "metadata": {"name": "web", "creationTimestamp": "2025-01-01T11:59:30Z"},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "minReplicas": 2,
            "maxReplicas": 5,
            "metrics": [resource("cpu", type="Utilization", averageUtilization=70)],
        },
        "status": {"currentReplicas": 3, "desiredReplicas": 3},
    }
    assert HPA.row(v2, NOW) == ["web", "Deployment/web", "cpu: <unknown>/70%", "2", 5, 3, "30s"]
    v1 = {
        "metadata": v2["metadata"],
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "maxReplicas": 5,
            "targetCPUUtilizationPercentage": 70,
        },
        "status": {"currentReplicas": 3, "desiredReplicas": 3},
    }
    assert HPA_V1.row(v1, NOW) == [
        "web",
        "Deployment/web",
        "cpu: <unknown>/70%",
        "<unset>",
        5,
        3,
        "30s",
    ]
