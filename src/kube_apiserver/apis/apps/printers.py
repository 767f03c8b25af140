"""Table printers for apps/v1: the columns `kubectl get` shows for each kind.

Kubernetes documents these columns with the extensions/v1beta1 field docs, which this
server's schema data does not carry; where that text differs from apps/v1's (the selector,
which apps/v1 made required), it is written out here.
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
    format_labels,
    name_column,
    selector_string,
)

APPS = "io.k8s.api.apps.v1."
CORE = "io.k8s.api.core.v1."
_SELECTOR_DOC = (
    "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be "
    "the ones affected by this deployment."
)


_CONTAINERS = Column(
    "Containers", priority=1, description="Names of each container in the template."
)
_IMAGES = Column(
    "Images", priority=1, description="Images referenced by each container in the template."
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
        _CONTAINERS,
        _IMAGES,
        Column("Selector", priority=1, description=_SELECTOR_DOC),
    ),
    row=_deployment_row,
)


def _template_spec(obj: dict[str, Any]) -> dict[str, Any]:
    return (((obj.get("spec") or {}).get("template")) or {}).get("spec") or {}


def _replicaset_row(rs: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    names, images = container_cells(_template_spec(rs))
    return [
        (rs.get("metadata") or {}).get("name", ""),
        spec.get("replicas", 0),
        status.get("replicas", 0),
        status.get("readyReplicas", 0),
        age(rs, now),
        names,
        images,
        selector_string(spec.get("selector")),
    ]


REPLICASETS = TableDef(
    columns=(
        name_column(),
        Column("Desired", "integer", description=field_doc(APPS + "ReplicaSetSpec", "replicas")),
        Column("Current", "integer", description=field_doc(APPS + "ReplicaSetStatus", "replicas")),
        Column(
            "Ready", "integer", description=field_doc(APPS + "ReplicaSetStatus", "readyReplicas")
        ),
        age_column(),
        _CONTAINERS,
        _IMAGES,
        Column("Selector", priority=1, description=field_doc(APPS + "ReplicaSetSpec", "selector")),
    ),
    row=_replicaset_row,
)


def _statefulset_row(sts: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    names, images = container_cells(_template_spec(sts))
    return [
        (sts.get("metadata") or {}).get("name", ""),
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        age(sts, now),
        names,
        images,
    ]


STATEFULSETS = TableDef(
    columns=(
        name_column(),
        Column("Ready", description="Number of the pod with ready state"),
        age_column(),
        _CONTAINERS,
        _IMAGES,
    ),
    row=_statefulset_row,
)


def _daemonset_row(ds: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = ds.get("spec") or {}, ds.get("status") or {}
    names, images = container_cells(_template_spec(ds))
    return [
        (ds.get("metadata") or {}).get("name", ""),
        status.get("desiredNumberScheduled", 0),
        status.get("currentNumberScheduled", 0),
        status.get("numberReady", 0),
        status.get("updatedNumberScheduled", 0),
        status.get("numberAvailable", 0),
        format_labels(_template_spec(ds).get("nodeSelector")),
        age(ds, now),
        names,
        images,
        selector_string(spec.get("selector")),
    ]


def _daemonset_status_column(name: str, field: str) -> Column:
    return Column(name, "integer", description=field_doc(APPS + "DaemonSetStatus", field))


DAEMONSETS = TableDef(
    columns=(
        name_column(),
        _daemonset_status_column("Desired", "desiredNumberScheduled"),
        _daemonset_status_column("Current", "currentNumberScheduled"),
        _daemonset_status_column("Ready", "numberReady"),
        _daemonset_status_column("Up-to-date", "updatedNumberScheduled"),
        _daemonset_status_column("Available", "numberAvailable"),
        Column("Node Selector", description=field_doc(CORE + "PodSpec", "nodeSelector")),
        age_column(),
        _CONTAINERS,
        _IMAGES,
        Column("Selector", priority=1, description=field_doc(APPS + "DaemonSetSpec", "selector")),
    ),
    row=_daemonset_row,
)


def _controller(revision: dict[str, Any]) -> str:
    """The controller owning a revision as `<kind>.<group>/<name>`, lower-cased as kubectl
    writes a GroupKind ("statefulset.apps/web"); "<none>" without one."""
    for ref in (revision.get("metadata") or {}).get("ownerReferences") or []:
        if isinstance(ref, dict) and ref.get("controller") is True:
            api_version = str(ref.get("apiVersion") or "")
            group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
            kind = str(ref.get("kind") or "")
            group_kind = f"{kind}.{group}" if group else kind
            return (
                f"{group_kind.lower()}/{ref.get('name', '')}" if group_kind else ref.get("name", "")
            )
    return NONE


def _controllerrevision_row(revision: dict[str, Any], now: datetime) -> list[Any]:
    return [
        (revision.get("metadata") or {}).get("name", ""),
        _controller(revision),
        revision.get("revision", 0),
        age(revision, now),
    ]


CONTROLLERREVISIONS = TableDef(
    columns=(
        name_column(),
        Column("Controller", description="Controller of the object"),
        Column("Revision", description=field_doc(APPS + "ControllerRevision", "revision")),
        age_column(),
    ),
    row=_controllerrevision_row,
)

TABLES: dict[str, TableDef] = {
    "controllerrevisions": CONTROLLERREVISIONS,
    "daemonsets": DAEMONSETS,
    "deployments": DEPLOYMENTS,
    "replicasets": REPLICASETS,
    "statefulsets": STATEFULSETS,
}
