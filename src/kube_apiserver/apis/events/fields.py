"""Selectable fields of events.k8s.io/v1 Events, under the names that API accepts.

Kubernetes keeps one Event storage and translates this API's field labels (`regarding.*`,
`reportingController`) to the core ones; here the set is built directly from the
events.k8s.io shape and keyed by the names a client of this API sends. Missing values are "".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _str(obj: Any, *keys: str) -> str:
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj if isinstance(obj, str) else ""


def event_fields(event: dict) -> dict[str, str]:
    regarding = {f"regarding.{k}": _str(event, "regarding", k)
                 for k in ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")}
    return {
        "metadata.name": _str(event, "metadata", "name"),
        "metadata.namespace": _str(event, "metadata", "namespace"),
        **regarding,
        "reason": _str(event, "reason"),
        "reportingController": _str(event, "reportingController"),
        # What core/v1 calls source: the old source component, else the reporting controller.
        "source": _str(event, "deprecatedSource", "component") or _str(event, "reportingController"),
        "type": _str(event, "type"),
    }


FIELD_SETS: dict[str, Callable[[dict], dict[str, str]]] = {"events": event_fields}
