"""core/v1: the resources of the legacy API group and where Kubernetes stores them."""

from __future__ import annotations

from kube_apiserver.apis.core import resources as core
from kube_apiserver.registry.core import simple
from kube_apiserver.registry.core.namespace import FinalizeREST, NamespaceStrategy
from kube_apiserver.registry.core.node import NodeStrategy
from kube_apiserver.registry.core.pod import PodStrategy
from kube_apiserver.registry.core.service import ServiceStrategy
from kube_apiserver.registry.provider import STATUS, ResourceSpec

SPECS = (
    ResourceSpec(
        core.namespaces,
        NamespaceStrategy,
        "/registry/namespaces/",
        {**STATUS, "finalize": FinalizeREST},
    ),
    ResourceSpec(core.configmaps, simple.ConfigMapStrategy, "/registry/configmaps/"),
    ResourceSpec(core.secrets, simple.SecretStrategy, "/registry/secrets/"),
    ResourceSpec(core.serviceaccounts, simple.ServiceAccountStrategy, "/registry/serviceaccounts/"),
    ResourceSpec(core.pods, PodStrategy, "/registry/pods/", STATUS),
    ResourceSpec(core.services, ServiceStrategy, "/registry/services/specs/", STATUS),
    ResourceSpec(core.endpoints, simple.EndpointsStrategy, "/registry/services/endpoints/"),
    ResourceSpec(core.events, simple.EventStrategy, "/registry/events/"),
    ResourceSpec(core.nodes, NodeStrategy, "/registry/minions/", STATUS),
)
