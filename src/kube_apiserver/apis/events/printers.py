"""Table printers for events.k8s.io/v1: the same columns as core/v1 events.

kube-apiserver prints both event APIs from the one internal Event type, so an
events.k8s.io/v1 object is first read back into the core/v1 field names (note -> message,
regarding -> involvedObject, deprecatedSource -> source, deprecated* timestamps and count)
and then printed by the core printer. The column descriptions stay the core/v1 ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.core.printers import EVENTS as CORE_EVENTS
from kube_apiserver.apis.meta.table import TableDef

# events.k8s.io/v1 field -> core/v1 field, as the conversion to the internal type maps them.
_RENAMED = {
    "note": "message",
    "regarding": "involvedObject",
    "deprecatedSource": "source",
    "deprecatedFirstTimestamp": "firstTimestamp",
    "deprecatedLastTimestamp": "lastTimestamp",
    "deprecatedCount": "count",
}
_SHARED = (
    "metadata",
    "eventTime",
    "series",
    "reportingController",
    "reportingInstance",
    "action",
    "reason",
    "related",
    "type",
)


def as_core_event(event: dict[str, Any]) -> dict[str, Any]:
    """An events.k8s.io/v1 Event with the fields the core printer reads, renamed."""
    core = {key: event[key] for key in _SHARED if key in event}
    for new, old in _RENAMED.items():
        if new in event:
            core[old] = event[new]
    return core


def _event_row(event: dict[str, Any], now: datetime) -> list[Any]:
    return CORE_EVENTS.row(as_core_event(event), now)


EVENTS = TableDef(columns=CORE_EVENTS.columns, row=_event_row)

TABLES: dict[str, TableDef] = {"events": EVENTS}
