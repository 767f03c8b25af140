"""Validation of apps/v1 ControllerRevisions: a snapshot of a controller's state whose data
may never change once written.

Kubernetes keeps `data` as raw JSON (a runtime.Unknown), so an immutable-field error prints
that struct with Go's `%#v`, the JSON as a byte slice.
"""

from __future__ import annotations

from typing import Any

import orjson

from kube_apiserver.apis.core.formats import _nonnegative
from kube_apiserver.apis.meta.field import FieldError, invalid_rendered, required
from kube_apiserver.apis.meta.unstructured import get_int


def _go_raw(data: Any) -> str:
    """%#v of the runtime.Unknown a RawExtension decodes to."""
    if data is None:
        return "null"
    raw = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    return (
        'runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, '
        "Raw:[]uint8{" + ", ".join(f"0x{b:x}" for b in raw) + '}, ContentEncoding:"", '
        'ContentType:"application/json"}'
    )


def validate_controllerrevision(obj: dict) -> list[FieldError]:
    errs = [] if obj.get("data") is not None else [required("data", "data is mandatory")]
    return errs + _nonnegative("revision", get_int(obj, "revision"))


def validate_controllerrevision_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_controllerrevision(new)
    if new.get("data") != old.get("data"):
        errs.append(invalid_rendered("data", _go_raw(new.get("data")), "field is immutable"))
    return errs
