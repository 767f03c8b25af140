"""Validation of scheduling.k8s.io/v1 PriorityClasses (everything except metadata), as
Kubernetes 1.33 does it.

Names starting with `system-` are reserved for the system classes; other classes may not go
above one billion. An update checks only that value and preemptionPolicy did not change.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import _enum
from kube_apiserver.apis.meta.field import FieldError, forbidden, immutable
from kube_apiserver.apis.meta.unstructured import get_int, get_str
from kube_apiserver.apis.scheduling.system_priority_classes import (
    HIGHEST_USER_DEFINABLE_PRIORITY,
    SYSTEM_PREFIX,
    known_system_class_error,
)

PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"]


def _value(obj: dict) -> int:
    return get_int(obj, "value") or 0


def validate_priority_class(obj: dict) -> list[FieldError]:
    name = get_str(obj.get("metadata"), "name")
    errs: list[FieldError] = []
    if name.startswith(SYSTEM_PREFIX):
        why = known_system_class_error(name, _value(obj), obj.get("globalDefault") is True)
        if why is not None:
            errs.append(
                forbidden(
                    "metadata.name",
                    f"priority class names with '{SYSTEM_PREFIX}' prefix are reserved for "
                    f"system use only. error: {why}",
                )
            )
    elif _value(obj) > HIGHEST_USER_DEFINABLE_PRIORITY:
        errs.append(
            forbidden(
                "value",
                f"maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE_PRIORITY}",
            )
        )
    if obj.get("preemptionPolicy") is not None:
        errs += _enum("preemptionPolicy", get_str(obj, "preemptionPolicy"), PREEMPTION_POLICIES)
    return errs


def validate_priority_class_update(new: dict, old: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    if _value(new) != _value(old):
        errs.append(forbidden("value", "may not be changed in an update."))
    policy: Any = new.get("preemptionPolicy")
    if policy != old.get("preemptionPolicy"):
        errs.append(immutable("preemptionPolicy", policy))
    return errs
