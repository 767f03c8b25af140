"""Table printers for policy/v1: the columns `kubectl get poddisruptionbudgets` shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.meta.table import (
    Column,
    TableDef,
    age,
    age_column,
    name_column,
    object_name,
)


def _bound(value: Any) -> str:
    """An IntOrString bound as its String() prints it; "N/A" when the budget does not set it."""
    if value is None:
        return "N/A"
    return value if isinstance(value, str) else str(value)


def _pdb_row(pdb: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = pdb.get("spec") or {}, pdb.get("status") or {}
    return [
        object_name(pdb),
        _bound(spec.get("minAvailable")),
        _bound(spec.get("maxUnavailable")),
        status.get("disruptionsAllowed", 0),
        age(pdb, now),
    ]


PODDISRUPTIONBUDGETS = TableDef(
    columns=(
        name_column(),
        Column("Min Available", description="The minimum number of pods that must be available."),
        Column(
            "Max Unavailable",
            description="The maximum number of pods that may be unavailable.",
        ),
        Column(
            "Allowed Disruptions",
            "integer",
            description="Calculated number of pods that may be disrupted at this time.",
        ),
        age_column(),
    ),
    row=_pdb_row,
)

TABLES: dict[str, TableDef] = {"poddisruptionbudgets": PODDISRUPTIONBUDGETS}
