"""node.k8s.io/v1 resources, with the discovery facts of Kubernetes 1.33."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource

runtimeclasses = Resource(
    "node.k8s.io", "v1", "runtimeclasses", "RuntimeClass", "runtimeclass", False
)

RESOURCES = (runtimeclasses,)
