"""Validation of metav1.Condition lists, as apimachinery's ValidateConditions does it.

Status conditions of the newer API types (ValidatingAdmissionPolicy, ServiceCIDR, ...) share
one shape and one rule set: unique qualified-name types, a True/False/Unknown status, a set
transition time and a CamelCase-ish reason.
"""

from __future__ import annotations

import re
from typing import Any

from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.field import FieldError
from kube_apiserver.apis.meta.unstructured import get_str
from kube_apiserver.apis.meta.validation import _regex_error, qualified_name_errors

CONDITION_STATUSES = ["False", "True", "Unknown"]
MAX_REASON_LENGTH = 1024
MAX_MESSAGE_LENGTH = 32 * 1024
_REASON_FMT = "[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?"
_REASON_RE = re.compile(_REASON_FMT)
_REASON_MSG = _regex_error(
    "a condition reason must start with alphabetic character, optionally followed by a string of "
    "alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'",
    _REASON_FMT,
    "my_name",
    "MY_NAME",
    "MyName",
    "ReasonA,ReasonB",
    "ReasonA:ReasonB",
)


def _condition(condition: dict, fld: str) -> list[FieldError]:
    kind = get_str(condition, "type")
    errs = [field.invalid(field.path(fld, "type"), kind, m) for m in qualified_name_errors(kind)]
    status = get_str(condition, "status")
    if status not in CONDITION_STATUSES:
        errs.append(field.not_supported(field.path(fld, "status"), status, CONDITION_STATUSES))
    generation = condition.get("observedGeneration")
    if isinstance(generation, int) and generation < 0:
        detail = "must be greater than or equal to zero"
        errs.append(field.invalid(field.path(fld, "observedGeneration"), generation, detail))
    if not condition.get("lastTransitionTime"):
        errs.append(field.required(field.path(fld, "lastTransitionTime"), "must be set"))
    reason = get_str(condition, "reason")
    if not reason:
        errs.append(field.required(field.path(fld, "reason"), "must be set"))
    else:
        if not _REASON_RE.fullmatch(reason):
            errs.append(field.invalid(field.path(fld, "reason"), reason, _REASON_MSG))
        if len(reason.encode()) > MAX_REASON_LENGTH:
            errs.append(field.too_long(field.path(fld, "reason"), MAX_REASON_LENGTH))
    if len(get_str(condition, "message").encode()) > MAX_MESSAGE_LENGTH:
        errs.append(field.too_long(field.path(fld, "message"), MAX_MESSAGE_LENGTH))
    return errs


def validate_conditions(conditions: list[Any], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    types: set[str] = set()
    for i, condition in enumerate(conditions):
        condition = condition if isinstance(condition, dict) else {}
        kind = get_str(condition, "type")
        if kind in types:
            errs.append(field.duplicate(field.path(fld, i, "type"), kind))
        types.add(kind)
        errs += _condition(condition, field.path(fld, i))
    return errs
