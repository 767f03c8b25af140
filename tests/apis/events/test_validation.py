"""events.k8s.io/v1 Event validation: strict on this API, with Kubernetes' internal field names."""

from __future__ import annotations

import copy

from kube_apiserver.apis.events import validation as v


def event(**fields) -> dict:
    return {
        "metadata": {"name": "e", "namespace": "default"},
        "eventTime": "2025-01-02T03:04:05.123456Z",
        "reportingController": "example.com/controller",
        "reportingInstance": "i-1",
        "action": "Sync",
        "reason": "Synced",
        "type": "Normal",
        "regarding": {"kind": "Pod", "namespace": "default", "name": "p"},
        **fields,
    }


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def test_a_complete_event_is_valid():
    assert v.validate_event(event()) == []


def test_an_event_needs_a_time_a_type_and_its_reporter():
    obj = event(
        eventTime=None,
        type="Odd",
        reportingController="",
        action="",
        deprecatedCount=3,
        deprecatedSource={"component": "x"},
    )
    assert messages(v.validate_event(obj)) == [
        "eventTime: Required value",
        'type: Invalid value: "": has invalid value: Odd',
        'count: Invalid value: "": needs to be unset',
        'source: Invalid value: "": needs to be unset',
    ]
    obj["eventTime"] = "2025-01-02T03:04:05Z"
    assert messages(v.validate_event(obj)) == [
        "reportingController: Required value",
        'reportingController: Invalid value: "": name part must be non-empty',
        "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or "
        "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
        "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "action: Required value",
        'type: Invalid value: "": has invalid value: Odd',
        'count: Invalid value: "": needs to be unset',
        'source: Invalid value: "": needs to be unset',
    ]


def test_errors_use_the_core_field_names():
    obj = event(note="x" * 1025, regarding={"kind": "Node", "name": "n"}, series={"count": 1})
    obj["metadata"]["namespace"] = "team"
    assert messages(v.validate_event(obj)) == [
        'involvedObject.namespace: Invalid value: "": does not match event.namespace',
        'message: Invalid value: "": can have at most 1024 characters',
        'series.count: Invalid value: "": should be at least 2',
        "series.lastObservedTime: Required value",
    ]


def test_an_event_is_mostly_immutable():
    old = event()
    new = copy.deepcopy(old)
    new["series"] = {"count": 2, "lastObservedTime": "2025-01-02T03:05:00.000000Z"}
    assert v.validate_event_update(new, old) == []
    new["note"] = "changed"
    new["eventTime"] = "2025-01-02T03:04:06Z"
    new["regarding"]["name"] = "q"
    assert messages(v.validate_event_update(new, old)) == [
        'involvedObject: Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"default", Name:"q", UID:"", '
        'APIVersion:"", ResourceVersion:"", FieldPath:""}: field is immutable',
        'message: Invalid value: "changed": field is immutable',
        "eventTime: Invalid value: 2025-01-02 03:04:06 +0000 UTC: field is immutable",
    ]


def test_wrong_types_are_reported_not_crashed_on():
    assert v.validate_event({"metadata": "x", "regarding": 3, "series": "s", "eventTime": 5})
