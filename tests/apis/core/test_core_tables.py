"""The tables of ReplicationControllers, PodTemplates, volumes, claims, quotas and component
statuses: the cells kubectl prints against a 1.33 server."""

from __future__ import annotations

from datetime import UTC, datetime

from kube_apiserver.apis.core import printers
from kube_apiserver.apis.meta.table import build_table

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
META = {"name": "x", "namespace": "ns", "creationTimestamp": "2025-01-01T11:00:00Z"}


def columns(resource: str) -> list[tuple[str, int]]:
    return [(c.name, c.priority) for c in printers.TABLES[resource].columns]


def row(resource: str, obj: dict) -> list:
    return build_table(printers.TABLES[resource], [obj], NOW)["rows"][0]["cells"]


def test_replication_controllers():
    assert columns("replicationcontrollers") == [
        ("Name", 0),
        ("Desired", 0),
        ("Current", 0),
        ("Ready", 0),
        ("Age", 0),
        ("Containers", 1),
        ("Images", 1),
        ("Selector", 1),
    ]
    rc = {
        "metadata": META,
        "spec": {
            "replicas": 3,
            "selector": {"b": "2", "a": "1"},
            "template": {"spec": {"containers": [{"name": "c", "image": "i"}]}},
        },
        "status": {"replicas": 2, "readyReplicas": 1},
    }
    assert row("replicationcontrollers", rc) == ["x", 3, 2, 1, "60m", "c", "i", "a=1,b=2"]


def test_pod_templates():
    assert [name for name, _ in columns("podtemplates")] == [
        "Name",
        "Containers",
        "Images",
        "Pod Labels",
    ]
    template = {
        "metadata": META,
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]},
        },
    }
    assert row("podtemplates", template) == ["x", "a,b", "x,y", "app=web"]


def test_persistent_volumes():
    assert columns("persistentvolumes")[-1] == ("VolumeMode", 1)
    assert [name for name, _ in columns("persistentvolumes")][:-1] == [
        "Name",
        "Capacity",
        "Access Modes",
        "Reclaim Policy",
        "Status",
        "Claim",
        "StorageClass",
        "VolumeAttributesClass",
        "Reason",
        "Age",
    ]
    pv = {
        "metadata": {**META, "annotations": {"volume.beta.kubernetes.io/storage-class": "old"}},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "claimRef": {"namespace": "ns", "name": "data"},
            "storageClassName": "new",
            "volumeMode": "Filesystem",
        },
        "status": {"phase": "Bound"},
    }
    assert row("persistentvolumes", pv) == [
        "x",
        "1Gi",
        "RWO,RWX",
        "Retain",
        "Bound",
        "ns/data",
        "old",
        "<unset>",
        "",
        "60m",
        "Filesystem",
    ]
    deleting = {"metadata": {**META, "deletionTimestamp": "2025-01-01T12:00:00Z"}, "spec": {}}
    assert row("persistentvolumes", deleting)[1:5] == ["0", "", "", "Terminating"]


def test_persistent_volume_claims_show_capacity_only_once_bound():
    pvc = {
        "metadata": META,
        "spec": {"storageClassName": "fast", "volumeMode": "Block"},
        "status": {"phase": "Pending", "capacity": {"storage": "1Gi"}},
    }
    assert row("persistentvolumeclaims", pvc) == [
        "x",
        "Pending",
        "",
        "",
        "",
        "fast",
        "<unset>",
        "60m",
        "Block",
    ]
    pvc["spec"]["volumeName"] = "pv1"
    pvc["status"].update(phase="Bound", accessModes=["ReadWriteOncePod"])
    assert row("persistentvolumeclaims", pvc)[1:5] == ["Bound", "pv1", "1Gi", "RWOP"]


def test_resource_quotas_split_requests_and_limits():
    quota = {
        "metadata": META,
        "status": {
            "hard": {"pods": "10", "limits.cpu": "4", "requests.cpu": "2", "limits": "1"},
            "used": {"pods": "1", "limits.cpu": "500m"},
        },
    }
    assert row("resourcequotas", quota) == [
        "x",
        "limits: 0/1, pods: 1/10, requests.cpu: 0/2",
        "limits.cpu: 500m/4",
        "60m",
    ]


def test_component_statuses():
    healthy = {
        "metadata": {"name": "etcd-0"},
        "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}],
    }
    assert row("componentstatuses", healthy) == ["etcd-0", "Healthy", "ok", ""]
    failing = {
        "metadata": {"name": "scheduler"},
        "conditions": [{"type": "Healthy", "status": "False", "message": "refused"}],
    }
    assert row("componentstatuses", failing) == ["scheduler", "Unhealthy", "refused", ""]
    assert row("componentstatuses", {"metadata": {"name": "c"}}) == ["c", "Unknown", "", ""]
