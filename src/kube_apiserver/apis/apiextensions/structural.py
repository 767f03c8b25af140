"""Whether a CustomResourceDefinition's schema is *structural*, as Kubernetes 1.33 checks it.

A structural schema gives every field a type and every array its items; `metadata` at the root
may restrict only the name and generateName; the value validations under `allOf`, `anyOf`,
`oneOf` and `not` restrict values but declare no structure (no types, defaults, descriptions
or `x-kubernetes-*` settings) and never touch `metadata`. The two int-or-string patterns
(`anyOf: [{type: integer}, {type: string}]`, directly or first under `allOf`) are allowed.
Callers sort the errors, as Kubernetes does.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.field import FieldError, forbidden, invalid, required
from kube_apiserver.apis.meta.unstructured import get_dict

Obj = dict[str, Any]

# Generic fields and extensions a value validation (under allOf/anyOf/oneOf/not) may not set.
_NESTED_FORBIDDEN = (
    ("type", "must be empty to be structural"),
    ("default", "must be undefined to be structural"),
    ("title", "must be empty to be structural"),
    ("description", "must be empty to be structural"),
    ("nullable", "must be false to be structural"),
    ("externalDocs", "must be undefined to be structural"),
    ("x-kubernetes-preserve-unknown-fields", "must be false to be structural"),
    ("x-kubernetes-embedded-resource", "must be false to be structural"),
    ("x-kubernetes-int-or-string", "must be false to be structural"),
    ("x-kubernetes-list-map-keys", "must be empty to be structural"),
    ("x-kubernetes-list-type", "must be undefined to be structural"),
    ("x-kubernetes-map-type", "must be undefined to be structural"),
    ("x-kubernetes-validations", "must be empty to be structural"),
)

JUNCTORS = ("allOf", "anyOf", "oneOf")

_ROOT, _ITEM, _FIELD = "root", "item", "field"
_EMPTY_TYPE = {
    _ROOT: "must not be empty at the root",
    _ITEM: "must not be empty for specified array items",
    _FIELD: "must not be empty for specified object fields",
}


def key_path(fld: str, key: str) -> str:
    return f"{fld}[{key}]"


def as_dict(value: Any) -> Obj:
    return value if isinstance(value, dict) else {}


def has_value(schema: Obj, key: str) -> bool:
    """Whether a field has a non-zero value, as Go's struct fields see it."""
    value = schema.get(key)
    return value not in (None, False, "", [], {}) or (value == 0 and not isinstance(value, bool))


def type_must_be(schema: Obj, fld: str, kind: str, detail: str) -> list[FieldError]:
    if schema.get("type") == kind:
        return []
    if not schema.get("type"):
        return [required(field.path(fld, "type"), detail)]
    return [invalid(field.path(fld, "type"), schema["type"], detail)]


def is_structural(schema: Any) -> bool:
    return not isinstance(schema, dict) or not structural_errors(schema, "")


def structural_errors(schema: Obj, fld: str) -> list[FieldError]:
    """Why `schema` is not structural (unsorted)."""
    return _structural(schema, _ROOT, fld)


def _structural(schema: Obj, level: str, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    kind = schema.get("type") or ""
    items = schema.get("items")
    if kind == "array" and items is None:
        errs.append(required(field.path(fld, "items"), "must be specified"))
    if isinstance(items, dict):
        errs += _structural(items, _ITEM, field.path(fld, "items"))
    properties = get_dict(schema, "properties")
    for name, prop in properties.items():
        errs += _structural(as_dict(prop), _FIELD, key_path(field.path(fld, "properties"), name))
    additional = schema.get("additionalProperties")
    if additional is not None:
        if level == _ROOT:
            errs.append(
                forbidden(field.path(fld, "additionalProperties"), "must not be used at the root")
            )
        if isinstance(additional, dict):
            errs += _structural(additional, _FIELD, field.path(fld, "additionalProperties"))
    int_or_string = schema.get("x-kubernetes-int-or-string") is True
    preserve = schema.get("x-kubernetes-preserve-unknown-fields") is True
    embedded = schema.get("x-kubernetes-embedded-resource") is True
    if int_or_string and preserve:
        at = field.path(fld, "x-kubernetes-preserve-unknown-fields")
        errs.append(invalid(at, True, "must be false if x-kubernetes-int-or-string is true"))
    if int_or_string and embedded:
        at = field.path(fld, "x-kubernetes-embedded-resource")
        errs.append(invalid(at, True, "must be false if x-kubernetes-int-or-string is true"))
    errs += _value_validation(schema, level, fld, skip_any_of=_int_or_string_any_of(schema))
    if embedded and kind != "object":
        errs += type_must_be(
            schema, fld, "object", "must be object if x-kubernetes-embedded-resource is true"
        )
    elif not kind and not int_or_string and not preserve:
        errs.append(required(field.path(fld, "type"), _EMPTY_TYPE[level]))
    if embedded and additional is not None:
        detail = "must not be used if x-kubernetes-embedded-resource is set"
        errs.append(forbidden(field.path(fld, "additionalProperties"), detail))
    if level == _ROOT and kind and kind != "object":
        errs.append(invalid(field.path(fld, "type"), kind, "must be object at the root"))
    check_meta = level == _ROOT or embedded
    for name in ("kind", "apiVersion"):
        if name in properties and check_meta and as_dict(properties[name]).get("type") != "string":
            at = field.path(key_path(field.path(fld, "properties"), name), "type")
            errs.append(invalid(at, as_dict(properties[name]).get("type") or "", "must be string"))
    if "metadata" in properties:
        errs += _metadata(
            as_dict(properties["metadata"]),
            check_meta,
            level,
            key_path(field.path(fld, "properties"), "metadata"),
        )
    if embedded and not preserve and not properties:
        detail = "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"
        errs.append(required(field.path(fld, "properties"), detail))
    return errs


# Keys of a root metadata schema that restrict nothing beyond name and generateName.
_METADATA_IGNORED = ("type", "default", "properties")


def _metadata(schema: Obj, check_meta: bool, level: str, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if check_meta and schema.get("type") != "object":
        errs.append(invalid(field.path(fld, "type"), schema.get("type") or "", "must be object"))
    if level == _ROOT:
        names = set(get_dict(schema, "properties"))
        restricts = names and not names <= {"name", "generateName"}
        if restricts or any(has_value(schema, k) for k in schema if k not in _METADATA_IGNORED):
            detail = "must not specify anything other than name and generateName, but metadata is implicitly specified"
            errs.append(forbidden(fld, detail))
    return errs


def _int_or_string_any_of(schema: Obj) -> bool:
    """The `anyOf: [{type: integer}, {type: string}]` that int-or-string fields may carry."""
    return schema.get("anyOf") == [{"type": "integer"}, {"type": "string"}]


def _value_validation(
    schema: Obj, level: str, fld: str, *, skip_any_of: bool = False
) -> list[FieldError]:
    errs: list[FieldError] = []
    first_all_of = as_dict((schema.get("allOf") or [None])[0])
    skip_first_all_of_any_of = _int_or_string_any_of(first_all_of)
    if not skip_any_of:
        for i, sub in enumerate(schema.get("anyOf") or []):
            errs += _nested(as_dict(sub), level, field.path(fld, "anyOf", i))
    for i, sub in enumerate(schema.get("allOf") or []):
        skip = skip_first_all_of_any_of and i == 0
        errs += _nested(as_dict(sub), level, field.path(fld, "allOf", i), skip_any_of=skip)
    for i, sub in enumerate(schema.get("oneOf") or []):
        errs += _nested(as_dict(sub), level, field.path(fld, "oneOf", i))
    if isinstance(schema.get("not"), dict):
        errs += _nested(schema["not"], level, field.path(fld, "not"))
    return errs


def _nested(schema: Obj, level: str, fld: str, *, skip_any_of: bool = False) -> list[FieldError]:
    """A value validation: it may restrict values but declare no structure."""
    errs = _value_validation(schema, level, fld, skip_any_of=skip_any_of)
    if isinstance(schema.get("items"), dict):
        errs += _nested(schema["items"], level, field.path(fld, "items"))
    properties = get_dict(schema, "properties")
    for name, prop in properties.items():
        errs += _nested(as_dict(prop), _FIELD, key_path(field.path(fld, "properties"), name))
    for key, detail in _NESTED_FORBIDDEN:
        if has_value(schema, key) or (key == "default" and "default" in schema):
            errs.append(forbidden(field.path(fld, key), detail))
    if "additionalProperties" in schema:
        at = field.path(fld, "additionalProperties")
        errs.append(forbidden(at, "must be undefined to be structural"))
    if "metadata" in properties:
        at = key_path(field.path(fld, "properties"), "metadata")
        errs.append(forbidden(at, "must not be specified in a nested context"))
    return errs
