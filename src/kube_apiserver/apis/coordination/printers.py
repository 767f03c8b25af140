"""Table printers for coordination.k8s.io/v1: the columns `kubectl get leases` shows.

A lease row names its current holder (empty when the lease is free) next to its age.
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


def _lease_row(lease: dict[str, Any], now: datetime) -> list[Any]:
    return [
        object_name(lease),
        (lease.get("spec") or {}).get("holderIdentity") or "",
        age(lease, now),
    ]


LEASES = TableDef(
    columns=(
        name_column(),
        Column(
            "Holder",
            description=field_doc("io.k8s.api.coordination.v1.LeaseSpec", "holderIdentity"),
        ),
        age_column(),
    ),
    row=_lease_row,
)

TABLES: dict[str, TableDef] = {"leases": LEASES}
