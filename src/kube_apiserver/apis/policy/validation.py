"""Validation of policy/v1 PodDisruptionBudgets, as kube-apiserver 1.33 does it.

The spec is mutable; only its own rules apply (bounds as non-negative integers or percents
of at most 100%, one of minAvailable / maxUnavailable, a valid selector, a known unhealthy
pod eviction policy). Status writes may only hold non-negative counts and valid conditions.
Values of a wrong JSON type are read as absent: decoding refuses those before validation.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import (
    NONNEGATIVE,
    go_int_or_string,
    go_pointers,
    percent_errors,
)
from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.conditions import validate_conditions
from kube_apiserver.apis.meta.field import FieldError, invalid_rendered
from kube_apiserver.apis.meta.unstructured import get_dict
from kube_apiserver.apis.meta.validation import label_value_errors, validate_label_selector

UNHEALTHY_POD_EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"]
_STATUS_COUNTS = ("disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods")
# The internal PodDisruptionBudgetSpec, in Go field order, as %#v prints it.
_SPEC_FIELDS = [
    ("minAvailable", "MinAvailable", "intstr.IntOrString"),
    ("selector", "Selector", "v1.LabelSelector"),
    ("maxUnavailable", "MaxUnavailable", "intstr.IntOrString"),
    (
        "unhealthyPodEvictionPolicy",
        "UnhealthyPodEvictionPolicy",
        "policy.UnhealthyPodEvictionPolicyType",
    ),
]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bound(value: Any, fld: str) -> list[FieldError]:
    """ValidatePositiveIntOrPercent and IsNotMoreThan100Percent of one IntOrString bound."""
    if isinstance(value, str):
        errs = [invalid_rendered(fld, go_int_or_string(value), m) for m in percent_errors(value)]
        if not errs and int(value[:-1]) > 100:
            errs.append(
                invalid_rendered(fld, go_int_or_string(value), "must not be greater than 100%")
            )
        return errs
    number = _int(value)
    if number is not None and number < 0:
        return [field.invalid(fld, number, NONNEGATIVE)]
    return []


def validate_pdb(obj: dict, *, allow_invalid_label_value: bool = False) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    errs: list[FieldError] = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        rendered = go_pointers("policy.PodDisruptionBudgetSpec", spec, _SPEC_FIELDS)
        errs.append(
            invalid_rendered("spec", rendered, "minAvailable and maxUnavailable cannot be both set")
        )
    for key in ("minAvailable", "maxUnavailable"):
        if spec.get(key) is not None:
            errs += _bound(spec[key], field.path("spec", key))
    selector = spec.get("selector")
    errs += validate_label_selector(
        selector if isinstance(selector, dict) else None,
        "spec.selector",
        allow_invalid_label_value=allow_invalid_label_value,
    )
    policy = spec.get("unhealthyPodEvictionPolicy")
    if isinstance(policy, str) and policy not in UNHEALTHY_POD_EVICTION_POLICIES:
        errs.append(
            field.not_supported(
                "spec.unhealthyPodEvictionPolicy", policy, UNHEALTHY_POD_EVICTION_POLICIES
            )
        )
    return errs


def _has_invalid_label_value(pdb: dict) -> bool:
    expressions = get_dict(get_dict(pdb, "spec"), "selector").get("matchExpressions")
    return any(
        label_value_errors(value)
        for expr in (expressions if isinstance(expressions, list) else [])
        if isinstance(expr, dict)
        for value in (expr.get("values") or [])
        if isinstance(value, str)
    )


def validate_pdb_update(new: dict, old: dict) -> list[FieldError]:
    # The spec may change freely; a selector value stored before it was refused stays allowed.
    return validate_pdb(new, allow_invalid_label_value=_has_invalid_label_value(old))


def validate_pdb_status_update(new: dict, old: dict) -> list[FieldError]:
    status = get_dict(new, "status")
    conditions = status.get("conditions")
    errs = validate_conditions(
        conditions if isinstance(conditions, list) else [], "status.conditions"
    )
    for key in _STATUS_COUNTS:
        number = _int(status.get(key))
        if number is not None and number < 0:
            errs.append(field.invalid(field.path("status", key), number, NONNEGATIVE))
    return errs
