"""authorization.k8s.io/v1 access review validation, with Kubernetes' messages and Go renderings."""

from __future__ import annotations

import pytest

from kube_apiserver.apis.authorization import validation as v


def sar(spec: dict, metadata: dict | None = None) -> dict:
    return {"metadata": metadata or {"creationTimestamp": None}, "spec": spec}


POD_READ = {"resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "ns"}}


def test_a_complete_review_is_valid():
    assert v.validate_subject_access_review(sar({**POD_READ, "user": "alice"})) == []
    assert (
        v.validate_self_subject_access_review(
            sar({"nonResourceAttributes": {"path": "/healthz", "verb": "get"}})
        )
        == []
    )


def test_a_subject_access_review_needs_attributes_and_a_subject():
    assert [str(e) for e in v.validate_subject_access_review(sar({}))] == [
        'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
        'spec.user: Invalid value: "": at least one of user or group must be specified',
    ]


def test_both_kinds_of_attributes_are_refused():
    spec = {**POD_READ, "nonResourceAttributes": {"path": "/healthz", "verb": "get"}}
    assert [str(e) for e in v.validate_self_subject_access_review(sar(spec))] == [
        'spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/healthz", Verb:"get"}: '
        "cannot be specified in combination with resourceAttributes"
    ]


def test_metadata_must_be_empty():
    errs = v.validate_self_subject_access_review(
        sar(POD_READ, {"name": "mine", "labels": {"a": "b"}})
    )
    assert [str(e) for e in errs] == [
        'metadata: Invalid value: v1.ObjectMeta{Name:"mine", GenerateName:"", Namespace:"", SelfLink:"", UID:"", '
        'ResourceVersion:"", Generation:0, CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), '
        "DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), "
        'Labels:map[string]string{"a":"b"}, Annotations:map[string]string(nil), '
        "OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), "
        "ManagedFields:[]v1.ManagedFieldsEntry(nil)}: must be empty"
    ]


def test_a_local_review_keeps_to_its_namespace():
    obj = sar(
        {
            "resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "other"},
            "user": "a",
        },
        {"namespace": "ns"},
    )
    assert [str(e) for e in v.validate_local_subject_access_review(obj)] == [
        'spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace'
    ]
    obj = sar(
        {"nonResourceAttributes": {"path": "/", "verb": "get"}, "groups": ["g"]},
        {"namespace": "ns"},
    )
    assert [str(e) for e in v.validate_local_subject_access_review(obj)] == [
        'spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/", Verb:"get"}: '
        "disallowed on this kind of request"
    ]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (
            {
                "fieldSelector": {
                    "rawSelector": "a=b",
                    "requirements": [{"key": "a", "operator": "In", "values": ["b"]}],
                }
            },
            'spec.resourceAttributes.fieldSelector.rawSelector: Invalid value: "a=b": may not specified at the same time as requirements',
        ),
        (
            {"labelSelector": {}},
            "spec.resourceAttributes.labelSelector.requirements: Required value: when spec.resourceAttributes.labelSelector is specified, requirements or rawSelector is required",
        ),
        (
            {"fieldSelector": {"requirements": [{"operator": "In"}]}},
            "spec.resourceAttributes.fieldSelector.requirements[0].key: Required value: must be specified",
        ),
        (
            {
                "labelSelector": {
                    "requirements": [{"key": "a", "operator": "Exists", "values": ["x"]}]
                }
            },
            "spec.resourceAttributes.labelSelector.requirements[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ),
    ],
)
def test_selectors(selector, expected):
    spec = {"resourceAttributes": {"verb": "list", "resource": "pods", **selector}}
    assert expected in [str(e) for e in v.validate_self_subject_access_review(sar(spec))]


def test_unknown_selector_operators_are_allowed():
    req = {"key": "a", "operator": "Matches", "values": ["x"]}
    spec = {
        "resourceAttributes": {
            "verb": "list",
            "resource": "pods",
            "labelSelector": {"requirements": [req]},
        }
    }
    assert v.validate_self_subject_access_review(sar(spec)) == []
