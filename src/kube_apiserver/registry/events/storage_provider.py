"""events.k8s.io/v1: served as a converted view of core/v1 events, which hold the storage."""

from __future__ import annotations

from kube_apiserver.apis.core import resources as core
from kube_apiserver.apis.events import resources as events
from kube_apiserver.registry.events.event import EventsV1Store
from kube_apiserver.registry.provider import ResourceSpec, View

SPECS: tuple[ResourceSpec, ...] = ()
VIEWS: tuple[View, ...] = ((events.events, core.events, EventsV1Store),)
