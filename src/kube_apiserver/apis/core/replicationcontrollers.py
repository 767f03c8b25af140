"""ReplicationControllers and PodTemplates: the core kinds that carry a pod template.

Defaults as kube-apiserver 1.33 applies them on decoding (an RC's selector and labels taken
from its template's labels, one replica, the template's PodSpec defaults) and validation with
Kubernetes' field paths and messages. An RC's selector is a plain label map, not a
LabelSelector: it must be non-empty and select the template's labels, but unlike a
Deployment's it may change.
"""

from __future__ import annotations

from kube_apiserver.apis.core.defaults import default_pod_spec
from kube_apiserver.apis.core.formats import _nonnegative, go_map
from kube_apiserver.apis.core.podspec import validate_pod_template
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import (
    ensure_dict,
    get_dict,
    get_int,
    get_str,
    get_str_map,
)


def default_template(template: dict) -> None:
    """A PodTemplateSpec as Go serializes it: a zero creationTimestamp reads `null`."""
    ensure_dict(template, "metadata").setdefault("creationTimestamp", None)
    default_pod_spec(ensure_dict(template, "spec"))


# ---------------------------------------------------------------- replication controllers


def default_replicationcontroller(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    template = spec.get("template")
    if isinstance(template, dict):
        labels = (template.get("metadata") or {}).get("labels")
        if isinstance(labels, dict):
            if not spec.get("selector"):
                spec["selector"] = dict(labels)
            meta = ensure_dict(obj, "metadata")
            if not meta.get("labels"):
                meta["labels"] = dict(labels)
        default_template(template)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    # `replicas` is the one status field Go always writes.
    status = ensure_dict(obj, "status")
    if status.get("replicas") is None:
        status["replicas"] = 0


def validate_replica_pod_template(template: dict, fld: str, *, kind: str) -> list[FieldError]:
    """A replicating controller's pod template (RC, ReplicaSet, Deployment, ...): a valid pod
    template whose pods restart Always and have no deadline; `kind` names the controller in
    the message, as Kubernetes writes it."""
    errs = validate_pod_template(template, fld)
    pod_spec = get_dict(template, "spec")
    restart = get_str(pod_spec, "restartPolicy")
    if restart != "Always":
        errs.append(not_supported(path(fld, "spec", "restartPolicy"), restart, ["Always"]))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden(
                path(fld, "spec", "activeDeadlineSeconds"),
                f"activeDeadlineSeconds in {kind} is not Supported",
            )
        )
    return errs


def validate_replica_counts(status: dict, counts: tuple[str, ...]) -> list[FieldError]:
    """A replicating controller's status counts: each of `counts` at most status.replicas,
    and no more available replicas than ready ones."""
    value = {k: get_int(status, k) or 0 for k in ("replicas", *counts)}
    errs: list[FieldError] = []
    for key in counts:
        if value[key] > value["replicas"]:
            errs.append(
                invalid(path("status", key), value[key], "cannot be greater than status.replicas")
            )
    if value["availableReplicas"] > value["readyReplicas"]:
        errs.append(
            invalid(
                "status.availableReplicas",
                value["availableReplicas"],
                "cannot be greater than readyReplicas",
            )
        )
    return errs


def _template(template: dict, selector: dict[str, str], fld: str) -> list[FieldError]:
    labels = get_str_map(get_dict(template, "metadata"), "labels")
    errs: list[FieldError] = []
    if selector and any((labels or {}).get(k) != v for k, v in selector.items()):
        errs.append(
            invalid_rendered(
                path(fld, "metadata", "labels"),
                go_map(labels),
                "`selector` does not match template `labels`",
            )
        )
    return errs + validate_replica_pod_template(template, fld, kind="ReplicationController")


def _spec(spec: dict) -> list[FieldError]:
    errs = _nonnegative("spec.minReadySeconds", get_int(spec, "minReadySeconds"))
    selector = get_str_map(spec, "selector") or {}
    if not selector:
        errs.append(required("spec.selector"))
    errs += _nonnegative("spec.replicas", get_int(spec, "replicas"))
    if not isinstance(spec.get("template"), dict):
        return [*errs, required("spec.template")]
    return errs + _template(get_dict(spec, "template"), selector, "spec.template")


def validate_replicationcontroller(obj: dict) -> list[FieldError]:
    return _spec(get_dict(obj, "spec"))


def validate_replicationcontroller_update(new: dict, old: dict) -> list[FieldError]:
    return _spec(get_dict(new, "spec"))  # the selector, unlike a Deployment's, may change


_REPLICA_COUNTS = ("fullyLabeledReplicas", "readyReplicas", "availableReplicas")


def validate_replicationcontroller_status_update(new: dict, old: dict) -> list[FieldError]:
    status = get_dict(new, "status")
    errs: list[FieldError] = []
    for key in ("replicas", *_REPLICA_COUNTS, "observedGeneration"):
        errs += _nonnegative(path("status", key), get_int(status, key))
    return errs + validate_replica_counts(status, _REPLICA_COUNTS)


# ---------------------------------------------------------------- pod templates


def default_podtemplate(obj: dict) -> None:
    default_template(ensure_dict(obj, "template"))


def validate_podtemplate(obj: dict) -> list[FieldError]:
    return validate_pod_template(get_dict(obj, "template"), "template")


def validate_podtemplate_update(new: dict, old: dict) -> list[FieldError]:
    return validate_podtemplate(new)
