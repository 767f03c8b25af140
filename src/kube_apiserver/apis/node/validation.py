"""Validation of node.k8s.io/v1 RuntimeClasses (everything except metadata), as Kubernetes 1.33
does it.

The handler is a DNS label and never changes. The pod overhead is checked as container limits
are (so its errors name `overhead.limits[...]`), and the scheduling constraints as a pod's
node selector and tolerations, with tolerations unique by key, operator, value and effect.
"""

from __future__ import annotations

from kube_apiserver.apis.core.formats import _d, _ds, _label, _s, _smap, go_quote
from kube_apiserver.apis.core.podspec import validate_tolerations
from kube_apiserver.apis.core.quantities import validate_resource_requirements
from kube_apiserver.apis.meta.field import FieldError, immutable, path
from kube_apiserver.apis.meta.validation import validate_labels

_TOLERATION_KEY = ("key", "operator", "value", "effect")


def _go_toleration(t: dict) -> str:
    """%#v of the internal core.Toleration, the value a duplicate is reported with."""
    seconds = "0xc000010000" if t.get("tolerationSeconds") is not None else "nil"
    return (
        f"core.Toleration{{Key:{go_quote(_s(t, 'key'))}, Operator:{go_quote(_s(t, 'operator'))}, "
        f"Value:{go_quote(_s(t, 'value'))}, Effect:{go_quote(_s(t, 'effect'))}, "
        f"TolerationSeconds:(*int64)({seconds})}}"
    )


def _tolerations(tolerations: list[dict], fld: str) -> list[FieldError]:
    errs = validate_tolerations(tolerations, fld)
    seen: set[tuple[str, ...]] = set()
    for i, t in enumerate(tolerations):
        key = tuple(_s(t, k) for k in _TOLERATION_KEY)
        if key in seen:
            errs.append(
                FieldError(
                    "FieldValueDuplicate", path(fld, i), f"Duplicate value: {_go_toleration(t)}"
                )
            )
        seen.add(key)
    return errs


def validate_runtime_class(obj: dict) -> list[FieldError]:
    errs = _label("handler", _s(obj, "handler"))
    overhead = obj.get("overhead")
    if isinstance(overhead, dict):
        errs += validate_resource_requirements(
            {"limits": _d(overhead, "podFixed")}, set(), "overhead"
        )
    scheduling = obj.get("scheduling")
    if isinstance(scheduling, dict):
        selector = _smap(scheduling, "nodeSelector")
        if selector is not None:
            errs += validate_labels(selector, "scheduling.nodeSelector")
        errs += _tolerations(_ds(scheduling, "tolerations"), "scheduling.tolerations")
    return errs


def validate_runtime_class_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_runtime_class(new)
    if _s(new, "handler") != _s(old, "handler"):
        errs.append(immutable("handler", _s(new, "handler")))
    return errs
