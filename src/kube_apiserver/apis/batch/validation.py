"""Validation of batch/v1 Jobs (everything except metadata), as kube-apiserver 1.33 does it.

A JobSpec is checked the same way in a Job and in a CronJob's job template (cronjob_validation.py):
counts, completion mode and per-index limits, the policies (job_policies.py), the pod template
with the core PodSpec rules, and a restart policy of OnFailure or Never. A Job adds its selector:
the generated one must select the labels the server put on the template, a manual one the
template's labels; on update most of the spec is immutable.
"""

from __future__ import annotations

import re
from typing import Any

from kube_apiserver.apis.batch import job_policies as policies
from kube_apiserver.apis.core.formats import (
    _nonnegative,
    clean_selector,
    go_label_selector,
    go_map,
    go_quote,
)
from kube_apiserver.apis.core.podspec import validate_pod_template
from kube_apiserver.apis.meta.field import (
    FieldError,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
    too_long,
)
from kube_apiserver.apis.meta.labels import (
    LabelSelector,
    SelectorError,
    selector_from_label_selector,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_int, get_str, get_str_map, is_set
from kube_apiserver.apis.meta.validation import (
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_value_errors,
    validate_label_selector,
)

# Labels the server puts on a Job's pod template when it generates the selector.
CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid"
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"
LEGACY_CONTROLLER_UID_LABEL = "controller-uid"
LEGACY_JOB_NAME_LABEL = "job-name"

MAX_PARALLELISM_INDEXED = 100_000
MAX_FAILED_INDEXES = 100_000
COMPLETIONS_SOFT_LIMIT = 100_000
PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000
MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000
MAX_MANAGED_BY_LENGTH = 63
_HTTP_PATH = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"

Obj = dict[str, Any]


def _selector(raw: Any) -> dict | None:
    return clean_selector(raw) if isinstance(raw, dict) else None


def _as_selector(raw: Any) -> LabelSelector | None:
    """metav1.LabelSelectorAsSelector (a missing selector selects nothing); None when it does
    not convert, in which case Kubernetes matches nothing against it."""
    try:
        return selector_from_label_selector(_selector(raw))
    except SelectorError:
        return None


def _managed_by(value: str, fld: str) -> list[FieldError]:
    """IsDomainPrefixedPath, plus the length limit."""
    if not value:
        return [required(fld)]
    host, slash, rest = value.partition("/")
    errs: list[FieldError] = []
    if not slash or not host or not rest:
        errs.append(invalid(fld, value, 'must be a domain-prefixed path (such as "acme.io/foo")'))
    else:
        errs += [invalid(fld, host, m) for m in dns1123_subdomain_errors(host)]
        if not re.fullmatch(_HTTP_PATH, rest):
            errs.append(
                invalid(fld, rest, f"Invalid path (regex used for validation is '{_HTTP_PATH}')")
            )
    if len(value) > MAX_MANAGED_BY_LENGTH:
        errs.append(too_long(fld, MAX_MANAGED_BY_LENGTH))
    return errs


def _indexed_limits(spec: Obj, fld: str) -> list[FieldError]:
    completions, parallelism = get_int(spec, "completions"), get_int(spec, "parallelism")
    max_failed, per_index = get_int(spec, "maxFailedIndexes"), get_int(spec, "backoffLimitPerIndex")
    errs: list[FieldError] = []
    if completions is None:
        errs.append(required(path(fld, "completions"), "when completion mode is Indexed"))
    if parallelism is not None and parallelism > MAX_PARALLELISM_INDEXED:
        errs.append(
            invalid(
                path(fld, "parallelism"),
                parallelism,
                f"must be less than or equal to {MAX_PARALLELISM_INDEXED} "
                "when completion mode is Indexed",
            )
        )
    if completions is not None and max_failed is not None and max_failed > completions:
        errs.append(
            invalid(
                path(fld, "maxFailedIndexes"),
                max_failed,
                "must be less than or equal to completions",
            )
        )
    if max_failed is not None and max_failed > MAX_FAILED_INDEXES:
        errs.append(
            invalid(
                path(fld, "maxFailedIndexes"),
                max_failed,
                f"must be less than or equal to {MAX_FAILED_INDEXES}",
            )
        )
    if completions is not None and completions > COMPLETIONS_SOFT_LIMIT and per_index is not None:
        high = f"when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
        if max_failed is None:
            errs.append(
                required(
                    path(fld, "maxFailedIndexes"),
                    f"must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}",
                )
            )
        if parallelism is not None and parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS:
            errs.append(
                invalid(
                    path(fld, "parallelism"),
                    parallelism,
                    f"must be less than or equal to {PARALLELISM_LIMIT_HIGH_COMPLETIONS} {high}",
                )
            )
        if max_failed is not None and max_failed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS:
            errs.append(
                invalid(
                    path(fld, "maxFailedIndexes"),
                    max_failed,
                    f"must be less than or equal to {MAX_FAILED_INDEXES_HIGH_COMPLETIONS} {high}",
                )
            )
    return errs


def _restart_policy(spec: Obj, fld: str) -> list[FieldError]:
    restart = get_str(get_dict(get_dict(spec, "template"), "spec"), "restartPolicy")
    if restart in ("Always", ""):
        return [required(fld, 'valid values: "OnFailure", "Never"')]
    if restart not in ("OnFailure", "Never"):
        return [not_supported(fld, restart, ["OnFailure", "Never"])]
    if is_set(spec, "podFailurePolicy") and restart != "Never":
        return [
            invalid(fld, restart, 'only "Never" is supported when podFailurePolicy is specified')
        ]
    return []


def validate_job_spec_fields(spec: Obj, fld: str) -> list[FieldError]:
    """A JobSpec without its selector (a CronJob's job template has none of its own)."""
    errs: list[FieldError] = []
    for key in (
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
    ):
        errs += _nonnegative(path(fld, key), get_int(spec, key))
    if is_set(spec, "maxFailedIndexes"):
        errs += _nonnegative(path(fld, "maxFailedIndexes"), get_int(spec, "maxFailedIndexes"))
        if not is_set(spec, "backoffLimitPerIndex"):
            errs.append(
                required(path(fld, "backoffLimitPerIndex"), "when maxFailedIndexes is specified")
            )
    if is_set(spec, "managedBy"):
        errs += _managed_by(get_str(spec, "managedBy"), path(fld, "managedBy"))
    mode = get_str(spec, "completionMode") if is_set(spec, "completionMode") else None
    if mode is not None:
        if mode not in ("NonIndexed", "Indexed"):
            errs.append(not_supported(path(fld, "completionMode"), mode, ["NonIndexed", "Indexed"]))
        if mode == "Indexed":
            errs += _indexed_limits(spec, fld)
    if mode in (None, "NonIndexed"):
        for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if is_set(spec, key):
                errs.append(
                    invalid(path(fld, key), get_int(spec, key), "requires indexed completion mode")
                )
    if is_set(spec, "podFailurePolicy"):
        errs += policies.validate_pod_failure_policy(spec, path(fld, "podFailurePolicy"))
    if is_set(spec, "successPolicy"):
        if mode != "Indexed":
            errs.append(
                invalid_rendered(
                    path(fld, "successPolicy"),
                    policies.go_success_policy(get_dict(spec, "successPolicy")),
                    "requires indexed completion mode",
                )
            )
        else:
            errs += policies.validate_success_policy(spec, path(fld, "successPolicy"))
    errs += policies.validate_pod_replacement_policy(spec, path(fld, "podReplacementPolicy"))
    errs += validate_pod_template(get_dict(spec, "template"), path(fld, "template"))
    return errs + _restart_policy(spec, path(fld, "template", "spec", "restartPolicy"))


def _template_labels(spec: Obj) -> dict[str, str]:
    return get_str_map(get_dict(get_dict(spec, "template"), "metadata"), "labels") or {}


def validate_job_spec(
    spec: Obj, fld: str, *, allow_invalid_label_value: bool = False
) -> list[FieldError]:
    """A Job's spec: its fields, then its selector and whether it selects the template."""
    errs = validate_job_spec_fields(spec, fld)
    selector = _selector(spec.get("selector"))
    if selector is None:
        errs.append(required(path(fld, "selector")))
    else:
        errs += validate_label_selector(
            selector, path(fld, "selector"), allow_invalid_label_value=allow_invalid_label_value
        )
    as_selector = _as_selector(spec.get("selector"))
    if as_selector is not None:
        labels = _template_labels(spec)
        if not as_selector.matches(labels):
            raw = get_dict(get_dict(spec, "template"), "metadata").get("labels")
            errs.append(
                invalid_rendered(
                    path(fld, "template", "metadata", "labels"),
                    go_map(labels if isinstance(raw, dict) else None),
                    "`selector` does not match template `labels`",
                )
            )
    return errs


def _has_label(labels: dict[str, str] | None, key: str, expected: str) -> list[FieldError]:
    fld = f"spec.template.metadata.labels[{key}]"
    if labels is None or key not in labels:
        return [required(fld, expected)]
    if labels[key] != expected:
        return [invalid_rendered(fld, go_map(labels), f"must be '{expected}'")]
    return []


def _generated_selector(job: Obj, *, require_prefixed_labels: bool) -> list[FieldError]:
    """With a generated selector, the template must carry the labels the server generated."""
    spec = get_dict(job, "spec")
    if spec.get("manualSelector") is True or not isinstance(spec.get("selector"), dict):
        return []
    meta = get_dict(job, "metadata")
    uid, name = get_str(meta, "uid"), get_str(meta, "name")
    errs = [required("metadata.uid")] if not uid else []
    labels = get_str_map(get_dict(get_dict(spec, "template"), "metadata"), "labels")
    expected = {LEGACY_CONTROLLER_UID_LABEL: uid, LEGACY_JOB_NAME_LABEL: name}
    errs += _has_label(labels, LEGACY_CONTROLLER_UID_LABEL, uid)
    errs += _has_label(labels, LEGACY_JOB_NAME_LABEL, name)
    if require_prefixed_labels:
        errs += _has_label(labels, CONTROLLER_UID_LABEL, uid)
        errs += _has_label(labels, JOB_NAME_LABEL, name)
        expected |= {CONTROLLER_UID_LABEL: uid, JOB_NAME_LABEL: name}
    as_selector = _as_selector(spec["selector"])
    if as_selector is not None and not as_selector.matches(expected):
        errs.append(
            invalid_rendered(
                "spec.selector",
                go_label_selector(spec["selector"]),
                "`selector` not auto-generated",
            )
        )
    return errs


def validate_job(
    job: Obj, *, require_prefixed_labels: bool = True, allow_invalid_label_value: bool = False
) -> list[FieldError]:
    spec = get_dict(job, "spec")
    errs = _generated_selector(job, require_prefixed_labels=require_prefixed_labels)
    errs += validate_job_spec(spec, "spec", allow_invalid_label_value=allow_invalid_label_value)
    completions = get_int(spec, "completions")
    if get_str(spec, "completionMode") == "Indexed" and completions is not None and completions > 0:
        # Indexed pods are named <job>-<index>, which must stay a DNS label.
        name = get_str(get_dict(job, "metadata"), "name")
        hostname = f"{name}-{completions - 1}"
        if dns1123_label_errors(hostname):
            errs.append(
                invalid(
                    "metadata.name",
                    name,
                    f"will not able to create pod with invalid DNS label: {hostname}",
                )
            )
    return errs


# ---- updates ----


def go_object_meta(meta: Obj) -> str:
    """%#v of an embedded v1.ObjectMeta, as a pod template carries it."""
    annotations = get_str_map(meta, "annotations")
    return (
        f'v1.ObjectMeta{{Name:{go_quote(get_str(meta, "name"))}, GenerateName:"", Namespace:"", '
        'SelfLink:"", UID:"", ResourceVersion:"", Generation:0, '
        "CreationTimestamp:v1.Time{Time:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)}, "
        "DeletionTimestamp:(*v1.Time)(nil), DeletionGracePeriodSeconds:(*int64)(nil), "
        f"Labels:{go_map(get_str_map(meta, 'labels'))}, "
        f"Annotations:{go_map(annotations)}, OwnerReferences:[]v1.OwnerReference(nil), "
        "Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}"
    )


def go_pod_template(template: Obj) -> str:
    """%#v of a core.PodTemplateSpec: its metadata in full, its spec elided (the Go text holds
    pointer addresses no two servers print alike)."""
    return (
        f"core.PodTemplateSpec{{ObjectMeta:{go_object_meta(get_dict(template, 'metadata'))}, "
        "Spec:core.PodSpec{...}}"
    )


_SCHEDULING_KEYS = ("nodeSelector", "tolerations", "schedulingGates")


def _template_for_comparison(template: Obj, *, scheduling_mutable: bool) -> Obj:
    """A template with what may change stripped, when the Job may still change scheduling."""
    if not scheduling_mutable:
        return template
    spec = {k: v for k, v in get_dict(template, "spec").items() if k not in _SCHEDULING_KEYS}
    affinity = {k: v for k, v in get_dict(spec, "affinity").items() if k != "nodeAffinity"}
    spec.pop("affinity", None)
    if affinity:
        spec["affinity"] = affinity
    meta = {
        k: v
        for k, v in get_dict(template, "metadata").items()
        if k not in ("labels", "annotations")
    }
    return {"metadata": meta, "spec": spec}


def _semantic(value: Any) -> Any:
    """A value as Kubernetes' semantic equality sees it: unset, null and empty collections alike."""
    if isinstance(value, dict):
        kept = {k: _semantic(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


def _immutable(fld: str, new: Any, old: Any, rendered: str) -> list[FieldError]:
    same = _semantic(new) == _semantic(old)
    return [] if same else [invalid_rendered(fld, rendered, "field is immutable")]


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    return go_quote(value) if isinstance(value, str) else str(value)


def _job_spec_immutability(new: Obj, old: Obj) -> list[FieldError]:
    spec, old_spec = get_dict(new, "spec"), get_dict(old, "spec")
    errs: list[FieldError] = []
    completions, old_completions = spec.get("completions"), old_spec.get("completions")
    if completions != old_completions:
        if get_str(spec, "completionMode") != "Indexed":
            errs += _immutable(
                "spec.completions", completions, old_completions, _scalar(completions)
            )
        elif completions is not None and completions != spec.get("parallelism"):
            errs.append(
                invalid(
                    "spec.completions",
                    completions,
                    "can only be modified in tandem with spec.parallelism",
                )
            )
    new_sel = _selector(spec.get("selector"))
    if new_sel != _selector(old_spec.get("selector")):
        rendered = go_label_selector(spec["selector"]) if new_sel is not None else "null"
        errs.append(invalid_rendered("spec.selector", rendered, "field is immutable"))
    # Scheduling directives may change while a Job is suspended and has never started.
    scheduling_mutable = old_spec.get("suspend") is True and not is_set(
        get_dict(old, "status"), "startTime"
    )
    template, old_template = get_dict(spec, "template"), get_dict(old_spec, "template")
    errs += _immutable(
        "spec.template",
        _template_for_comparison(template, scheduling_mutable=scheduling_mutable),
        _template_for_comparison(old_template, scheduling_mutable=scheduling_mutable),
        go_pod_template(template),
    )
    for key, render in (
        ("completionMode", _scalar),
        ("podFailurePolicy", policies.go_pod_failure_policy),
        ("backoffLimitPerIndex", _scalar),
        ("managedBy", _scalar),
        ("successPolicy", policies.go_success_policy),
    ):
        value = spec.get(key)
        shown = render(value) if isinstance(value, dict) or render is _scalar else "null"
        errs += _immutable(path("spec", key), value, old_spec.get(key), shown)
    return errs


def validate_job_update(new: Obj, old: Obj) -> list[FieldError]:
    # Kubernetes checks the new spec twice (as a Job, then as an update) and reports each
    # problem once in its message; it is checked once here.
    old_spec = get_dict(old, "spec")
    old_labels = _template_labels(old_spec)
    # Jobs created before the prefixed labels existed keep validating without them, and a
    # selector that was accepted with invalid label values stays acceptable.
    prefixed = JOB_NAME_LABEL in old_labels and CONTROLLER_UID_LABEL in old_labels
    old_selector = clean_selector(old_spec.get("selector"))
    values = [*old_selector["matchLabels"].values()]
    values += [v for e in old_selector["matchExpressions"] for v in e["values"]]
    lenient = any(label_value_errors(v) for v in values)
    errs = validate_job(new, require_prefixed_labels=prefixed, allow_invalid_label_value=lenient)
    return errs + _job_spec_immutability(new, old)
