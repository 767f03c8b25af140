"""apps/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.apps import resources as apps
from kube_apiserver.registry.apps.deployment import DeploymentStrategy
from kube_apiserver.registry.provider import STATUS, ResourceSpec
from kube_apiserver.registry.subresources import ScaleREST

SPECS = (
    ResourceSpec(
        apps.deployments,
        DeploymentStrategy,
        "/registry/deployments/",
        {**STATUS, "scale": lambda s: ScaleREST()},
    ),
)
