"""Table printers for apps/v1: the columns `kubectl get deployments` shows.

Kubernetes documents these columns with the extensions/v1beta1 field docs, which this
server's schema data does not carry; where that text differs from apps/v1's (the selector,
which apps/v1 made required), it is written out here.
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
    selector_string,
)

APPS = "io.k8s.api.apps.v1."
_SELECTOR_DOC = (
    "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be "
    "the ones affected by this deployment."
)


def container_cells(pod_spec: dict[str, Any]) -> tuple[str, str]:
    """The CONTAINERS and IMAGES cells: names and images of the template's containers."""
    containers = pod_spec.get("containers") or []
    return (
        ",".join(c.get("name", "") for c in containers),
        ",".join(c.get("image", "") for c in containers),
    )


def _deployment_row(deployment: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = deployment.get("spec") or {}, deployment.get("status") or {}
    # Defaulting always sets replicas (to 1) before the printer sees the object.
    desired = spec.get("replicas", 1)
    names, images = container_cells(((spec.get("template") or {}).get("spec")) or {})
    return [
        (deployment.get("metadata") or {}).get("name", ""),
        f"{status.get('readyReplicas', 0)}/{desired}",
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
        age(deployment, now),
        names,
        images,
        selector_string(spec.get("selector")),
    ]


DEPLOYMENTS = TableDef(
    columns=(
        name_column(),
        Column("Ready", description="Number of the pod with ready state"),
        Column("Up-to-date", description=field_doc(APPS + "DeploymentStatus", "updatedReplicas")),
        Column("Available", description=field_doc(APPS + "DeploymentStatus", "availableReplicas")),
        age_column(),
        Column("Containers", priority=1, description="Names of each container in the template."),
        Column(
            "Images",
            priority=1,
            description="Images referenced by each container in the template.",
        ),
        Column("Selector", priority=1, description=_SELECTOR_DOC),
    ),
    row=_deployment_row,
)

TABLES: dict[str, TableDef] = {"deployments": DEPLOYMENTS}
