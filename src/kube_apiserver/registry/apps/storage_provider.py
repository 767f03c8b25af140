"""apps/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.apps import protobuf
from kube_apiserver.apis.apps import resources as apps
from kube_apiserver.registry.apps.controllerrevision import ControllerRevisionStrategy
from kube_apiserver.registry.apps.daemonset import DaemonSetStrategy
from kube_apiserver.registry.apps.deployment import DeploymentStrategy
from kube_apiserver.registry.apps.replicaset import ReplicaSetStrategy
from kube_apiserver.registry.apps.statefulset import StatefulSetStrategy
from kube_apiserver.registry.provider import STATUS, ResourceSpec
from kube_apiserver.registry.subresources import ScaleREST

WITH_SCALE = {**STATUS, "scale": lambda s: ScaleREST()}

SPECS = (
    ResourceSpec(
        apps.controllerrevisions, ControllerRevisionStrategy, "/registry/controllerrevisions/"
    ),
    ResourceSpec(apps.daemonsets, DaemonSetStrategy, "/registry/daemonsets/", STATUS),
    ResourceSpec(apps.deployments, DeploymentStrategy, "/registry/deployments/", WITH_SCALE),
    ResourceSpec(apps.replicasets, ReplicaSetStrategy, "/registry/replicasets/", WITH_SCALE),
    ResourceSpec(apps.statefulsets, StatefulSetStrategy, "/registry/statefulsets/", WITH_SCALE),
)

# kubectl 1.32+ sends its `create` generators as protobuf.
protobuf.register_messages()
