"""Admission: plugins that may change (mutating) or refuse (validating) a write.

Plugins see an `Attributes` of the request. The chain runs every mutating `admit` before
defaulted objects are validated by the strategy, and every `validate` after, inside the
store's write path, as kube-apiserver does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.resource import Resource
from kube_apiserver.authentication.user import UserInfo

CREATE = "CREATE"
UPDATE = "UPDATE"
DELETE = "DELETE"


@dataclass(slots=True)
class Attributes:
    operation: str
    resource: Resource
    namespace: str
    name: str
    obj: dict[str, Any] | None
    old: dict[str, Any] | None
    user: UserInfo | None
    subresource: str = ""
    dry_run: bool = False


def forbidden(attrs: Attributes, why: str) -> errors.StatusError:
    """The 403 a plugin refuses a request with, naming the object as Kubernetes'
    admission.NewForbidden does: the request's name, else the new object's name or
    generateName, else "Unknown"."""
    meta = attrs.obj.get("metadata") if isinstance(attrs.obj, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    name = attrs.name or meta.get("name") or meta.get("generateName") or "Unknown"
    return errors.forbidden(attrs.resource.name, attrs.resource.group, str(name), why)


class Plugin(Protocol):
    name: str

    async def admit(self, attrs: Attributes) -> None:
        """Mutate attrs.obj in place, or raise a StatusError to refuse."""
        ...

    async def validate(self, attrs: Attributes) -> None:
        """Raise a StatusError to refuse; never mutate."""
        ...


class Chain:
    """The enabled plugins, in order."""

    def __init__(self, plugins: list[Plugin]) -> None:
        self.plugins = plugins

    async def admit(self, attrs: Attributes) -> None:
        for plugin in self.plugins:
            await plugin.admit(attrs)

    async def validate(self, attrs: Attributes) -> None:
        for plugin in self.plugins:
            await plugin.validate(attrs)
