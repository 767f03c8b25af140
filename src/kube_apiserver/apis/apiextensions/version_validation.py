"""Validation of the per-version parts of a CustomResourceDefinition that are not its schema:
the scale subresource's paths, additional printer columns and deprecation warnings, as
Kubernetes 1.33 checks them. Paths are those of the internal form (see `internal.py`).
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.field import FieldError, invalid, required
from kube_apiserver.apis.meta.unstructured import get_str

Obj = dict[str, Any]

COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"]
COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"]
MAX_DEPRECATION_WARNING = 256


def validate_deprecation_warning(version: Obj, fld: str) -> list[FieldError]:
    if "deprecationWarning" not in version or version["deprecationWarning"] is None:
        return []
    warning = get_str(version, "deprecationWarning")
    at = field.path(fld, "deprecationWarning")
    if version.get("deprecated") is not True:
        return [invalid(at, warning, "can only be set for deprecated versions")]
    errs: list[FieldError] = []
    if len(warning.encode()) > MAX_DEPRECATION_WARNING:
        errs.append(invalid(at, warning, f"must be <= {MAX_DEPRECATION_WARNING} characters long"))
    if not warning:
        errs.append(invalid(at, warning, "must not be an empty string"))
    offset = 0
    # Go checks printability first, so a control character is reported as non-printable.
    for char in warning:
        if not char.isprintable():
            detail = f"must only contain printable UTF-8 characters; non-printable character found at index {offset}"
            errs.append(invalid(at, warning, detail))
            break
        offset += len(char.encode())
    return errs


def _simple_json_path(value: str, fld: str) -> list[FieldError]:
    if not value:
        return [invalid(fld, value, "must not be empty")]
    if not value.startswith("."):
        return [invalid(fld, value, "must be a simple json path starting with .")]
    return []


def validate_subresources(subresources: Obj | None, fld: str) -> list[FieldError]:
    scale = (subresources or {}).get("scale")
    if not isinstance(scale, dict):
        return []
    errs: list[FieldError] = []
    for key, prefixes, where in (
        ("specReplicasPath", (".spec.",), ".spec"),
        ("statusReplicasPath", (".status.",), ".status"),
    ):
        at = f"{fld}.scale.{key}"
        value = get_str(scale, key)
        if not value:
            errs.append(required(at))
        elif path_errs := _simple_json_path(value, at):
            errs += path_errs
        elif not value.startswith(prefixes):
            errs.append(invalid(at, value, f"should be a json path under {where}"))
    selector = get_str(scale, "labelSelectorPath")
    if selector:
        at = f"{fld}.scale.labelSelectorPath"
        if path_errs := _simple_json_path(selector, at):
            errs += path_errs
        elif not selector.startswith((".spec.", ".status.")):
            errs.append(
                invalid(at, selector, "should be a json path under either .spec or .status")
            )
    return errs


def validate_column(column: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not get_str(column, "name"):
        errs.append(required(field.path(fld, "name")))
    kind = get_str(column, "type")
    types = "must be one of " + ",".join(COLUMN_TYPES)
    if not kind:
        errs.append(required(field.path(fld, "type"), types))
    elif kind not in COLUMN_TYPES:
        errs.append(invalid(field.path(fld, "type"), kind, types))
    fmt = get_str(column, "format")
    if fmt and fmt not in COLUMN_FORMATS:
        detail = "must be one of " + ",".join(COLUMN_FORMATS)
        errs.append(invalid(field.path(fld, "format"), fmt, detail))
    json_path = get_str(column, "jsonPath")
    # Kubernetes names the field by its Go name here.
    if not json_path:
        errs.append(required(field.path(fld, "JSONPath")))
    else:
        errs += _simple_json_path(json_path, field.path(fld, "JSONPath"))
    return errs


def validate_columns(columns: Any, fld: str) -> list[FieldError]:
    items = [c if isinstance(c, dict) else {} for c in columns] if isinstance(columns, list) else []
    return [e for i, c in enumerate(items) for e in validate_column(c, field.path(fld, i))]
