"""Conversion between events.k8s.io/v1 Events and the core/v1 Events they are stored as.

Kubernetes keeps one copy of each event (core/v1 shape, at /registry/events/) and serves it in
both groups; only field names differ, so conversion is a renaming in each direction.
"""

from __future__ import annotations

from typing import Any

# events.k8s.io/v1 field -> core/v1 field
_TO_CORE = {
    "regarding": "involvedObject",
    "related": "related",
    "note": "message",
    "reason": "reason",
    "type": "type",
    "action": "action",
    "reportingController": "reportingComponent",
    "reportingInstance": "reportingInstance",
    "eventTime": "eventTime",
    "series": "series",
    "deprecatedSource": "source",
    "deprecatedFirstTimestamp": "firstTimestamp",
    "deprecatedLastTimestamp": "lastTimestamp",
    "deprecatedCount": "count",
}
_FROM_CORE = {core: v1 for v1, core in _TO_CORE.items()}
GROUP_VERSION = "events.k8s.io/v1"


def to_core(event: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": event.get("metadata", {}),
    }
    for key, value in event.items():
        if key in _TO_CORE:
            out[_TO_CORE[key]] = value
    return out


def from_core(event: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "Event",
        "apiVersion": GROUP_VERSION,
        "metadata": event.get("metadata", {}),
    }
    for key, value in event.items():
        if key in _FROM_CORE:
            out[_FROM_CORE[key]] = value
    if "eventTime" not in out:
        out["eventTime"] = None  # a required field of events.k8s.io/v1, null for old-style events
    return out
