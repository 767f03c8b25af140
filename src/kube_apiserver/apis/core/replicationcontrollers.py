"""ReplicationControllers and PodTemplates: the core kinds that carry a pod template.

Defaults as kube-apiserver 1.33 applies them on decoding (an RC's selector and labels taken
from its template's labels, one replica, the template's PodSpec defaults) and validation with
Kubernetes' field paths and messages. An RC's selector is a plain label map, not a
LabelSelector: it must be non-empty and select the template's labels, but unlike a
Deployment's it may change.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.defaults import _dict, default_pod_spec
from kube_apiserver.apis.core.formats import NONNEGATIVE, _d, _i, _s, _smap, _text, go_map
from kube_apiserver.apis.core.podspec import validate_pod_template
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    invalid,
    not_supported,
    path,
    required,
)


def default_template(template: dict) -> None:
    """A PodTemplateSpec as Go serializes it: a zero creationTimestamp reads `null`."""
    _dict(template, "metadata").setdefault("creationTimestamp", None)
    default_pod_spec(_dict(template, "spec"))


# ---------------------------------------------------------------- replication controllers


def default_replicationcontroller(obj: dict) -> None:
    spec = _dict(obj, "spec")
    template = spec.get("template")
    if isinstance(template, dict):
        labels = (template.get("metadata") or {}).get("labels")
        if isinstance(labels, dict):
            if not spec.get("selector"):
                spec["selector"] = dict(labels)
            meta = _dict(obj, "metadata")
            if not meta.get("labels"):
                meta["labels"] = dict(labels)
        default_template(template)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    # `replicas` is the one status field Go always writes.
    status = _dict(obj, "status")
    if status.get("replicas") is None:
        status["replicas"] = 0


def _nonnegative(fld: str, v: int | None) -> list[FieldError]:
    return [invalid(fld, v, NONNEGATIVE)] if v is not None and v < 0 else []


def _template(template: dict, selector: dict[str, str], fld: str) -> list[FieldError]:
    labels = _smap(_d(template, "metadata"), "labels")
    errs: list[FieldError] = []
    if selector and any((labels or {}).get(k) != v for k, v in selector.items()):
        errs.append(
            _text(
                path(fld, "metadata", "labels"),
                go_map(labels),
                "`selector` does not match template `labels`",
            )
        )
    errs += validate_pod_template(template, fld)
    pod_spec = _d(template, "spec")
    restart = _s(pod_spec, "restartPolicy")
    if restart != "Always":
        errs.append(not_supported(path(fld, "spec", "restartPolicy"), restart, ["Always"]))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden(
                path(fld, "spec", "activeDeadlineSeconds"),
                "activeDeadlineSeconds in ReplicationController is not Supported",
            )
        )
    return errs


def _spec(spec: dict) -> list[FieldError]:
    errs = _nonnegative("spec.minReadySeconds", _i(spec, "minReadySeconds"))
    selector = _smap(spec, "selector") or {}
    if not selector:
        errs.append(required("spec.selector"))
    errs += _nonnegative("spec.replicas", _i(spec, "replicas"))
    if not isinstance(spec.get("template"), dict):
        return [*errs, required("spec.template")]
    return errs + _template(_d(spec, "template"), selector, "spec.template")


def validate_replicationcontroller(obj: dict) -> list[FieldError]:
    return _spec(_d(obj, "spec"))


def validate_replicationcontroller_update(new: dict, old: dict) -> list[FieldError]:
    return _spec(_d(new, "spec"))  # the selector, unlike a Deployment's, may change


_REPLICA_COUNTS = ("fullyLabeledReplicas", "readyReplicas", "availableReplicas")


def validate_replicationcontroller_status_update(new: dict, old: dict) -> list[FieldError]:
    status = _d(new, "status")
    counts: dict[str, Any] = {
        k: _i(status, k) or 0 for k in ("replicas", *_REPLICA_COUNTS, "observedGeneration")
    }
    errs: list[FieldError] = []
    for key in ("replicas", *_REPLICA_COUNTS, "observedGeneration"):
        errs += _nonnegative(path("status", key), _i(status, key))
    for key in _REPLICA_COUNTS:
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
    return errs


# ---------------------------------------------------------------- pod templates


def default_podtemplate(obj: dict) -> None:
    default_template(_dict(obj, "template"))


def validate_podtemplate(obj: dict) -> list[FieldError]:
    return validate_pod_template(_d(obj, "template"), "template")


def validate_podtemplate_update(new: dict, old: dict) -> list[FieldError]:
    return validate_podtemplate(new)
