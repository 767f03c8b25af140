"""scheduling.k8s.io/v1 resources, their storage, and the system PriorityClasses that
kube-apiserver creates at start."""

from __future__ import annotations

from kube_apiserver.apis.scheduling import protobuf
from kube_apiserver.apis.scheduling import resources as scheduling
from kube_apiserver.apis.scheduling.system_priority_classes import SYSTEM_PRIORITY_CLASSES
from kube_apiserver.registry.provider import ResourceSpec
from kube_apiserver.registry.scheduling.priorityclass import PriorityClassStrategy

SPECS = (
    ResourceSpec(scheduling.priorityclasses, PriorityClassStrategy, "/registry/priorityclasses/"),
)
BOOTSTRAP = tuple((scheduling.priorityclasses, pc) for pc in SYSTEM_PRIORITY_CLASSES)

# kubectl 1.32+ sends its `create` generators as protobuf.
protobuf.register_messages()
