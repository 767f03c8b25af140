"""storage.k8s.io/v1 StorageClass and VolumeAttachment validation: field paths and messages."""

from __future__ import annotations

import copy

import pytest

from kube_apiserver.apis.storage import defaults
from kube_apiserver.apis.storage import validation as v

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def storage_class(**fields) -> dict:
    sc = {"metadata": {"name": "fast"}, "provisioner": "csi.example.com", **fields}
    defaults.default_storage_class(sc)
    return sc


def messages(errs) -> list[str]:
    return [str(e) for e in errs]


def test_storage_class_defaults_fill_reclaim_policy_and_binding_mode():
    sc = storage_class()
    assert sc["reclaimPolicy"] == "Delete"
    assert sc["volumeBindingMode"] == "Immediate"
    assert v.validate_storage_class(sc) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"provisioner": ""}, ["provisioner: Required value"]),
        (
            {"provisioner": "bad_provisioner!"},
            [
                'provisioner: Invalid value: "bad_provisioner!": name part must consist of '
                "alphanumeric characters, '-', '_' or '.', and must start and end with an "
                "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
                "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
            ],
        ),
        (
            {"reclaimPolicy": "Recycle"},
            ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"'],
        ),
        (
            {"volumeBindingMode": "Later"},
            [
                'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", '
                '"WaitForFirstConsumer"'
            ],
        ),
        ({"parameters": {"": "x"}}, ['parameters: Invalid value: "": field can not be empty.']),
        (
            {"parameters": {str(i): "" for i in range(513)}},
            ["parameters: Too long: may not be more than 512 bytes"],
        ),
        (
            {"allowedTopologies": [{"matchLabelExpressions": [{"key": "zone", "values": []}]}]},
            ["allowedTopologies[0].matchLabelExpressions[0].values: Required value"],
        ),
        (
            {
                "allowedTopologies": [
                    {"matchLabelExpressions": [{"key": "zone", "values": ["a", "a"]}]},
                    {"matchLabelExpressions": [{"key": "zone", "values": ["a"]}]},
                ]
            },
            [
                'allowedTopologies[0].matchLabelExpressions[0].values[1]: Duplicate value: "a"',
                'allowedTopologies[1].matchLabelExpressions: Duplicate value: ""',
            ],
        ),
    ],
)
def test_storage_class_rules(fields, expected):
    assert messages(v.validate_storage_class(storage_class(**fields))) == expected


def test_storage_class_fixed_fields_may_not_change():
    old = storage_class(parameters={"type": "ssd"})
    new = storage_class(
        provisioner="other.example.com",
        parameters={"type": "hdd"},
        reclaimPolicy="Retain",
        volumeBindingMode="WaitForFirstConsumer",
        allowVolumeExpansion=True,
    )
    assert messages(v.validate_storage_class_update(new, old)) == [
        "parameters: Forbidden: updates to parameters are forbidden.",
        "provisioner: Forbidden: updates to provisioner are forbidden.",
        "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
        'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]


def test_allow_volume_expansion_may_change():
    old = storage_class()
    assert v.validate_storage_class_update(storage_class(allowVolumeExpansion=True), old) == []


def attachment(**spec) -> dict:
    base = {
        "attacher": "csi.example.com",
        "nodeName": "node-1",
        "source": {"persistentVolumeName": "pv-1"},
    }
    return {"metadata": {"name": "va"}, "spec": {**base, **spec}}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, []),
        (
            {"attacher": ""},
            [
                "spec.attacher: Required value",
                "spec.attacher: Required value",
                f'spec.attacher: Invalid value: "": {SUBDOMAIN_MSG}',
            ],
        ),
        (
            {"source": {}},
            [
                "spec.source: Required value: must specify exactly one of inlineVolumeSpec and "
                "persistentVolumeName"
            ],
        ),
        (
            {"source": {"persistentVolumeName": "pv", "inlineVolumeSpec": {}}},
            [
                "spec.source: Forbidden: must specify exactly one of inlineVolumeSpec and "
                "persistentVolumeName"
            ],
        ),
        (
            {"source": {"persistentVolumeName": ""}},
            [
                "spec.source.persistentVolumeName: Required value: must specify non empty "
                "persistentVolumeName",
                f'spec.source.persistentVolumeName: Invalid value: "": {SUBDOMAIN_MSG}',
            ],
        ),
        ({"nodeName": "Node_1"}, [f'spec.nodeName: Invalid value: "Node_1": {SUBDOMAIN_MSG}']),
    ],
)
def test_volume_attachment_rules(spec, expected):
    assert messages(v.validate_volume_attachment(attachment(**spec))) == expected


def test_volume_attachment_spec_is_immutable():
    old = attachment()
    new = attachment(nodeName="node-2")
    assert messages(v.validate_volume_attachment_update(new, old)) == [
        'spec: Invalid value: storage.VolumeAttachmentSpec{Attacher:"csi.example.com", '
        "Source:storage.VolumeAttachmentSource{PersistentVolumeName:(*string)(0xc000010000), "
        'InlineVolumeSpec:(*core.PersistentVolumeSpec)(nil)}, NodeName:"node-2"}: '
        "field is immutable"
    ]


def test_volume_attachment_status_errors():
    old = attachment()
    new = copy.deepcopy(old)
    new["status"] = {
        "attached": False,
        "attachError": {"message": "x" * 1025, "errorCode": -1},
        "attachmentMetadata": {"k": "v" * (256 * 1024)},
    }
    assert messages(v.validate_volume_attachment_update(new, old)) == [
        "status.attachmentMetadata: Too long: may not be more than 262144 bytes",
        "status.attachError.message: Too long: may not be more than 262144 bytes",
        "status.attachError.errorCode: Invalid value: -1: must be between 0 and 2147483647, "
        "inclusive",
    ]
