"""Pod spec warnings, worded as Kubernetes words them."""

from __future__ import annotations

from kube_apiserver.apis.core import warnings


def pod(*containers: dict, init: tuple[dict, ...] = ()) -> dict:
    return {"spec": {"containers": list(containers), "initContainers": list(init)}}


def test_the_same_port_twice_is_a_duplicate_definition():
    p = pod(
        {"name": "a", "ports": [{"containerPort": 80}]},
        {"name": "b", "ports": [{"containerPort": 80, "protocol": "TCP"}]},
    )
    assert warnings.POD(p) == [
        "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]"
    ]


def test_other_protocols_and_finished_init_containers_do_not_clash():
    p = pod(
        {"name": "a", "ports": [{"containerPort": 53}, {"containerPort": 53, "protocol": "UDP"}]},
        init=({"name": "i", "ports": [{"containerPort": 53}]},),
    )
    assert warnings.POD(p) == []


def test_sidecars_clash_and_host_ports_make_overlaps_and_ambiguities():
    p = pod(
        {
            "name": "a",
            "ports": [
                {"containerPort": 80, "hostPort": 8080},
                {"containerPort": 81, "hostIP": "10.0.0.1"},
            ],
        },
        {"name": "b", "ports": [{"containerPort": 80}, {"containerPort": 81, "hostPort": 81}]},
        init=(
            {
                "name": "s",
                "restartPolicy": "Always",
                "ports": [{"containerPort": 80, "hostPort": 8080, "hostIP": "10.0.0.1"}],
            },
        ),
    )
    assert warnings.POD(p) == [
        "spec.containers[0].ports[0]: dangerously ambiguous port definition with spec.initContainers[0].ports[0]",
        "spec.containers[0].ports[1]: hostIP set without hostPort",
        "spec.containers[1].ports[0]: overlapping port definition with spec.initContainers[0].ports[0]",
        "spec.containers[1].ports[0]: overlapping port definition with spec.containers[0].ports[0]",
        "spec.containers[1].ports[1]: overlapping port definition with spec.containers[0].ports[1]",
    ]


def test_workloads_warn_at_their_template():
    d = {
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {"name": "a", "ports": [{"containerPort": 1}, {"containerPort": 1}]}
                    ]
                }
            }
        }
    }
    assert warnings.WORKLOAD(d) == [
        "spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]"
    ]
