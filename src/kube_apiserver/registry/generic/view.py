"""A resource served as a converted view of another resource's store.

Kubernetes keeps some objects once and serves them in several shapes: events.k8s.io/v1 Events
are core/v1 Events, autoscaling/v1 HorizontalPodAutoscalers are the autoscaling/v2 ones. A
`ConvertedStore` offers the `Store` surface the handlers use (get, list, watch, create, update,
delete) over the store that holds the objects, converting each object on the way out
(`from_stored`) and each write on the way in (`to_stored`); the stored resource's strategy does
the rest (defaults, validation, storage). A view may add rules of its own shape (`check`) and
translate field selectors (`stored_options`). When the resource has a `status` subresource, the
view serves the stored resource's, converted the same way.
"""

from __future__ import annotations

from typing import Any

import orjson

from kube_apiserver.apis.resource import Resource
from kube_apiserver.registry import rest
from kube_apiserver.registry.generic.store import (
    DeleteOptions,
    DeleteResult,
    ListOptions,
    ListPage,
    NewObjectFunc,
    Store,
)
from kube_apiserver.registry.subresources import StatusREST
from kube_apiserver.storage.interface import StoredObject

Obj = dict[str, Any]


def _obj(result: StoredObject | Obj) -> Obj:
    return result.obj if isinstance(result, StoredObject) else result


class ConvertedStore:
    """The `Store` surface over the store of the resource the objects are kept as."""

    def __init__(self, resource: Resource, stored: Store, strategy: rest.Strategy) -> None:
        self.resource = resource
        self.stored = stored
        self.strategy = strategy  # this shape's table; writes use the stored one's rules
        self.cache = stored.cache
        self.subresources: dict[str, Any] = (
            {"status": ConvertedStatusREST(self)}
            if any(sub.name == "status" for sub in resource.subresources)
            else {}
        )

    # -- what a view defines ------------------------------------------------------------

    def to_stored(self, obj: Obj) -> Obj:
        raise NotImplementedError

    def from_stored(self, obj: Obj) -> Obj:
        raise NotImplementedError

    def check(self, obj: Obj) -> None:
        """Refuse (StatusError) what this shape's own rules reject, before conversion."""

    def stored_options(self, opts: ListOptions) -> ListOptions:
        """List options in the stored resource's terms (field labels may differ)."""
        return opts

    # -- the Store surface ----------------------------------------------------------------

    def convert_out(self, obj: Obj) -> Obj:
        """Watch events are converted one by one as they are sent."""
        return self.from_stored(obj)

    def _converted(self, item: StoredObject) -> StoredObject:
        obj = self.from_stored(item.obj)
        return StoredObject(
            item.key, obj, orjson.dumps(obj), item.mod_revision, item.create_revision
        )

    async def get(
        self, namespace: str, name: str, *, resource_version: str | None = None
    ) -> StoredObject:
        item = await self.stored.get(namespace, name, resource_version=resource_version)
        return self._converted(item)

    async def list(self, namespace: str, opts: ListOptions) -> ListPage:
        page = await self.stored.list(namespace, self.stored_options(opts))
        return ListPage(
            [self._converted(i) for i in page.items],
            page.resource_version,
            page.continue_token,
            page.remaining,
        )

    def watch(self, namespace: str, opts: ListOptions) -> Any:
        return self.stored.watch(namespace, self.stored_options(opts))

    async def create(
        self, namespace: str, obj: Obj, *, user: Any = None, dry_run: bool = False
    ) -> Obj:
        meta = obj.setdefault("metadata", {})
        if namespace and not meta.get("namespace"):
            meta["namespace"] = namespace  # this shape's rules may read it, as the URL gives it
        self.check(obj)
        created = await self.stored.create(
            namespace, self.to_stored(obj), user=user, dry_run=dry_run
        )
        return self.from_stored(_obj(created))

    def converted_writer(self, new_object: NewObjectFunc) -> NewObjectFunc:
        """`new_object` over this shape, as the stored store calls it."""

        async def converted(stored_copy: Obj) -> Obj:
            new = await new_object(self.from_stored(stored_copy) if stored_copy else {})
            self.check(new)
            return self.to_stored(new)

        return converted

    async def update(
        self,
        namespace: str,
        name: str,
        new_object: NewObjectFunc,
        *,
        user: Any = None,
        dry_run: bool = False,
        allow_create: bool | None = None,
        **_: Any,
    ) -> tuple[Obj, bool]:
        result, created = await self.stored.update(
            namespace,
            name,
            self.converted_writer(new_object),
            user=user,
            dry_run=dry_run,
            allow_create=allow_create,
        )
        return self.from_stored(_obj(result)), created

    async def delete(
        self, namespace: str, name: str, opts: DeleteOptions, *, user: Any = None
    ) -> DeleteResult:
        result = await self.stored.delete(namespace, name, opts, user=user)
        return DeleteResult(self.from_stored(result.obj), result.deleted)


class ConvertedStatusREST:
    """The `status` subresource of a view: the stored resource's, in this shape."""

    verbs = ("get", "patch", "update")

    def __init__(self, view: ConvertedStore) -> None:
        self.view = view
        self.status = StatusREST(view.stored.strategy)
        self.strategy = view.strategy
        res = view.resource
        self.group, self.version, self.kind = res.group, res.version, res.kind

    async def get(self, store: Any, namespace: str, name: str) -> Obj:
        return self.view.from_stored((await self.view.stored.get(namespace, name)).obj)

    async def update(
        self,
        store: Any,
        namespace: str,
        name: str,
        new_object: NewObjectFunc,
        *,
        user: Any,
        dry_run: bool,
    ) -> Obj:
        view = self.view
        result = await self.status.update(
            view.stored,
            namespace,
            name,
            view.converted_writer(new_object),
            user=user,
            dry_run=dry_run,
        )
        return view.from_stored(_obj(result))
