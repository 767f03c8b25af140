"""NamespaceLifecycle: no new content in a missing or terminating namespace, and the
system namespaces may not be deleted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from kube_apiserver.admission.interface import CREATE, DELETE, Attributes
from kube_apiserver.apimachinery import errors

IMMORTAL = ("default", "kube-system", "kube-public")


class NamespaceLifecycle:
    name = "NamespaceLifecycle"

    def __init__(self, lookup: Callable[[str], Awaitable[dict[str, Any] | None]]) -> None:
        self._lookup = lookup  # namespace name -> its object, or None when there is none

    async def admit(self, attrs: Attributes) -> None:
        res = attrs.resource
        if res.name == "namespaces" and res.group == "":
            if attrs.operation == DELETE and attrs.name in IMMORTAL:
                raise errors.forbidden(
                    "namespaces", "", attrs.name, "this namespace may not be deleted"
                )
            return
        if not res.namespaced or attrs.operation != CREATE or attrs.subresource:
            return
        namespace = await self._lookup(attrs.namespace)
        if namespace is None:
            raise errors.not_found("namespaces", "", attrs.namespace)
        name = attrs.name or ((attrs.obj or {}).get("metadata") or {}).get("generateName", "")
        if (namespace.get("status") or {}).get("phase") == "Terminating" or (
            namespace.get("metadata") or {}
        ).get("deletionTimestamp"):
            raise errors.StatusError(
                403,
                "Forbidden",
                f'{errors.qualified(res.name, res.group)} "{name}" is forbidden: unable to create new '
                f"content in namespace {attrs.namespace} because it is being terminated",
                {
                    "name": name,
                    **({"group": res.group} if res.group else {}),
                    "kind": res.name,
                    "causes": [
                        {
                            "reason": "NamespaceTerminating",
                            "message": f"namespace {attrs.namespace} is being terminated",
                            "field": "metadata.namespace",
                        }
                    ],
                },
            )

    async def validate(self, attrs: Attributes) -> None:
        return None
