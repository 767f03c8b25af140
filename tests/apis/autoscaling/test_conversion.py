"""autoscaling/v1 <-> v2 conversion: what v1 cannot express travels in annotations."""

from __future__ import annotations

import json

from kube_apiserver.apis.autoscaling import conversion as c
from kube_apiserver.apis.autoscaling.defaults import default_hpa


def v2(**spec: object) -> dict:
    obj = {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v2",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "maxReplicas": 10,
            **spec,
        },
    }
    default_hpa(obj)
    return obj


def cpu(utilization: int) -> dict:
    return {
        "type": "Resource",
        "resource": {
            "name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": utilization},
        },
    }


MEMORY = {
    "type": "Resource",
    "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "500Mi"}},
}
PODS = {
    "type": "Pods",
    "pods": {
        "metric": {"name": "packets-per-second"},
        "target": {"type": "AverageValue", "averageValue": "1k"},
    },
}


def test_a_cpu_utilization_target_is_the_v1_percentage():
    v1 = c.to_v1(v2(metrics=[cpu(55)]))
    assert v1["apiVersion"] == "autoscaling/v1"
    assert v1["spec"] == {
        "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
        "minReplicas": 1,
        "maxReplicas": 10,
        "targetCPUUtilizationPercentage": 55,
    }
    assert v1["status"] == {"currentReplicas": 0, "desiredReplicas": 0}
    assert "annotations" not in v1["metadata"]
    assert c.to_v2(v1)["spec"]["metrics"] == [cpu(55)]


def test_other_metrics_go_to_an_annotation_in_v1_shape_and_come_back():
    original = v2(metrics=[cpu(60), MEMORY, PODS])
    v1 = c.to_v1(original)
    assert json.loads(v1["metadata"]["annotations"][c.METRICS_ANNOTATION]) == [
        {"type": "Resource", "resource": {"name": "memory", "targetAverageValue": "500Mi"}},
        {"type": "Pods", "pods": {"metricName": "packets-per-second", "targetAverageValue": "1k"}},
    ]
    back = c.to_v2(v1)
    # The CPU target from the spec comes after the metrics kept in the annotation.
    assert back["spec"]["metrics"] == [MEMORY, PODS, cpu(60)]
    assert "annotations" not in back["metadata"]


def test_the_behavior_annotation_uses_go_field_names_and_reads_back():
    original = v2(behavior={"scaleDown": {"stabilizationWindowSeconds": 300}})
    v1 = c.to_v1(original)
    behavior = json.loads(v1["metadata"]["annotations"][c.BEHAVIOR_ANNOTATION])
    assert behavior["ScaleDown"] == {
        "StabilizationWindowSeconds": 300,
        "SelectPolicy": "Max",
        "Policies": [{"Type": "Percent", "Value": 100, "PeriodSeconds": 15}],
        "Tolerance": None,
    }
    assert c.to_v2(v1)["spec"]["behavior"] == original["spec"]["behavior"]


def test_status_metrics_and_conditions_travel_in_annotations():
    hpa = v2(metrics=[cpu(50)])
    hpa["status"] = {
        "currentReplicas": 3,
        "desiredReplicas": 4,
        "currentMetrics": [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "current": {"averageUtilization": 70, "averageValue": "350m"},
                },
            }
        ],
        "conditions": [{"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale"}],
    }
    v1 = c.to_v1(hpa)
    assert v1["status"] == {
        "currentReplicas": 3,
        "desiredReplicas": 4,
        "currentCPUUtilizationPercentage": 70,
    }
    annotations = v1["metadata"]["annotations"]
    assert json.loads(annotations[c.CURRENT_METRICS_ANNOTATION]) == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "currentAverageUtilization": 70,
                "currentAverageValue": "350m",
            },
        }
    ]
    assert json.loads(annotations[c.CONDITIONS_ANNOTATION]) == [
        {
            "type": "AbleToScale",
            "status": "True",
            "reason": "ReadyForNewScale",
            "lastTransitionTime": None,
        }
    ]
    back = c.to_v2(v1)
    assert back["status"]["currentMetrics"] == hpa["status"]["currentMetrics"]
    assert back["status"]["conditions"][0]["reason"] == "ReadyForNewScale"


def test_a_v1_hpa_without_a_target_gets_the_80_percent_cpu_default():
    v1 = {
        "metadata": {"name": "old"},
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "old"}, "maxReplicas": 3},
    }
    assert c.to_v2(v1)["spec"]["metrics"] == [cpu(80)]


def test_v1_annotations_never_reach_the_v2_object():
    v1 = {
        "metadata": {"name": "x", "annotations": {c.BEHAVIOR_ANNOTATION: "{}", "keep": "me"}},
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "x"}, "maxReplicas": 3},
    }
    converted = c.to_v2(v1)
    assert converted["metadata"]["annotations"] == {"keep": "me"}
    assert "behavior" not in converted["spec"]  # an empty behavior is no behavior
