"""Validation of apps/v1 Deployments (everything except metadata), as kube-apiserver 1.33 does it.

The pod template is checked with the core PodSpec rules under `spec.template`, plus what a
workload adds: the selector must select the template's labels and the template's pods must
restart Always. Values Kubernetes prints through a Stringer (IntOrString, *LabelSelector) are
rendered unquoted, as they appear in kubectl's error output.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import (
    NONNEGATIVE,
    clean_selector,
    go_label_selector,
    go_map,
    go_quote,
    percent_errors,
)
from kube_apiserver.apis.core.podspec import validate_pod_template
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    invalid,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.validation import validate_label_selector


def _d(obj: Any, key: str) -> dict:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, dict) else {}


def _i(obj: Any, key: str) -> int | None:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _text(fld: str, rendered: str, detail: str) -> FieldError:
    return FieldError("FieldValueInvalid", fld, f"Invalid value: {rendered}: {detail}")


def _nonnegative(fld: str, v: int | None) -> list[FieldError]:
    return [invalid(fld, v, NONNEGATIVE)] if v is not None and v < 0 else []


def selector_matches(selector: dict, labels: dict[str, str]) -> bool:
    """Whether a (valid) LabelSelector selects a set of labels."""
    if any(labels.get(k) != v for k, v in selector["matchLabels"].items()):
        return False
    for e in selector["matchExpressions"]:
        key, op, values = e["key"], e["operator"], e["values"]
        present = key in labels
        if (
            op == "In"
            and not (present and labels[key] in values)
            or op == "NotIn"
            and present
            and labels[key] in values
            or op == "Exists"
            and not present
            or op == "DoesNotExist"
            and present
        ):
            return False
    return True


def _int_or_percent(v: Any) -> tuple[int, bool]:
    """(value, is a valid percent) as Kubernetes reads an IntOrString for a rollout bound."""
    if isinstance(v, str):
        if not percent_errors(v):
            return int(v[:-1]), True
        return (int(v) if v.lstrip("+-").isdigit() else 0), False
    return (v if isinstance(v, int) and not isinstance(v, bool) else 0), False


def _show(v: Any) -> str:
    """An IntOrString as its String() prints it (no quotes)."""
    return v if isinstance(v, str) else str(_int_or_percent(v)[0])


def _positive_int_or_percent(v: Any, fld: str) -> list[FieldError]:
    if isinstance(v, str):
        return [_text(fld, v, m) for m in percent_errors(v)]
    return _nonnegative(fld, _int_or_percent(v)[0])


def _strategy(strategy: dict, fld: str) -> list[FieldError]:
    kind = strategy.get("type") if isinstance(strategy.get("type"), str) else ""
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [
                forbidden(
                    path(fld, "rollingUpdate"),
                    "may not be specified when strategy `type` is 'Recreate'",
                )
            ]
        return []
    if kind == "RollingUpdate":
        if not isinstance(rolling, dict):
            return [
                required(path(fld, "rollingUpdate"), "this should be defaulted and never be nil")
            ]
        rp = path(fld, "rollingUpdate")
        unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
        errs = _positive_int_or_percent(unavailable, path(rp, "maxUnavailable"))
        errs += _positive_int_or_percent(surge, path(rp, "maxSurge"))
        if _int_or_percent(unavailable)[0] == 0 and _int_or_percent(surge)[0] == 0:
            errs.append(
                _text(
                    path(rp, "maxUnavailable"),
                    _show(unavailable),
                    "may not be 0 when `maxSurge` is 0",
                )
            )
        value, is_percent = _int_or_percent(unavailable)
        if is_percent and value > 100:
            errs.append(
                _text(
                    path(rp, "maxUnavailable"), _show(unavailable), "must not be greater than 100%"
                )
            )
        return errs
    pointer = (
        "(*apps.RollingUpdateDeployment)("
        + ("0xc000010000" if rolling is not None else "nil")
        + ")"
    )
    rendered = f"apps.DeploymentStrategy{{Type:{go_quote(kind)}, RollingUpdate:{pointer}}}"
    return [
        FieldError(
            "FieldValueNotSupported",
            fld,
            f'Unsupported value: {rendered}: supported values: "Recreate", "RollingUpdate"',
        )
    ]


def _template(spec: dict, fld: str, selector: dict | None) -> list[FieldError]:
    """The pod template against the selector (None: a missing selector, which selects nothing)."""
    template = _d(spec, "template")
    raw_labels = _d(template, "metadata").get("labels")
    labels = (
        {str(k): v if isinstance(v, str) else "" for k, v in raw_labels.items()}
        if isinstance(raw_labels, dict)
        else None
    )
    errs: list[FieldError] = []
    empty = (
        selector is not None and not selector["matchLabels"] and not selector["matchExpressions"]
    )
    if not empty and (selector is None or not selector_matches(selector, labels or {})):
        errs.append(
            _text(
                path(fld, "metadata", "labels"),
                go_map(labels),
                "`selector` does not match template `labels`",
            )
        )
    errs += validate_pod_template(template, fld)
    pod_spec = _d(template, "spec")
    restart = (
        pod_spec.get("restartPolicy") if isinstance(pod_spec.get("restartPolicy"), str) else ""
    )
    if restart != "Always":
        errs.append(not_supported(path(fld, "spec", "restartPolicy"), restart, ["Always"]))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden(
                path(fld, "spec", "activeDeadlineSeconds"),
                "activeDeadlineSeconds in ReplicaSet is not Supported",
            )
        )
    return errs


def _deployment_spec(spec: dict) -> list[FieldError]:
    errs = _nonnegative("spec.replicas", _i(spec, "replicas"))
    raw = spec.get("selector")
    selector = clean_selector(raw) if isinstance(raw, dict) else None
    selector_errs = (
        validate_label_selector(selector, "spec.selector") if selector is not None else []
    )
    if selector is None:
        errs.append(required("spec.selector"))
    else:
        errs += selector_errs
        if not selector["matchLabels"] and not selector["matchExpressions"]:
            errs.append(
                _text(
                    "spec.selector",
                    go_label_selector(selector),
                    "empty selector is invalid for deployment",
                )
            )
    if selector_errs:
        errs.append(
            _text("spec.selector", go_label_selector(selector or {}), "invalid label selector")
        )
    else:
        errs += _template(spec, "spec.template", selector)
    errs += _strategy(_d(spec, "strategy"), "spec.strategy")
    errs += _nonnegative("spec.minReadySeconds", _i(spec, "minReadySeconds"))
    errs += _nonnegative("spec.revisionHistoryLimit", _i(spec, "revisionHistoryLimit"))
    deadline = _i(spec, "progressDeadlineSeconds")
    if deadline is not None:
        errs += _nonnegative("spec.progressDeadlineSeconds", deadline)
        if deadline <= (_i(spec, "minReadySeconds") or 0):
            errs.append(
                invalid(
                    "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"
                )
            )
    return errs


def validate_deployment(obj: dict) -> list[FieldError]:
    return _deployment_spec(_d(obj, "spec"))


def validate_deployment_update(new: dict, old: dict) -> list[FieldError]:
    errs = _deployment_spec(_d(new, "spec"))
    new_sel, old_sel = _d(new, "spec").get("selector"), _d(old, "spec").get("selector")
    if (clean_selector(new_sel) if new_sel is not None else None) != (
        clean_selector(old_sel) if old_sel is not None else None
    ):
        rendered = go_label_selector(new_sel) if isinstance(new_sel, dict) else "null"
        errs.append(_text("spec.selector", rendered, "field is immutable"))
    return errs


def validate_deployment_status_update(new: dict, old: dict) -> list[FieldError]:
    status, old_status = _d(new, "status"), _d(old, "status")
    errs: list[FieldError] = []
    counts = {
        k: _i(status, k) or 0
        for k in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas")
    }
    for key in (
        "observedGeneration",
        "replicas",
        "updatedReplicas",
        "readyReplicas",
        "availableReplicas",
        "unavailableReplicas",
        "collisionCount",
    ):
        errs += _nonnegative(path("status", key), _i(status, key))
    for key in ("updatedReplicas", "readyReplicas", "availableReplicas"):
        if counts[key] > counts["replicas"]:
            errs.append(
                invalid(path("status", key), counts[key], "cannot be greater than status.replicas")
            )
    if counts["availableReplicas"] > counts["readyReplicas"]:
        errs.append(
            invalid(
                "status.availableReplicas",
                counts["availableReplicas"],
                "cannot be greater than readyReplicas",
            )
        )
    new_cc, old_cc = _i(status, "collisionCount"), _i(old_status, "collisionCount")
    if old_cc is not None and (new_cc is None or new_cc < old_cc):
        errs.append(invalid("status.collisionCount", new_cc or 0, "cannot be decremented"))
    return errs
