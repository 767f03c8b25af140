"""storage.k8s.io/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.storage import resources as storage
from kube_apiserver.registry.provider import ResourceSpec
from kube_apiserver.registry.storage import volumeattachment
from kube_apiserver.registry.storage.csidriver import CSIDriverStrategy
from kube_apiserver.registry.storage.csinode import CSINodeStrategy
from kube_apiserver.registry.storage.csistoragecapacity import CSIStorageCapacityStrategy
from kube_apiserver.registry.storage.storageclass import StorageClassStrategy

SPECS = (
    ResourceSpec(storage.storageclasses, StorageClassStrategy, "/registry/storageclasses/"),
    ResourceSpec(
        storage.volumeattachments,
        volumeattachment.VolumeAttachmentStrategy,
        "/registry/volumeattachments/",
        {"status": volumeattachment.status_rest},
    ),
    ResourceSpec(storage.csidrivers, CSIDriverStrategy, "/registry/csidrivers/"),
    ResourceSpec(storage.csinodes, CSINodeStrategy, "/registry/csinodes/"),
    ResourceSpec(
        storage.csistoragecapacities, CSIStorageCapacityStrategy, "/registry/csistoragecapacities/"
    ),
)
