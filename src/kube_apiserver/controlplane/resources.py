"""Which API groups this control plane serves, in discovery order, and `--runtime-config`.

Each group's resources, views and bootstrap objects come from its
`registry/<group>/storage_provider.py`; this module only lists the groups.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.resource import Resource
from kube_apiserver.registry.admissionregistration import storage_provider as admissionregistration
from kube_apiserver.registry.apiextensions import storage_provider as apiextensions
from kube_apiserver.registry.apiregistration import storage_provider as apiregistration
from kube_apiserver.registry.apps import storage_provider as apps
from kube_apiserver.registry.authentication import storage_provider as authentication
from kube_apiserver.registry.authorization import storage_provider as authorization
from kube_apiserver.registry.autoscaling import storage_provider as autoscaling
from kube_apiserver.registry.batch import storage_provider as batch
from kube_apiserver.registry.certificates import storage_provider as certificates
from kube_apiserver.registry.coordination import storage_provider as coordination
from kube_apiserver.registry.core import storage_provider as core
from kube_apiserver.registry.discovery import storage_provider as discovery
from kube_apiserver.registry.events import storage_provider as events
from kube_apiserver.registry.flowcontrol import storage_provider as flowcontrol
from kube_apiserver.registry.networking import storage_provider as networking
from kube_apiserver.registry.node import storage_provider as node
from kube_apiserver.registry.policy import storage_provider as policy
from kube_apiserver.registry.provider import Endpoint, ResourceSpec, View
from kube_apiserver.registry.rbac import storage_provider as rbac
from kube_apiserver.registry.scheduling import storage_provider as scheduling
from kube_apiserver.registry.storage import storage_provider as storage

PROVIDERS = (
    core,
    apiregistration,
    apps,
    events,
    authentication,
    authorization,
    autoscaling,
    batch,
    certificates,
    networking,
    policy,
    rbac,
    storage,
    admissionregistration,
    apiextensions,
    scheduling,
    coordination,
    node,
    discovery,
    flowcontrol,
)

SPECS: tuple[ResourceSpec, ...] = tuple(s for p in PROVIDERS for s in p.SPECS)
VIEWS: tuple[View, ...] = tuple(v for p in PROVIDERS for v in getattr(p, "VIEWS", ()))
ENDPOINTS: tuple[Endpoint, ...] = tuple(e for p in PROVIDERS for e in getattr(p, "ENDPOINTS", ()))
BOOTSTRAP: tuple[tuple[Resource, dict[str, Any]], ...] = tuple(
    b for p in PROVIDERS for b in getattr(p, "BOOTSTRAP", ())
)


def enabled(resource: Resource, runtime_config: dict[str, bool]) -> bool:
    """Apply --runtime-config: `api/all`, `<group>/<version>` and `<group>/<version>/<resource>` keys."""
    gv = resource.group_version if resource.group else f"api/{resource.version}"
    on = runtime_config.get("api/all", True)
    for key in (gv, f"{gv}/{resource.name}"):
        if key in runtime_config:
            on = runtime_config[key]
    return on
