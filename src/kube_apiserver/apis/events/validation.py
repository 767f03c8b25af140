"""Validation of events.k8s.io/v1 Events (everything except metadata), as Kubernetes 1.33 does it.

Kubernetes stores one Event type and validates it in its internal (core) shape, so errors
name the core fields even when the request came through events.k8s.io: `involvedObject`
for `regarding`, `message` for `note`, `source`/`firstTimestamp`/`count` for the deprecated
fields. Events written through this API get strict rules on top of the lenient ones every
Event passes, and most fields become immutable once written.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from kube_apiserver.apis.meta.field import FieldError, invalid, invalid_rendered, required
from kube_apiserver.apis.meta.unstructured import get_dict, get_str
from kube_apiserver.apis.meta.validation import dns1123_subdomain_errors, qualified_name_errors


def go_time(value: Any) -> str:
    """A metav1.Time/MicroTime as Go's time.Time.String() prints it (unset: the zero time)."""
    parsed = None
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return json.dumps(value)
    if parsed is None:
        return "0001-01-01 00:00:00 +0000 UTC"
    parsed = parsed.astimezone(UTC) if parsed.tzinfo else parsed
    fraction = f".{parsed.microsecond:06d}".rstrip("0") if parsed.microsecond else ""
    return parsed.strftime("%Y-%m-%d %H:%M:%S") + fraction + " +0000 UTC"


def go_object_reference(ref: dict) -> str:
    keys = (
        ("kind", "Kind"),
        ("namespace", "Namespace"),
        ("name", "Name"),
        ("uid", "UID"),
        ("apiVersion", "APIVersion"),
        ("resourceVersion", "ResourceVersion"),
        ("fieldPath", "FieldPath"),
    )
    return (
        "core.ObjectReference{"
        + ", ".join(f"{go}:{json.dumps(get_str(ref, k))}" for k, go in keys)
        + "}"
    )


def _lenient(event: dict) -> list[FieldError]:
    """The rules every Event passes, whichever API wrote it."""
    errs: list[FieldError] = []
    ns = get_str(get_dict(event, "metadata"), "namespace")
    regarding_ns = get_str(get_dict(event, "regarding"), "namespace")
    mismatch = invalid("involvedObject.namespace", regarding_ns, "does not match event.namespace")
    if not get_str(event, "eventTime"):
        if (not regarding_ns and ns not in ("", "default")) or (
            regarding_ns and ns != regarding_ns
        ):
            errs.append(mismatch)
    else:
        if not regarding_ns and ns not in ("default", "kube-system"):
            errs.append(mismatch)
        controller = get_str(event, "reportingController")
        if not controller:
            errs.append(required("reportingController"))
        errs += [
            invalid("reportingController", controller, m) for m in qualified_name_errors(controller)
        ]
        for key, limit in (("reportingInstance", 128), ("action", 128), ("reason", 128)):
            if not get_str(event, key):
                errs.append(required(key))
            if len(get_str(event, key)) > limit:
                errs.append(invalid(key, "", f"can have at most {limit} characters"))
        if len(get_str(event, "note")) > 1024:
            errs.append(invalid("message", "", "can have at most 1024 characters"))
    return errs + [invalid("namespace", ns, m) for m in dns1123_subdomain_errors(ns)]


def _series(event: dict) -> list[FieldError]:
    if not isinstance(event.get("series"), dict):
        return []
    series, errs = event["series"], []
    count = series.get("count")
    if not isinstance(count, int) or count < 2:
        errs.append(invalid("series.count", "", "should be at least 2"))
    if not get_str(series, "lastObservedTime"):
        errs.append(required("series.lastObservedTime"))
    return errs


def validate_event(obj: dict) -> list[FieldError]:
    errs = _lenient(obj) + _series(obj)
    if not get_str(obj, "eventTime"):
        errs.append(required("eventTime"))
    if get_str(obj, "type") not in ("Normal", "Warning"):
        errs.append(invalid("type", "", f"has invalid value: {get_str(obj, 'type')}"))
    for key, internal in (
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
    ):
        if get_str(obj, key):
            errs.append(invalid(internal, "", "needs to be unset"))
    if obj.get("deprecatedCount") not in (None, 0):
        errs.append(invalid("count", "", "needs to be unset"))
    source = get_dict(obj, "deprecatedSource")
    if get_str(source, "component") or get_str(source, "host"):
        errs.append(invalid("source", "", "needs to be unset"))
    return errs


def _render(key: str, value: Any) -> str:
    if key in ("regarding", "related"):
        return go_object_reference(value) if isinstance(value, dict) else "null"
    if key == "deprecatedSource":
        return f"core.EventSource{{Component:{json.dumps(get_str(value, 'component'))}, Host:{json.dumps(get_str(value, 'host'))}}}"
    if key in ("deprecatedFirstTimestamp", "deprecatedLastTimestamp", "eventTime"):
        return go_time(value)
    if key == "deprecatedCount":
        return str(value if isinstance(value, int) else 0)
    return json.dumps(value if isinstance(value, str) else "", ensure_ascii=False)


# (events.k8s.io field, the internal name errors use), in Kubernetes' order — reason twice, as there.
_IMMUTABLE = (
    ("regarding", "involvedObject"),
    ("reason", "reason"),
    ("note", "message"),
    ("deprecatedSource", "source"),
    ("deprecatedFirstTimestamp", "firstTimestamp"),
    ("deprecatedLastTimestamp", "lastTimestamp"),
    ("deprecatedCount", "count"),
    ("reason", "reason"),
    ("type", "type"),
    ("eventTime", "eventTime"),
    ("action", "action"),
    ("related", "related"),
    ("reportingController", "reportingController"),
    ("reportingInstance", "reportingInstance"),
)


def _same(key: str, new: Any, old: Any) -> bool:
    if key in ("regarding", "related", "deprecatedSource"):
        return (new or {}) == (old or {})
    if key in ("deprecatedFirstTimestamp", "deprecatedLastTimestamp", "eventTime"):
        return go_time(new) == go_time(old)
    if key == "deprecatedCount":
        return (new or 0) == (old or 0)
    return (new or "") == (old or "")


def validate_event_update(new: dict, old: dict) -> list[FieldError]:
    errs = _lenient(new)
    if new.get("series") != old.get("series"):
        errs += _series(new)
    for key, internal in _IMMUTABLE:
        if not _same(key, new.get(key), old.get(key)):
            errs.append(
                invalid_rendered(internal, _render(key, new.get(key)), "field is immutable")
            )
    return errs
