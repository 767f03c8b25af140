"""Validation of apps/v1 StatefulSets, as kube-apiserver 1.33 does it.

1.33 checks less of a StatefulSet than of the other workloads: of the pod template only its
labels and annotations (plus restartPolicy and activeDeadlineSeconds), and nothing of the
volume claim templates — bad pods and claims surface only when the controller creates them
(kubernetes/kubernetes#131790 and #132212 added those checks in 1.34). On update, everything
in the spec but the fields the controller can roll out is frozen.
"""

from __future__ import annotations

from kube_apiserver.apis.apps.validation import (
    collision_count_decrement,
    go_strategy,
    is_empty,
    template_mismatch,
    workload_selector,
)
from kube_apiserver.apis.core.formats import (
    _nonnegative,
    clean_selector,
    go_label_selector_value,
)
from kube_apiserver.apis.core.podspec import validate_pod_template_metadata
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_int, get_str
from kube_apiserver.apis.meta.validation import dns1123_label_errors

_POLICIES = ("OrderedReady", "Parallel")
_RETENTION = ["Retain", "Delete"]
# What an update may change; the rest of the spec is compared as it was.
_MUTABLE = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "revisionHistoryLimit",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)
_FROZEN_SPEC = (
    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
    "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
    "'minReadySeconds' are forbidden"
)


def _update_strategy(strategy: dict) -> list[FieldError]:
    fld = "spec.updateStrategy"
    kind = get_str(strategy, "type")
    rolling = strategy.get("rollingUpdate")
    if kind == "":
        return [required(fld)]
    if kind == "OnDelete":
        if rolling is None:
            return []
        partition = get_int(rolling, "partition") or 0
        rendered = (
            f"apps.RollingUpdateStatefulSetStrategy{{Partition:{partition}, "
            "MaxUnavailable:(*intstr.IntOrString)(nil)}"
        )
        return [
            invalid_rendered(
                path(fld, "rollingUpdate"),
                rendered,
                "only allowed for updateStrategy 'RollingUpdate'",
            )
        ]
    if kind == "RollingUpdate":
        return _nonnegative(
            path(fld, "rollingUpdate", "partition"),
            get_int(get_dict(strategy, "rollingUpdate"), "partition"),
        )
    rendered = go_strategy(
        "StatefulSetUpdateStrategy", "RollingUpdateStatefulSetStrategy", strategy
    )
    return [invalid_rendered(fld, rendered, "must be 'RollingUpdate' or 'OnDelete'")]


def _retention_policy(spec: dict) -> list[FieldError]:
    fld = "spec.persistentVolumeClaimRetentionPolicy"
    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if not isinstance(policy, dict):
        return []
    return [
        not_supported(path(fld, key), get_str(policy, key), _RETENTION)
        for key in ("whenDeleted", "whenScaled")
        if get_str(policy, key) not in _RETENTION
    ]


def _template(spec: dict, selector: dict | None, converts: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    if not converts:
        rendered = go_label_selector_value(spec.get("selector"))
        errs.append(FieldError("FieldValueInvalid", "spec.selector", f"Invalid value: {rendered}"))
    else:
        if selector is None or not is_empty(selector):
            errs += template_mismatch(spec, selector)
        errs += validate_pod_template_metadata(get_dict(spec, "template"), "spec.template")
    pod_spec = get_dict(get_dict(spec, "template"), "spec")
    restart = get_str(pod_spec, "restartPolicy")
    if restart != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", restart, ["Always"]))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in StatefulSet is not Supported",
            )
        )
    return errs


def _spec(spec: dict, *, allow_invalid_service_name: bool) -> list[FieldError]:
    policy = get_str(spec, "podManagementPolicy")
    errs: list[FieldError] = []
    if policy == "":
        errs.append(required("spec.podManagementPolicy"))
    elif policy not in _POLICIES:
        errs.append(
            invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'")
        )
    errs += _update_strategy(get_dict(spec, "updateStrategy"))
    errs += _retention_policy(spec)
    errs += _nonnegative("spec.replicas", get_int(spec, "replicas"))
    errs += _nonnegative("spec.minReadySeconds", get_int(spec, "minReadySeconds"))
    if isinstance(spec.get("ordinals"), dict):
        errs += _nonnegative("spec.ordinals.start", get_int(spec["ordinals"], "start"))
    selector_errs, selector, converts = workload_selector(spec, "statefulset")
    errs += selector_errs + _template(spec, selector, converts)
    service = get_str(spec, "serviceName")
    if service and not allow_invalid_service_name:
        errs += [invalid("spec.serviceName", service, m) for m in dns1123_label_errors(service)]
    return errs


def validate_statefulset(obj: dict) -> list[FieldError]:
    return _spec(get_dict(obj, "spec"), allow_invalid_service_name=False)


def _frozen(spec: dict) -> dict:
    """The spec without its mutable fields, in the form Semantic.DeepEqual compares: a
    selector with nil and empty parts alike."""
    frozen = {k: v for k, v in spec.items() if k not in _MUTABLE and v not in (None, "", [], {})}
    if isinstance(frozen.get("selector"), dict):
        frozen["selector"] = clean_selector(frozen["selector"])
    return frozen


def validate_statefulset_update(new: dict, old: dict) -> list[FieldError]:
    # A name or service name valid under older rules must stay updatable (finalizers).
    spec = get_dict(new, "spec")
    errs = _spec(spec, allow_invalid_service_name=True)
    if _frozen(spec) != _frozen(get_dict(old, "spec")):
        errs.append(forbidden("spec", _FROZEN_SPEC))
    return errs


_COUNTS = ("readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas")


def validate_statefulset_status_update(new: dict, old: dict) -> list[FieldError]:
    status = get_dict(new, "status")
    errs: list[FieldError] = []
    for key in ("replicas", *_COUNTS, "observedGeneration", "collisionCount"):
        errs += _nonnegative(path("status", key), get_int(status, key))
    count = {k: get_int(status, k) or 0 for k in ("replicas", *_COUNTS)}
    for key in _COUNTS:
        if count[key] > count["replicas"]:
            errs.append(
                invalid(path("status", key), count[key], "cannot be greater than status.replicas")
            )
    if count["availableReplicas"] > count["readyReplicas"]:
        errs.append(
            invalid(
                "status.availableReplicas",
                count["availableReplicas"],
                "cannot be greater than status.readyReplicas",
            )
        )
    return errs + collision_count_decrement(new, old)
