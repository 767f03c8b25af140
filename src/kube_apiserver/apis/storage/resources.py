"""storage.k8s.io/v1 resources, with the discovery facts of Kubernetes 1.33.

VolumeAttributesClass is beta in 1.33 and its v1beta1 version is off by default, so it is not
served here; the other v1beta1/v1alpha1 storage kinds are gone or off as well.
"""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

GROUP, V1 = "storage.k8s.io", "v1"

storageclasses = Resource(
    GROUP, V1, "storageclasses", "StorageClass", "storageclass", False, short_names=("sc",)
)
volumeattachments = Resource(
    GROUP,
    V1,
    "volumeattachments",
    "VolumeAttachment",
    "volumeattachment",
    False,
    subresources=(Subresource("status", "VolumeAttachment"),),
)
csidrivers = Resource(GROUP, V1, "csidrivers", "CSIDriver", "csidriver", False)
csinodes = Resource(GROUP, V1, "csinodes", "CSINode", "csinode", False)
csistoragecapacities = Resource(
    GROUP, V1, "csistoragecapacities", "CSIStorageCapacity", "csistoragecapacity", True
)

RESOURCES = (csidrivers, csinodes, csistoragecapacities, storageclasses, volumeattachments)
