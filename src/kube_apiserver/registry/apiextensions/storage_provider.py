"""apiextensions.k8s.io/v1: CustomResourceDefinitions, where Kubernetes stores them."""

from __future__ import annotations

from kube_apiserver.apis.apiextensions import resources as apiextensions
from kube_apiserver.registry.apiextensions.customresourcedefinition import (
    CustomResourceDefinitionStrategy,
)
from kube_apiserver.registry.provider import STATUS, ResourceSpec

SPECS = (
    ResourceSpec(
        apiextensions.customresourcedefinitions,
        CustomResourceDefinitionStrategy,
        "/registry/apiextensions.k8s.io/customresourcedefinitions/",
        STATUS,
    ),
)
