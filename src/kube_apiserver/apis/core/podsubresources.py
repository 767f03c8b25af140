"""Validation of what a pod's subresources accept, as kube-apiserver 1.33 checks it: a
Binding, the log options, an ephemeral containers update and an in-place resize.

An update through `pods/ephemeralcontainers` or `pods/resize` arrives with everything else
already reset to the stored pod (registry/core/pod.py); what is left to check is that the pod
is still valid, that existing ephemeral containers are untouched, and that a resize changes
only cpu and memory without changing the pod's QoS class.
"""

from __future__ import annotations

import json
from datetime import datetime
from fractions import Fraction
from typing import Any

from kube_apiserver.apis.core.formats import NONNEGATIVE, go_quote
from kube_apiserver.apis.core.qos import compute_pod_qos, pod_qos
from kube_apiserver.apis.core.quantities import parse_quantity
from kube_apiserver.apis.core.validation import _pod_metadata_and_spec
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    invalid,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_str

# Go's field.NewPath("") prints as "[]": errors about the whole object carry that path.
WHOLE_OBJECT = "[]"
_MIRROR = "kubernetes.io/config.mirror"
_QOS_RESOURCES = ("cpu", "memory")


def validate_binding(binding: dict) -> list[FieldError]:
    target = get_dict(binding, "target")
    errs: list[FieldError] = []
    if get_str(target, "kind") and get_str(target, "kind") != "Node":
        errs.append(not_supported("target.kind", get_str(target, "kind"), ["Node", "<empty>"]))
    if not get_str(target, "name"):
        errs.append(required("target.name"))
    return errs


def validate_log_options(
    *,
    tail_lines: int | None,
    limit_bytes: int | None,
    since_seconds: int | None,
    since_time: datetime | None,
) -> list[FieldError]:
    errs: list[FieldError] = []
    if tail_lines is not None and tail_lines < 0:
        errs.append(invalid("tailLines", tail_lines, NONNEGATIVE))
    if limit_bytes is not None and limit_bytes < 1:
        errs.append(invalid("limitBytes", limit_bytes, "must be greater than 0"))
    if since_seconds is not None and since_time is not None:
        errs.append(
            forbidden(WHOLE_OBJECT, "at most one of `sinceTime` or `sinceSeconds` may be specified")
        )
    elif since_seconds is not None and since_seconds < 1:
        errs.append(invalid("sinceSeconds", since_seconds, "must be greater than 0"))
    return errs


def _annotations(pod: dict) -> dict:
    return get_dict(get_dict(pod, "metadata"), "annotations")


def _container_diff(kind: str, old: dict, new: dict) -> str:
    """A short rendering of what changed, in the spirit of the cmp.Diff Kubernetes appends."""
    lines = [f"  core.{kind}{{"]
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            name = key[:1].upper() + key[1:]
            for sign, side in (("-", old), ("+", new)):
                if key in side:
                    lines.append(
                        f"{sign} \t{name}: {json.dumps(side[key], separators=(',', ':'))},"
                    )
    return "\n".join([*lines, "  }", ""])


def validate_ephemeral_containers_update(new: dict, old: dict) -> list[FieldError]:
    errs = _pod_metadata_and_spec(new)
    if _MIRROR in _annotations(old):
        return [forbidden(WHOLE_OBJECT, "static pods do not support ephemeral containers")]
    current = {
        get_str(c, "name"): c for c in get_dicts(get_dict(new, "spec"), "ephemeralContainers")
    }
    fld = "spec.ephemeralContainers"
    for before in get_dicts(get_dict(old, "spec"), "ephemeralContainers"):
        name = get_str(before, "name")
        after = current.get(name)
        if after is None:
            errs.append(
                forbidden(
                    fld, f"existing ephemeral containers {go_quote(name)} may not be removed\n"
                )
            )
        elif after != before:
            errs.append(
                forbidden(
                    fld,
                    f"existing ephemeral containers {go_quote(name)} may not be changed\n"
                    + _container_diff("EphemeralContainer", before, after),
                )
            )
    return errs


def _amounts(resources: Any, kind: str) -> dict[str, Fraction | str]:
    """requests or limits with quantities compared by value, as Kubernetes compares them."""
    out: dict[str, Fraction | str] = {}
    for name, raw in get_dict(resources, kind).items():
        quantity = parse_quantity(raw)
        out[name] = quantity.value if quantity is not None else str(raw)
    return out


def _resize_limits(new: dict, old: dict, policies: list[dict], fld: str) -> list[FieldError]:
    """validateContainerResize: nothing removed; memory limits only grow, unless the container
    restarts to resize memory."""
    errs: list[FieldError] = []
    for kind in ("requests", "limits"):
        if set(_amounts(old, kind)) - set(_amounts(new, kind)):
            errs.append(forbidden(path(fld, kind), f"resource {kind} cannot be removed"))
    memory_policy = next(
        (get_str(p, "restartPolicy") for p in policies if get_str(p, "resourceName") == "memory"),
        "",
    )
    if memory_policy in ("", "NotRequired"):
        new_limit, old_limit = (
            _amounts(new, "limits").get("memory"),
            _amounts(old, "limits").get("memory"),
        )
        at = path(fld, "limits") + "[memory]"
        if (
            isinstance(new_limit, Fraction)
            and isinstance(old_limit, Fraction)
            and new_limit < old_limit
        ):
            errs.append(
                forbidden(
                    at, "memory limits cannot be decreased unless resizePolicy is RestartContainer"
                )
            )
        elif new_limit is not None and old_limit is None:
            errs.append(
                forbidden(
                    at, "memory limits cannot be added unless resizePolicy is RestartContainer"
                )
            )
    return errs


def _without_cpu_memory(container: dict, old: dict) -> dict:
    """The container with its cpu and memory amounts taken from the old one (and every
    quantity compared by value), to see whether anything else changed."""
    munged = {k: v for k, v in container.items() if k != "resources"}
    resources: dict[str, Any] = {}
    for kind in ("requests", "limits"):
        if kind not in get_dict(old, "resources"):
            continue
        amounts = {
            k: v
            for k, v in _amounts(get_dict(container, "resources"), kind).items()
            if k not in _QOS_RESOURCES
        }
        amounts.update(
            {
                k: v
                for k, v in _amounts(get_dict(old, "resources"), kind).items()
                if k in _QOS_RESOURCES
            }
        )
        resources[kind] = amounts
    munged["resources"] = resources
    return munged


def _normalized(container: dict) -> dict:
    out = {k: v for k, v in container.items() if k != "resources"}
    resources = get_dict(container, "resources")
    out["resources"] = {
        kind: _amounts(resources, kind) for kind in ("requests", "limits") if kind in resources
    }
    return out


def _sidecar(container: dict) -> bool:
    return get_str(container, "restartPolicy") == "Always"


def _resize_supported(pod: dict) -> bool:
    """Pods on nodes that report container resources can be resized (version skew guard)."""
    for status in get_dicts(get_dict(pod, "status"), "containerStatuses"):
        if "running" in get_dict(status, "state"):
            return "resources" in status
    return True


def validate_resize(new: dict, old: dict) -> list[FieldError]:
    errs = _pod_metadata_and_spec(new)
    new_spec, old_spec = get_dict(new, "spec"), get_dict(old, "spec")
    if any(
        get_dict(get_dict(spec, "resources"), k)
        for spec in (new_spec, old_spec)
        for k in ("requests", "limits")
    ):
        return [forbidden(WHOLE_OBJECT, "pods with pod-level resources cannot be resized")]
    if _MIRROR in _annotations(old):
        return [forbidden(WHOLE_OBJECT, "static pods cannot be resized")]
    if get_str(get_dict(old_spec, "os"), "name") == "windows":
        return [forbidden(WHOLE_OBJECT, "windows pods cannot be resized")]
    if pod_qos(old) != compute_pod_qos(new):
        qos = get_str(get_dict(new, "status"), "qosClass")
        errs.append(invalid("spec", qos, "Pod QOS Class may not change as a result of resizing"))
    if not _resize_supported(old):
        errs.append(forbidden("spec", "Pod running on node without support for resize"))
    new_init, old_init = (
        get_dicts(new_spec, "initContainers"),
        get_dicts(old_spec, "initContainers"),
    )
    new_regular, old_regular = get_dicts(new_spec, "containers"), get_dicts(old_spec, "containers")
    if len(new_init) != len(old_init) or len(new_regular) != len(old_regular):
        return errs + [forbidden("spec", "only cpu and memory resources are mutable")]
    for i, before in enumerate(old_init):
        if _sidecar(before):
            errs += _resize_limits(
                get_dict(new_init[i], "resources"),
                get_dict(before, "resources"),
                get_dicts(new_init[i], "resizePolicy"),
                path("spec.initContainers", i, "resources"),
            )
    for i, before in enumerate(old_regular):
        errs += _resize_limits(
            get_dict(new_regular[i], "resources"),
            get_dict(before, "resources"),
            get_dicts(new_regular[i], "resizePolicy"),
            path("spec.containers", i, "resources"),
        )
    for after, before in zip(new_regular, old_regular, strict=True):
        if _without_cpu_memory(after, before) != _normalized(before):
            errs.append(forbidden("spec", "only cpu and memory resources are mutable"))
    for after, before in zip(new_init, old_init, strict=True):
        if _sidecar(before):
            if _without_cpu_memory(after, before) != _normalized(before):
                errs.append(
                    forbidden(
                        "spec", "only cpu and memory resources for sidecar containers are mutable"
                    )
                )
        elif _normalized(after) != _normalized(before):
            errs.append(
                forbidden("spec", "resources for non-sidecar init containers are immutable")
            )
    return errs
