"""PersistentVolumes and claims: defaults, data-source preparation, Kubernetes' messages."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kube_apiserver.apis.core import persistentvolumeclaims as pvcs
from kube_apiserver.apis.core import persistentvolumes as pvs


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def pv(**spec: Any) -> dict:
    obj = {
        "metadata": {"name": "pv1"},
        "spec": {
            "capacity": {"storage": "1024Mi"},
            "accessModes": ["ReadWriteOnce"],
            "hostPath": {"path": "/data"},
            **spec,
        },
    }
    pvs.default_persistentvolume(obj)
    return obj


def pvc(**spec: Any) -> dict:
    obj = {
        "metadata": {"name": "data", "namespace": "default"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            **spec,
        },
    }
    pvcs.default_persistentvolumeclaim(obj)
    return obj


# ---------------------------------------------------------------- volumes


def test_volume_defaults():
    obj = pv(rbd={"monitors": ["m"], "image": "i"}, hostPath=None)
    assert obj["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert obj["spec"]["volumeMode"] == "Filesystem"
    pvs.normalize_persistentvolume(obj)
    assert obj["spec"]["capacity"] == {"storage": "1Gi"}
    assert obj["spec"]["rbd"] == {
        "monitors": ["m"],
        "image": "i",
        "pool": "rbd",
        "user": "admin",
        "keyring": "/etc/ceph/keyring",
    }
    assert obj["status"] == {"phase": "Pending"}
    assert pv()["spec"]["hostPath"] == {"path": "/data", "type": ""}


def test_a_defaulted_volume_is_valid():
    assert pvs.validate_persistentvolume(pv()) == []


PV_CASES = [
    ({"accessModes": []}, "spec.accessModes: Required value"),
    (
        {"accessModes": ["Sometimes"]},
        'spec.accessModes: Unsupported value: "Sometimes": supported values: "ReadOnlyMany", '
        '"ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    ),
    (
        {"accessModes": ["ReadWriteOncePod", "ReadWriteOnce"]},
        "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
    ),
    ({"capacity": {}}, "spec.capacity: Required value"),
    (
        {"capacity": {}},
        'spec.capacity: Unsupported value: core.ResourceList{}: supported values: "storage"',
    ),
    (
        {"capacity": {"storage": "0"}},
        'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
    ),
    (
        {"capacity": {"storage": "-1Gi"}},
        "spec.capacity[storage]: Invalid value: -1073741824: must be a valid resource quantity",
    ),
    (
        {"persistentVolumeReclaimPolicy": "Keep"},
        'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: '
        '"Delete", "Recycle", "Retain"',
    ),
    (
        {"nfs": {"server": "nfs", "path": "/x"}},
        "spec.nfs: Forbidden: may not specify more than 1 volume type",
    ),
    ({"hostPath": None}, "spec: Required value: must specify a volume type"),
    (
        {"hostPath": None, "gcePersistentDisk": {}},
        "spec.persistentDisk.pdName: Required value",
    ),
    (
        {"hostPath": None, "local": {"path": "/mnt"}},
        "spec.nodeAffinity: Required value: Local volume requires node affinity",
    ),
    (
        {"nodeAffinity": {}},
        "spec.nodeAffinity.required: Required value: must specify required node constraints",
    ),
    (
        {"hostPath": None, "csi": {"driver": "x.example.com", "nodePublishSecretRef": {}}},
        "spec.csi.volumeHandle: Required value",
    ),
    (
        {"hostPath": None, "csi": {"driver": "d", "volumeHandle": "v", "nodePublishSecretRef": {}}},
        "spec.csi.nodePublishSecretRef.namespace: Required value",
    ),
    (
        {"hostPath": {"path": "/"}, "persistentVolumeReclaimPolicy": "Recycle"},
        "spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath "
        "mount of '/'",
    ),
    (
        {"volumeMode": "Raw"},
        'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"',
    ),
    (
        {"hostPath": None, "iscsi": {"targetPortal": "p", "iqn": "bad"}},
        'spec.iscsi.iqn: Invalid value: "bad": must be valid format',
    ),
]


@pytest.mark.parametrize(("spec", "message"), PV_CASES)
def test_volume_validation_messages(spec, message):
    obj = pv(**spec)
    obj["spec"] = {k: v for k, v in obj["spec"].items() if v is not None}
    assert message in messages(pvs.validate_persistentvolume(obj))


def test_mount_options_need_a_source_that_takes_them():
    obj = pv()
    obj["metadata"]["annotations"] = {pvs.MOUNT_OPTIONS: "ro"}
    assert messages(pvs.validate_persistentvolume(obj)) == [
        "metadata.annotations.volume.beta.kubernetes.io/mount-options: Forbidden: "
        "may not specify mount options for this volume type"
    ]


def test_the_source_and_volume_mode_are_immutable_and_errors_come_twice():
    old = pv()
    new = copy.deepcopy(old)
    new["spec"]["hostPath"]["path"] = "/other"
    new["spec"]["volumeMode"] = "Block"
    new["spec"]["accessModes"] = []
    found = messages(pvs.validate_persistentvolume_update(new, old))
    assert found[:2] == ["spec.accessModes: Required value"] * 2
    assert found[2].startswith(
        "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable "
        "after creation\n  core.PersistentVolumeSource{"
    )
    assert found[3] == 'volumeMode: Invalid value: "Block": field is immutable'


def test_a_csi_volume_may_gain_an_expand_secret():
    old = pv(hostPath=None, csi={"driver": "d", "volumeHandle": "h"})
    old["spec"].pop("hostPath")
    new = copy.deepcopy(old)
    new["spec"]["csi"]["controllerExpandSecretRef"] = {"name": "s", "namespace": "ns"}
    assert pvs.validate_persistentvolume_update(new, old) == []


# ---------------------------------------------------------------- claims


def test_claim_defaults():
    obj = pvc(resources={"requests": {"storage": "1024Mi"}})
    assert obj["spec"]["volumeMode"] == "Filesystem"
    assert obj["spec"]["resources"] == {"requests": {"storage": "1Gi"}}
    assert obj["status"] == {"phase": "Pending"}


def test_data_sources_are_mirrored_and_unknown_ones_dropped():
    spec = {"dataSource": {"kind": "PersistentVolumeClaim", "name": "src"}}
    pvcs.prepare_claim_spec(spec, None)
    assert spec["dataSourceRef"] == {"kind": "PersistentVolumeClaim", "name": "src"}
    spec = {"dataSource": {"kind": "Foo", "apiGroup": "example.com", "name": "f"}}
    pvcs.prepare_claim_spec(spec, None)
    assert spec == {}
    spec = {
        "dataSourceRef": {"kind": "Foo", "apiGroup": "example.com", "name": "f", "namespace": "x"}
    }
    pvcs.prepare_claim_spec(spec, None)
    assert spec["dataSource"] == {"kind": "Foo", "apiGroup": "example.com", "name": "f"}
    spec = {"volumeAttributesClassName": "gold"}
    pvcs.prepare_claim_spec(spec, None)
    assert spec == {}


def test_a_defaulted_claim_is_valid():
    assert pvcs.validate_persistentvolumeclaim(pvc()) == []


PVC_CASES = [
    ({"accessModes": []}, "spec.accessModes: Required value: at least 1 access mode is required"),
    ({"resources": {}}, "spec.resources[storage]: Required value"),
    (
        {"resources": {"requests": {"storage": "0"}}},
        'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    ),
    (
        {"storageClassName": "Fast"},
        'spec.storageClassName: Invalid value: "Fast": a lowercase RFC 1123 subdomain',
    ),
    (
        {"dataSource": {"kind": "Foo", "name": "x"}},
        "spec.dataSource: Invalid value: \"Foo\": must be 'PersistentVolumeClaim' when "
        "referencing the default apiGroup",
    ),
    (
        {
            "dataSource": {"kind": "PersistentVolumeClaim", "name": "a"},
            "dataSourceRef": {"kind": "PersistentVolumeClaim", "name": "b"},
        },
        "spec: Invalid value: spec.dataSource: must match dataSourceRef",
    ),
    (
        {"selector": {"matchExpressions": [{"key": "a", "operator": "Is"}]}},
        'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
    ),
]


@pytest.mark.parametrize(("spec", "message"), PVC_CASES)
def test_claim_validation_messages(spec, message):
    found = messages(pvcs.validate_persistentvolumeclaim(pvc(**spec)))
    assert any(m.startswith(message) for m in found), found


def test_a_pending_claims_spec_is_immutable():
    old = pvc()
    new = copy.deepcopy(old)
    new["spec"]["resources"]["requests"]["storage"] = "2Gi"
    new["spec"]["volumeMode"] = "Block"
    found = messages(pvcs.validate_persistentvolumeclaim_update(new, old))
    assert found[0].startswith(
        "spec: Forbidden: spec is immutable after creation except resources.requests and "
        "volumeAttributesClassName for bound claims\n  core.PersistentVolumeClaimSpec{"
    )
    assert found[1] == 'volumeMode: Invalid value: "Block": field is immutable'


def test_a_bound_claim_may_grow_but_not_below_its_capacity():
    old = pvc(volumeName="pv1")
    old["status"] = {"phase": "Bound", "capacity": {"storage": "2Gi"}}
    new = copy.deepcopy(old)
    new["spec"]["resources"]["requests"]["storage"] = "5Gi"
    assert pvcs.validate_persistentvolumeclaim_update(new, old) == []
    old["spec"]["resources"]["requests"]["storage"] = "5Gi"
    new["spec"]["resources"]["requests"]["storage"] = "2Gi"
    assert messages(pvcs.validate_persistentvolumeclaim_update(new, old)) == [
        "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"
    ]


def test_the_volume_name_is_set_once_and_the_beta_class_annotation_may_become_the_field():
    old = pvc()
    old["metadata"]["annotations"] = {pvs.BETA_STORAGE_CLASS: "fast"}
    new = copy.deepcopy(old)
    new["spec"]["volumeName"] = "pv1"
    new["spec"]["storageClassName"] = "fast"
    assert pvcs.validate_persistentvolumeclaim_update(new, old) == []
    new["metadata"]["annotations"][pvs.BETA_STORAGE_CLASS] = "slow"
    assert messages(pvcs.validate_persistentvolumeclaim_update(new, old))[0] == (
        "metadata.annotations.volume.beta.kubernetes.io/storage-class: "
        'Invalid value: "slow": field is immutable'
    )


def test_claim_status_updates():
    obj = pvc()
    obj["status"] = {
        "capacity": {"storage": "-1"},
        "allocatedResourceStatuses": {"storage": "Resizing", "cpu": "NodeResizePending"},
    }
    assert messages(pvcs.validate_persistentvolumeclaim_status_update(obj, pvc())) == [
        "status.capacity[storage]: Invalid value: -1: must be a valid resource quantity",
        'status.allocatedResourceStatus: Unsupported value: "cpu": supported values: "storage"',
        'status.allocatedResourceStatus: Unsupported value: "storage": supported values: '
        '"ControllerResizeInProgress", "ControllerResizeInfeasible", "NodeResizeInProgress", '
        '"NodeResizeInfeasible", "NodeResizePending"',
    ]


def test_claim_templates_carry_only_labels_and_annotations():
    template = {"metadata": {"name": "x", "labels": {"a": "b"}}, "spec": pvc()["spec"]}
    assert messages(pvcs.validate_claim_template(template, "spec.t")) == [
        "spec.t.metadata.name: Forbidden: cannot be set"
    ]
