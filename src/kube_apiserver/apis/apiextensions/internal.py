"""The form in which Kubernetes validates a CustomResourceDefinition, and how it prints its parts.

kube-apiserver converts a v1 CRD to its internal form before validating it: when every version
carries the same schema (or subresources, or printer columns), that value moves up to
`spec.validation` (`spec.subresources`, `spec.additionalPrinterColumns`) and the versions'
copies are dropped; a conversion webhook's settings become `spec.conversion.webhookClientConfig`
and `spec.conversion.conversionReviewVersions`. The field paths of its errors follow that form,
so validation here reads the same view. Errors about a whole list of versions print the
internal Go structs (`%#v`), which `go_versions` renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kube_apiserver.apis.core.formats import go_quote
from kube_apiserver.apis.meta.unstructured import get_dicts

Obj = dict[str, Any]
_ADDR = "0xc000010000"  # Go prints a real pointer address; any fixed one serves
_PKG = "apiextensions."


@dataclass
class InternalSpec:
    validation: Obj | None = None  # {"openAPIV3Schema": ...} shared by every version
    subresources: Obj | None = None
    columns: list[Obj] = field(default_factory=list)
    selectable_fields: list[Obj] = field(default_factory=list)
    versions: list[Obj] = field(default_factory=list)  # each without the fields moved up


def _optional(value: Any) -> Obj | None:
    return value if isinstance(value, dict) else None


def internal_spec(spec: Obj) -> InternalSpec:
    """The internal view of a v1 spec: shared per-version values hoisted to the top."""
    versions = [dict(v) for v in get_dicts(spec, "versions")]
    out = InternalSpec(versions=versions)
    if not versions:
        return out
    # Go's semantic equality treats a missing list and an empty one alike.
    keyed = {
        "schema": lambda v: _optional(v.get("schema")),
        "subresources": lambda v: _optional(v.get("subresources")),
        "additionalPrinterColumns": lambda v: get_dicts(v, "additionalPrinterColumns"),
        "selectableFields": lambda v: get_dicts(v, "selectableFields"),
    }
    same = {key: all(get(v) == get(versions[0]) for v in versions) for key, get in keyed.items()}
    same["selectableFields"] = same["selectableFields"] and same["schema"]
    first = versions[0]
    out.validation = keyed["schema"](first) if same["schema"] else None
    out.subresources = keyed["subresources"](first) if same["subresources"] else None
    if same["additionalPrinterColumns"]:
        out.columns = keyed["additionalPrinterColumns"](first)
    if same["selectableFields"]:
        out.selectable_fields = keyed["selectableFields"](first)
    for version in versions:
        for key, moved in same.items():
            if moved:
                version.pop(key, None)
    return out


def has_status(subresources: Obj | None) -> bool:
    return isinstance(subresources, dict) and isinstance(subresources.get("status"), dict)


# ---------------------------------------------------------------- Go %#v rendering


def _pointer(type_name: str, value: Any) -> str:
    return f"(*{type_name})({_ADDR if value is not None else 'nil'})"


def _go_bool(value: Any) -> str:
    return "true" if value is True else "false"


def _go_int(value: Any) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else "0"


def _go_str(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return go_quote(value if isinstance(value, str) else "")


def _go_slice(type_name: str, items: Any, render: Any) -> str:
    if not isinstance(items, list):
        return f"[]{_PKG}{type_name}(nil)"
    return (
        f"[]{_PKG}{type_name}{{" + ", ".join(render(i) for i in items if isinstance(i, dict)) + "}"
    )


def _go_column(column: Obj) -> str:
    return (
        f"{_PKG}CustomResourceColumnDefinition{{Name:{_go_str(column, 'name')}, "
        f"Type:{_go_str(column, 'type')}, Format:{_go_str(column, 'format')}, "
        f"Description:{_go_str(column, 'description')}, Priority:{_go_int(column.get('priority'))}, "
        f"JSONPath:{_go_str(column, 'jsonPath')}}}"
    )


def _go_selectable_field(selectable: Obj) -> str:
    return f"{_PKG}SelectableField{{JSONPath:{_go_str(selectable, 'jsonPath')}}}"


def go_version(version: Obj) -> str:
    """%#v of one internal CustomResourceDefinitionVersion."""
    return (
        f"{_PKG}CustomResourceDefinitionVersion{{Name:{_go_str(version, 'name')}, "
        f"Served:{_go_bool(version.get('served'))}, Storage:{_go_bool(version.get('storage'))}, "
        f"Deprecated:{_go_bool(version.get('deprecated'))}, "
        f"DeprecationWarning:{_pointer('string', version.get('deprecationWarning'))}, "
        f"Schema:{_pointer(_PKG + 'CustomResourceValidation', _optional(version.get('schema')))}, "
        "Subresources:"
        f"{_pointer(_PKG + 'CustomResourceSubresources', _optional(version.get('subresources')))}, "
        "AdditionalPrinterColumns:"
        f"{_go_slice('CustomResourceColumnDefinition', version.get('additionalPrinterColumns'), _go_column)}, "
        "SelectableFields:"
        f"{_go_slice('SelectableField', version.get('selectableFields'), _go_selectable_field)}}}"
    )


def go_versions(versions: list[Obj] | None) -> str:
    """%#v of the internal spec.versions slice (None: the object has no list at all)."""
    return _go_slice("CustomResourceDefinitionVersion", versions, go_version)
