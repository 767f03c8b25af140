"""storage.k8s.io/v1 table rows: the default-class marker, attachment and driver cells."""

from __future__ import annotations

from datetime import UTC, datetime

from kube_apiserver.apis.storage.printers import TABLES

NOW = datetime(2025, 1, 1, tzinfo=UTC)
META = {"name": "x", "creationTimestamp": "2025-01-01T00:00:00Z"}


def test_storage_class_row_marks_the_default_class():
    sc = {
        "metadata": {
            **META,
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": "csi.example.com",
        "reclaimPolicy": "Retain",
        "volumeBindingMode": "WaitForFirstConsumer",
    }
    assert TABLES["storageclasses"].row(sc, NOW) == [
        "x (default)",
        "csi.example.com",
        "Retain",
        "WaitForFirstConsumer",
        False,
        "0s",
    ]
    names = [c.name for c in TABLES["storageclasses"].columns]
    assert names == [
        "Name",
        "Provisioner",
        "ReclaimPolicy",
        "VolumeBindingMode",
        "AllowVolumeExpansion",
        "Age",
    ]


def test_volume_attachment_row():
    va = {
        "metadata": META,
        "spec": {"attacher": "a", "nodeName": "n", "source": {"persistentVolumeName": "pv"}},
        "status": {"attached": True},
    }
    assert TABLES["volumeattachments"].row(va, NOW) == ["x", "a", "pv", "n", True, "0s"]


def test_csi_driver_row_without_token_requests_says_unset():
    driver = {
        "metadata": META,
        "spec": {"attachRequired": False, "volumeLifecycleModes": ["Persistent", "Ephemeral"]},
    }
    assert TABLES["csidrivers"].row(driver, NOW) == [
        "x",
        False,
        False,
        False,
        "<unset>",
        False,
        "Persistent,Ephemeral",
        "0s",
    ]


def test_csi_storage_capacity_prints_the_canonical_quantity_and_no_age():
    cap = {"metadata": META, "storageClassName": "fast", "capacity": "1024Mi"}
    assert TABLES["csistoragecapacities"].row(cap, NOW) == ["x", "fast", "1Gi"]
    assert TABLES["csistoragecapacities"].row({"metadata": META}, NOW)[2] == "<unset>"
