"""Table printers for scheduling.k8s.io/v1: the columns `kubectl get priorityclasses` shows.

PreemptionPolicy is a wide cell in Kubernetes' printer but not a priority-1 column, and the
server always prints wide cells, so kubectl shows it after AGE in its plain output.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.meta.table import (
    Column,
    TableDef,
    age,
    age_column,
    field_doc,
    name_column,
    object_name,
)

PRIORITY_CLASS = "io.k8s.api.scheduling.v1.PriorityClass"


def _priority_class_row(pc: dict[str, Any], now: datetime) -> list[Any]:
    return [
        object_name(pc),
        pc.get("value", 0),
        pc.get("globalDefault") is True,
        age(pc, now),
        pc.get("preemptionPolicy") or "",
    ]


PRIORITY_CLASSES = TableDef(
    columns=(
        name_column(),
        Column("Value", "integer", description=field_doc(PRIORITY_CLASS, "value")),
        Column("Global-Default", "boolean", description=field_doc(PRIORITY_CLASS, "globalDefault")),
        age_column(),
        Column("PreemptionPolicy", description=field_doc(PRIORITY_CLASS, "preemptionPolicy")),
    ),
    row=_priority_class_row,
)

TABLES: dict[str, TableDef] = {"priorityclasses": PRIORITY_CLASSES}
