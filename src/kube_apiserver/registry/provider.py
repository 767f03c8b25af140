"""What each API group contributes to the control plane (Kubernetes' RESTStorageProvider).

Every group has a `registry/<group>/storage_provider.py` with:
- `SPECS`: its stored resources (`ResourceSpec`: facts, strategy, storage key root, subresources);
- `VIEWS` (optional): resources served as a converted view of another stored resource;
- `BOOTSTRAP` (optional): objects the server creates at start when they are missing
  (bootstrap PriorityClasses, default FlowSchemas, ...);
- `ENDPOINTS` (optional): resources that store nothing (the review kinds), each served by a
  REST object built with the server's authenticator and authorizer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kube_apiserver.apis.resource import Resource
from kube_apiserver.authentication.interface import Authenticator
from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.registry.rest import Strategy
from kube_apiserver.registry.subresources import StatusREST


@dataclass(frozen=True)
class ResourceSpec:
    resource: Resource
    strategy: Callable[[Resource], Strategy]
    key_root: str  # Kubernetes' own storage prefix, e.g. "/registry/minions/" for nodes
    subresources: dict[str, Callable[[Strategy], Any]] = field(default_factory=dict)


# (served resource, resource it is stored as, view factory taking (resource, store of the stored
# one) and returning a registry.generic.view.ConvertedStore)
View = tuple[Resource, Resource, Callable[[Resource, Any], Any]]


@dataclass(frozen=True)
class Endpoint:
    """A resource with no storage: `rest(resource, authenticator, authorizer)` makes the object
    that answers its requests (with the `Store` surface the handlers use for its verbs)."""

    resource: Resource
    rest: Callable[[Resource, Authenticator, Authorizer], Any]


STATUS: dict[str, Callable[[Strategy], Any]] = {"status": StatusREST}


def store_key(resource: Resource) -> str:
    """How stores are named in the control plane: "pods", "deployments.apps"."""
    return f"{resource.name}.{resource.group}" if resource.group else resource.name
