"""Which resources this control plane serves, where each is stored, and its strategy.

The storage key roots are Kubernetes' own (`/registry/minions/` for nodes,
`/registry/services/specs/` for services, ...), so a store dump reads as Kubernetes'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kube_apiserver.apis.apps import resources as apps
from kube_apiserver.apis.coordination import resources as coordination
from kube_apiserver.apis.core import resources as core
from kube_apiserver.apis.events import resources as events
from kube_apiserver.apis.resource import Resource
from kube_apiserver.registry.apps.deployment import DeploymentStrategy, ScaleREST
from kube_apiserver.registry.coordination.lease import LeaseStrategy
from kube_apiserver.registry.core import simple
from kube_apiserver.registry.core.namespace import FinalizeREST, NamespaceStrategy
from kube_apiserver.registry.core.node import NodeStrategy
from kube_apiserver.registry.core.pod import PodStrategy
from kube_apiserver.registry.core.service import ServiceStrategy
from kube_apiserver.registry.events.event import EventsV1Store
from kube_apiserver.registry.rest import Strategy
from kube_apiserver.registry.subresources import StatusREST


@dataclass(frozen=True)
class ResourceSpec:
    resource: Resource
    strategy: Callable[[Resource], Strategy]
    key_root: str
    subresources: dict[str, Callable[[Strategy], Any]] = field(default_factory=dict)


STATUS = {"status": StatusREST}

SPECS: tuple[ResourceSpec, ...] = (
    ResourceSpec(core.namespaces, NamespaceStrategy, "/registry/namespaces/", {**STATUS, "finalize": FinalizeREST}),
    ResourceSpec(core.configmaps, simple.ConfigMapStrategy, "/registry/configmaps/"),
    ResourceSpec(core.secrets, simple.SecretStrategy, "/registry/secrets/"),
    ResourceSpec(core.serviceaccounts, simple.ServiceAccountStrategy, "/registry/serviceaccounts/"),
    ResourceSpec(core.pods, PodStrategy, "/registry/pods/", STATUS),
    ResourceSpec(core.services, ServiceStrategy, "/registry/services/specs/", STATUS),
    ResourceSpec(core.endpoints, simple.EndpointsStrategy, "/registry/services/endpoints/"),
    ResourceSpec(core.events, simple.EventStrategy, "/registry/events/"),
    ResourceSpec(core.nodes, NodeStrategy, "/registry/minions/", STATUS),
    ResourceSpec(coordination.leases, LeaseStrategy, "/registry/leases/"),
    ResourceSpec(apps.deployments, DeploymentStrategy, "/registry/deployments/", {**STATUS, "scale": lambda s: ScaleREST()}),
)


# Resources served as another group's view of a stored resource: (resource, stored as, view).
VIEWS: tuple[tuple[Resource, Resource, Callable[[Resource, Any], Any]], ...] = (
    (events.events, core.events, EventsV1Store),
)


def enabled(resource: Resource, runtime_config: dict[str, bool]) -> bool:
    """Apply --runtime-config: `api/all`, `<group>/<version>` and `<group>/<version>/<resource>` keys."""
    gv = resource.group_version if resource.group else f"api/{resource.version}"
    on = runtime_config.get("api/all", True)
    for key in (gv, f"{gv}/{resource.name}"):
        if key in runtime_config:
            on = runtime_config[key]
    return on
