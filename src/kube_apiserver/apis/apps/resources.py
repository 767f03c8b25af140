"""apps/v1 resources."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

deployments = Resource(
    "apps",
    "v1",
    "deployments",
    "Deployment",
    "deployment",
    True,
    short_names=("deploy",),
    categories=("all",),
    subresources=(
        Subresource("status", "Deployment"),
        Subresource("scale", "Scale", group="autoscaling", version="v1"),
    ),
)

RESOURCES = (deployments,)
