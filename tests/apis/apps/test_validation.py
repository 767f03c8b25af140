"""apps/v1 Deployment validation: Kubernetes' messages and paths, on defaulted objects."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kube_apiserver.apis.apps import validation as v
from kube_apiserver.apis.apps.defaults import default_deployment


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def deployment(**spec: Any) -> dict:
    obj = {
        "metadata": {"name": "d", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "x"}},
            "template": {
                "metadata": {"labels": {"app": "x"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
            **spec,
        },
    }
    default_deployment(obj)
    return obj


def test_a_minimal_deployment_is_valid():
    assert v.validate_deployment(deployment()) == []


CASES = [
    ({"replicas": -1}, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
    ({"selector": None}, "spec.selector: Required value"),
    (
        {"selector": None},
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
    ),
    (
        {"selector": {"matchLabels": {"app": "y"}}},
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
    ),
    (
        {"selector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["x"]}]}},
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
    ),
    (
        {"selector": {}},
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
    ),
    (
        {"selector": {"matchExpressions": [{"key": "app", "operator": "Near"}]}},
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        'MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", '
        'Operator:"Near", Values:[]string(nil)}}}: invalid label selector',
    ),
    (
        {
            "template": {
                "metadata": {"labels": {"app": "x"}},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "nginx"}]},
            }
        },
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ),
    (
        {
            "template": {
                "metadata": {"labels": {"app": "x"}},
                "spec": {"containers": [{"name": "c", "image": ""}]},
            }
        },
        "spec.template.spec.containers[0].image: Required value",
    ),
    (
        {
            "template": {
                "metadata": {"labels": {"app": "x"}},
                "spec": {
                    "activeDeadlineSeconds": 5,
                    "containers": [{"name": "c", "image": "nginx"}],
                },
            }
        },
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported",
    ),
    (
        {"strategy": {"type": "Canary"}},
        'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Canary", '
        'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ),
    (
        {"strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}},
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ),
    (
        {"strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}},
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "
        'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
    ),
    (
        {"strategy": {"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "0%"}}},
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "
        'intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0',
    ),
    (
        {"strategy": {"rollingUpdate": {"maxUnavailable": "110%"}}},
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "
        'intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}: must not be greater than 100%',
    ),
    (
        {"strategy": {"rollingUpdate": {"maxSurge": "lots"}}},
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: "
        'intstr.IntOrString{Type:1, IntVal:0, StrVal:"lots"}: a valid percent string must be a numeric string '
        "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ),
    (
        {"strategy": {"rollingUpdate": {"maxSurge": -1}}},
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0",
    ),
    (
        {"revisionHistoryLimit": -1},
        "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
    ),
    (
        {"minReadySeconds": 600},
        "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds",
    ),
]


@pytest.mark.parametrize(("spec", "expected"), CASES)
def test_an_invalid_deployment_is_reported_with_kubernetes_message_and_path(spec, expected):
    assert expected in messages(v.validate_deployment(deployment(**spec)))


def test_template_labels_are_reported_as_kubernetes_does_for_templates():
    obj = deployment(
        template={
            "metadata": {"labels": {"app": "x", "tier": "-y"}},
            "spec": {"containers": [{"name": "c", "image": "i"}]},
        }
    )
    assert [e for e in messages(v.validate_deployment(obj)) if "-y" in e] == [
        'spec.template.labels: Invalid value: "-y": a valid label must be an empty string or consist of alphanumeric '
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
        "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    ]


def test_an_invalid_selector_stops_the_template_checks():
    obj = deployment(
        selector={"matchLabels": {"app": "-x"}},
        template={
            "metadata": {"labels": {"app": "-x"}},
            "spec": {"containers": [{"name": "c", "image": ""}]},
        },
    )
    errs = messages(v.validate_deployment(obj))
    assert errs[-1] == (
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"-x"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: invalid label selector"
    )
    assert not any(e.startswith("spec.template") for e in errs)


def test_a_deployment_selector_is_immutable():
    old = deployment()
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 3
    assert v.validate_deployment_update(new, old) == []
    new["spec"]["selector"] = {"matchLabels": {"app": "x", "tier": "web"}}
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "web"
    assert messages(v.validate_deployment_update(new, old)) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x", '
        '"tier":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'
    ]


def test_deployment_status_counts_are_consistent_and_collisions_only_grow():
    old = deployment()
    old["status"] = {"collisionCount": 2}
    new = copy.deepcopy(old)
    new["status"] = {
        "replicas": 1,
        "readyReplicas": 2,
        "availableReplicas": 3,
        "collisionCount": 1,
        "observedGeneration": -1,
    }
    assert messages(v.validate_deployment_status_update(new, old)) == [
        "status.observedGeneration: Invalid value: -1: must be greater than or equal to 0",
        "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas",
        "status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas",
        "status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas",
        "status.collisionCount: Invalid value: 1: cannot be decremented",
    ]


def test_wrong_types_in_a_deployment_are_reported_not_crashed_on():
    obj = {
        "spec": {
            "selector": "app=x",
            "replicas": "3",
            "template": [],
            "strategy": {"rollingUpdate": "x"},
        }
    }
    assert v.validate_deployment(obj)
