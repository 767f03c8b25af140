"""apps/v1 resources."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource


def _scale() -> Subresource:
    return Subresource("scale", "Scale", group="autoscaling", version="v1")


controllerrevisions = Resource(
    "apps", "v1", "controllerrevisions", "ControllerRevision", "controllerrevision", True
)
daemonsets = Resource(
    "apps",
    "v1",
    "daemonsets",
    "DaemonSet",
    "daemonset",
    True,
    short_names=("ds",),
    categories=("all",),
    subresources=(Subresource("status", "DaemonSet"),),
)
deployments = Resource(
    "apps",
    "v1",
    "deployments",
    "Deployment",
    "deployment",
    True,
    short_names=("deploy",),
    categories=("all",),
    subresources=(Subresource("status", "Deployment"), _scale()),
)
replicasets = Resource(
    "apps",
    "v1",
    "replicasets",
    "ReplicaSet",
    "replicaset",
    True,
    short_names=("rs",),
    categories=("all",),
    subresources=(Subresource("status", "ReplicaSet"), _scale()),
)
statefulsets = Resource(
    "apps",
    "v1",
    "statefulsets",
    "StatefulSet",
    "statefulset",
    True,
    short_names=("sts",),
    categories=("all",),
    subresources=(Subresource("status", "StatefulSet"), _scale()),
)

RESOURCES = (controllerrevisions, daemonsets, deployments, replicasets, statefulsets)
