"""EndpointSlices: generation counts every change beyond metadata, labels included.

Through v1 (the only version 1.33 serves) `deprecatedTopology` cannot be written: it is
cleared whenever the endpoints change. Node hints (`hints.forNodes`) belong to an alpha
feature that is off, so they are dropped unless the stored slice already has them.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.discovery import defaults, printers, validation
from kube_apiserver.registry.rest import Obj, Strategy

_NOT_SPEC = ("metadata", "apiVersion", "kind")


def _endpoints(obj: Obj) -> list[dict[str, Any]]:
    return [e for e in obj.get("endpoints") or [] if isinstance(e, dict)]


def _drop_topology(obj: Obj) -> None:
    for endpoint in _endpoints(obj):
        endpoint.pop("deprecatedTopology", None)


def _has_node_hints(obj: Obj) -> bool:
    return any((e.get("hints") or {}).get("forNodes") for e in _endpoints(obj))


def _drop_node_hints(obj: Obj) -> None:
    for endpoint in _endpoints(obj):
        hints = endpoint.get("hints")
        if isinstance(hints, dict):
            hints.pop("forNodes", None)


def _content(obj: Obj) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in _NOT_SPEC}


class EndpointSliceStrategy(Strategy):
    table = printers.TABLES["endpointslices"]
    defaulter = staticmethod(defaults.default_endpoint_slice)
    validator = staticmethod(validation.validate_endpoint_slice)
    update_validator = staticmethod(validation.validate_endpoint_slice_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["metadata"]["generation"] = 1
        _drop_node_hints(obj)
        _drop_topology(obj)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        if not _has_node_hints(old):
            _drop_node_hints(new)
        if new.get("endpoints") != old.get("endpoints"):
            _drop_topology(new)
        new_meta, old_meta = new["metadata"], old.get("metadata") or {}
        labels_changed = (new_meta.get("labels") or {}) != (old_meta.get("labels") or {})
        if labels_changed or _content(new) != _content(old):
            new_meta["generation"] = old_meta.get("generation", 0) + 1
