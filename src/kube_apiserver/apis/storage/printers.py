"""Table printers for storage.k8s.io/v1: the columns `kubectl get` shows for each kind.

A StorageClass marked default (the is-default-class annotation, or its old beta spelling) shows
`(default)` after its name. CSIStorageCapacity rows have no age column, as in Kubernetes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.core.quantities import parse_quantity
from kube_apiserver.apis.meta.table import (
    NONE,
    Column,
    TableDef,
    age,
    age_column,
    field_doc,
    name_column,
    object_name,
)

STORAGE = "io.k8s.api.storage.v1."
DEFAULT_CLASS_ANNOTATIONS = (
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
)


def _spec(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("spec") or {}


def is_default_class(obj: dict[str, Any]) -> bool:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    return any(annotations.get(key) == "true" for key in DEFAULT_CLASS_ANNOTATIONS)


def _storage_class_row(sc: dict[str, Any], now: datetime) -> list[Any]:
    name = object_name(sc)
    return [
        name + " (default)" if is_default_class(sc) else name,
        sc.get("provisioner", ""),
        sc.get("reclaimPolicy") or "Delete",
        sc.get("volumeBindingMode") or "Immediate",
        sc.get("allowVolumeExpansion") is True,
        age(sc, now),
    ]


STORAGE_CLASSES = TableDef(
    columns=(
        name_column(),
        Column("Provisioner", description=field_doc(STORAGE + "StorageClass", "provisioner")),
        Column("ReclaimPolicy", description=field_doc(STORAGE + "StorageClass", "reclaimPolicy")),
        Column(
            "VolumeBindingMode",
            description=field_doc(STORAGE + "StorageClass", "volumeBindingMode"),
        ),
        Column(
            "AllowVolumeExpansion",
            description=field_doc(STORAGE + "StorageClass", "allowVolumeExpansion"),
        ),
        age_column(),
    ),
    row=_storage_class_row,
)


def _volume_attachment_row(va: dict[str, Any], now: datetime) -> list[Any]:
    spec = _spec(va)
    return [
        object_name(va),
        spec.get("attacher", ""),
        (spec.get("source") or {}).get("persistentVolumeName") or "",
        spec.get("nodeName", ""),
        (va.get("status") or {}).get("attached") is True,
        age(va, now),
    ]


VOLUME_ATTACHMENTS = TableDef(
    columns=(
        name_column(),
        Column(
            "Attacher",
            format="name",
            description=field_doc(STORAGE + "VolumeAttachmentSpec", "attacher"),
        ),
        Column(
            "PV",
            description=field_doc(STORAGE + "VolumeAttachmentSource", "persistentVolumeName"),
        ),
        Column("Node", description=field_doc(STORAGE + "VolumeAttachmentSpec", "nodeName")),
        Column(
            "Attached",
            "boolean",
            description=field_doc(STORAGE + "VolumeAttachmentStatus", "attached"),
        ),
        age_column(),
    ),
    row=_volume_attachment_row,
)


def _csi_driver_row(driver: dict[str, Any], now: datetime) -> list[Any]:
    spec = _spec(driver)
    tokens = spec.get("tokenRequests")
    audiences = ",".join((t or {}).get("audience", "") for t in tokens) if tokens else "<unset>"
    return [
        object_name(driver),
        spec.get("attachRequired") is not False,
        spec.get("podInfoOnMount") is True,
        spec.get("storageCapacity") is True,
        audiences,
        spec.get("requiresRepublish") is True,
        ",".join(spec.get("volumeLifecycleModes") or []) or NONE,
        age(driver, now),
    ]


def _driver_column(name: str, key: str, kind: str = "boolean") -> Column:
    return Column(name, kind, description=field_doc(STORAGE + "CSIDriverSpec", key))


CSI_DRIVERS = TableDef(
    columns=(
        name_column(),
        _driver_column("AttachRequired", "attachRequired"),
        _driver_column("PodInfoOnMount", "podInfoOnMount"),
        _driver_column("StorageCapacity", "storageCapacity"),
        _driver_column("TokenRequests", "tokenRequests", "string"),
        _driver_column("RequiresRepublish", "requiresRepublish"),
        _driver_column("Modes", "volumeLifecycleModes", "string"),
        age_column(),
    ),
    row=_csi_driver_row,
)


def _csi_node_row(node: dict[str, Any], now: datetime) -> list[Any]:
    return [object_name(node), len(_spec(node).get("drivers") or []), age(node, now)]


CSI_NODES = TableDef(
    columns=(
        name_column(),
        Column(
            "Drivers",
            "integer",
            description="Drivers indicates the number of CSI drivers registered on the node",
        ),
        age_column(),
    ),
    row=_csi_node_row,
)


def _csi_storage_capacity_row(capacity: dict[str, Any], now: datetime) -> list[Any]:
    quantity = parse_quantity(capacity.get("capacity"))
    return [
        object_name(capacity),
        capacity.get("storageClassName", ""),
        str(quantity) if quantity is not None else "<unset>",
    ]


CSI_STORAGE_CAPACITIES = TableDef(
    columns=(
        name_column(),
        Column(
            "StorageClassName",
            description=field_doc(STORAGE + "CSIStorageCapacity", "storageClassName"),
        ),
        Column("Capacity", description=field_doc(STORAGE + "CSIStorageCapacity", "capacity")),
    ),
    row=_csi_storage_capacity_row,
)

TABLES: dict[str, TableDef] = {
    "storageclasses": STORAGE_CLASSES,
    "volumeattachments": VOLUME_ATTACHMENTS,
    "csidrivers": CSI_DRIVERS,
    "csinodes": CSI_NODES,
    "csistoragecapacities": CSI_STORAGE_CAPACITIES,
}
