"""apiregistration.k8s.io/v1 APIService validation, defaults, table cells and local APIServices."""

from __future__ import annotations

import pytest

from kube_apiserver.apis.apiregistration import defaults, printers
from kube_apiserver.apis.apiregistration import validation as v
from kube_apiserver.registry.apiregistration.local import local_apiservice


def apiservice(name: str = "v1beta1.metrics.k8s.io", **spec) -> dict:
    base = {
        "group": "metrics.k8s.io",
        "version": "v1beta1",
        "groupPriorityMinimum": 100,
        "versionPriority": 100,
    }
    return {"metadata": {"name": name}, "spec": {**base, **spec}}


def messages(obj: dict) -> list[str]:
    return [str(e) for e in v.validate_apiservice(obj)]


def test_a_local_and_a_remote_apiservice_are_valid():
    assert messages(apiservice()) == []
    remote = apiservice(service={"namespace": "kube-system", "name": "metrics", "port": 443})
    assert messages(remote) == []


def test_the_name_must_be_version_dot_group():
    assert messages(apiservice("v1.metrics.k8s.io")) == [
        'metadata.name: Invalid value: "v1.metrics.k8s.io": '
        'must be `spec.version+"."+spec.group`: "v1beta1.metrics.k8s.io"'
    ]


def test_only_v1_may_have_an_empty_group():
    obj = {
        "metadata": {"name": "v2."},
        "spec": {"version": "v2", "groupPriorityMinimum": 1, "versionPriority": 1},
    }
    assert messages(obj) == [
        "spec.group: Required value: only v1 may have an empty group and it better be legacy kube"
    ]
    core = {
        "metadata": {"name": "v1."},
        "spec": {"version": "v1", "groupPriorityMinimum": 18000, "versionPriority": 1},
    }
    assert messages(core) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"groupPriorityMinimum": 0},
            "spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000",
        ),
        (
            {"groupPriorityMinimum": 20001},
            "spec.groupPriorityMinimum: Invalid value: 20001: must be positive and less than 20000",
        ),
        (
            {"versionPriority": 1001},
            "spec.versionPriority: Invalid value: 1001: must be positive and less than 1000",
        ),
        (
            {"caBundle": "aGVsbG8="},
            'spec.caBundle: Invalid value: "5 bytes": local APIServices may not have a caBundle',
        ),
        (
            {"insecureSkipTLSVerify": True},
            "spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify",
        ),
    ],
)
def test_local_apiservice_rules(spec, expected):
    assert messages(apiservice(**spec)) == [expected]


def test_a_remote_apiservice_needs_a_whole_service_reference():
    obj = apiservice(service={"port": 0}, caBundle="aGVsbG8=", insecureSkipTLSVerify=True)
    assert messages(obj) == [
        "spec.service.namespace: Required value",
        "spec.service.name: Required value",
        "spec.service.port: Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive",
        "spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present",
    ]


def test_version_and_group_formats():
    obj = apiservice("V1.Bad_Group", group="Bad_Group", version="V1")
    got = messages(obj)
    assert got[0].startswith(
        'spec.group: Invalid value: "Bad_Group": a lowercase RFC 1123 subdomain'
    )
    assert got[1].startswith('spec.version: Invalid value: "V1": a DNS-1035 label')


def test_status_updates_check_condition_statuses_only():
    new = apiservice(status=None)
    new["status"] = {"conditions": [{"type": "Available", "status": "Maybe"}]}
    assert [str(e) for e in v.validate_apiservice_status_update(new, apiservice())] == [
        'status.conditions[0].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"'
    ]


def test_a_service_reference_defaults_to_port_443():
    obj = apiservice(service={"namespace": "ns", "name": "s"})
    defaults.default_apiservice(obj)
    assert obj["spec"]["service"]["port"] == 443


@pytest.mark.parametrize(
    ("conditions", "cell"),
    [
        ([], "Unknown"),
        ([{"type": "Available", "status": "True", "reason": "Local"}], "True"),
        (
            [{"type": "Available", "status": "False", "reason": "ServiceNotFound"}],
            "False (ServiceNotFound)",
        ),
        ([{"type": "Available", "status": "False"}], "False"),
    ],
)
def test_the_available_column(conditions, cell):
    assert printers.available_cell({"status": {"conditions": conditions}}) == cell


def test_the_service_column():
    assert printers.service_cell(apiservice()) == "Local"
    assert printers.service_cell(apiservice(service={"namespace": "a", "name": "b"})) == "a/b"


def test_local_apiservices_have_kube_apiservers_priorities():
    core = local_apiservice("", "v1")
    assert core["metadata"] == {
        "name": "v1.",
        "labels": {"kube-aggregator.kubernetes.io/automanaged": "onstart"},
    }
    assert core["spec"] == {"version": "v1", "groupPriorityMinimum": 18000, "versionPriority": 1}
    assert local_apiservice("autoscaling", "v2")["spec"]["versionPriority"] == 30
    assert local_apiservice("apps", "v1")["spec"]["groupPriorityMinimum"] == 17800
    # The aggregator's own group has no priority, so no APIService.
    assert local_apiservice("apiregistration.k8s.io", "v1") is None
