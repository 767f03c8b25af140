"""events.k8s.io/v1 resources: the same objects as core/v1 events, in another shape."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource

events = Resource("events.k8s.io", "v1", "events", "Event", "event", True, short_names=("ev",))

RESOURCES = (events,)
