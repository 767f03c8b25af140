"""Validation of apiextensions.k8s.io/v1 CustomResourceDefinitions, as Kubernetes 1.33 applies it.

A CRD is named `<plural>.<group>`, lives in a group with a dot in it, has exactly one storage
version and (in v1) a schema for every version. Validation runs on the internal view
(`internal.py`), so paths read `spec.validation.openAPIV3Schema...` when all versions share a
schema, as kube-apiserver reports them. On update, rules added after an object was stored
(structural schemas, property types, ...) apply only if the old object already met them, and
scope and kind become immutable once the CRD is established.

Kubernetes does not require a served version; neither does this.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from kube_apiserver.apis.admissionregistration.validation import _service, _webhook_url
from kube_apiserver.apis.apiextensions import schema_validation, structural, version_validation
from kube_apiserver.apis.apiextensions.internal import (
    InternalSpec,
    go_version,
    go_versions,
    has_status,
    internal_spec,
)
from kube_apiserver.apis.apiextensions.schema_validation import SchemaOptions, schema_has
from kube_apiserver.apis.core.formats import dns1035_label_errors, go_strings
from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.field import FieldError, forbidden, immutable, invalid, required
from kube_apiserver.apis.meta.unstructured import get_dict, get_str
from kube_apiserver.apis.meta.validation import dns1123_subdomain_errors

Obj = dict[str, Any]

SCOPES = ["Cluster", "Namespaced"]
CONVERSION_STRATEGIES = ["None", "Webhook"]
CONVERSION_REVIEW_VERSIONS = ("v1", "v1beta1")
APPROVAL_ANNOTATION = "api-approved.kubernetes.io"
_ENHANCEMENT = "see https://github.com/kubernetes/enhancements/pull/1111"


def _dns1035(fld: str, value: str, *, prefix: str = "", shown: Any = None) -> list[FieldError]:
    errs = dns1035_label_errors(value)
    return (
        [invalid(fld, value if shown is None else shown, prefix + ",".join(errs))] if errs else []
    )


# ---------------------------------------------------------------- names


def validate_names(names: Obj, fld: str) -> list[FieldError]:
    """CustomResourceDefinitionNames, in spec.names or status.acceptedNames."""
    errs: list[FieldError] = []
    for key in ("plural", "singular"):
        if get_str(names, key):
            errs += _dns1035(field.path(fld, key), get_str(names, key))
    mixed = "may have mixed case, but should otherwise match: "
    for key in ("kind", "listKind"):
        value = get_str(names, key)
        if value:
            errs += _dns1035(field.path(fld, key), value.lower(), prefix=mixed, shown=value)
    for i, short in enumerate(names.get("shortNames") or []):
        errs += _dns1035(field.path(fld, "shortNames", i), short if isinstance(short, str) else "")
    if get_str(names, "kind") and get_str(names, "kind") == get_str(names, "listKind"):
        detail = "kind and listKind may not be the same"
        errs.append(invalid(field.path(fld, "listKind"), get_str(names, "listKind"), detail))
    for i, category in enumerate(names.get("categories") or []):
        value = category if isinstance(category, str) else ""
        errs += _dns1035(field.path(fld, "categories", i), value)
    return errs


def _name(obj: Obj) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    name = get_str(get_dict(obj, "metadata"), "name")
    expected = f"{get_str(get_dict(spec, 'names'), 'plural')}.{get_str(spec, 'group')}"
    if name and name != expected:
        return [invalid("metadata.name", name, 'must be spec.names.plural+"."+spec.group')]
    return []


# ---------------------------------------------------------------- versions


def _version(version: Obj, fld: str, *, status: bool, opts: SchemaOptions) -> list[FieldError]:
    errs = version_validation.validate_deprecation_warning(version, fld)
    schema = version.get("schema") if isinstance(version.get("schema"), dict) else None
    errs += schema_validation.validate_validation(
        schema, status=status, fld=field.path(fld, "schema"), opts=opts
    )
    errs += version_validation.validate_subresources(
        get_dict(version, "subresources") or None, field.path(fld, "subresources")
    )
    return errs + version_validation.validate_columns(
        version.get("additionalPrinterColumns"), field.path(fld, "additionalPrinterColumns")
    )


# ---------------------------------------------------------------- spec


class _Rules:
    """Which of the rules that were tightened over time apply (all of them on create)."""

    def __init__(
        self, old_spec: Obj | None = None, old_internal: InternalSpec | None = None
    ) -> None:
        self.recognized_review_version = True
        self.openapi_schema = True
        self.schema = SchemaOptions()
        if old_spec is None or old_internal is None:
            return
        reviews = _review_versions_of(get_dict(old_spec, "conversion"))
        self.recognized_review_version = not reviews or bool(
            set(reviews) & set(CONVERSION_REVIEW_VERSIONS)
        )
        self.openapi_schema = _all_schemas(old_internal)
        schemas = _schemas(old_internal)

        def any_schema(predicate: Any) -> bool:
            return any(schema_has(s, predicate) for s in schemas)

        self.schema = SchemaOptions(
            require_valid_property_type=not any_schema(schema_validation.has_invalid_type),
            require_structural=all(structural.is_structural(s) for s in schemas),
            require_atomic_set_type=not any_schema(schema_validation.has_non_atomic_set),
            require_map_list_keys_map_set_validation=not any_schema(
                schema_validation.has_invalid_map_list_keys
            ),
        )


def _schemas(internal: InternalSpec) -> list[Any]:
    """Every openAPIV3Schema of the spec: the shared one and the versions' own."""
    found = [get_dict(internal.validation, "openAPIV3Schema")]
    found += [get_dict(v, "schema").get("openAPIV3Schema") for v in internal.versions]
    return [s for s in found if isinstance(s, dict)]


def _all_schemas(internal: InternalSpec) -> bool:
    if get_dict(internal.validation, "openAPIV3Schema"):
        return True
    return all(
        isinstance(get_dict(v, "schema").get("openAPIV3Schema"), dict) for v in internal.versions
    )


def _group(group: str) -> list[FieldError]:
    if not group:
        return [required("spec.group")]
    if errs := dns1123_subdomain_errors(group):
        return [invalid("spec.group", group, ",".join(errs))]
    if "." not in group:
        return [invalid("spec.group", group, "should be a domain with at least one dot")]
    return []


def _schema_presence(spec: Obj, internal: InternalSpec, rules: _Rules) -> list[FieldError]:
    if get_dict(internal.validation, "openAPIV3Schema"):
        return []
    errs: list[FieldError] = []
    for i, version in enumerate(internal.versions):
        if isinstance(get_dict(version, "schema").get("openAPIV3Schema"), dict):
            continue
        at = field.path("spec.versions", i, "schema", "openAPIV3Schema")
        if rules.openapi_schema:
            errs.append(required(at, "schemas are required"))
        elif spec.get("preserveUnknownFields") is not True and version.get("served") is True:
            errs.append(required(at, "because otherwise all fields are pruned"))
    return errs


def _versions(internal: InternalSpec, raw: Any, rules: _Rules) -> list[FieldError]:
    errs: list[FieldError] = []
    storage, names = 0, set()
    unique = True
    for i, version in enumerate(internal.versions):
        storage += version.get("storage") is True
        name = get_str(version, "name")
        unique = unique and name not in names
        names.add(name)
        errs += _dns1035(field.path("spec.versions", i, "name"), name)
        per_version = "subresources" in version
        status = has_status(
            get_dict(version, "subresources") if per_version else internal.subresources
        )
        errs += _version(version, field.path("spec.versions", i), status=status, opts=rules.schema)
    shown = go_versions(internal.versions if isinstance(raw, list) else None)
    if not unique:
        errs.append(
            field.invalid_rendered("spec.versions", shown, "must contain unique version names")
        )
    if storage != 1:
        errs.append(
            field.invalid_rendered(
                "spec.versions", shown, "must have exactly one version marked as storage version"
            )
        )
    # The internal spec.version repeats the first version's name.
    first = get_str(internal.versions[0], "name") if internal.versions else ""
    if first:
        errs += _dns1035("spec.version", first)
    return errs


def _conversion(spec: Obj, rules: _Rules) -> list[FieldError]:
    conversion = get_dict(spec, "conversion")
    if not conversion:
        return []
    errs: list[FieldError] = []
    strategy = get_str(conversion, "strategy")
    if strategy != "None" and spec.get("preserveUnknownFields") is True:
        detail = "must be None if spec.preserveUnknownFields is true"
        errs.append(invalid("spec.conversion.strategy", strategy, detail))
    if not strategy:
        errs.append(required("spec.conversion.strategy"))
    elif strategy not in CONVERSION_STRATEGIES:
        errs.append(
            field.not_supported("spec.conversion.strategy", strategy, CONVERSION_STRATEGIES)
        )
    webhook = get_dict(conversion, "webhook")
    client = webhook.get("clientConfig") if isinstance(webhook.get("clientConfig"), dict) else None
    reviews = _review_versions_of(conversion)
    at = "spec.conversion.webhookClientConfig"
    if strategy != "Webhook":
        if client is not None:
            errs.append(forbidden(at, "should not be set when strategy is not set to Webhook"))
        if reviews:
            detail = "should not be set when strategy is not set to Webhook"
            errs.append(forbidden("spec.conversion.conversionReviewVersions", detail))
        return errs
    if client is None:
        errs.append(required(at, "required when strategy is set to Webhook"))
    elif ("url" in client and client["url"] is not None) == isinstance(client.get("service"), dict):
        errs.append(required(at, "exactly one of url or service is required"))
    elif isinstance(client.get("service"), dict):
        errs += _service(client["service"], field.path(at, "service"))
    else:
        errs += _webhook_url(get_str(client, "url"), field.path(at, "url"))
    return errs + _review_versions(reviews, require_recognized=rules.recognized_review_version)


def _review_versions_of(conversion: Obj) -> list[str]:
    versions = get_dict(conversion, "webhook").get("conversionReviewVersions")
    return [v if isinstance(v, str) else "" for v in versions] if isinstance(versions, list) else []


def _review_versions(versions: list[str], *, require_recognized: bool) -> list[FieldError]:
    fld = "spec.conversion.conversionReviewVersions"
    if not versions:
        return [required(fld)]
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, version in enumerate(versions):
        if version in seen:
            errs.append(invalid(field.path(fld, i), version, "duplicate version"))
            continue
        seen.add(version)
        errs += [invalid(field.path(fld, i), version, m) for m in dns1035_label_errors(version)]
    if require_recognized and not seen & set(CONVERSION_REVIEW_VERSIONS):
        detail = "must include at least one of " + ", ".join(CONVERSION_REVIEW_VERSIONS)
        errs.append(field.invalid_rendered(fld, go_strings(versions), detail))
    return errs


def _has_defaults(internal: InternalSpec) -> bool:
    return any(schema_has(s, lambda n: "default" in n) for s in _schemas(internal))


def _spec(spec: Obj, internal: InternalSpec, rules: _Rules) -> list[FieldError]:
    errs = _group(get_str(spec, "group"))
    scope = get_str(spec, "scope")
    if not scope:
        errs.append(required("spec.scope"))
    elif scope not in SCOPES:
        errs.append(field.not_supported("spec.scope", scope, SCOPES))
    errs += _schema_presence(spec, internal, rules)
    if spec.get("preserveUnknownFields") is True and _has_defaults(internal):
        detail = "must be false in order to use defaults in the schema"
        errs.append(invalid("spec.preserveUnknownFields", True, detail))
    errs += _versions(internal, spec.get("versions"), rules)
    names = get_dict(spec, "names")
    for key in ("plural", "singular", "kind", "listKind"):
        if not get_str(names, key):
            errs.append(required(field.path("spec.names", key)))
    errs += validate_names(names, "spec.names")
    any_status = has_status(internal.subresources) or any(
        has_status(get_dict(v, "subresources")) for v in internal.versions
    )
    errs += schema_validation.validate_validation(
        internal.validation, status=any_status, fld="spec.validation", opts=rules.schema
    )
    errs += version_validation.validate_subresources(internal.subresources, "spec.subresources")
    errs += version_validation.validate_columns(internal.columns, "spec.additionalPrinterColumns")
    return errs + _conversion(spec, rules)


# ---------------------------------------------------------------- status and approval


def _stored_versions(obj: Obj, internal: InternalSpec) -> list[FieldError]:
    fld = "status.storedVersions"
    raw = get_dict(obj, "status").get("storedVersions")
    stored = [v if isinstance(v, str) else "" for v in raw] if isinstance(raw, list) else []
    if not stored:
        return [
            field.invalid_rendered(
                fld,
                go_strings(raw if isinstance(raw, list) else None),
                "must have at least one stored version",
            )
        ]
    errs: list[FieldError] = []
    index = {name: i for i, name in enumerate(stored)}
    for version in internal.versions:
        name = get_str(version, "name")
        if version.get("storage") is True and name not in index:
            errs.append(
                field.invalid_rendered(
                    fld, go_version(version), "must have the storage version " + name
                )
            )
        index.pop(name, None)
    for name, i in sorted(index.items(), key=lambda item: item[1]):
        errs.append(invalid(field.path(fld, i), name, "must appear in spec.versions"))
    return errs


def protected_group(group: str) -> bool:
    return any(group == d or group.endswith("." + d) for d in ("k8s.io", "kubernetes.io"))


def _approval_state(annotations: Obj) -> tuple[str, str]:
    value = get_str(annotations, APPROVAL_ANNOTATION)
    quoted = f'"{APPROVAL_ANNOTATION}"'
    if not value:
        return "missing", f"protected groups must have approval annotation {quoted}, {_ENHANCEMENT}"
    if value.startswith("unapproved"):
        return "bypassed", f'not approved: "{value}"'
    parts = urlsplit(value)
    if parts.scheme and parts.netloc:
        return "approved", f"approved in {value}"
    detail = f'protected groups must have approval annotation {quoted} with either a URL or a reason starting with "unapproved", {_ENHANCEMENT}'
    return "invalid", detail


def _api_approval(new: Obj, old: Obj | None) -> list[FieldError]:
    if not protected_group(get_str(get_dict(new, "spec"), "group")):
        return []
    annotations = get_dict(get_dict(new, "metadata"), "annotations")
    state, reason = _approval_state(annotations)
    if (
        old is not None
        and _approval_state(get_dict(get_dict(old, "metadata"), "annotations"))[0] == state
    ):
        return []
    at = f"metadata.annotations[{APPROVAL_ANNOTATION}]"
    if state == "missing":
        return [required(at, reason)]
    if state == "invalid":
        return [invalid(at, get_str(annotations, APPROVAL_ANNOTATION), reason)]
    return []


def _preserve_unknown_fields(new: Obj, old: Obj | None) -> list[FieldError]:
    if old is not None and get_dict(old, "spec").get("preserveUnknownFields") is True:
        return []
    if get_dict(new, "spec").get("preserveUnknownFields") is True:
        detail = "cannot set to true, set x-preserve-unknown-fields to true in spec.versions[*].schema instead"
        return [invalid("spec.preserveUnknownFields", True, detail)]
    return []


def _status(obj: Obj) -> list[FieldError]:
    accepted = get_dict(get_dict(obj, "status"), "acceptedNames")
    return validate_names(accepted, "status.acceptedNames")


def established(obj: Obj) -> bool:
    conditions = get_dict(obj, "status").get("conditions") or []
    return any(
        get_str(c, "type") == "Established" and get_str(c, "status") == "True" for c in conditions
    )


# ---------------------------------------------------------------- entry points


def validate_crd(obj: Obj) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    internal = internal_spec(spec)
    errs = _name(obj) + _spec(spec, internal, _Rules()) + _status(obj)
    errs += _stored_versions(obj, internal)
    return errs + _api_approval(obj, None) + _preserve_unknown_fields(obj, None)


def validate_crd_update(new: Obj, old: Obj) -> list[FieldError]:
    spec, old_spec = get_dict(new, "spec"), get_dict(old, "spec")
    internal = internal_spec(spec)
    errs = _spec(spec, internal, _Rules(old_spec, internal_spec(old_spec)))
    names, old_names = get_dict(spec, "names"), get_dict(old_spec, "names")
    if established(old):
        if get_str(spec, "scope") != get_str(old_spec, "scope"):
            errs.append(immutable("spec.scope", get_str(spec, "scope")))
        if get_str(names, "kind") != get_str(old_names, "kind"):
            errs.append(immutable("spec.names.kind", get_str(names, "kind")))
    if get_str(spec, "group") != get_str(old_spec, "group"):
        errs.append(immutable("spec.group", get_str(spec, "group")))
    if get_str(names, "plural") != get_str(old_names, "plural"):
        errs.append(immutable("spec.names.plural", get_str(names, "plural")))
    errs += _status(new) + _stored_versions(new, internal)
    return errs + _api_approval(new, old) + _preserve_unknown_fields(new, old)


def validate_crd_status_update(new: Obj, old: Obj) -> list[FieldError]:
    return _status(new)
