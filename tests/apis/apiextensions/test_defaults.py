"""apiextensions.k8s.io/v1 CustomResourceDefinition defaults."""

from __future__ import annotations

from kube_apiserver.apis.apiextensions.defaults import default_crd


def test_names_and_conversion_are_defaulted():
    obj = {"spec": {"names": {"plural": "dbs", "kind": "DataBase"}}}
    default_crd(obj)
    assert obj["spec"]["names"] == {
        "plural": "dbs",
        "kind": "DataBase",
        "singular": "database",
        "listKind": "DataBaseList",
    }
    assert obj["spec"]["conversion"] == {"strategy": "None"}


def test_a_conversion_webhook_service_listens_on_443():
    service = {"namespace": "ns", "name": "conv"}
    obj = {
        "spec": {
            "names": {},
            "conversion": {
                "strategy": "Webhook",
                "webhook": {"clientConfig": {"service": service}},
            },
        }
    }
    default_crd(obj)
    assert service["port"] == 443
    assert "singular" not in obj["spec"]["names"]
