"""Validation of node.k8s.io/v1 RuntimeClasses (everything except metadata), as Kubernetes 1.33
does it.

The handler is a DNS label and never changes. The pod overhead is checked as container limits
are (so its errors name `overhead.limits[...]`), and the scheduling constraints as a pod's
node selector and tolerations, with tolerations unique by key, operator, value and effect.
"""

from __future__ import annotations

from kube_apiserver.apis.core.formats import _label, go_quote
from kube_apiserver.apis.core.podspec import validate_tolerations
from kube_apiserver.apis.core.quantities import validate_resource_requirements
from kube_apiserver.apis.meta.field import FieldError, immutable, path
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_str, get_str_map
from kube_apiserver.apis.meta.validation import validate_labels

_TOLERATION_KEY = ("key", "operator", "value", "effect")


def _go_toleration(t: dict) -> str:
    """%#v of the internal core.Toleration, the value a duplicate is reported with."""
    seconds = "0xc000010000" if t.get("tolerationSeconds") is not None else "nil"
    return (
        f"core.Toleration{{Key:{go_quote(get_str(t, 'key'))}, Operator:{go_quote(get_str(t, 'operator'))}, "
        f"Value:{go_quote(get_str(t, 'value'))}, Effect:{go_quote(get_str(t, 'effect'))}, "
        f"TolerationSeconds:(*int64)({seconds})}}"
    )


def _tolerations(tolerations: list[dict], fld: str) -> list[FieldError]:
    errs = validate_tolerations(tolerations, fld)
    seen: set[tuple[str, ...]] = set()
    for i, t in enumerate(tolerations):
        key = tuple(get_str(t, k) for k in _TOLERATION_KEY)
        if key in seen:
            errs.append(
                FieldError(
                    "FieldValueDuplicate", path(fld, i), f"Duplicate value: {_go_toleration(t)}"
                )
            )
        seen.add(key)
    return errs


def validate_runtime_class(obj: dict) -> list[FieldError]:
    errs = _label("handler", get_str(obj, "handler"))
    overhead = obj.get("overhead")
    if isinstance(overhead, dict):
        errs += validate_resource_requirements(
            {"limits": get_dict(overhead, "podFixed")}, set(), "overhead"
        )
    scheduling = obj.get("scheduling")
    if isinstance(scheduling, dict):
        selector = get_str_map(scheduling, "nodeSelector")
        if selector is not None:
            errs += validate_labels(selector, "scheduling.nodeSelector")
        errs += _tolerations(get_dicts(scheduling, "tolerations"), "scheduling.tolerations")
    return errs


def validate_runtime_class_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_runtime_class(new)
    if get_str(new, "handler") != get_str(old, "handler"):
        errs.append(immutable("handler", get_str(new, "handler")))
    return errs
