"""apps/v1 StatefulSet validation: what 1.33 checks (and, as telling, what it does not)."""

from __future__ import annotations

import copy
from typing import Any

from kube_apiserver.apis.apps import statefulset_validation as v
from kube_apiserver.apis.apps.defaults import default_statefulset


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def statefulset(**spec: Any) -> dict:
    obj = {
        "metadata": {"name": "db", "namespace": "default"},
        "spec": {
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": {"containers": [{"name": "c", "image": "postgres"}]},
            },
            "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {}}],
            **spec,
        },
    }
    default_statefulset(obj)
    return obj


def test_a_statefulset_with_a_claim_template_is_valid():
    assert v.validate_statefulset(statefulset()) == []


def test_1_33_checks_neither_the_pod_spec_nor_the_claim_templates():
    obj = statefulset(volumeClaimTemplates=[{"metadata": {"name": "data"}, "spec": {}}])
    obj["spec"]["template"]["spec"]["containers"][0]["image"] = ""
    assert v.validate_statefulset(obj) == []


def test_spec_rules_are_reported_with_kubernetes_paths_and_messages():
    obj = statefulset(
        podManagementPolicy="Random",
        updateStrategy={"type": "OnDelete", "rollingUpdate": {"partition": 2}},
        persistentVolumeClaimRetentionPolicy={"whenDeleted": "Keep", "whenScaled": "Delete"},
        replicas=-1,
        ordinals={"start": -1},
        serviceName="Bad_Name",
    )
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    obj["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 5
    assert messages(v.validate_statefulset(obj)) == [
        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
        "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy"
        "{Partition:2, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy "
        "'RollingUpdate'",
        'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": '
        'supported values: "Retain", "Delete"',
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0",
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet "
        "is not Supported",
        'spec.serviceName: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of '
        "lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
        "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]


def test_an_unknown_update_strategy_prints_the_strategy_struct():
    obj = statefulset(updateStrategy={"type": "Canary"})
    assert messages(v.validate_statefulset(obj)) == [
        'spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Canary", '
        "RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' "
        "or 'OnDelete'"
    ]


def test_selector_rules():
    missing = statefulset(selector=None)
    assert messages(v.validate_statefulset(missing)) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: '
        "`selector` does not match template `labels`",
    ]
    empty = statefulset(selector={"matchLabels": {}})
    assert messages(v.validate_statefulset(empty)) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
        "statefulset"
    ]
    bad = statefulset(selector={"matchExpressions": [{"key": "app", "operator": "In"}]})
    assert messages(v.validate_statefulset(bad))[-1] == (
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        'MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", '
        'Operator:"In", Values:[]string(nil)}}}'
    )


def test_an_invalid_service_name_stays_updatable():
    old = statefulset(serviceName="Old_Name")
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 3
    assert v.validate_statefulset_update(new, old) == []


def test_only_the_rollout_fields_of_a_statefulset_may_change():
    old = statefulset()
    new = copy.deepcopy(old)
    spec = new["spec"]
    spec.update(replicas=5, minReadySeconds=3, revisionHistoryLimit=2, ordinals={"start": 1})
    spec["updateStrategy"] = {"type": "OnDelete"}
    spec["persistentVolumeClaimRetentionPolicy"] = {"whenDeleted": "Delete", "whenScaled": "Delete"}
    spec["template"]["spec"]["containers"][0]["image"] = "postgres:17"
    assert v.validate_statefulset_update(new, old) == []
    spec["volumeClaimTemplates"][0]["spec"]["storageClassName"] = "fast"
    assert messages(v.validate_statefulset_update(new, old)) == [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
        "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    ]


def test_statefulset_status_counts():
    old = statefulset()
    old["status"] = {"collisionCount": 1}
    new = copy.deepcopy(old)
    new["status"] = {
        "replicas": 1,
        "readyReplicas": 1,
        "currentReplicas": 2,
        "availableReplicas": 2,
    }
    assert messages(v.validate_statefulset_status_update(new, old)) == [
        "status.currentReplicas: Invalid value: 2: cannot be greater than status.replicas",
        "status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas",
        "status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas",
        "status.collisionCount: Invalid value: 0: cannot be decremented",
    ]
