"""What pod subresources accept: QoS classes, resizes, ephemeral container updates, bindings
and log options, with kube-apiserver 1.33's field paths and messages."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from kube_apiserver.apis.core import defaults, podsubresources
from kube_apiserver.apis.core.qos import compute_pod_qos


def pod(*resources: dict, **spec) -> dict:
    obj = {
        "metadata": {"name": "p", "namespace": "ns"},
        "spec": {
            "containers": [
                {"name": f"c{i}", "image": "nginx", "resources": r} for i, r in enumerate(resources)
            ],
            **spec,
        },
    }
    defaults.default_pod(obj)
    obj["status"] = {"phase": "Pending", "qosClass": compute_pod_qos(obj)}
    return obj


def found(errs) -> list[tuple[str, str]]:
    return [(e.field, e.detail) for e in errs]


@pytest.mark.parametrize(
    ("resources", "qos"),
    [
        ([{}], "BestEffort"),
        ([{"requests": {"cpu": "0"}}], "BestEffort"),  # only positive amounts count
        ([{"limits": {"cpu": "1", "memory": "1Gi"}}], "Guaranteed"),
        (
            [
                {
                    "requests": {"cpu": "1000m", "memory": "1Gi"},
                    "limits": {"cpu": "1", "memory": "1024Mi"},
                }
            ],
            "Guaranteed",
        ),
        ([{"limits": {"cpu": "1", "memory": "1Gi"}}, {"requests": {"cpu": "1"}}], "Burstable"),
        ([{"limits": {"cpu": "1"}}], "Burstable"),
        ([{"requests": {"ephemeral-storage": "1Gi"}}], "BestEffort"),
    ],
)
def test_qos_classes(resources, qos):
    assert compute_pod_qos(pod(*resources)) == qos


def resized(old: dict, index: int, resources: dict) -> dict:
    new = copy.deepcopy(old)
    new["spec"]["containers"][index]["resources"] = resources
    return new


def test_a_resize_within_the_qos_class_is_valid():
    old = pod({"requests": {"cpu": "100m"}, "limits": {"cpu": "1", "memory": "1Gi"}})
    new = resized(
        old,
        0,
        {"requests": {"cpu": "200m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "2Gi"}},
    )
    assert podsubresources.validate_resize(new, old) == []


def test_a_resize_may_not_change_the_qos_class_remove_amounts_or_shrink_memory():
    old = pod(
        {"requests": {"cpu": "100m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}
    )
    errs = found(
        podsubresources.validate_resize(
            resized(old, 0, {"limits": {"cpu": "1", "memory": "512Mi"}}), old
        )
    )
    assert (
        "spec.containers[0].resources.requests",
        "Forbidden: resource requests cannot be removed",
    ) in errs
    assert (
        "spec.containers[0].resources.limits[memory]",
        "Forbidden: memory limits cannot be decreased unless resizePolicy is RestartContainer",
    ) in errs
    guaranteed = resized(
        old, 0, {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}
    )
    assert found(podsubresources.validate_resize(guaranteed, old)) == [
        ("spec", 'Invalid value: "Burstable": Pod QOS Class may not change as a result of resizing')
    ]


def test_a_resize_of_other_resources_or_of_static_pods_is_forbidden():
    old = pod({"requests": {"cpu": "100m", "ephemeral-storage": "1Gi"}})
    new = resized(old, 0, {"requests": {"cpu": "100m", "ephemeral-storage": "2Gi"}})
    assert found(podsubresources.validate_resize(new, old)) == [
        ("spec", "Forbidden: only cpu and memory resources are mutable")
    ]
    static = pod({}, nodeName="n1")
    static["metadata"]["annotations"] = {"kubernetes.io/config.mirror": "x"}
    assert found(podsubresources.validate_resize(copy.deepcopy(static), static)) == [
        ("[]", "Forbidden: static pods cannot be resized")
    ]


def with_ephemeral(obj: dict, *containers: dict) -> dict:
    new = copy.deepcopy(obj)
    new["spec"]["ephemeralContainers"] = [dict(c) for c in containers]
    defaults.default_pod(new)
    return new


def test_ephemeral_containers_may_be_added_but_not_removed_or_changed():
    old = pod({})
    dbg = {"name": "dbg", "image": "busybox", "targetContainerName": "c0"}
    added = with_ephemeral(old, dbg)
    assert podsubresources.validate_ephemeral_containers_update(added, old) == []
    [err] = podsubresources.validate_ephemeral_containers_update(old, added)
    assert (err.field, err.detail) == (
        "spec.ephemeralContainers",
        'Forbidden: existing ephemeral containers "dbg" may not be removed\n',
    )
    changed = with_ephemeral(old, {**dbg, "image": "busybox:1.36"})
    [err] = podsubresources.validate_ephemeral_containers_update(changed, added)
    assert err.detail.startswith(
        'Forbidden: existing ephemeral containers "dbg" may not be changed\n'
    )
    assert '+ \tImage: "busybox:1.36",' in err.detail
    bad = with_ephemeral(old, {"name": "c0", "image": "busybox", "ports": [{"containerPort": 80}]})
    got = found(podsubresources.validate_ephemeral_containers_update(bad, old))
    assert ("spec.ephemeralContainers[0].name", 'Duplicate value: "c0"') in got


def test_bindings_need_a_node_target():
    assert podsubresources.validate_binding({"target": {"name": "n1"}}) == []
    assert found(podsubresources.validate_binding({"target": {"kind": "Pod"}})) == [
        ("target.kind", 'Unsupported value: "Pod": supported values: "Node", "<empty>"'),
        ("target.name", "Required value"),
    ]


def test_log_options():
    check = podsubresources.validate_log_options
    assert check(tail_lines=0, limit_bytes=1, since_seconds=1, since_time=None) == []
    assert found(check(tail_lines=-1, limit_bytes=0, since_seconds=None, since_time=None)) == [
        ("tailLines", "Invalid value: -1: must be greater than or equal to 0"),
        ("limitBytes", "Invalid value: 0: must be greater than 0"),
    ]
    since = datetime(2026, 1, 1, tzinfo=UTC)
    assert found(check(tail_lines=None, limit_bytes=None, since_seconds=5, since_time=since)) == [
        ("[]", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified")
    ]
    assert found(check(tail_lines=None, limit_bytes=None, since_seconds=0, since_time=None)) == [
        ("sinceSeconds", "Invalid value: 0: must be greater than 0")
    ]
