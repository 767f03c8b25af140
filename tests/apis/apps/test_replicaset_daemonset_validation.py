"""apps/v1 ReplicaSet, DaemonSet and ControllerRevision validation: Kubernetes' paths and messages."""

from __future__ import annotations

import copy
from typing import Any

from kube_apiserver.apis.apps import controllerrevision_validation as cr
from kube_apiserver.apis.apps import daemonset_validation as ds
from kube_apiserver.apis.apps import validation as rs
from kube_apiserver.apis.apps.defaults import default_daemonset, default_replicaset


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def workload(defaulter: Any, **spec: Any) -> dict:
    obj = {
        "metadata": {"name": "w", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "w"}},
            "template": {
                "metadata": {"labels": {"app": "w"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
            **spec,
        },
    }
    defaulter(obj)
    return obj


MISMATCH = (
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"w"}: '
    "`selector` does not match template `labels`"
)


def test_valid_replicasets_and_daemonsets_pass():
    assert rs.validate_replicaset(workload(default_replicaset)) == []
    assert ds.validate_daemonset(workload(default_daemonset)) == []


def test_a_replicaset_is_checked_like_a_deployment():
    obj = workload(default_replicaset, replicas=-1, selector={"matchLabels": {"app": "v"}})
    obj["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 1
    assert messages(rs.validate_replicaset(obj)) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        MISMATCH,
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet "
        "is not Supported",
    ]
    assert messages(rs.validate_replicaset(workload(default_replicaset, selector={})))[-1] == (
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
        "deployment"
    )


def test_a_replicaset_selector_is_immutable_but_its_replicas_are_not():
    old = workload(default_replicaset)
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 4
    assert rs.validate_replicaset_update(new, old) == []
    new["spec"]["selector"]["matchExpressions"] = [{"key": "app", "operator": "Exists"}]
    assert messages(rs.validate_replicaset_update(new, old)) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"w"}, '
        'MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", '
        'Operator:"Exists", Values:[]string(nil)}}}: field is immutable'
    ]


def test_a_daemonset_without_a_selector_selects_nothing():
    assert messages(ds.validate_daemonset(workload(default_daemonset, selector=None))) == [MISMATCH]


def test_daemonset_rolling_updates_take_down_or_surge_but_not_both():
    both = workload(
        default_daemonset,
        updateStrategy={
            "type": "RollingUpdate",
            "rollingUpdate": {"maxUnavailable": 1, "maxSurge": "20%"},
        },
    )
    assert messages(ds.validate_daemonset(both)) == [
        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "
        'intstr.IntOrString{Type:1, IntVal:0, StrVal:"20%"}: may not be set when maxUnavailable '
        "is non-zero"
    ]
    over = workload(
        default_daemonset,
        updateStrategy={
            "type": "RollingUpdate",
            "rollingUpdate": {"maxUnavailable": "120%", "maxSurge": 0},
        },
    )
    assert messages(ds.validate_daemonset(over)) == [
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "
        'intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%'
    ]
    unknown = workload(default_daemonset, updateStrategy={"type": "Sometimes"})
    assert messages(ds.validate_daemonset(unknown)) == [
        'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Sometimes", '
        'RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", '
        '"OnDelete"'
    ]


def test_daemonset_status_counts_are_non_negative_and_collisions_only_grow():
    old = workload(default_daemonset)
    old["status"]["collisionCount"] = 3
    new = copy.deepcopy(old)
    new["status"].update(numberUnavailable=-1, collisionCount=2)
    assert messages(ds.validate_daemonset_status_update(new, old)) == [
        "status.numberUnavailable: Invalid value: -1: must be greater than or equal to 0",
        "status.collisionCount: Invalid value: 2: cannot be decremented",
    ]


def test_controllerrevision_data_is_required_and_immutable():
    old = {"metadata": {"name": "r"}, "revision": 1, "data": {"a": 1}}
    assert cr.validate_controllerrevision(old) == []
    assert messages(cr.validate_controllerrevision({"revision": -2})) == [
        "data: Required value: data is mandatory",
        "revision: Invalid value: -2: must be greater than or equal to 0",
    ]
    new = {**old, "revision": 5}
    assert cr.validate_controllerrevision_update(new, old) == []
    assert messages(cr.validate_controllerrevision_update({**old, "data": [1]}, old)) == [
        'data: Invalid value: runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, '
        'Raw:[]uint8{0x5b, 0x31, 0x5d}, ContentEncoding:"", ContentType:"application/json"}: '
        "field is immutable"
    ]
