"""The core (legacy, "") group's resources at v1, with the discovery facts of Kubernetes 1.33."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

V1 = "v1"

namespaces = Resource(
    "",
    V1,
    "namespaces",
    "Namespace",
    "namespace",
    False,
    verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
    short_names=("ns",),
    subresources=(Subresource("status", "Namespace"),),
)
configmaps = Resource("", V1, "configmaps", "ConfigMap", "configmap", True, short_names=("cm",))
secrets = Resource("", V1, "secrets", "Secret", "secret", True)
serviceaccounts = Resource(
    "", V1, "serviceaccounts", "ServiceAccount", "serviceaccount", True, short_names=("sa",)
)
pods = Resource(
    "",
    V1,
    "pods",
    "Pod",
    "pod",
    True,
    short_names=("po",),
    categories=("all",),
    subresources=(Subresource("status", "Pod"),),
)
services = Resource(
    "",
    V1,
    "services",
    "Service",
    "service",
    True,
    verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
    short_names=("svc",),
    categories=("all",),
    subresources=(Subresource("status", "Service"),),
)
endpoints = Resource("", V1, "endpoints", "Endpoints", "endpoints", True, short_names=("ep",))
events = Resource("", V1, "events", "Event", "event", True, short_names=("ev",))
nodes = Resource(
    "",
    V1,
    "nodes",
    "Node",
    "node",
    False,
    short_names=("no",),
    subresources=(Subresource("status", "Node"),),
)

RESOURCES = (
    namespaces,
    configmaps,
    secrets,
    serviceaccounts,
    pods,
    services,
    endpoints,
    events,
    nodes,
)
