"""ReplicationControllers and PodTemplates: Kubernetes' defaults, messages and field paths."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kube_apiserver.apis.core import replicationcontrollers as rcs


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def rc(**spec: Any) -> dict:
    obj = {
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
            **spec,
        },
    }
    rcs.default_replicationcontroller(obj)
    return obj


def test_selector_and_labels_default_to_the_template_labels():
    obj = rc()
    assert obj["spec"]["selector"] == {"app": "web"}
    assert obj["metadata"]["labels"] == {"app": "web"}
    assert obj["spec"]["replicas"] == 1
    assert obj["status"] == {"replicas": 0}


def test_the_template_gets_pod_spec_defaults_and_a_null_creation_timestamp():
    template = rc()["spec"]["template"]
    assert template["metadata"]["creationTimestamp"] is None
    assert template["spec"]["restartPolicy"] == "Always"
    assert template["spec"]["dnsPolicy"] == "ClusterFirst"
    assert template["spec"]["containers"][0]["imagePullPolicy"] == "Always"


def test_an_explicit_selector_and_labels_are_kept():
    obj = {
        "metadata": {"name": "web", "labels": {"tier": "front"}},
        "spec": {
            "replicas": 0,
            "selector": {"app": "web"},
            "template": {"metadata": {"labels": {"app": "web", "v": "1"}}},
        },
    }
    rcs.default_replicationcontroller(obj)
    assert obj["spec"]["selector"] == {"app": "web"}
    assert obj["metadata"]["labels"] == {"tier": "front"}
    assert obj["spec"]["replicas"] == 0


def test_a_defaulted_rc_is_valid():
    assert rcs.validate_replicationcontroller(rc()) == []


RC_CASES = [
    (
        {"selector": {"app": "other"}},
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
        "`selector` does not match template `labels`",
    ),
    ({"replicas": -1}, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
    (
        {"minReadySeconds": -5},
        "spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0",
    ),
]


@pytest.mark.parametrize(("spec", "message"), RC_CASES)
def test_rc_validation_messages(spec, message):
    assert message in messages(rcs.validate_replicationcontroller(rc(**spec)))


def test_restart_policy_must_be_always_and_no_active_deadline():
    obj = rc()
    obj["spec"]["template"]["spec"].update(restartPolicy="OnFailure", activeDeadlineSeconds=5)
    assert messages(rcs.validate_replicationcontroller(obj)) == [
        'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
        "spec.template.spec.activeDeadlineSeconds: Forbidden: "
        "activeDeadlineSeconds in ReplicationController is not Supported",
    ]


def test_selector_and_template_are_required():
    obj = {"metadata": {"name": "x"}, "spec": {}}
    rcs.default_replicationcontroller(obj)
    assert messages(rcs.validate_replicationcontroller(obj)) == [
        "spec.selector: Required value",
        "spec.template: Required value",
    ]


def test_template_labels_are_validated_without_the_metadata_segment():
    obj = rc(selector={"app": "web"})
    obj["spec"]["template"]["metadata"]["labels"]["bad key!"] = "x"
    assert any(
        m.startswith('spec.template.labels: Invalid value: "bad key!"')
        for m in messages(rcs.validate_replicationcontroller(obj))
    )


def test_the_selector_may_change_on_update():
    old = rc()
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"app": "web"}
    new["spec"]["template"]["metadata"]["labels"]["v"] = "2"
    assert rcs.validate_replicationcontroller_update(new, old) == []


def test_status_counts_are_checked_against_each_other():
    obj = rc()
    obj["status"] = {"replicas": 1, "readyReplicas": 2, "availableReplicas": 3}
    assert messages(rcs.validate_replicationcontroller_status_update(obj, rc())) == [
        "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas",
        "status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas",
        "status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas",
    ]
    obj["status"] = {"replicas": -1}
    found = messages(rcs.validate_replicationcontroller_status_update(obj, rc()))
    # As in Kubernetes, the zero counts are then also "greater than" the negative total.
    assert found[0] == "status.replicas: Invalid value: -1: must be greater than or equal to 0"
    assert "status.readyReplicas: Invalid value: 0: cannot be greater than status.replicas" in found


def test_pod_templates_default_and_validate_under_template():
    obj = {"metadata": {"name": "t"}, "template": {"spec": {"containers": []}}}
    rcs.default_podtemplate(obj)
    assert obj["template"]["metadata"] == {"creationTimestamp": None}
    assert obj["template"]["spec"]["schedulerName"] == "default-scheduler"
    assert messages(rcs.validate_podtemplate(obj)) == ["template.spec.containers: Required value"]
    obj["template"]["spec"]["containers"] = [{"name": "c", "image": "busybox"}]
    rcs.default_podtemplate(obj)
    assert rcs.validate_podtemplate_update(obj, obj) == []
