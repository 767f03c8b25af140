"""Table printers for HorizontalPodAutoscalers: the columns `kubectl get hpa` shows.

Kubernetes prints both served versions from its internal (v2-shaped) object, so a v1 object is
converted to v2 before it is printed. The TARGETS cell shows each metric as current/target
(at most two, then "+ N more..."). Column docs are the autoscaling/v2beta1 ones Kubernetes
uses; only the metrics doc differs from v2's (v2 added the default-metric sentence).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.autoscaling.conversion import to_v2
from kube_apiserver.apis.core.quantities import parse_quantity
from kube_apiserver.apis.meta.table import (
    Column,
    TableDef,
    age,
    age_column,
    field_doc,
    name_column,
    object_name,
)

V2 = "io.k8s.api.autoscaling.v2."
_UNKNOWN = "<unknown>"
_SHOWN_METRICS = 2
_V2_DEFAULT_METRIC_DOC = (
    " If not set, the default metric will be set to 80% average CPU utilization."
)


def _q(value: Any) -> str:
    """Quantity.String(): the canonical form ("<nil>" for a nil pointer)."""
    if value is None:
        return "<nil>"
    parsed = parse_quantity(value)
    return str(parsed) if parsed is not None else str(value)


def _d(obj: Any, *keys: str) -> dict:
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj if isinstance(obj, dict) else {}


def _metric(spec: dict, status: dict | None) -> str:
    kind = spec.get("type")
    if kind in ("External", "Object"):
        key = kind.lower()
        target = _d(spec, key, "target")
        current = _d(status, key, "current") if status and status.get(key) else None
        if target.get("averageValue") is not None:
            shown = (
                _q(current.get("averageValue"))
                if current and current.get("averageValue") is not None
                else _UNKNOWN
            )
            return f"{shown}/{_q(target['averageValue'])} (avg)"
        shown = _q(current.get("value")) if current is not None else _UNKNOWN
        return f"{shown}/{_q(target.get('value'))}"
    if kind == "Pods":
        current = _d(status, "pods", "current") if status and status.get("pods") else None
        shown = _q(current.get("averageValue")) if current is not None else _UNKNOWN
        return f"{shown}/{_q(_d(spec, 'pods', 'target').get('averageValue'))}"
    if kind in ("Resource", "ContainerResource"):
        key = "resource" if kind == "Resource" else "containerResource"
        source, target = _d(spec, key), _d(spec, key, "target")
        current = _d(status, key, "current") if status and status.get(key) else None
        if target.get("averageValue") is not None:
            shown = _q(current.get("averageValue")) if current is not None else _UNKNOWN
            return f"{source.get('name', '')}: {shown}/{_q(target['averageValue'])}"
        utilization = current.get("averageUtilization") if current is not None else None
        shown = f"{utilization}%" if utilization is not None else _UNKNOWN
        wanted = target.get("averageUtilization")
        return (
            f"{source.get('name', '')}: {shown}/{f'{wanted}%' if wanted is not None else '<auto>'}"
        )
    return "<unknown type>"


def format_metrics(specs: list, statuses: list) -> str:
    if not specs:
        return "<none>"
    shown = [
        _metric(spec if isinstance(spec, dict) else {}, statuses[i] if i < len(statuses) else None)
        for i, spec in enumerate(specs)
    ]
    text = ", ".join(shown[:_SHOWN_METRICS])
    if len(shown) > _SHOWN_METRICS:
        return f"{text} + {len(shown) - _SHOWN_METRICS} more..."
    return text


def _hpa_row(hpa: dict[str, Any], now: datetime) -> list[Any]:
    spec, status = _d(hpa, "spec"), _d(hpa, "status")
    ref = _d(spec, "scaleTargetRef")
    min_replicas = spec.get("minReplicas")
    return [
        object_name(hpa),
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        format_metrics(spec.get("metrics") or [], status.get("currentMetrics") or []),
        str(min_replicas) if min_replicas is not None else "<unset>",
        spec.get("maxReplicas", 0),
        status.get("currentReplicas", 0),
        age(hpa, now),
    ]


def _v1_row(hpa: dict[str, Any], now: datetime) -> list[Any]:
    return _hpa_row(to_v2(hpa), now)


_COLUMNS = (
    name_column(),
    Column(
        "Reference", description=field_doc(V2 + "HorizontalPodAutoscalerSpec", "scaleTargetRef")
    ),
    Column(
        "Targets",
        description=field_doc(V2 + "HorizontalPodAutoscalerSpec", "metrics").removesuffix(
            _V2_DEFAULT_METRIC_DOC
        ),
    ),
    Column("MinPods", description=field_doc(V2 + "HorizontalPodAutoscalerSpec", "minReplicas")),
    Column("MaxPods", description=field_doc(V2 + "HorizontalPodAutoscalerSpec", "maxReplicas")),
    Column(
        "Replicas", description=field_doc(V2 + "HorizontalPodAutoscalerStatus", "currentReplicas")
    ),
    age_column(),
)

HPA = TableDef(columns=_COLUMNS, row=_hpa_row)
HPA_V1 = TableDef(columns=_COLUMNS, row=_v1_row)

# The `scale` subresource of workloads (`kubectl get deploy/x --subresource=scale`). Unlike
# other tables, Kubernetes does not mark its Name column with the "name" format.
SCALE = TableDef(
    columns=(
        Column("Name", description=name_column().description),
        Column(
            "Desired",
            "integer",
            description=field_doc("io.k8s.api.autoscaling.v1.ScaleSpec", "replicas"),
        ),
        Column(
            "Available",
            "integer",
            description=field_doc("io.k8s.api.autoscaling.v1.ScaleStatus", "replicas"),
        ),
        age_column(),
    ),
    row=lambda scale, now: [
        object_name(scale),
        (scale.get("spec") or {}).get("replicas", 0),
        (scale.get("status") or {}).get("replicas", 0),
        age(scale, now),
    ],
)

TABLES: dict[str, TableDef] = {"horizontalpodautoscalers": HPA}
