"""scheduling.k8s.io/v1 resources, with the discovery facts of Kubernetes 1.33."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource

priorityclasses = Resource(
    "scheduling.k8s.io",
    "v1",
    "priorityclasses",
    "PriorityClass",
    "priorityclass",
    False,
    short_names=("pc",),
)

RESOURCES = (priorityclasses,)
