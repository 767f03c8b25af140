"""Validation of HorizontalPodAutoscalers (everything except metadata), as kube-apiserver 1.33
does it.

Kubernetes validates an HPA in its internal shape, which is autoscaling/v2's, whichever version
the request used: an autoscaling/v1 HPA is converted first, so its CPU target is reported at
`spec.metrics[0].resource.target.averageUtilization`. Quantities Kubernetes reports as the bad
value are printed as Go prints a resource.Quantity struct (`%#v`), which is what its messages show.
"""

from __future__ import annotations

import re
from typing import Any

from kube_apiserver.apis.core.formats import NONNEGATIVE, _label
from kube_apiserver.apis.core.quantities import _container_resource_name, parse_quantity
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_int, get_str, is_set
from kube_apiserver.apis.meta.validation import path_segment_name_errors

MAX_PERIOD_SECONDS = 1800
MAX_STABILIZATION_WINDOW_SECONDS = 3600
METRIC_SOURCE_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"]
SELECT_POLICIES = ["Disabled", "Max", "Min"]
POLICY_TYPES = ["Percent", "Pods"]
_SOURCE_KEYS = ("object", "external", "pods", "resource", "containerResource")
_EXPECTED_KEY = {
    "Object": "object",
    "Pods": "pods",
    "Resource": "resource",
    "External": "external",
    "ContainerResource": "containerResource",
}
_DECIMAL_EXPONENTS = {
    "n": -9,
    "u": -6,
    "m": -3,
    "": 0,
    "k": 3,
    "M": 6,
    "G": 9,
    "T": 12,
    "P": 15,
    "E": 18,
}
_BINARY_EXPONENTS = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_QUANTITY = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)")

Obj = dict[str, Any]


def go_quantity(raw: Any) -> str:
    """%#v of a resource.Quantity as ParseQuantity builds it from the text (the fast path: an
    int64 mantissa and a decimal scale, the text kept when it is already canonical)."""
    text = raw if isinstance(raw, str) else str(raw)
    m = _QUANTITY.fullmatch(text.strip())
    sign, whole, frac, suffix = m.groups() if m else ("", "0", "", "")
    whole, frac = whole.lstrip("0") or "", frac or ""
    if suffix in _BINARY_EXPONENTS:
        fmt, scale, multiplier = "BinarySI", 0, 2 ** _BINARY_EXPONENTS[suffix]
    elif suffix[:1] in ("e", "E"):
        fmt, scale, multiplier = "DecimalExponent", int(suffix[1:] or 0), 1
    else:
        fmt, scale, multiplier = "DecimalSI", _DECIMAL_EXPONENTS.get(suffix, 0), 1
    digits = (whole + frac) or "0"
    scale -= len(frac) if fmt != "BinarySI" else 0
    value = int(digits) * multiplier * (-1 if sign == "-" else 1)
    if fmt == "BinarySI":
        canonical = not frac and _BINARY_EXPONENTS[suffix] % 10 == 0 and int(digits) & 7 != 0
    else:
        canonical = scale % 3 == 0 and not digits.endswith("000") and digits[0] != "0"
    kept = text.strip() if canonical else ""
    return (
        f"resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, "
        f'd:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:"{kept}", Format:"{fmt}"}}'
    )


def _reference(ref: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in ("kind", "name"):
        value = get_str(ref, key)
        if not value:
            errs.append(required(path(fld, key)))
        else:
            errs += [invalid(path(fld, key), value, m) for m in path_segment_name_errors(value)]
    return errs


def _metric_identifier(ident: Obj, fld: str) -> list[FieldError]:
    name = get_str(ident, "name")
    if not name:
        return [required(path(fld, "name"), "must specify a metric name")]
    return [invalid(path(fld, "name"), name, m) for m in path_segment_name_errors(name)]


def _positive(target: Obj, key: str, fld: str) -> list[FieldError]:
    if not is_set(target, key):
        return []
    parsed = parse_quantity(target[key])
    if parsed is not None and parsed.value > 0:
        return []
    return [invalid_rendered(path(fld, key), go_quantity(target[key]), "must be positive")]


def _metric_target(target: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    kind = get_str(target, "type")
    if not kind:
        errs.append(required(path(fld, "type"), "must specify a metric target type"))
    if kind not in ("Utilization", "Value", "AverageValue"):
        errs.append(
            invalid(path(fld, "type"), kind, "must be either Utilization, Value, or AverageValue")
        )
    errs += _positive(target, "value", fld)
    errs += _positive(target, "averageValue", fld)
    utilization = get_int(target, "averageUtilization")
    if utilization is not None and utilization < 1:
        errs.append(invalid(path(fld, "averageUtilization"), utilization, "must be greater than 0"))
    return errs


def _utilization_or_value(target: Obj, fld: str) -> list[FieldError]:
    utilization, value = is_set(target, "averageUtilization"), is_set(target, "averageValue")
    if not utilization and not value:
        return [
            required(
                path(fld, "averageUtilization"),
                "must set either a target raw value or a target utilization",
            )
        ]
    if utilization and value:
        return [
            forbidden(
                path(fld, "averageValue"),
                "may not set both a target raw value and a target utilization",
            )
        ]
    return []


def _source(key: str, src: Obj, fld: str) -> list[FieldError]:
    target = get_dict(src, "target")
    target_path = path(fld, "target")
    if key == "object":
        errs = _reference(get_dict(src, "describedObject"), path(fld, "describedObject"))
        errs += _metric_identifier(get_dict(src, "metric"), path(fld, "metric"))
        errs += _metric_target(target, target_path)
        if not is_set(target, "value") and not is_set(target, "averageValue"):
            errs.append(
                required(
                    path(target_path, "averageValue"),
                    "must set either a target value or averageValue",
                )
            )
        return errs
    if key == "external":
        errs = _metric_identifier(get_dict(src, "metric"), path(fld, "metric"))
        errs += _metric_target(target, target_path)
        value, average = is_set(target, "value"), is_set(target, "averageValue")
        if not value and not average:
            errs.append(
                required(
                    path(target_path, "averageValue"),
                    "must set either a target value for metric or a per-pod target",
                )
            )
        if value and average:
            errs.append(
                forbidden(
                    path(target_path, "value"),
                    "may not set both a target value for metric and a per-pod target",
                )
            )
        return errs
    if key == "pods":
        errs = _metric_identifier(get_dict(src, "metric"), path(fld, "metric"))
        errs += _metric_target(target, target_path)
        if not is_set(target, "averageValue"):
            errs.append(
                required(
                    path(target_path, "averageValue"), "must specify a positive target averageValue"
                )
            )
        return errs
    name = get_str(src, "name")
    errs = []
    if not name:
        errs.append(required(path(fld, "name"), "must specify a resource name"))
    elif key == "containerResource":
        errs += _container_resource_name(name, path(fld, "name"))
    if key == "containerResource":
        container = get_str(src, "container")
        if not container:
            errs.append(required(path(fld, "container"), "must specify a container"))
        else:
            errs += _label(path(fld, "container"), container)
    errs += _metric_target(target, target_path)
    return errs + _utilization_or_value(target, target_path)


def _metric_spec(metric: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    kind = get_str(metric, "type")
    type_path = path(fld, "type")
    if not kind:
        errs.append(required(type_path, "must specify a metric source type"))
    if kind not in METRIC_SOURCE_TYPES:
        errs.append(not_supported(type_path, kind, METRIC_SOURCE_TYPES))
    present = [key for key in _SOURCE_KEYS if is_set(metric, key)]
    if present:
        # Only the first source given is checked in depth; the others are refused below.
        errs += _source(present[0], get_dict(metric, present[0]), path(fld, present[0]))
    expected = _EXPECTED_KEY.get(kind)
    if expected is None:
        errs.append(not_supported(type_path, kind, METRIC_SOURCE_TYPES))
    elif not is_set(metric, expected):
        errs.append(
            required(path(fld, expected), "must populate information for the given metric source")
        )
    if len(present) != 1:
        errs += [
            forbidden(path(fld, key), "must populate the given metric source only")
            for key in present
            if key != expected
        ]
    return errs


def _scaling_rules(rules: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    window = get_int(rules, "stabilizationWindowSeconds")
    window_path = path(fld, "stabilizationWindowSeconds")
    if window is not None and window < 0:
        errs.append(invalid(window_path, window, "must be greater than or equal to zero"))
    if window is not None and window > MAX_STABILIZATION_WINDOW_SECONDS:
        errs.append(
            invalid(
                window_path,
                window,
                f"must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}",
            )
        )
    if is_set(rules, "selectPolicy") and get_str(rules, "selectPolicy") not in SELECT_POLICIES:
        errs.append(
            not_supported(
                path(fld, "selectPolicy"), get_str(rules, "selectPolicy"), SELECT_POLICIES
            )
        )
    policies = get_dicts(rules, "policies")
    policies_path = path(fld, "policies")
    if not policies:
        errs.append(required(policies_path, "must specify at least one Policy"))
    for i, policy in enumerate(policies):
        at = path(policies_path, i)
        kind = get_str(policy, "type")
        if kind not in POLICY_TYPES:
            errs.append(not_supported(path(at, "type"), kind, POLICY_TYPES))
        value, period = get_int(policy, "value") or 0, get_int(policy, "periodSeconds") or 0
        if value <= 0:
            errs.append(invalid(path(at, "value"), value, "must be greater than zero"))
        if period <= 0:
            errs.append(invalid(path(at, "periodSeconds"), period, "must be greater than zero"))
        if period > MAX_PERIOD_SECONDS:
            errs.append(
                invalid(
                    path(at, "periodSeconds"),
                    period,
                    f"must be less than or equal to {MAX_PERIOD_SECONDS}",
                )
            )
    return errs


def _spec(spec: Obj, min_replicas_bound: int) -> list[FieldError]:
    errs: list[FieldError] = []
    min_replicas, max_replicas = get_int(spec, "minReplicas"), get_int(spec, "maxReplicas") or 0
    if min_replicas is not None and min_replicas < min_replicas_bound:
        errs.append(
            invalid(
                "spec.minReplicas",
                min_replicas,
                f"must be greater than or equal to {min_replicas_bound}",
            )
        )
    if max_replicas < 1:
        errs.append(invalid("spec.maxReplicas", max_replicas, "must be greater than 0"))
    if min_replicas is not None and max_replicas < min_replicas:
        errs.append(
            invalid(
                "spec.maxReplicas", max_replicas, "must be greater than or equal to `minReplicas`"
            )
        )
    errs += _reference(get_dict(spec, "scaleTargetRef"), "spec.scaleTargetRef")
    metrics = get_dicts(spec, "metrics")
    for i, metric in enumerate(metrics):
        errs += _metric_spec(metric, path("spec.metrics", i))
    if min_replicas == 0 and not any(get_str(m, "type") in ("Object", "External") for m in metrics):
        errs.append(
            forbidden(
                "spec.metrics",
                "must specify at least one Object or External metric to support scaling to zero replicas",
            )
        )
    behavior = get_dict(spec, "behavior")
    for key in ("scaleUp", "scaleDown"):
        if is_set(behavior, key):
            errs += _scaling_rules(get_dict(behavior, key), path("spec.behavior", key))
    return errs


def validate_hpa(obj: Obj) -> list[FieldError]:
    # minReplicas 0 needs the HPAScaleToZero feature, alpha and off in 1.33.
    return _spec(get_dict(obj, "spec"), 1)


def validate_hpa_update(new: Obj, old: Obj) -> list[FieldError]:
    # An HPA that already scales to zero (made while the feature was on) stays updatable.
    bound = 0 if get_int(get_dict(old, "spec"), "minReplicas") == 0 else 1
    return _spec(get_dict(new, "spec"), bound)


def validate_hpa_status_update(new: Obj, old: Obj) -> list[FieldError]:
    status = get_dict(new, "status")
    errs: list[FieldError] = []
    for key in ("currentReplicas", "desiredReplicas"):
        value = get_int(status, key) or 0
        if value < 0:
            errs.append(invalid(path("status", key), value, NONNEGATIVE))
    return errs
