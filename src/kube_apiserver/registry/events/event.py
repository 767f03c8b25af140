"""events.k8s.io/v1 Events: a view of the core/v1 event store, converted at the edge.

Reads convert stored core events to events.k8s.io/v1; writes validate the v1 object, convert
it to core/v1 and go through the core store, so both groups always show the same events.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson

from kube_apiserver.apis.events import conversion, fields, printers
from kube_apiserver.apis.events import validation as v1_validation
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
from kube_apiserver.storage.interface import StoredObject

Obj = dict[str, Any]


class EventsV1Strategy(rest.Strategy):
    table = printers.TABLES["events"]


def _converted(item: StoredObject) -> StoredObject:
    obj = conversion.from_core(item.obj)
    return StoredObject(item.key, obj, orjson.dumps(obj), item.mod_revision, item.create_revision)


class EventsV1Store:
    """The `Store` surface the handlers use, over the core event store."""

    def __init__(self, resource: Resource, core: Store) -> None:
        self.resource = resource
        self.core = core
        self.strategy = EventsV1Strategy(resource)
        self.cache = core.cache

    @staticmethod
    def convert_out(obj: Obj) -> Obj:
        return conversion.from_core(obj)

    def _check(self, obj: Obj) -> None:
        rest.raise_invalid(self.strategy, obj, v1_validation.validate_event(obj))

    async def get(
        self, namespace: str, name: str, *, resource_version: str | None = None
    ) -> StoredObject:
        return _converted(await self.core.get(namespace, name, resource_version=resource_version))

    @staticmethod
    def _core_options(opts: ListOptions) -> ListOptions:
        if opts.field_selector is not None:
            opts = dataclasses.replace(
                opts, field_selector=fields.to_core_selector(opts.field_selector)
            )
        return opts

    async def list(self, namespace: str, opts: ListOptions) -> ListPage:
        page = await self.core.list(namespace, self._core_options(opts))
        return ListPage(
            [_converted(i) for i in page.items],
            page.resource_version,
            page.continue_token,
            page.remaining,
        )

    def watch(self, namespace: str, opts: ListOptions) -> Any:
        return self.core.watch(namespace, self._core_options(opts))

    async def create(
        self, namespace: str, obj: Obj, *, user: Any = None, dry_run: bool = False
    ) -> Obj:
        meta = obj.setdefault("metadata", {})
        if namespace and not meta.get("namespace"):
            meta["namespace"] = namespace  # validation of this group needs it, as the URL gives it
        self._check(obj)
        created = await self.core.create(
            namespace, conversion.to_core(obj), user=user, dry_run=dry_run
        )
        return conversion.from_core(created.obj if isinstance(created, StoredObject) else created)

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
        async def converted(core_copy: Obj) -> Obj:
            new = await new_object(conversion.from_core(core_copy) if core_copy else {})
            self._check(new)
            return conversion.to_core(new)

        result, created = await self.core.update(
            namespace, name, converted, user=user, dry_run=dry_run, allow_create=allow_create
        )
        return conversion.from_core(
            result.obj if isinstance(result, StoredObject) else result
        ), created

    async def delete(
        self, namespace: str, name: str, opts: DeleteOptions, *, user: Any = None
    ) -> DeleteResult:
        result = await self.core.delete(namespace, name, opts, user=user)
        return DeleteResult(conversion.from_core(result.obj), result.deleted)
