"""HorizontalPodAutoscaler defaults and validation, in the v2 (internal) shape."""

from __future__ import annotations

from typing import Any

import pytest

from kube_apiserver.apis.autoscaling import validation as v
from kube_apiserver.apis.autoscaling.defaults import default_hpa


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def hpa(**spec: Any) -> dict:
    obj = {
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "maxReplicas": 10,
            **spec,
        },
    }
    default_hpa(obj)
    return obj


def test_defaults_fill_min_replicas_the_cpu_metric_and_the_status_shape():
    obj = hpa()
    assert obj["spec"]["minReplicas"] == 1
    assert obj["spec"]["metrics"] == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 80},
            },
        }
    ]
    assert "behavior" not in obj["spec"]
    assert obj["status"] == {"desiredReplicas": 0, "currentMetrics": None}


def test_a_given_behavior_gets_the_controllers_historic_policies():
    obj = hpa(behavior={"scaleUp": {"selectPolicy": "Min"}})
    assert obj["spec"]["behavior"] == {
        "scaleUp": {
            "stabilizationWindowSeconds": 0,
            "selectPolicy": "Min",
            "policies": [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ],
        },
        "scaleDown": {
            "selectPolicy": "Max",
            "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
        },
    }


def test_a_defaulted_hpa_is_valid():
    assert v.validate_hpa(hpa(behavior={})) == []


CASES = [
    ({"maxReplicas": 0}, "spec.maxReplicas: Invalid value: 0: must be greater than 0"),
    ({"minReplicas": 0}, "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"),
    (
        {"minReplicas": 5, "maxReplicas": 3},
        "spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`",
    ),
    ({"scaleTargetRef": {"kind": "Deployment"}}, "spec.scaleTargetRef.name: Required value"),
    (
        {"scaleTargetRef": {"kind": "Deployment", "name": "a/b"}},
        "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
    ),
    (
        {
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 0},
                    },
                }
            ]
        },
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0",
    ),
    (
        {
            "metrics": [
                {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization"}}}
            ]
        },
        "spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization",
    ),
    (
        {
            "metrics": [
                {
                    "type": "Pods",
                    "pods": {
                        "metric": {"name": "qps"},
                        "target": {"type": "AverageValue", "averageValue": "-1"},
                    },
                }
            ]
        },
        "spec.metrics[0].pods.target.averageValue: Invalid value: resource.Quantity{i:resource.int64Amount"
        '{value:-1, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"-1", Format:"DecimalSI"}: '
        "must be positive",
    ),
    (
        {
            "metrics": [
                {
                    "type": "Object",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 50},
                    },
                }
            ]
        },
        "spec.metrics[0].object: Required value: must populate information for the given metric source",
    ),
    (
        {
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Percent", "averageUtilization": 50},
                    },
                }
            ]
        },
        'spec.metrics[0].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue',
    ),
    (
        {"metrics": [{"type": "Custom"}]},
        'spec.metrics[0].type: Unsupported value: "Custom": supported values: "ContainerResource", '
        '"External", "Object", "Pods", "Resource"',
    ),
    (
        {"behavior": {"scaleDown": {"stabilizationWindowSeconds": 3601}}},
        "spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600",
    ),
    (
        {"behavior": {"scaleUp": {"policies": []}}},
        "spec.behavior.scaleUp.policies: Required value: must specify at least one Policy",
    ),
    (
        {
            "behavior": {
                "scaleUp": {"policies": [{"type": "Nodes", "value": 1, "periodSeconds": 15}]}
            }
        },
        'spec.behavior.scaleUp.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods"',
    ),
]


@pytest.mark.parametrize(("change", "expected"), CASES, ids=[e for _, e in CASES])
def test_hpa_rules(change: dict, expected: str) -> None:
    assert expected in messages(v.validate_hpa(hpa(**change)))


def test_an_hpa_that_scales_to_zero_stays_updatable():
    old = hpa(minReplicas=0)
    new = hpa(minReplicas=0, maxReplicas=4)
    errs = messages(v.validate_hpa_update(new, old))
    assert "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1" not in errs


def test_status_counts_are_not_negative():
    new = hpa()
    new["status"]["desiredReplicas"] = -1
    assert messages(v.validate_hpa_status_update(new, hpa())) == [
        "status.desiredReplicas: Invalid value: -1: must be greater than or equal to 0"
    ]


@pytest.mark.parametrize(
    ("raw", "rendered"),
    [
        (
            "0",
            'value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}',
        ),
        (
            "-500m",
            'value:-500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"-500m", Format:"DecimalSI"}',
        ),
        (
            "-1Mi",
            'value:-1048576, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"-1Mi", Format:"BinarySI"}',
        ),
    ],
)
def test_quantities_print_as_go_prints_them(raw: str, rendered: str) -> None:
    assert v.go_quantity(raw) == "resource.Quantity{i:resource.int64Amount{" + rendered
