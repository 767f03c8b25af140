"""Validation of the authorization.k8s.io/v1 access reviews, as Kubernetes 1.33 applies it.

A review names exactly one of resource and non-resource attributes; a SubjectAccessReview also
names a user or group. Review objects carry no metadata (a LocalSubjectAccessReview only its
namespace, which its resource attributes must repeat). Selectors in resource attributes must be
well formed; operators this server does not know are allowed, for newer clients' sake.

Where Kubernetes prints a whole Go struct as the invalid value (the metadata, the non-resource
attributes), the same `%#v` text is rendered here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.core.formats import go_map, go_quote, go_strings
from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.field import FieldError, forbidden, invalid, required
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_str
from kube_apiserver.apis.meta.validation import label_value_errors, qualified_name_errors

Obj = dict[str, Any]
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


# ---------------------------------------------------------------- Go rendering


def _go_time(value: Any) -> str:
    """%#v of a metav1.Time (time.Time's GoString); "<nil>" for an unset pointer."""
    moment = None
    if isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None:
        return "time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)"
    return (
        f"time.Date({moment.year}, time.{_MONTHS[moment.month - 1]}, {moment.day}, "
        f"{moment.hour}, {moment.minute}, {moment.second}, {moment.microsecond * 1000}, time.UTC)"
    )


def _go_owner_reference(ref: Obj) -> str:
    def flag(key: str) -> str:
        return "(*bool)(nil)" if ref.get(key) is None else "(*bool)(0xc000010000)"

    return (
        f"v1.OwnerReference{{APIVersion:{go_quote(get_str(ref, 'apiVersion'))}, "
        f"Kind:{go_quote(get_str(ref, 'kind'))}, Name:{go_quote(get_str(ref, 'name'))}, "
        f"UID:{go_quote(get_str(ref, 'uid'))}, Controller:{flag('controller')}, "
        f"BlockOwnerDeletion:{flag('blockOwnerDeletion')}}}"
    )


def go_object_meta(meta: Obj) -> str:
    """%#v of a metav1.ObjectMeta (managed fields left out: this server keeps none)."""
    labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else None
    annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else None
    refs = meta.get("ownerReferences")
    owners = (
        "[]v1.OwnerReference{"
        + ", ".join(_go_owner_reference(r) for r in get_dicts(meta, "ownerReferences"))
        + "}"
        if isinstance(refs, list)
        else "[]v1.OwnerReference(nil)"
    )
    finalizers = meta.get("finalizers") if isinstance(meta.get("finalizers"), list) else None
    grace = meta.get("deletionGracePeriodSeconds")
    deletion = meta.get("deletionTimestamp")
    generation = meta.get("generation") if isinstance(meta.get("generation"), int) else 0
    return (
        f"v1.ObjectMeta{{Name:{go_quote(get_str(meta, 'name'))}, "
        f"GenerateName:{go_quote(get_str(meta, 'generateName'))}, "
        f"Namespace:{go_quote(get_str(meta, 'namespace'))}, SelfLink:{go_quote(get_str(meta, 'selfLink'))}, "
        f"UID:{go_quote(get_str(meta, 'uid'))}, ResourceVersion:{go_quote(get_str(meta, 'resourceVersion'))}, "
        f"Generation:{generation}, CreationTimestamp:{_go_time(meta.get('creationTimestamp'))}, "
        f"DeletionTimestamp:{'<nil>' if deletion is None else _go_time(deletion)}, "
        f"DeletionGracePeriodSeconds:(*int64)({'nil' if grace is None else '0xc000010000'}), "
        f"Labels:{go_map(labels)}, Annotations:{go_map(annotations)}, OwnerReferences:{owners}, "
        f"Finalizers:{go_strings(finalizers)}, ManagedFields:[]v1.ManagedFieldsEntry(nil)}}"
    )


def _go_non_resource_attributes(attrs: Obj) -> str:
    return (
        f"authorization.NonResourceAttributes{{Path:{go_quote(get_str(attrs, 'path'))}, "
        f"Verb:{go_quote(get_str(attrs, 'verb'))}}}"
    )


# ---------------------------------------------------------------- rules


def _empty_meta(meta: Obj, *, except_namespace: bool = False) -> bool:
    ignored = {"managedFields", "creationTimestamp"} | (
        {"namespace"} if except_namespace else set()
    )
    if meta.get("creationTimestamp") is not None:
        return False
    return not any(
        value not in (None, "", 0, {}, []) for key, value in meta.items() if key not in ignored
    )


def _selector(selector: Any, fld: str, *, labels: bool) -> list[FieldError]:
    if not isinstance(selector, dict):
        return []
    errs: list[FieldError] = []
    raw = get_str(selector, "rawSelector")
    requirements = get_dicts(selector, "requirements")
    if raw and requirements:
        detail = "may not specified at the same time as requirements"
        errs.append(invalid(field.path(fld, "rawSelector"), raw, detail))
    if not raw and not requirements:
        detail = f"when {fld} is specified, requirements or rawSelector is required"
        errs.append(required(field.path(fld, "requirements"), detail))
    for i, requirement in enumerate(requirements):
        errs += _requirement(requirement, field.path(fld, "requirements", i), labels=labels)
    return errs


def _requirement(requirement: Obj, fld: str, *, labels: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    key, operator = get_str(requirement, "key"), get_str(requirement, "operator")
    values = [v if isinstance(v, str) else "" for v in requirement.get("values") or []]
    if not labels and not key:
        errs.append(required(field.path(fld, "key"), "must be specified"))
    if operator in ("In", "NotIn") and not values:
        detail = "must be specified when `operator` is 'In' or 'NotIn'"
        errs.append(required(field.path(fld, "values"), detail))
    if operator in ("Exists", "DoesNotExist") and values:
        detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        errs.append(forbidden(field.path(fld, "values"), detail))
    if labels:
        errs += [invalid(field.path(fld, "key"), key, m) for m in qualified_name_errors(key)]
        for j, value in enumerate(values):
            at = field.path(fld, "values", j)
            errs += [invalid(at, value, m) for m in label_value_errors(value)]
    return errs


def _resource_attributes(attrs: Any) -> list[FieldError]:
    if not isinstance(attrs, dict):
        return []
    fld = "spec.resourceAttributes"
    errs = _selector(attrs.get("fieldSelector"), f"{fld}.fieldSelector", labels=False)
    return errs + _selector(attrs.get("labelSelector"), f"{fld}.labelSelector", labels=True)


def _attributes(spec: Obj) -> list[FieldError]:
    resource, non_resource = spec.get("resourceAttributes"), spec.get("nonResourceAttributes")
    errs: list[FieldError] = []
    if isinstance(resource, dict) and isinstance(non_resource, dict):
        detail = "cannot be specified in combination with resourceAttributes"
        shown = _go_non_resource_attributes(non_resource)
        errs.append(field.invalid_rendered("spec.nonResourceAttributes", shown, detail))
    if not isinstance(resource, dict) and not isinstance(non_resource, dict):
        detail = "exactly one of nonResourceAttributes or resourceAttributes must be specified"
        errs.append(invalid("spec.resourceAttributes", "null", detail))
    return errs


def _subject_access_review_spec(spec: Obj) -> list[FieldError]:
    errs = _attributes(spec)
    if not get_str(spec, "user") and not spec.get("groups"):
        detail = "at least one of user or group must be specified"
        errs.append(invalid("spec.user", get_str(spec, "user"), detail))
    return errs + _resource_attributes(spec.get("resourceAttributes"))


def validate_subject_access_review(obj: Obj) -> list[FieldError]:
    errs = _subject_access_review_spec(get_dict(obj, "spec"))
    meta = get_dict(obj, "metadata")
    if not _empty_meta(meta):
        errs.append(field.invalid_rendered("metadata", go_object_meta(meta), "must be empty"))
    return errs


def validate_self_subject_access_review(obj: Obj) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    errs = _attributes(spec) + _resource_attributes(spec.get("resourceAttributes"))
    meta = get_dict(obj, "metadata")
    if not _empty_meta(meta):
        errs.append(field.invalid_rendered("metadata", go_object_meta(meta), "must be empty"))
    return errs


def validate_local_subject_access_review(obj: Obj) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    errs = _subject_access_review_spec(spec)
    meta = get_dict(obj, "metadata")
    if not _empty_meta(meta, except_namespace=True):
        errs.append(
            field.invalid_rendered(
                "metadata", go_object_meta(meta), "must be empty except for namespace"
            )
        )
    resource = spec.get("resourceAttributes")
    if isinstance(resource, dict) and get_str(resource, "namespace") != get_str(meta, "namespace"):
        detail = "must match metadata.namespace"
        errs.append(
            invalid("spec.resourceAttributes.namespace", get_str(resource, "namespace"), detail)
        )
    non_resource = spec.get("nonResourceAttributes")
    if isinstance(non_resource, dict):
        shown = _go_non_resource_attributes(non_resource)
        errs.append(
            field.invalid_rendered(
                "spec.nonResourceAttributes", shown, "disallowed on this kind of request"
            )
        )
    return errs
