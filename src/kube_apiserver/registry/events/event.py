"""events.k8s.io/v1 Events: a view of the core/v1 event store, converted at the edge.

Reads convert stored core events to events.k8s.io/v1; writes validate the v1 object, convert
it to core/v1 and go through the core store, so both groups always show the same events.
"""

from __future__ import annotations

import dataclasses

from kube_apiserver.apis.events import conversion, fields, printers
from kube_apiserver.apis.events import validation as v1_validation
from kube_apiserver.apis.resource import Resource
from kube_apiserver.registry import rest
from kube_apiserver.registry.generic.store import ListOptions, Store
from kube_apiserver.registry.generic.view import ConvertedStore, Obj


class EventsV1Strategy(rest.Strategy):
    table = printers.TABLES["events"]


class EventsV1Store(ConvertedStore):
    """events.k8s.io/v1 over the core event store."""

    def __init__(self, resource: Resource, core: Store) -> None:
        super().__init__(resource, core, EventsV1Strategy(resource))

    def to_stored(self, obj: Obj) -> Obj:
        return conversion.to_core(obj)

    def from_stored(self, obj: Obj) -> Obj:
        return conversion.from_core(obj)

    def check(self, obj: Obj) -> None:
        # events.k8s.io/v1 writes pass strict rules of their own on top of the core ones.
        rest.raise_invalid(self.strategy, obj, v1_validation.validate_event(obj))

    def stored_options(self, opts: ListOptions) -> ListOptions:
        if opts.field_selector is not None:
            opts = dataclasses.replace(
                opts, field_selector=fields.to_core_selector(opts.field_selector)
            )
        return opts
