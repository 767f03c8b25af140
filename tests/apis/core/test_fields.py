"""core/v1 selectable fields: the names and string values field selectors match against."""

from __future__ import annotations

import pytest

from kube_apiserver.apis.core.fields import FIELD_SETS


def test_pods_expose_scheduling_and_status_fields():
    pod = {
        "metadata": {"name": "p", "namespace": "ns"},
        "spec": {
            "nodeName": "n1",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "serviceAccountName": "default",
            "hostNetwork": True,
        },
        "status": {"phase": "Running", "podIP": "10.0.0.9", "podIPs": [{"ip": "10.0.0.1"}]},
    }
    assert FIELD_SETS["pods"](pod) == {
        "metadata.name": "p",
        "metadata.namespace": "ns",
        "spec.nodeName": "n1",
        "spec.restartPolicy": "Always",
        "spec.schedulerName": "default-scheduler",
        "spec.serviceAccountName": "default",
        "spec.hostNetwork": "true",
        "status.phase": "Running",
        "status.podIP": "10.0.0.1",
        "status.podIPs": "10.0.0.1",
        "status.nominatedNodeName": "",
        "spec.host": "n1",
    }


def test_missing_values_are_empty_strings_and_booleans_false():
    fields = FIELD_SETS["pods"]({})
    assert fields["spec.nodeName"] == "" and fields["spec.hostNetwork"] == "false"


def test_events_expose_the_involved_object_and_fall_back_to_the_reporting_component():
    event = {
        "metadata": {"name": "e", "namespace": "ns"},
        "involvedObject": {"kind": "Pod", "name": "p", "namespace": "ns", "uid": "u1"},
        "reason": "Started",
        "type": "Normal",
        "reportingComponent": "kubelet",
        "source": {},
    }
    fields = FIELD_SETS["events"](event)
    assert fields["involvedObject.kind"] == "Pod" and fields["involvedObject.uid"] == "u1"
    assert fields["involvedObject.fieldPath"] == ""
    assert fields["source"] == "kubelet" and fields["reportingComponent"] == "kubelet"
    event["source"] = {"component": "scheduler"}
    assert FIELD_SETS["events"](event)["source"] == "scheduler"


@pytest.mark.parametrize(
    ("resource", "obj", "expected"),
    [
        (
            "secrets",
            {"metadata": {"name": "s", "namespace": "ns"}, "type": "Opaque"},
            {"metadata.name": "s", "metadata.namespace": "ns", "type": "Opaque"},
        ),
        (
            "namespaces",
            {"metadata": {"name": "ns"}, "status": {"phase": "Active"}},
            {"metadata.name": "ns", "name": "ns", "status.phase": "Active"},
        ),
        (
            "nodes",
            {"metadata": {"name": "n"}, "spec": {"unschedulable": True}},
            {"metadata.name": "n", "spec.unschedulable": "true"},
        ),
        (
            "services",
            {
                "metadata": {"name": "s", "namespace": "ns"},
                "spec": {"clusterIP": "10.0.0.1", "type": "ClusterIP"},
            },
            {
                "metadata.name": "s",
                "metadata.namespace": "ns",
                "spec.clusterIP": "10.0.0.1",
                "spec.type": "ClusterIP",
            },
        ),
        (
            "configmaps",
            {"metadata": {"name": "c", "namespace": "ns"}},
            {"metadata.name": "c", "metadata.namespace": "ns"},
        ),
        (
            "serviceaccounts",
            {"metadata": {"name": "a", "namespace": "ns"}},
            {"metadata.name": "a", "metadata.namespace": "ns"},
        ),
        (
            "endpoints",
            {"metadata": {"name": "e", "namespace": "ns"}},
            {"metadata.name": "e", "metadata.namespace": "ns"},
        ),
    ],
)
def test_each_resource_exposes_exactly_its_kubernetes_fields(resource, obj, expected):
    assert FIELD_SETS[resource](obj) == expected


def test_every_core_resource_has_a_field_set():
    assert set(FIELD_SETS) == {
        "namespaces",
        "configmaps",
        "secrets",
        "serviceaccounts",
        "pods",
        "services",
        "endpoints",
        "events",
        "nodes",
        "replicationcontrollers",
        "podtemplates",
        "persistentvolumes",
        "persistentvolumeclaims",
        "limitranges",
        "resourcequotas",
        "componentstatuses",
    }
