"""apiextensions.k8s.io/v1 resources."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

customresourcedefinitions = Resource(
    "apiextensions.k8s.io",
    "v1",
    "customresourcedefinitions",
    "CustomResourceDefinition",
    "customresourcedefinition",
    False,
    short_names=("crd", "crds"),
    categories=("api-extensions",),
    subresources=(Subresource("status", "CustomResourceDefinition"),),
)

RESOURCES = (customresourcedefinitions,)
