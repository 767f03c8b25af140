"""node.k8s.io/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.node import resources as node
from kube_apiserver.registry.node.runtimeclass import RuntimeClassStrategy
from kube_apiserver.registry.provider import ResourceSpec

SPECS = (ResourceSpec(node.runtimeclasses, RuntimeClassStrategy, "/registry/runtimeclasses/"),)
