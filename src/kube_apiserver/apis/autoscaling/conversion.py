"""Conversion between autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers.

Kubernetes stores every HPA once, as autoscaling/v2, and serves it at v1 too. v1 knows only a
target CPU utilization (`targetCPUUtilizationPercentage`) and the current one; everything else
v2 has travels in `autoscaling.alpha.kubernetes.io/*` annotations of the v1 object, so a v1
client that reads an HPA and writes it back loses nothing:

- `.../metrics`: the metrics other than a CPU utilization target, as autoscaling/v1 MetricSpecs
  (the shape v2beta1 had: `targetAverageValue`, `metricName`, ...);
- `.../current-metrics`: every current metric, as v1 MetricStatuses;
- `.../conditions`: the status conditions;
- `.../behavior`: the scaling behavior, as Go marshals Kubernetes' internal type — field names
  capitalised (`ScaleUp`, `StabilizationWindowSeconds`) and unset pointers as `null` — and read
  back case-insensitively, as Go's decoder does.

Writing v1 lifts the annotations back out; a v1 HPA without any metric gets the 80% CPU target
the v1 controller used to assume. v2 objects never carry these annotations.
"""

from __future__ import annotations

import copy
from typing import Any

import orjson

from kube_apiserver.apis.core.quantities import parse_quantity
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts

METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
CURRENT_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics"
CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"
BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior"
SCALE_DOWN_TOLERANCE_ANNOTATION = "autoscaling.alpha.kubernetes.io/scale-down-tolerance"
SCALE_UP_TOLERANCE_ANNOTATION = "autoscaling.alpha.kubernetes.io/scale-up-tolerance"
ROUND_TRIP_ANNOTATIONS = (
    METRICS_ANNOTATION,
    BEHAVIOR_ANNOTATION,
    SCALE_DOWN_TOLERANCE_ANNOTATION,
    SCALE_UP_TOLERANCE_ANNOTATION,
    CURRENT_METRICS_ANNOTATION,
    CONDITIONS_ANNOTATION,
)
DEFAULT_CPU_UTILIZATION = 80
V1, V2 = "autoscaling/v1", "autoscaling/v2"

Obj = dict[str, Any]


def _quantity(value: Any) -> Any:
    """A quantity as Go marshals it (canonical form); "0" for an unset non-pointer one."""
    if value is None:
        return "0"
    parsed = parse_quantity(value)
    return str(parsed) if parsed is not None else value


def _put(out: Obj, key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


def drop_round_trip_annotations(meta: Obj) -> None:
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        for key in ROUND_TRIP_ANNOTATIONS:
            annotations.pop(key, None)
        if not annotations:
            del meta["annotations"]


def _reference(ref: Obj) -> Obj:
    out = {"kind": ref.get("kind", ""), "name": ref.get("name", "")}
    _put(out, "apiVersion", ref.get("apiVersion") or None)
    return out


def _is_cpu_utilization(metric: Obj) -> bool:
    resource = get_dict(metric, "resource")
    return (
        metric.get("type") == "Resource"
        and resource.get("name") == "cpu"
        and get_dict(resource, "target").get("averageUtilization") is not None
    )


# ---- metric specs and statuses, v2 <-> v1 (the v1 shapes live only in the annotations) ----


def _spec_to_v1(metric: Obj) -> Obj:
    out: Obj = {"type": metric.get("type", "")}
    if "object" in metric and metric["object"] is not None:
        src, target, ident = (
            metric["object"],
            get_dict(metric["object"], "target"),
            get_dict(metric["object"], "metric"),
        )
        v1: Obj = {
            "target": _reference(get_dict(src, "describedObject")),
            "metricName": ident.get("name", ""),
            "targetValue": _quantity(target.get("value")),
        }
        _put(v1, "selector", ident.get("selector"))
        _put(v1, "averageValue", target.get("averageValue"))
        out["object"] = v1
    if metric.get("pods") is not None:
        target, ident = get_dict(metric["pods"], "target"), get_dict(metric["pods"], "metric")
        v1 = {
            "metricName": ident.get("name", ""),
            "targetAverageValue": _quantity(target.get("averageValue")),
        }
        _put(v1, "selector", ident.get("selector"))
        out["pods"] = v1
    for key in ("resource", "containerResource"):
        if metric.get(key) is not None:
            src, target = metric[key], get_dict(metric[key], "target")
            v1 = {"name": src.get("name", "")}
            _put(v1, "targetAverageUtilization", target.get("averageUtilization"))
            _put(v1, "targetAverageValue", target.get("averageValue"))
            if key == "containerResource":
                v1["container"] = src.get("container", "")
            out[key] = v1
    if metric.get("external") is not None:
        target, ident = (
            get_dict(metric["external"], "target"),
            get_dict(metric["external"], "metric"),
        )
        v1 = {"metricName": ident.get("name", "")}
        _put(v1, "metricSelector", ident.get("selector"))
        _put(v1, "targetValue", target.get("value"))
        _put(v1, "targetAverageValue", target.get("averageValue"))
        out["external"] = v1
    return out


def _identifier(src: Obj, selector_key: str) -> Obj:
    out: Obj = {"name": src.get("metricName", "")}
    _put(out, "selector", src.get(selector_key))
    return out


def _spec_from_v1(metric: Obj) -> Obj:
    out: Obj = {"type": metric.get("type", "")}
    if metric.get("object") is not None:
        src = metric["object"]
        target: Obj = {
            "type": "AverageValue" if src.get("averageValue") is not None else "Value",
            "value": _quantity(src.get("targetValue")),
        }
        _put(target, "averageValue", src.get("averageValue"))
        out["object"] = {
            "describedObject": _reference(get_dict(src, "target")),
            "target": target,
            "metric": _identifier(src, "selector"),
        }
    if metric.get("pods") is not None:
        src = metric["pods"]
        out["pods"] = {
            "metric": _identifier(src, "selector"),
            "target": {
                "type": "AverageValue",
                "averageValue": _quantity(src.get("targetAverageValue")),
            },
        }
    for key in ("resource", "containerResource"):
        if metric.get(key) is not None:
            src = metric[key]
            utilization = src.get("targetAverageUtilization")
            target = {"type": "Utilization" if utilization is not None else "AverageValue"}
            _put(target, "averageUtilization", utilization)
            _put(target, "averageValue", src.get("targetAverageValue"))
            converted: Obj = {"name": src.get("name", ""), "target": target}
            if key == "containerResource":
                converted["container"] = src.get("container", "")
            out[key] = converted
    if metric.get("external") is not None:
        src = metric["external"]
        target = {"type": "Value" if src.get("targetValue") is not None else "AverageValue"}
        _put(target, "value", src.get("targetValue"))
        _put(target, "averageValue", src.get("targetAverageValue"))
        out["external"] = {"metric": _identifier(src, "metricSelector"), "target": target}
    return out


def _status_to_v1(metric: Obj) -> Obj:
    out: Obj = {"type": metric.get("type", "")}
    if metric.get("object") is not None:
        src, current, ident = (
            metric["object"],
            get_dict(metric["object"], "current"),
            get_dict(metric["object"], "metric"),
        )
        v1: Obj = {
            "target": _reference(get_dict(src, "describedObject")),
            "metricName": ident.get("name", ""),
            "currentValue": _quantity(current.get("value")),
        }
        _put(v1, "selector", ident.get("selector"))
        _put(v1, "averageValue", current.get("averageValue"))
        out["object"] = v1
    if metric.get("pods") is not None:
        current, ident = get_dict(metric["pods"], "current"), get_dict(metric["pods"], "metric")
        v1 = {
            "metricName": ident.get("name", ""),
            "currentAverageValue": _quantity(current.get("averageValue")),
        }
        _put(v1, "selector", ident.get("selector"))
        out["pods"] = v1
    for key in ("resource", "containerResource"):
        if metric.get(key) is not None:
            src, current = metric[key], get_dict(metric[key], "current")
            v1 = {"name": src.get("name", "")}
            _put(v1, "currentAverageUtilization", current.get("averageUtilization"))
            v1["currentAverageValue"] = _quantity(current.get("averageValue"))
            if key == "containerResource":
                v1["container"] = src.get("container", "")
            out[key] = v1
    if metric.get("external") is not None:
        current, ident = (
            get_dict(metric["external"], "current"),
            get_dict(metric["external"], "metric"),
        )
        v1 = {"metricName": ident.get("name", "")}
        _put(v1, "metricSelector", ident.get("selector"))
        v1["currentValue"] = _quantity(current.get("value"))
        _put(v1, "currentAverageValue", current.get("averageValue"))
        out["external"] = v1
    return out


def _status_from_v1(metric: Obj) -> Obj:
    out: Obj = {"type": metric.get("type", "")}
    if metric.get("object") is not None:
        src = metric["object"]
        current: Obj = {"value": _quantity(src.get("currentValue"))}
        _put(current, "averageValue", src.get("averageValue"))
        out["object"] = {
            "metric": _identifier(src, "selector"),
            "current": current,
            "describedObject": _reference(get_dict(src, "target")),
        }
    if metric.get("pods") is not None:
        src = metric["pods"]
        out["pods"] = {
            "metric": _identifier(src, "selector"),
            "current": {"averageValue": _quantity(src.get("currentAverageValue"))},
        }
    for key in ("resource", "containerResource"):
        if metric.get(key) is not None:
            src = metric[key]
            current = {"averageValue": _quantity(src.get("currentAverageValue"))}
            _put(current, "averageUtilization", src.get("currentAverageUtilization"))
            converted: Obj = {"name": src.get("name", ""), "current": current}
            if key == "containerResource":
                converted["container"] = src.get("container", "")
            out[key] = converted
    if metric.get("external") is not None:
        src = metric["external"]
        current = {"value": _quantity(src.get("currentValue"))}
        _put(current, "averageValue", src.get("currentAverageValue"))
        out["external"] = {"metric": _identifier(src, "metricSelector"), "current": current}
    return out


# ---- behavior, as Go's encoding of the internal type ----

_RULE_FIELDS = (
    ("stabilizationWindowSeconds", "StabilizationWindowSeconds"),
    ("selectPolicy", "SelectPolicy"),
    ("policies", "Policies"),
    ("tolerance", "Tolerance"),
)
_POLICY_FIELDS = (("type", "Type"), ("value", "Value"), ("periodSeconds", "PeriodSeconds"))


def _go_rules(rules: Any) -> Any:
    if not isinstance(rules, dict):
        return None
    out = {go: rules.get(key) for key, go in _RULE_FIELDS}
    if isinstance(out["Policies"], list):
        out["Policies"] = [
            {
                go: (p if isinstance(p, dict) else {}).get(key, "" if key == "type" else 0)
                for key, go in _POLICY_FIELDS
            }
            for p in out["Policies"]
        ]
    return out


def _field(obj: Obj, go_name: str) -> Any:
    """A field of Go-encoded JSON, matched as encoding/json matches: exactly, else ignoring case."""
    if go_name in obj:
        return obj[go_name]
    return next((v for k, v in obj.items() if k.lower() == go_name.lower()), None)


def _rules_from_go(raw: Any) -> Obj | None:
    if not isinstance(raw, dict):
        return None
    out: Obj = {}
    for key, go in _RULE_FIELDS:
        _put(out, key, _field(raw, go))
    if isinstance(out.get("policies"), list):
        out["policies"] = [
            {key: _field(p, go) if isinstance(p, dict) else None for key, go in _POLICY_FIELDS}
            for p in out["policies"]
        ]
    return out


def _behavior_from_annotation(raw: str) -> Obj | None:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    out: Obj = {}
    _put(out, "scaleUp", _rules_from_go(_field(data, "ScaleUp")))
    _put(out, "scaleDown", _rules_from_go(_field(data, "ScaleDown")))
    return out or None  # an empty behavior is no behavior


def _annotation_list(annotations: Obj, key: str) -> list[Obj] | None:
    raw = annotations.get(key)
    if not isinstance(raw, str):
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return [x if isinstance(x, dict) else {} for x in data] if isinstance(data, list) else None


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# ---- whole objects ----


def to_v1(hpa: Obj) -> Obj:
    """The autoscaling/v1 form of a stored (autoscaling/v2) HorizontalPodAutoscaler."""
    meta = copy.deepcopy(hpa.get("metadata") or {})
    drop_round_trip_annotations(meta)
    spec, status = get_dict(hpa, "spec"), get_dict(hpa, "status")
    metrics = get_dicts(spec, "metrics")
    v1_spec: Obj = {"scaleTargetRef": _reference(get_dict(spec, "scaleTargetRef"))}
    _put(v1_spec, "minReplicas", spec.get("minReplicas"))
    v1_spec["maxReplicas"] = spec.get("maxReplicas", 0)
    for metric in metrics:
        if metric.get("type") == "Resource" and get_dict(metric, "resource").get("name") == "cpu":
            utilization = get_dict(get_dict(metric, "resource"), "target").get("averageUtilization")
            _put(v1_spec, "targetCPUUtilizationPercentage", utilization)
            break
    v1_status: Obj = {}
    _put(v1_status, "observedGeneration", status.get("observedGeneration"))
    _put(v1_status, "lastScaleTime", status.get("lastScaleTime"))
    v1_status["currentReplicas"] = status.get("currentReplicas", 0)
    v1_status["desiredReplicas"] = status.get("desiredReplicas", 0)
    current = get_dicts(status, "currentMetrics")
    for metric in current:  # the last CPU utilization wins, as in Kubernetes
        if metric.get("type") == "Resource" and get_dict(metric, "resource").get("name") == "cpu":
            _put(
                v1_status,
                "currentCPUUtilizationPercentage",
                get_dict(get_dict(metric, "resource"), "current").get("averageUtilization"),
            )
    extra: Obj = {}
    others = [_spec_to_v1(m) for m in metrics if not _is_cpu_utilization(m)]
    if others:
        extra[METRICS_ANNOTATION] = _dumps(others)
    if current:
        extra[CURRENT_METRICS_ANNOTATION] = _dumps([_status_to_v1(m) for m in current])
    if spec.get("behavior") is not None:
        behavior = spec["behavior"]
        extra[BEHAVIOR_ANNOTATION] = _dumps(
            {
                "ScaleUp": _go_rules(behavior.get("scaleUp")),
                "ScaleDown": _go_rules(behavior.get("scaleDown")),
            }
        )
    conditions = get_dicts(status, "conditions")
    if conditions:
        extra[CONDITIONS_ANNOTATION] = _dumps(
            [{**c, "lastTransitionTime": c.get("lastTransitionTime")} for c in conditions]
        )
    if extra:
        meta["annotations"] = {**(meta.get("annotations") or {}), **extra}
    return {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": V1,
        "metadata": meta,
        "spec": v1_spec,
        "status": v1_status,
    }


def to_v2(hpa: Obj) -> Obj:
    """The autoscaling/v2 (stored) form of an autoscaling/v1 HorizontalPodAutoscaler."""
    meta = copy.deepcopy(hpa.get("metadata") or {})
    annotations = get_dict(meta, "annotations")
    spec, status = get_dict(hpa, "spec"), get_dict(hpa, "status")
    v2_spec: Obj = {"scaleTargetRef": _reference(get_dict(spec, "scaleTargetRef"))}
    _put(v2_spec, "minReplicas", spec.get("minReplicas"))
    v2_spec["maxReplicas"] = spec.get("maxReplicas", 0)
    metrics: list[Obj] = []
    if spec.get("targetCPUUtilizationPercentage") is not None:
        metrics.append(_cpu_metric(spec["targetCPUUtilizationPercentage"]))
    others = _annotation_list(annotations, METRICS_ANNOTATION)
    if others is not None:
        # The CPU target from the spec goes after the metrics kept in the annotation.
        metrics = [_spec_from_v1(m) for m in others] + metrics
    if not metrics:
        # autoscaling/v1 used to leave this default to the controller; v2 states it.
        metrics = [_cpu_metric(DEFAULT_CPU_UTILIZATION)]
    v2_spec["metrics"] = metrics
    if isinstance(annotations.get(BEHAVIOR_ANNOTATION), str):
        _put(v2_spec, "behavior", _behavior_from_annotation(annotations[BEHAVIOR_ANNOTATION]))
    v2_status: Obj = {}
    _put(v2_status, "observedGeneration", status.get("observedGeneration"))
    _put(v2_status, "lastScaleTime", status.get("lastScaleTime"))
    _put(v2_status, "currentReplicas", status.get("currentReplicas"))
    v2_status["desiredReplicas"] = status.get("desiredReplicas", 0)
    if status.get("currentCPUUtilizationPercentage") is not None:
        v2_status["currentMetrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "current": {"averageUtilization": status["currentCPUUtilizationPercentage"]},
                },
            }
        ]
    current = _annotation_list(annotations, CURRENT_METRICS_ANNOTATION)
    if current is not None:
        v2_status["currentMetrics"] = [_status_from_v1(m) for m in current]
    conditions = _annotation_list(annotations, CONDITIONS_ANNOTATION)
    if conditions is not None:
        v2_status["conditions"] = conditions
    drop_round_trip_annotations(meta)
    return {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": V2,
        "metadata": meta,
        "spec": v2_spec,
        "status": v2_status,
    }


def _cpu_metric(utilization: Any) -> Obj:
    return {
        "type": "Resource",
        "resource": {
            "name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": utilization},
        },
    }
