"""What the server knows of each resource: the facts discovery serves and routes are built from.

A `Resource` is a frozen description (group, version, plural, kind, scope, verbs, short names,
categories, subresources). It holds no behaviour; the registry pairs it with a strategy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
SUBRESOURCE_VERBS = ("get", "patch", "update")


@dataclass(frozen=True)
class Subresource:
    name: str  # "status", "scale"
    kind: str  # the kind served there: "Pod" for status, "Scale" for scale
    group: str = ""  # group/version of that kind when it differs from the parent's
    version: str = ""
    verbs: tuple[str, ...] = SUBRESOURCE_VERBS


@dataclass(frozen=True)
class Resource:
    group: str  # "" for the core group
    version: str
    name: str  # plural: "deployments"
    kind: str
    singular: str
    namespaced: bool
    verbs: tuple[str, ...] = ALL_VERBS
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subresources: tuple[Subresource, ...] = field(default=())
    # The Warning every request for a deprecated kind gets: "v1 Endpoints is deprecated in v1.33+; ..."
    deprecation: str = ""
    # False for resources kept nowhere (the reviews): discovery then gives no storageVersionHash.
    stored: bool = True

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def api_version(self) -> str:
        return self.group_version

    def path(self, namespace: str | None = None, name: str | None = None) -> str:
        """The URL path of this resource's collection, or of one object in it."""
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{namespace}"
        base += "/" + self.name
        return base + "/" + name if name else base
