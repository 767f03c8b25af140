"""What every review kind shares: a create-only REST object that answers and stores nothing.

A review is POSTed, evaluated against the requesting user, the authenticator or the
authorizer, and sent back with its status filled in; there is nothing to get, list or watch,
so the installer answers those verbs with 405. Reviews skip admission, as Kubernetes' own
admission plugins let them through.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.resource import Resource
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.registry import rest

Obj = dict[str, Any]


class ReviewREST:
    """The `Store` surface for the create verb; subclasses define `review`."""

    subresources: dict[str, Any] = {}

    def __init__(self, resource: Resource) -> None:
        self.resource = resource
        self.strategy = rest.Strategy(resource)

    async def review(self, obj: Obj, user: UserInfo | None) -> Obj:
        """The answer to the review `obj` (validated here) asked by `user`."""
        raise NotImplementedError

    def check(self, errs: list[Any]) -> None:
        """Refuse an invalid review as Kubernetes does: 422 naming no object."""
        if errs:
            raise errors.invalid(self.resource.kind, self.resource.group, "", errs)

    async def create(
        self, namespace: str, obj: Obj, *, user: UserInfo | None = None, dry_run: bool = False
    ) -> Obj:
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        # The request's namespace wins, as the create handler ensures for every kind.
        if not self.resource.namespaced:
            meta.pop("namespace", None)
        elif meta.get("namespace") and meta["namespace"] != namespace:
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        elif namespace:
            meta["namespace"] = namespace
        obj["metadata"] = meta
        return await self.review(obj, user)


def answer(obj: Obj, status: Obj) -> Obj:
    """The review sent back: what was asked, with an unset creation time and its status."""
    meta = dict(obj.get("metadata") or {})
    meta.setdefault("creationTimestamp", None)
    rest_of = {
        k: v for k, v in obj.items() if k not in ("kind", "apiVersion", "metadata", "status")
    }
    return {
        "kind": obj["kind"],
        "apiVersion": obj["apiVersion"],
        "metadata": meta,
        **rest_of,
        "status": status,
    }
