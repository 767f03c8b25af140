"""Defaulting of storage.k8s.io/v1 objects, as kube-apiserver 1.33 applies it after decoding.

StorageClasses get their reclaim policy and binding mode; CSIDrivers every switch of their
spec, with the feature gates of 1.33 (CSIVolumeFSGroupPolicy and CSIInlineVolume are GA,
SELinuxMountReadWriteOncePod is on by default).
"""

from __future__ import annotations

from kube_apiserver.apis.meta.unstructured import ensure_dict

_CSI_DRIVER_SWITCHES = (
    ("attachRequired", True),
    ("podInfoOnMount", False),
    ("storageCapacity", False),
    ("fsGroupPolicy", "ReadWriteOnceWithFSType"),
    ("requiresRepublish", False),
    ("seLinuxMount", False),
)


def default_storage_class(obj: dict) -> None:
    if obj.get("reclaimPolicy") is None:
        obj["reclaimPolicy"] = "Delete"
    if obj.get("volumeBindingMode") is None:
        obj["volumeBindingMode"] = "Immediate"


def default_csi_driver(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    for key, value in _CSI_DRIVER_SWITCHES:
        if spec.get(key) is None:
            spec[key] = value
    if not spec.get("volumeLifecycleModes"):
        spec["volumeLifecycleModes"] = ["Persistent"]
