"""Table printer for apiregistration.k8s.io/v1: the columns `kubectl get apiservices` shows.

SERVICE is `namespace/name` of the backing Service, or `Local` for a group kube-apiserver
serves itself; AVAILABLE is the Available condition's status, with its reason when it is not
True (`False (ServiceNotFound)`), and `Unknown` while there is no such condition.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.meta.table import Column, TableDef, age, age_column, name_column


def service_cell(apiservice: dict[str, Any]) -> str:
    service = (apiservice.get("spec") or {}).get("service")
    if not isinstance(service, dict):
        return "Local"
    return f"{service.get('namespace') or ''}/{service.get('name') or ''}"


def available_cell(apiservice: dict[str, Any]) -> str:
    for condition in (apiservice.get("status") or {}).get("conditions") or []:
        if (condition or {}).get("type") != "Available":
            continue
        status, reason = condition.get("status") or "", condition.get("reason") or ""
        return f"{status} ({reason})" if status != "True" and reason else status
    return "Unknown"


def _apiservice_row(apiservice: dict[str, Any], now: datetime) -> list[Any]:
    return [
        (apiservice.get("metadata") or {}).get("name", ""),
        service_cell(apiservice),
        available_cell(apiservice),
        age(apiservice, now),
    ]


APISERVICES = TableDef(
    columns=(
        name_column(),
        Column("Service", description="The reference to the service that hosts this API endpoint."),
        Column("Available", description="Whether this service is available."),
        age_column(),
    ),
    row=_apiservice_row,
)

TABLES: dict[str, TableDef] = {"apiservices": APISERVICES}
