"""events.k8s.io/v1 field labels map onto the core/v1 labels they are stored under."""

from __future__ import annotations

from kube_apiserver.apis.events.fields import to_core_label, to_core_selector
from kube_apiserver.apis.meta.fields import parse_field_selector


def test_regarding_labels_become_involved_object_labels():
    assert to_core_label("regarding.name") == "involvedObject.name"
    assert to_core_label("regarding.kind") == "involvedObject.kind"


def test_reporting_controller_is_the_core_reporting_component():
    assert to_core_label("reportingController") == "reportingComponent"


def test_shared_labels_keep_their_names():
    for label in ("metadata.name", "metadata.namespace", "reason", "type"):
        assert to_core_label(label) == label


def test_a_selector_is_translated_requirement_by_requirement():
    selector = to_core_selector(parse_field_selector("regarding.name=web,type!=Normal"))
    assert selector.requirements == [("involvedObject.name", "=", "web"), ("type", "!=", "Normal")]
