"""discovery.k8s.io/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.discovery import resources as discovery
from kube_apiserver.registry.discovery.endpointslice import EndpointSliceStrategy
from kube_apiserver.registry.provider import ResourceSpec

SPECS = (
    ResourceSpec(discovery.endpointslices, EndpointSliceStrategy, "/registry/endpointslices/"),
)
