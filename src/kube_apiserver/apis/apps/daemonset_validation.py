"""Validation of apps/v1 DaemonSets, as kube-apiserver 1.33 does it.

A DaemonSet's selector is not required by validation itself (a missing one selects nothing,
so the template's labels fail to match it); its rolling update moves pods either by taking
some down first or by surging new ones, never both at once.
"""

from __future__ import annotations

from kube_apiserver.apis.apps.validation import (
    collision_count_decrement,
    go_strategy,
    immutable_selector,
    int_or_percent_value,
    is_empty,
    not_more_than_100_percent,
    positive_int_or_percent,
    template_mismatch,
)
from kube_apiserver.apis.core.formats import (
    _nonnegative,
    clean_selector,
    go_int_or_string,
    go_label_selector_value,
)
from kube_apiserver.apis.core.replicationcontrollers import validate_replica_pod_template
from kube_apiserver.apis.meta.field import FieldError, invalid_rendered, path, required
from kube_apiserver.apis.meta.unstructured import get_dict, get_int, get_str
from kube_apiserver.apis.meta.validation import validate_label_selector


def _rolling_update(rolling: dict, fld: str) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    at_unavailable, at_surge = path(fld, "maxUnavailable"), path(fld, "maxSurge")
    errs = positive_int_or_percent(unavailable, at_unavailable)
    errs += positive_int_or_percent(surge, at_surge)
    errs += not_more_than_100_percent(unavailable, at_unavailable)
    errs += not_more_than_100_percent(surge, at_surge)
    has_unavailable = int_or_percent_value(unavailable) != 0
    has_surge = int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        errs.append(
            invalid_rendered(
                at_surge, go_int_or_string(surge), "may not be set when maxUnavailable is non-zero"
            )
        )
    elif not has_unavailable and not has_surge:
        errs.append(required(at_unavailable, "cannot be 0 when maxSurge is 0"))
    return errs


def _update_strategy(strategy: dict) -> list[FieldError]:
    fld = "spec.updateStrategy"
    kind = get_str(strategy, "type")
    if kind == "OnDelete":
        return []
    if kind == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            return [required(path(fld, "rollingUpdate"))]
        return _rolling_update(rolling, path(fld, "rollingUpdate"))
    rendered = go_strategy("DaemonSetUpdateStrategy", "RollingUpdateDaemonSet", strategy)
    return [
        FieldError(
            "FieldValueNotSupported",
            fld,
            f'Unsupported value: {rendered}: supported values: "RollingUpdate", "OnDelete"',
        )
    ]


def _spec(spec: dict) -> list[FieldError]:
    raw = spec.get("selector")
    selector = clean_selector(raw) if isinstance(raw, dict) else None
    errs = validate_label_selector(selector, "spec.selector")
    if not errs and (selector is None or not is_empty(selector)):
        errs += template_mismatch(spec, selector)
    if selector is not None and is_empty(selector):
        errs.append(
            invalid_rendered(
                "spec.selector",
                go_label_selector_value(raw),
                "empty selector is invalid for daemonset",
            )
        )
    template = get_dict(spec, "template")
    errs += validate_replica_pod_template(template, "spec.template", kind="DaemonSet")
    errs += _nonnegative("spec.minReadySeconds", get_int(spec, "minReadySeconds"))
    errs += _update_strategy(get_dict(spec, "updateStrategy"))
    return errs + _nonnegative("spec.revisionHistoryLimit", get_int(spec, "revisionHistoryLimit"))


def validate_daemonset(obj: dict) -> list[FieldError]:
    return _spec(get_dict(obj, "spec"))


def validate_daemonset_update(new: dict, old: dict) -> list[FieldError]:
    return _spec(get_dict(new, "spec")) + immutable_selector(new, old)


def validate_daemonset_status_update(new: dict, old: dict) -> list[FieldError]:
    status = get_dict(new, "status")
    errs: list[FieldError] = []
    for key in (
        "currentNumberScheduled",
        "numberMisscheduled",
        "desiredNumberScheduled",
        "numberReady",
        "observedGeneration",
        "updatedNumberScheduled",
        "numberAvailable",
        "numberUnavailable",
        "collisionCount",
    ):
        errs += _nonnegative(path("status", key), get_int(status, key))
    return errs + collision_count_decrement(new, old)
