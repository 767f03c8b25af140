"""Validation of apps/v1 Deployments and ReplicaSets (everything except metadata), and the
workload rules the other apps kinds share, as kube-apiserver 1.33 does it.

A workload's selector must be a valid, non-empty LabelSelector that selects its pod template's
labels; the template is checked with the core PodSpec rules under `spec.template`, and its
pods must restart Always. Field errors print a *LabelSelector and an IntOrString as Go's `%#v`
of the (dereferenced) value, since neither value type has a String() method of its own.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import (
    _nonnegative,
    clean_selector,
    go_int_or_string,
    go_label_selector_value,
    go_map,
    go_quote,
    percent_errors,
)
from kube_apiserver.apis.core.replicationcontrollers import (
    validate_replica_counts,
    validate_replica_pod_template,
    validate_replicationcontroller_status_update,
)
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    invalid,
    invalid_rendered,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_int, get_str, get_str_map
from kube_apiserver.apis.meta.validation import validate_label_selector

_ADDR = "0xc000010000"  # Go prints a non-nil pointer as its address; any fixed one serves


# ---------------------------------------------------------------- selectors and templates


def selector_matches(selector: dict, labels: dict[str, str]) -> bool:
    """Whether a (valid, cleaned) LabelSelector selects a set of labels."""
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


def is_empty(selector: dict) -> bool:
    return not selector["matchLabels"] and not selector["matchExpressions"]


def template_mismatch(spec: dict, selector: dict | None) -> list[FieldError]:
    """The template's labels against the selector. A missing selector selects nothing (Go's
    labels.Nothing()); an empty one selects everything."""
    labels = get_str_map(get_dict(get_dict(spec, "template"), "metadata"), "labels")
    if selector is not None and selector_matches(selector, labels or {}):
        return []
    return [
        invalid_rendered(
            "spec.template.metadata.labels",
            go_map(labels),
            "`selector` does not match template `labels`",
        )
    ]


def workload_selector(spec: dict, kind: str) -> tuple[list[FieldError], dict | None, bool]:
    """spec.selector checked as Deployments, ReplicaSets and StatefulSets check it: (errors,
    the cleaned selector or None when missing, whether it converts to a labels.Selector)."""
    raw = spec.get("selector")
    if not isinstance(raw, dict):
        return [required("spec.selector")], None, True
    selector = clean_selector(raw)
    errs = validate_label_selector(selector, "spec.selector")
    converts = not errs
    if is_empty(selector):
        errs.append(
            invalid_rendered(
                "spec.selector",
                go_label_selector_value(raw),
                f"empty selector is invalid for {kind}",
            )
        )
    return errs, selector, converts


def immutable_selector(new: dict, old: dict) -> list[FieldError]:
    """apps/v1 refuses any change of spec.selector (nil and empty collections compare equal)."""
    new_sel, old_sel = get_dict(new, "spec").get("selector"), get_dict(old, "spec").get("selector")
    if (clean_selector(new_sel) if isinstance(new_sel, dict) else None) == (
        clean_selector(old_sel) if isinstance(old_sel, dict) else None
    ):
        return []
    return [
        invalid_rendered("spec.selector", go_label_selector_value(new_sel), "field is immutable")
    ]


def _replicaset_template(spec: dict, selector: dict | None) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet, which Deployments use as well."""
    errs = [] if selector is not None and is_empty(selector) else template_mismatch(spec, selector)
    template = get_dict(spec, "template")
    return errs + validate_replica_pod_template(template, "spec.template", kind="ReplicaSet")


def _selector_and_template(spec: dict) -> list[FieldError]:
    errs, selector, converts = workload_selector(spec, "deployment")
    if not converts:
        raw = spec.get("selector")
        rendered = go_label_selector_value(raw)
        return [*errs, invalid_rendered("spec.selector", rendered, "invalid label selector")]
    return errs + _replicaset_template(spec, selector)


# ---------------------------------------------------------------- rollout bounds


def _int_or_percent(v: Any) -> tuple[int, bool]:
    """(value, is a valid percent) as Kubernetes reads an IntOrString for a rollout bound."""
    if isinstance(v, str):
        if not percent_errors(v):
            return int(v[:-1]), True
        return (int(v) if v.lstrip("+-").isdigit() else 0), False
    return (v if isinstance(v, int) and not isinstance(v, bool) else 0), False


def int_or_percent_value(v: Any) -> int:
    return _int_or_percent(v)[0]


def positive_int_or_percent(v: Any, fld: str) -> list[FieldError]:
    if isinstance(v, str):
        return [invalid_rendered(fld, go_int_or_string(v), m) for m in percent_errors(v)]
    return _nonnegative(fld, int_or_percent_value(v))


def not_more_than_100_percent(v: Any, fld: str) -> list[FieldError]:
    value, is_percent = _int_or_percent(v)
    if is_percent and value > 100:
        return [invalid_rendered(fld, go_int_or_string(v), "must not be greater than 100%")]
    return []


def go_strategy(type_name: str, rolling_type: str, strategy: dict) -> str:
    """%#v of an internal update strategy struct: its Type and RollingUpdate pointer."""
    pointer = _ADDR if strategy.get("rollingUpdate") is not None else "nil"
    kind = go_quote(get_str(strategy, "type"))
    return f"apps.{type_name}{{Type:{kind}, RollingUpdate:(*apps.{rolling_type})({pointer})}}"


def _deployment_strategy(strategy: dict, fld: str) -> list[FieldError]:
    kind = get_str(strategy, "type")
    rolling = strategy.get("rollingUpdate")
    rp = path(fld, "rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [forbidden(rp, "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        if not isinstance(rolling, dict):
            return [required(rp, "this should be defaulted and never be nil")]
        unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
        errs = positive_int_or_percent(unavailable, path(rp, "maxUnavailable"))
        errs += positive_int_or_percent(surge, path(rp, "maxSurge"))
        if int_or_percent_value(unavailable) == 0 and int_or_percent_value(surge) == 0:
            errs.append(
                invalid_rendered(
                    path(rp, "maxUnavailable"),
                    go_int_or_string(unavailable),
                    "may not be 0 when `maxSurge` is 0",
                )
            )
        return errs + not_more_than_100_percent(unavailable, path(rp, "maxUnavailable"))
    rendered = go_strategy("DeploymentStrategy", "RollingUpdateDeployment", strategy)
    return [
        FieldError(
            "FieldValueNotSupported",
            fld,
            f'Unsupported value: {rendered}: supported values: "Recreate", "RollingUpdate"',
        )
    ]


# ---------------------------------------------------------------- deployments


def _deployment_spec(spec: dict) -> list[FieldError]:
    errs = _nonnegative("spec.replicas", get_int(spec, "replicas"))
    errs += _selector_and_template(spec)
    errs += _deployment_strategy(get_dict(spec, "strategy"), "spec.strategy")
    errs += _nonnegative("spec.minReadySeconds", get_int(spec, "minReadySeconds"))
    errs += _nonnegative("spec.revisionHistoryLimit", get_int(spec, "revisionHistoryLimit"))
    deadline = get_int(spec, "progressDeadlineSeconds")
    if deadline is not None:
        errs += _nonnegative("spec.progressDeadlineSeconds", deadline)
        if deadline <= (get_int(spec, "minReadySeconds") or 0):
            errs.append(
                invalid(
                    "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"
                )
            )
    return errs


def validate_deployment(obj: dict) -> list[FieldError]:
    return _deployment_spec(get_dict(obj, "spec"))


def validate_deployment_update(new: dict, old: dict) -> list[FieldError]:
    return _deployment_spec(get_dict(new, "spec")) + immutable_selector(new, old)


def collision_count_decrement(new: dict, old: dict) -> list[FieldError]:
    new_cc = get_int(get_dict(new, "status"), "collisionCount")
    old_cc = get_int(get_dict(old, "status"), "collisionCount")
    if old_cc is not None and (new_cc is None or new_cc < old_cc):
        return [invalid("status.collisionCount", new_cc or 0, "cannot be decremented")]
    return []


def validate_deployment_status_update(new: dict, old: dict) -> list[FieldError]:
    status = get_dict(new, "status")
    errs: list[FieldError] = []
    for key in (
        "observedGeneration",
        "replicas",
        "updatedReplicas",
        "readyReplicas",
        "availableReplicas",
        "unavailableReplicas",
        "collisionCount",
    ):
        errs += _nonnegative(path("status", key), get_int(status, key))
    errs += validate_replica_counts(
        status, ("updatedReplicas", "readyReplicas", "availableReplicas")
    )
    return errs + collision_count_decrement(new, old)


# ---------------------------------------------------------------- replica sets


def _replicaset_spec(spec: dict) -> list[FieldError]:
    errs = _nonnegative("spec.replicas", get_int(spec, "replicas"))
    errs += _nonnegative("spec.minReadySeconds", get_int(spec, "minReadySeconds"))
    # ReplicaSets share the Deployment's selector rules, message ("for deployment") included.
    return errs + _selector_and_template(spec)


def validate_replicaset(obj: dict) -> list[FieldError]:
    return _replicaset_spec(get_dict(obj, "spec"))


def validate_replicaset_update(new: dict, old: dict) -> list[FieldError]:
    return _replicaset_spec(get_dict(new, "spec")) + immutable_selector(new, old)


# A ReplicaSet's status has the fields and rules of a ReplicationController's.
validate_replicaset_status_update = validate_replicationcontroller_status_update
