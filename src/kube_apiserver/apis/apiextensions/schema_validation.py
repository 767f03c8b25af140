"""Validation of a CustomResourceDefinition's OpenAPI v3 schema, as Kubernetes 1.33 applies it.

Two passes, as in apiextensions-apiserver. The first walks the schema and refuses what the
server does not support (`$ref`, `definitions`, unknown types, defaults inside metadata, bad
`x-kubernetes-*` list and map settings). The second checks that the schema is structural
(`structural.py`); its errors come sorted, as Kubernetes sorts them.

Not checked here: CEL rules' compilation, regular expressions' syntax, defaults against the
schema, and that fields named in value validations are also declared structurally.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import orjson

from kube_apiserver.apis.apiextensions.structural import (
    JUNCTORS,
    as_dict,
    has_value,
    key_path,
    structural_errors,
    type_must_be,
)
from kube_apiserver.apis.core.formats import go_strings
from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.field import FieldError, forbidden, invalid, not_supported, required
from kube_apiserver.apis.meta.unstructured import get_dict

Obj = dict[str, Any]

OPENAPI_TYPES = ["array", "boolean", "integer", "number", "object", "string"]
META_FIELDS = ("metadata", "kind", "apiVersion")
# What may sit at the root of a schema whose status is a subresource (JSON names).
ROOT_FIELDS_WITH_STATUS = (
    "description", "type", "format", "title", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "multipleOf", "required", "items", "properties", "externalDocs", "example",
    "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations",
)  # fmt: skip
_ROOT_FIELD_NAMES = (
    "[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength "
    "MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties "
    "ExternalDocs Example XPreserveUnknownFields XValidations]"
)
_UNSUPPORTED = (
    ("id", "id is not supported"),
    ("additionalItems", "additionalItems is not supported"),
    ("patternProperties", "patternProperties is not supported"),
    ("definitions", "definitions is not supported"),
    ("dependencies", "dependencies is not supported"),
    ("$ref", "$ref is not supported"),
)


@dataclass(frozen=True)
class SchemaOptions:
    """What a schema must satisfy. Updates of objects stored before a rule existed are spared it."""

    allow_defaults: bool = True
    disallow_defaults_reason: str = ""
    inside_resource_meta: bool = False
    require_valid_property_type: bool = True
    require_structural: bool = True
    require_atomic_set_type: bool = True
    require_map_list_keys_map_set_validation: bool = True


def validate_validation(
    validation: Obj | None, *, status: bool, fld: str, opts: SchemaOptions
) -> list[FieldError]:
    """A CustomResourceValidation at `fld` (`spec.validation` or `spec.versions[i].schema`)."""
    schema = as_dict(validation).get("openAPIV3Schema")
    if not isinstance(schema, dict):
        return []
    root = field.path(fld, "openAPIV3Schema")
    errs: list[FieldError] = []
    if status:
        errs += _status_root(schema, root)
    if schema.get("nullable") is True:
        errs.append(forbidden(root + ".nullable", "nullable cannot be true at the root"))
    errs += _schema(schema, root, opts, is_root=True)
    if opts.require_structural:
        errs += sorted(structural_errors(schema, root), key=str)
    return errs


def _status_root(schema: Obj, root: str) -> list[FieldError]:
    for key in schema:
        if not has_value(schema, key):
            continue
        if key == "type":
            if schema["type"] != "object":
                detail = 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'
                return [invalid(root + ".type", schema["type"], detail)]
            continue
        if key not in ROOT_FIELDS_WITH_STATUS:
            detail = f"only {_ROOT_FIELD_NAMES} fields are allowed at the root of the schema if the status subresource is enabled"
            # Kubernetes prints the Go struct here; its JSON form says the same.
            return [field.invalid_rendered(root, orjson.dumps(schema).decode(), detail)]
    return []


# ---------------------------------------------------------------- first pass


def _standard(schema: Obj, fld: str, opts: SchemaOptions) -> list[FieldError]:
    errs: list[FieldError] = []
    kind = schema.get("type")
    if opts.require_valid_property_type and kind and kind not in OPENAPI_TYPES:
        errs.append(not_supported(field.path(fld, "type"), kind, OPENAPI_TYPES))
    if "default" in schema and not opts.allow_defaults:
        detail = "must not be set"
        if opts.disallow_defaults_reason:
            detail += " " + opts.disallow_defaults_reason
        errs.append(forbidden(field.path(fld, "default"), detail))
    for key, detail in _UNSUPPORTED:
        if schema.get(key) not in (None, "", {}, []):
            errs.append(forbidden(field.path(fld, key), detail))
    if kind == "null":
        errs.append(
            forbidden(
                field.path(fld, "type"),
                "type cannot be set to null, use nullable as an alternative",
            )
        )
    if isinstance(schema.get("items"), list) and schema["items"]:
        errs.append(
            forbidden(field.path(fld, "items"), "items must be a schema object and not an array")
        )
    if opts.inside_resource_meta and schema.get("x-kubernetes-embedded-resource") is True:
        at = field.path(fld, "x-kubernetes-embedded-resource")
        errs.append(forbidden(at, "must not be used inside of resource meta"))
    return errs


def _schema(
    schema: Obj, fld: str, opts: SchemaOptions, *, is_root: bool = False
) -> list[FieldError]:
    errs = _standard(schema, fld, opts)
    if schema.get("uniqueItems") is True:
        detail = "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"
        errs.append(forbidden(field.path(fld, "uniqueItems"), detail))
    properties = get_dict(schema, "properties")
    additional = schema.get("additionalProperties")
    if additional is not None:
        if properties and (additional is False or isinstance(additional, dict)):
            detail = "additionalProperties and properties are mutual exclusive"
            errs.append(forbidden(field.path(fld, "additionalProperties"), detail))
        if isinstance(additional, dict):
            sub = opts
            if opts.inside_resource_meta:
                sub = _no_defaults(opts, "inside additionalProperties applying to object metadata")
            errs += _schema(additional, field.path(fld, "additionalProperties"), sub)
    for name in sorted(properties):
        sub = opts
        if (
            is_root or schema.get("x-kubernetes-embedded-resource") is True
        ) and name in META_FIELDS:
            sub = replace(opts, inside_resource_meta=True)
            if is_root:
                sub = _no_defaults(sub, f"in top-level {name}")
        errs += _schema(
            as_dict(properties[name]), key_path(field.path(fld, "properties"), name), sub
        )
    if isinstance(schema.get("not"), dict):
        errs += _schema(schema["not"], field.path(fld, "not"), opts)
    for junctor in JUNCTORS:
        for i, sub_schema in enumerate(schema.get(junctor) or []):
            errs += _schema(as_dict(sub_schema), field.path(fld, junctor, i), opts)
    items = schema.get("items")
    if isinstance(items, dict):
        errs += _schema(items, field.path(fld, "items"), opts)
    elif isinstance(items, list):
        for i, item in enumerate(items):
            errs += _schema(as_dict(item), field.path(fld, "items", i), opts)
    return errs + _extensions(schema, fld, opts)


def _no_defaults(opts: SchemaOptions, reason: str) -> SchemaOptions:
    return replace(opts, allow_defaults=False, disallow_defaults_reason=reason)


def _extensions(schema: Obj, fld: str, opts: SchemaOptions) -> list[FieldError]:
    errs: list[FieldError] = []
    if schema.get("x-kubernetes-preserve-unknown-fields") is False:
        at = field.path(fld, "x-kubernetes-preserve-unknown-fields")
        errs.append(invalid(at, False, "must be true or undefined"))
    map_type = schema.get("x-kubernetes-map-type")
    if map_type is not None:
        errs += type_must_be(
            schema, fld, "object", "must be object if x-kubernetes-map-type is specified"
        )
        if map_type not in ("atomic", "granular"):
            at = field.path(fld, "x-kubernetes-map-type")
            errs.append(not_supported(at, map_type, ["atomic", "granular"]))
    list_type = schema.get("x-kubernetes-list-type")
    items = schema.get("items") if isinstance(schema.get("items"), dict) else None
    if list_type is not None and schema.get("type") != "array":
        errs += type_must_be(
            schema, fld, "array", "must be array if x-kubernetes-list-type is specified"
        )
    elif opts.require_atomic_set_type and list_type == "set" and items is not None:
        errs += _atomic_set_items(items, fld)
    if list_type is not None and list_type not in ("atomic", "set", "map"):
        at = field.path(fld, "x-kubernetes-list-type")
        errs.append(not_supported(at, list_type, ["atomic", "set", "map"]))
    keys = schema.get("x-kubernetes-list-map-keys") or []
    if keys and list_type != "map":
        detail = "must be map if x-kubernetes-list-map-keys is non-empty"
        at = field.path(fld, "x-kubernetes-list-type")
        errs.append(required(at, detail) if list_type is None else invalid(at, list_type, detail))
    if list_type == "map":
        errs += _map_list(schema, fld, keys)
    errs += _validation_rules(schema, fld)
    if opts.require_map_list_keys_map_set_validation:
        errs += _map_set_items(schema, fld)
    return errs


def _atomic_set_items(items: Obj, fld: str) -> list[FieldError]:
    detail = "must be atomic as item of a list with x-kubernetes-list-type=set"
    at = field.path(fld, "items")
    if items.get("type") == "array" and items.get("x-kubernetes-list-type") not in (None, "atomic"):
        return [
            invalid(
                field.path(at, "x-kubernetes-list-type"), items["x-kubernetes-list-type"], detail
            )
        ]
    if items.get("type") == "object" and items.get("x-kubernetes-map-type") != "atomic":
        # Kubernetes shows the item's list type here, whatever its map type is.
        shown = items.get("x-kubernetes-list-type")
        return [
            invalid(
                field.path(at, "x-kubernetes-map-type"), "null" if shown is None else shown, detail
            )
        ]
    return []


def _map_list(schema: Obj, fld: str, keys: list[Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    if not keys:
        detail = "must not be empty if x-kubernetes-list-type is map"
        errs.append(required(field.path(fld, "x-kubernetes-list-map-keys"), detail))
    items = schema.get("items")
    if items is None:
        errs.append(
            required(
                field.path(fld, "items"), "must have a schema if x-kubernetes-list-type is map"
            )
        )
        return errs
    if not isinstance(items, dict):
        detail = "must only have a single schema if x-kubernetes-list-type is map"
        return errs + [
            field.invalid_rendered(field.path(fld, "items"), orjson.dumps(items).decode(), detail)
        ]
    if items.get("type") != "object":
        detail = "must be object if parent array's x-kubernetes-list-type is map"
        return errs + [invalid(field.path(fld, "items", "type"), items.get("type") or "", detail)]
    properties = get_dict(items, "properties")
    key_list = go_strings([str(k) for k in keys])
    seen: set[str] = set()
    for key in keys:
        if key in properties:
            if as_dict(properties[key]).get("type") in ("array", "object"):
                at = field.path(key_path(field.path(fld, "items", "properties"), key), "type")
                detail = "must be a scalar type if parent array's x-kubernetes-list-type is map"
                errs.append(invalid(at, "object", detail))
        else:
            detail = "entries must all be names of item properties"
            errs.append(
                field.invalid_rendered(
                    field.path(fld, "x-kubernetes-list-map-keys"), key_list, detail
                )
            )
        if key in seen:
            detail = "must not contain duplicate entries"
            errs.append(
                field.invalid_rendered(
                    field.path(fld, "x-kubernetes-list-map-keys"), key_list, detail
                )
            )
        seen.add(key)
    return errs


def _map_set_items(schema: Obj, fld: str) -> list[FieldError]:
    items = schema.get("items")
    list_type = schema.get("x-kubernetes-list-type")
    if not isinstance(items, dict) or list_type not in ("set", "map"):
        return []
    errs: list[FieldError] = []
    at = field.path(fld, "items")
    if items.get("nullable") is True:
        detail = "cannot be nullable when x-kubernetes-list-type is " + list_type
        errs.append(forbidden(field.path(at, "nullable"), detail))
    if list_type == "map":
        required_keys = set(items.get("required") or [])
        properties = get_dict(items, "properties")
        for key in schema.get("x-kubernetes-list-map-keys") or []:
            if key not in properties:
                continue
            prop = as_dict(properties[key])
            prop_at = key_path(field.path(at, "properties"), key)
            if key not in required_keys and "default" not in prop:
                detail = "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"
                errs.append(required(field.path(prop_at, "default"), detail))
            if prop.get("nullable") is True:
                detail = "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"
                errs.append(forbidden(field.path(prop_at, "nullable"), detail))
    return errs


def _validation_rules(schema: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, rule in enumerate(schema.get("x-kubernetes-validations") or []):
        rule = as_dict(rule)
        at = field.path(fld, "x-kubernetes-validations", i)
        text = rule.get("rule") if isinstance(rule.get("rule"), str) else ""
        message = rule.get("message") if isinstance(rule.get("message"), str) else ""
        if not text.strip():
            errs.append(required(field.path(at, "rule"), "rule is not specified"))
        elif message and not message.strip():
            detail = "message must be non-empty if specified"
            errs.append(invalid(field.path(at, "message"), message, detail))
        elif "\n" in message.strip() or "\r" in message.strip():
            errs.append(
                invalid(field.path(at, "message"), message, "message must not contain line breaks")
            )
        elif ("\n" in text.strip() or "\r" in text.strip()) and not message.strip():
            detail = "message must be specified if rule contains line breaks"
            errs.append(required(field.path(at, "message"), detail))
    return errs


# ---------------------------------------------------------------- searching schemas


def schema_has(schema: Any, predicate: Any) -> bool:
    """Whether `predicate` holds for `schema` or any schema nested in it."""
    if not isinstance(schema, dict):
        return False
    if predicate(schema):
        return True
    nested: list[Any] = [
        schema.get("not"),
        schema.get("additionalProperties"),
        schema.get("additionalItems"),
    ]
    items = schema.get("items")
    nested += items if isinstance(items, list) else [items]
    for junctor in JUNCTORS:
        nested += schema.get(junctor) or []
    for key in ("properties", "patternProperties", "definitions", "dependencies"):
        nested += list(as_dict(schema.get(key)).values())
    return any(schema_has(sub, predicate) for sub in nested)


def has_invalid_type(schema: Obj) -> bool:
    return bool(schema.get("type")) and schema.get("type") not in OPENAPI_TYPES


def has_non_atomic_set(schema: Obj) -> bool:
    items = schema.get("items")
    if schema.get("x-kubernetes-list-type") != "set" or not isinstance(items, dict):
        return False
    return bool(_atomic_set_items(items, ""))


def has_invalid_map_list_keys(schema: Obj) -> bool:
    return bool(_map_set_items(schema, ""))
