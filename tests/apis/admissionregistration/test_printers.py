"""admissionregistration.k8s.io/v1 tables, as kube-apiserver 1.33 prints them."""

from __future__ import annotations

from datetime import UTC, datetime

from kube_apiserver.apis.admissionregistration.printers import TABLES
from kube_apiserver.apis.meta.table import build_table

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
META = {"name": "x", "creationTimestamp": "2025-06-01T11:59:00Z"}


def cells(resource: str, obj: dict) -> list:
    return build_table(TABLES[resource], [{"metadata": META, **obj}], NOW)["rows"][0]["cells"]


def test_webhook_configurations_count_their_webhooks():
    obj = {"webhooks": [{"name": "a.b.c"}, {"name": "d.e.f"}]}
    assert cells("validatingwebhookconfigurations", obj) == ["x", 2, "60s"]
    assert cells("mutatingwebhookconfigurations", {}) == ["x", 0, "60s"]


def test_policies_show_validations_and_param_kind():
    assert cells("validatingadmissionpolicies", {"spec": {"validations": [{}]}}) == [
        "x",
        1,
        "<unset>",
        "60s",
    ]
    spec = {"paramKind": {"apiVersion": "v1", "kind": "ConfigMap"}}
    assert cells("validatingadmissionpolicies", {"spec": spec})[1:3] == [0, "v1/ConfigMap"]


def test_bindings_show_policy_and_param_ref():
    def param(ref: dict | None) -> str:
        return cells(
            "validatingadmissionpolicybindings", {"spec": {"policyName": "p", "paramRef": ref}}
        )[2]

    assert param(None) == "<unset>"
    assert param({"name": "limits", "namespace": "default"}) == "default/limits"
    assert param({"name": "limits"}) == "*/limits"
    assert (
        param({"selector": {"matchLabels": {"env": "test"}}})
        == "&LabelSelector{MatchLabels:map[string]string{env: test,},MatchExpressions:[]LabelSelectorRequirement{},}"
    )
