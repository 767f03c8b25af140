"""events.k8s.io/v1 selectable fields, under this API's names."""

from __future__ import annotations

from kube_apiserver.apis.events.fields import FIELD_SETS


def test_events_expose_regarding_and_reporting_controller_fields():
    obj = {"metadata": {"name": "e", "namespace": "ns"}, "reason": "Synced", "type": "Warning",
           "reportingController": "example.com/c", "regarding": {"kind": "Pod", "name": "p", "uid": "u"}}
    assert FIELD_SETS["events"](obj) == {
        "metadata.name": "e", "metadata.namespace": "ns", "regarding.kind": "Pod", "regarding.namespace": "",
        "regarding.name": "p", "regarding.uid": "u", "regarding.apiVersion": "", "regarding.resourceVersion": "",
        "regarding.fieldPath": "", "reason": "Synced", "reportingController": "example.com/c",
        "source": "example.com/c", "type": "Warning",
    }


def test_the_deprecated_source_component_wins_for_source():
    obj = {"reportingController": "c", "deprecatedSource": {"component": "kubelet"}}
    assert FIELD_SETS["events"](obj)["source"] == "kubelet"
