"""apiregistration.k8s.io/v1 resources."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

apiservices = Resource(
    "apiregistration.k8s.io",
    "v1",
    "apiservices",
    "APIService",
    "apiservice",
    False,
    categories=("api-extensions",),
    subresources=(Subresource("status", "APIService"),),
)

RESOURCES = (apiservices,)
