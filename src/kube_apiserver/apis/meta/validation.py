"""ObjectMeta validation and the name, label and annotation formats beneath it.

The format checks return bare message lists, the way apimachinery's util/validation
functions do, so callers can attach them to whichever field they are checking; the
`validate_*` functions return `FieldError`s with Kubernetes' field paths. Messages are the
v1.33 texts byte for byte (including the doubled space in "'MyName',  or 'my.name'"), since
kubectl shows them verbatim.

Object metadata is checked as the built-in types do it: apimachinery's ObjectMeta rules plus
the core-API rule that a finalizer without a domain must be one of the standard ones.
Lengths are counted in UTF-8 bytes, as Go's len() counts them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.field import FieldError

NameErrors = Callable[[str], list[str]]

_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + r"(\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
_QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QUALIFIED_NAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_LABEL_VALUE_FMT = "(" + _QUALIFIED_NAME_FMT + ")?"
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)

_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)
_QUALIFIED_NAME_RE = re.compile(_QUALIFIED_NAME_FMT)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)

TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024
_STANDARD_FINALIZERS = frozenset({"kubernetes", "orphan", "foregroundDeletion"})
_FIELD_MANAGER_MAX_LENGTH = 128
_SUBRESOURCE_MAX_LENGTH = 256


def _byte_len(value: str) -> int:
    return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))


def _regex_error(message: str, fmt: str, *examples: str) -> str:
    """util/validation.RegexError: each example is followed by "', " and joined with " or "."""
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{message} (e.g. {shown}regex used for validation is '{fmt}')"


def _max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def dns1123_subdomain_errors(value: str) -> list[str]:
    errors = []
    if _byte_len(value) > 253:
        errors.append(_max_len_error(253))
    if not _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        errors.append(_regex_error(_DNS1123_SUBDOMAIN_MSG, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errors


def dns1123_label_errors(value: str) -> list[str]:
    errors = []
    if _byte_len(value) > 63:
        errors.append(_max_len_error(63))
    if not _DNS1123_LABEL_RE.fullmatch(value):
        # A valid subdomain that is not a valid label can only be failing on its dots.
        if _DNS1123_SUBDOMAIN_RE.fullmatch(value):
            errors.append("must not contain dots")
        else:
            errors.append(
                _regex_error(_DNS1123_LABEL_MSG, _DNS1123_LABEL_FMT, "my-name", "123-abc")
            )
    return errors


def qualified_name_errors(value: str) -> list[str]:
    """A label key, annotation key or finalizer: `[prefix/]name`, the prefix a DNS subdomain."""
    errors: list[str] = []
    parts = value.split("/")
    if len(parts) > 2:
        example = _regex_error(
            _QUALIFIED_NAME_MSG, _QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"
        )
        return [
            f"a qualified name {example} with an optional DNS subdomain prefix and '/' "
            "(e.g. 'example.com/MyName')"
        ]
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errors.append("prefix part must be non-empty")
        else:
            errors.extend("prefix part " + m for m in dns1123_subdomain_errors(prefix))
    if not name:
        errors.append("name part must be non-empty")
    elif _byte_len(name) > 63:
        errors.append("name part " + _max_len_error(63))
    if not _QUALIFIED_NAME_RE.fullmatch(name):
        errors.append(
            "name part "
            + _regex_error(_QUALIFIED_NAME_MSG, _QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
        )
    return errors


def label_value_errors(value: str) -> list[str]:
    errors = []
    if _byte_len(value) > 63:
        errors.append(_max_len_error(63))
    if not _LABEL_VALUE_RE.fullmatch(value):
        errors.append(
            _regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345")
        )
    return errors


def _path_segment_prefix_errors(value: str) -> list[str]:
    return [f"may not contain '{c}'" for c in ("/", "%") if c in value]


def path_segment_name_errors(value: str) -> list[str]:
    """Names that only have to survive being a URL path segment (e.g. RBAC roles)."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return _path_segment_prefix_errors(value)


NAME_RULES: dict[str, NameErrors] = {
    "subdomain": dns1123_subdomain_errors,
    "label": dns1123_label_errors,
    "path_segment": path_segment_name_errors,
}


def _generate_name_errors(name_errors: NameErrors, prefix: str) -> list[str]:
    """Check generateName as Kubernetes' name functions do with prefix=true."""
    if name_errors is path_segment_name_errors:
        # A suffix will follow, so "." and ".." are no longer whole names.
        return _path_segment_prefix_errors(prefix)
    if len(prefix) > 1 and prefix.endswith("-"):
        # Kubernetes' maskTrailingDash: the last two characters become "a", so that a
        # trailing dash (which the random suffix will follow) passes the check.
        prefix = prefix[:-2] + "a"
    return name_errors(prefix)


def validate_labels(labels: Mapping[str, Any], fld: str) -> list[FieldError]:
    errors = []
    for key, value in labels.items():
        errors += [field.invalid(fld, key, m) for m in qualified_name_errors(key)]
        errors += [field.invalid(fld, value, m) for m in label_value_errors(value)]
    return errors


def validate_annotations(annotations: Mapping[str, Any], fld: str) -> list[FieldError]:
    """Keys are qualified names compared case-insensitively; keys and values share a 256 KiB budget."""
    errors = []
    total = 0
    for key, value in annotations.items():
        errors += [field.invalid(fld, key, m) for m in qualified_name_errors(key.lower())]
        total += _byte_len(key) + _byte_len(value if isinstance(value, str) else "")
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errors.append(field.too_long(fld, TOTAL_ANNOTATION_SIZE_LIMIT))
    return errors


def validate_label_selector(
    selector: Mapping[str, Any] | None, fld: str, *, allow_invalid_label_value: bool = False
) -> list[FieldError]:
    """A metav1.LabelSelector; `allow_invalid_label_value` keeps old objects with bad values updatable."""
    if selector is None:
        return []
    errors = validate_labels(selector.get("matchLabels") or {}, field.path(fld, "matchLabels"))
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        at = field.path(fld, "matchExpressions", i)
        operator = expr.get("operator") or ""
        values = expr.get("values") or []
        if operator in ("In", "NotIn"):
            if not values:
                errors.append(
                    field.required(
                        field.path(at, "values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    )
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                errors.append(
                    field.forbidden(
                        field.path(at, "values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    )
                )
        else:
            errors.append(
                field.invalid(field.path(at, "operator"), operator, "not a valid selector operator")
            )
        key = expr.get("key") or ""
        errors += [field.invalid(field.path(at, "key"), key, m) for m in qualified_name_errors(key)]
        if not allow_invalid_label_value:
            for j, value in enumerate(values):
                at_value = field.path(at, "values", j)
                errors += [field.invalid(at_value, value, m) for m in label_value_errors(value)]
    return errors


def _go_string_slice(values: list[str]) -> str:
    """A []string as Go's %#v prints it."""
    return "[]string{" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "}"


def _invalid_rendered(fld: str, rendered: str, detail: str) -> FieldError:
    """An Invalid error whose value Go prints unquoted (a time, a Stringer)."""
    return FieldError("FieldValueInvalid", fld, f"Invalid value: {rendered}: {detail}")


def _owner_reference_text(ref: Mapping[str, Any]) -> str:
    """metav1.OwnerReference's generated String(), which field errors use to show it."""

    def pointer(value: Any) -> str:
        return "nil" if value is None else "*" + ("true" if value else "false")

    return (
        f"&OwnerReference{{Kind:{ref.get('kind') or ''},Name:{ref.get('name') or ''},"
        f"UID:{ref.get('uid') or ''},APIVersion:{ref.get('apiVersion') or ''},"
        f"Controller:{pointer(ref.get('controller'))},"
        f"BlockOwnerDeletion:{pointer(ref.get('blockOwnerDeletion'))},}}"
    )


def _group_version(api_version: str) -> tuple[str, str]:
    """schema.ParseGroupVersion, with an unparsable value giving an empty group and version."""
    if api_version in ("", "/") or api_version.count("/") > 1:
        return "", ""
    group, _, version = api_version.rpartition("/")
    return group, version


def _validate_owner_references(refs: list[Mapping[str, Any]], fld: str) -> list[FieldError]:
    # Kubernetes reports these on the list's path, without an index.
    errors: list[FieldError] = []
    controller = ""
    for ref in refs:
        api_version, kind = ref.get("apiVersion") or "", ref.get("kind") or ""
        name, uid = ref.get("name") or "", ref.get("uid") or ""
        group, version = _group_version(api_version)
        if not version:
            errors.append(
                field.invalid(
                    field.path(fld, "apiVersion"), api_version, "version must not be empty"
                )
            )
        if not kind:
            errors.append(field.invalid(field.path(fld, "kind"), kind, "must not be empty"))
        if not name:
            errors.append(field.invalid(field.path(fld, "name"), name, "must not be empty"))
        if not uid:
            errors.append(field.invalid(field.path(fld, "uid"), uid, "must not be empty"))
        if (group, version, kind) == ("", "v1", "Event"):
            detail = "/v1, Kind=Event is disallowed from being an owner"
            errors.append(_invalid_rendered(fld, _owner_reference_text(ref), detail))
        if ref.get("controller") is True:
            current = f"{kind}/{name}"
            if controller:
                detail = (
                    'Only one reference can have Controller set to true. Found "true" in references for '
                    f"{controller} and {current}"
                )
                errors.append(field.invalid(fld, refs, detail))
            else:
                controller = current
    return errors


def _validate_finalizers(finalizers: list[str], fld: str) -> list[FieldError]:
    # apimachinery reports name errors on the list's path; the core-API rule below indexes them.
    errors = [field.invalid(fld, f, m) for f in finalizers for m in qualified_name_errors(f)]
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        detail = "finalizer orphan and foregroundDeletion cannot be both set"
        errors.append(_invalid_rendered(fld, _go_string_slice(finalizers), detail))
    return errors


def _kube_finalizer_errors(finalizers: list[str], fld: str) -> list[FieldError]:
    detail = "name is neither a standard finalizer name nor is it fully qualified"
    return [
        field.invalid(field.path(fld, i), f, detail)
        for i, f in enumerate(finalizers)
        if "/" not in f and f not in _STANDARD_FINALIZERS
    ]


def _validate_managed_fields(entries: list[Mapping[str, Any]], fld: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, entry in enumerate(entries):
        at = field.path(fld, i)
        operation = entry.get("operation") or ""
        if operation not in ("Apply", "Update"):
            errors.append(
                field.invalid(field.path(at, "operation"), operation, "must be `Apply` or `Update`")
            )
        fields_type = entry.get("fieldsType") or ""
        if fields_type and fields_type != "FieldsV1":
            errors.append(
                field.invalid(field.path(at, "fieldsType"), fields_type, "must be `FieldsV1`")
            )
        manager = entry.get("manager") or ""
        if _byte_len(manager) > _FIELD_MANAGER_MAX_LENGTH:
            errors.append(field.too_long(field.path(at, "manager"), _FIELD_MANAGER_MAX_LENGTH))
        offset = 0
        for char in manager:
            if not char.isprintable():
                detail = f"invalid character U+{ord(char):04X} (at position {offset})"
                errors.append(field.invalid(field.path(at, "manager"), manager, detail))
            offset += _byte_len(char)
        if _byte_len(entry.get("subresource") or "") > _SUBRESOURCE_MAX_LENGTH:
            errors.append(field.too_long(field.path(at, "subresource"), _SUBRESOURCE_MAX_LENGTH))
    return errors


def validate_object_meta(
    meta: Mapping[str, Any], *, namespaced: bool, name_errors: NameErrors, fld: str = "metadata"
) -> list[FieldError]:
    """Metadata of an object being created (after any generateName was turned into a name)."""
    errors: list[FieldError] = []
    generate_name = meta.get("generateName") or ""
    if generate_name:
        errors += [
            field.invalid(field.path(fld, "generateName"), generate_name, m)
            for m in _generate_name_errors(name_errors, generate_name)
        ]
    name = meta.get("name") or ""
    if not name:
        errors.append(field.required(field.path(fld, "name"), "name or generateName is required"))
    else:
        errors += [field.invalid(field.path(fld, "name"), name, m) for m in name_errors(name)]
    namespace = meta.get("namespace") or ""
    if namespaced:
        if not namespace:
            errors.append(field.required(field.path(fld, "namespace")))
        else:
            errors += [
                field.invalid(field.path(fld, "namespace"), namespace, m)
                for m in dns1123_label_errors(namespace)
            ]
    elif namespace:
        errors.append(field.forbidden(field.path(fld, "namespace"), "not allowed on this type"))
    generation = meta.get("generation") or 0
    if generation < 0:
        errors.append(
            field.invalid(
                field.path(fld, "generation"), generation, "must be greater than or equal to 0"
            )
        )
    return errors + _common_meta_errors(meta, fld, with_finalizer_names=True)


def _common_meta_errors(
    meta: Mapping[str, Any], fld: str, *, with_finalizer_names: bool
) -> list[FieldError]:
    finalizers = meta.get("finalizers") or []
    errors = validate_labels(meta.get("labels") or {}, field.path(fld, "labels"))
    errors += validate_annotations(meta.get("annotations") or {}, field.path(fld, "annotations"))
    errors += _validate_owner_references(
        meta.get("ownerReferences") or [], field.path(fld, "ownerReferences")
    )
    if with_finalizer_names:
        errors += _validate_finalizers(finalizers, field.path(fld, "finalizers"))
    errors += _validate_managed_fields(
        meta.get("managedFields") or [], field.path(fld, "managedFields")
    )
    return errors + _kube_finalizer_errors(finalizers, field.path(fld, "finalizers"))


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _go_time(value: Any) -> str:
    """A metav1.Time as Go's time.Time.String() prints it in UTC (missing = the zero time)."""
    if value is None:
        return "0001-01-01 00:00:00 +0000 UTC"
    parsed = _parse_time(value)
    if parsed is None:
        return json.dumps(value)
    fraction = f".{parsed.microsecond:06d}".rstrip("0") if parsed.microsecond else ""
    return parsed.strftime("%Y-%m-%d %H:%M:%S") + fraction + " +0000 UTC"


def _same_time(new: Any, old: Any) -> bool:
    new_time, old_time = _parse_time(new), _parse_time(old)
    if new_time is None or old_time is None:
        return new == old
    return new_time == old_time


def validate_object_meta_update(
    new: Mapping[str, Any], old: Mapping[str, Any], fld: str = "metadata"
) -> list[FieldError]:
    """What may not change in metadata between an object and its update.

    Kubernetes also rejects an empty resourceVersion here; that case never reaches validation
    in kube-apiserver (the store fills in the current version for unconditional updates, or
    refuses them first), so it is left to the store.
    """
    errors: list[FieldError] = []
    finalizers_path = field.path(fld, "finalizers")
    if old.get("deletionTimestamp") is not None:
        added = sorted(set(new.get("finalizers") or []) - set(old.get("finalizers") or []))
        if added:
            detail = (
                "no new finalizers can be added if the object is being deleted, "
                f"found new finalizers {_go_string_slice(added)}"
            )
            errors.append(field.forbidden(finalizers_path, detail))
    new_generation = new.get("generation") or 0
    if new_generation < (old.get("generation") or 0):
        errors.append(
            field.invalid(field.path(fld, "generation"), new_generation, "must not be decremented")
        )
    for key in ("name", "namespace", "uid"):
        if (new.get(key) or "") != (old.get(key) or ""):
            errors.append(field.immutable(field.path(fld, key), new.get(key) or ""))
    for key in ("creationTimestamp", "deletionTimestamp"):
        new_time, old_time = new.get(key), old.get(key)
        if (new_time is None) != (old_time is None) or not _same_time(new_time, old_time):
            # A missing deletionTimestamp is a nil pointer ("null"); a missing creationTimestamp the zero time.
            shown = (
                "null" if new_time is None and key == "deletionTimestamp" else _go_time(new_time)
            )
            errors.append(_invalid_rendered(field.path(fld, key), shown, "field is immutable"))
    grace = new.get("deletionGracePeriodSeconds")
    if grace != old.get("deletionGracePeriodSeconds"):
        errors.append(field.immutable(field.path(fld, "deletionGracePeriodSeconds"), grace))
    return errors + _common_meta_errors(new, fld, with_finalizer_names=False)
