"""Table printers for flowcontrol.apiserver.k8s.io/v1: `kubectl get flowschemas` and
`kubectl get prioritylevelconfigurations`.

FlowSchema lists come back in evaluation order (matching precedence, then name), as
Kubernetes' printer sorts them. MISSINGPL shows the status of the `Dangling` condition the
priority-and-fairness controller maintains, and "?" until it has written one. A priority
level's queuing columns read `<none>` where the level does not queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.meta.table import (
    NONE,
    Column,
    TableDef,
    age,
    age_column,
    field_doc,
    name_column,
    object_name,
)

FLOWCONTROL = "io.k8s.api.flowcontrol.v1."


def _flow_schema_row(schema: dict[str, Any], now: datetime) -> list[Any]:
    spec = schema.get("spec") or {}
    method = spec.get("distinguisherMethod")
    dangling = next(
        (
            c.get("status", "")
            for c in (schema.get("status") or {}).get("conditions") or []
            if c.get("type") == "Dangling"
        ),
        "?",
    )
    return [
        object_name(schema),
        (spec.get("priorityLevelConfiguration") or {}).get("name", ""),
        spec.get("matchingPrecedence", 0),
        method.get("type", "") if isinstance(method, dict) else NONE,
        age(schema, now),
        dangling,
    ]


def _evaluation_order(schema: dict[str, Any]) -> tuple[int, str]:
    precedence = (schema.get("spec") or {}).get("matchingPrecedence")
    name = object_name(schema)
    return (precedence if isinstance(precedence, int) else 0, name)


FLOW_SCHEMAS = TableDef(
    columns=(
        name_column(),
        Column(
            "PriorityLevel",
            description=field_doc(FLOWCONTROL + "PriorityLevelConfigurationReference", "name"),
        ),
        Column(
            "MatchingPrecedence",
            description=field_doc(FLOWCONTROL + "FlowSchemaSpec", "matchingPrecedence"),
        ),
        Column(
            "DistinguisherMethod",
            description=field_doc(FLOWCONTROL + "FlowSchemaSpec", "distinguisherMethod"),
        ),
        age_column(),
        Column(
            "MissingPL",
            description="references a broken or non-existent PriorityLevelConfiguration",
        ),
    ),
    row=_flow_schema_row,
    sort_key=_evaluation_order,
)


def _priority_level_row(level: dict[str, Any], now: datetime) -> list[Any]:
    spec = level.get("spec") or {}
    shares = queues = hand_size = queue_length_limit = NONE
    limited = spec.get("limited")
    if isinstance(limited, dict):
        shares = limited.get("nominalConcurrencyShares", 0)
        queuing = (limited.get("limitResponse") or {}).get("queuing")
        if isinstance(queuing, dict):
            queues = queuing.get("queues", 0)
            hand_size = queuing.get("handSize", 0)
            queue_length_limit = queuing.get("queueLengthLimit", 0)
    return [
        object_name(level),
        spec.get("type", ""),
        shares,
        queues,
        hand_size,
        queue_length_limit,
        age(level, now),
    ]


_QUEUING = FLOWCONTROL + "QueuingConfiguration"

PRIORITY_LEVEL_CONFIGURATIONS = TableDef(
    columns=(
        name_column(),
        Column(
            "Type", description=field_doc(FLOWCONTROL + "PriorityLevelConfigurationSpec", "type")
        ),
        Column(
            "NominalConcurrencyShares",
            description=field_doc(
                FLOWCONTROL + "LimitedPriorityLevelConfiguration", "nominalConcurrencyShares"
            ),
        ),
        Column("Queues", description=field_doc(_QUEUING, "queues")),
        Column("HandSize", description=field_doc(_QUEUING, "handSize")),
        Column("QueueLengthLimit", description=field_doc(_QUEUING, "queueLengthLimit")),
        age_column(),
    ),
    row=_priority_level_row,
)

TABLES: dict[str, TableDef] = {
    "flowschemas": FLOW_SCHEMAS,
    "prioritylevelconfigurations": PRIORITY_LEVEL_CONFIGURATIONS,
}
