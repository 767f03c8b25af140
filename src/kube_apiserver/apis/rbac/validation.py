"""Validation of rbac.authorization.k8s.io/v1 objects (everything except metadata), as in 1.33.

Roles hold policy rules: each needs verbs, and is either about resources (API groups and
resources required) or about non-resource URLs, which only cluster roles may name. Bindings
point at one role (`roleRef`, which can never change) and list subjects whose kind decides
their API group and whether a namespace is needed. Names of roles and bindings, and the
role a binding names, only have to be valid URL path segments.

Where Kubernetes prints a Go value in a message (the `[]string` of non-resource URLs, the
`rbac.RoleRef` struct of a changed role reference) the same text is rendered here.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import clean_selector, go_quote, go_strings
from kube_apiserver.apis.meta import labels
from kube_apiserver.apis.meta.field import (
    FieldError,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_str, get_strs
from kube_apiserver.apis.meta.validation import (
    dns1123_subdomain_errors,
    path_segment_name_errors,
    validate_label_selector,
)
from kube_apiserver.apis.rbac.resources import GROUP

Obj = dict[str, Any]
SUBJECT_KINDS = ["ServiceAccount", "User", "Group"]


def validate_policy_rule(rule: Obj, fld: str, *, namespaced: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    if not get_strs(rule, "verbs"):
        errs.append(required(path(fld, "verbs"), "verbs must contain at least one value"))
    urls = get_strs(rule, "nonResourceURLs")
    if urls:
        at = path(fld, "nonResourceURLs")
        if namespaced:
            errs.append(
                invalid_rendered(
                    at, go_strings(urls), "namespaced rules cannot apply to non-resource URLs"
                )
            )
        if any(get_strs(rule, key) for key in ("apiGroups", "resources", "resourceNames")):
            errs.append(
                invalid_rendered(
                    at,
                    go_strings(urls),
                    "rules cannot apply to both regular resources and non-resource URLs",
                )
            )
        return errs
    if not get_strs(rule, "apiGroups"):
        errs.append(
            required(path(fld, "apiGroups"), "resource rules must supply at least one api group")
        )
    if not get_strs(rule, "resources"):
        errs.append(
            required(path(fld, "resources"), "resource rules must supply at least one resource")
        )
    return errs


def _rules(obj: Obj, *, namespaced: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, rule in enumerate(get_dicts(obj, "rules")):
        errs += validate_policy_rule(rule, path("rules", i), namespaced=namespaced)
    return errs


def validate_role(obj: Obj) -> list[FieldError]:
    return _rules(obj, namespaced=True)


def validate_role_update(new: Obj, old: Obj) -> list[FieldError]:
    return validate_role(new)


def _selectors(obj: Obj) -> list[Obj]:
    return [
        clean_selector(s)
        for s in get_dicts(get_dict(obj, "aggregationRule"), "clusterRoleSelectors")
    ]


def _aggregation_rule(obj: Obj, *, allow_invalid_label_value: bool) -> list[FieldError]:
    if not isinstance(obj.get("aggregationRule"), dict):
        return []
    at = path("aggregationRule", "clusterRoleSelectors")
    selectors = _selectors(obj)
    errs: list[FieldError] = []
    if not selectors:
        errs.append(
            required(at, "at least one clusterRoleSelector required if aggregationRule is non-nil")
        )
    for i, selector in enumerate(selectors):
        errs += validate_label_selector(
            selector, path(at, i), allow_invalid_label_value=allow_invalid_label_value
        )
        try:
            labels.selector_from_label_selector(selector)
        except labels.SelectorError:
            # Kubernetes reports the selector it failed to build, which is nil: "null".
            errs.append(invalid(path(at, i), "null", "invalid label selector."))
    return errs


def validate_cluster_role(obj: Obj) -> list[FieldError]:
    return _rules(obj, namespaced=False) + _aggregation_rule(obj, allow_invalid_label_value=False)


def validate_cluster_role_update(new: Obj, old: Obj) -> list[FieldError]:
    # Selectors already stored with label values now invalid stay updatable.
    allow = any(validate_label_selector(s, "") for s in _selectors(old))
    return _rules(new, namespaced=False) + _aggregation_rule(new, allow_invalid_label_value=allow)


def _subject(subject: Obj, fld: str, *, namespaced: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    name, kind, group = (
        get_str(subject, "name"),
        get_str(subject, "kind"),
        get_str(subject, "apiGroup"),
    )
    if not name:
        errs.append(required(path(fld, "name")))
    if kind == "ServiceAccount":
        if name:
            errs += [invalid(path(fld, "name"), name, m) for m in dns1123_subdomain_errors(name)]
        if group:
            errs.append(not_supported(path(fld, "apiGroup"), group, [""]))
        if not namespaced and not get_str(subject, "namespace"):
            errs.append(required(path(fld, "namespace")))
    elif kind in ("User", "Group"):
        if group != GROUP:
            errs.append(not_supported(path(fld, "apiGroup"), group, [GROUP]))
    else:
        errs.append(not_supported(path(fld, "kind"), kind, SUBJECT_KINDS))
    return errs


def _binding(obj: Obj, *, namespaced: bool) -> list[FieldError]:
    ref = get_dict(obj, "roleRef")
    errs: list[FieldError] = []
    if get_str(ref, "apiGroup") != GROUP:
        errs.append(not_supported("roleRef.apiGroup", get_str(ref, "apiGroup"), [GROUP]))
    kinds = ["Role", "ClusterRole"] if namespaced else ["ClusterRole"]
    if get_str(ref, "kind") not in kinds:
        errs.append(not_supported("roleRef.kind", get_str(ref, "kind"), kinds))
    name = get_str(ref, "name")
    if not name:
        errs.append(required("roleRef.name"))
    else:
        errs += [invalid("roleRef.name", name, m) for m in path_segment_name_errors(name)]
    for i, subject in enumerate(get_dicts(obj, "subjects")):
        errs += _subject(subject, path("subjects", i), namespaced=namespaced)
    return errs


def _role_ref_text(ref: Obj) -> str:
    """%#v of the internal rbac.RoleRef, which is how Kubernetes shows a changed roleRef."""
    fields = ", ".join(
        f"{go_name}:{go_quote(get_str(ref, key))}"
        for key, go_name in (("apiGroup", "APIGroup"), ("kind", "Kind"), ("name", "Name"))
    )
    return f"rbac.RoleRef{{{fields}}}"


def _role_ref_unchanged(new: Obj, old: Obj) -> list[FieldError]:
    keys = ("apiGroup", "kind", "name")
    new_ref, old_ref = get_dict(new, "roleRef"), get_dict(old, "roleRef")
    if all(get_str(new_ref, k) == get_str(old_ref, k) for k in keys):
        return []
    return [invalid_rendered("roleRef", _role_ref_text(new_ref), "cannot change roleRef")]


def validate_role_binding(obj: Obj) -> list[FieldError]:
    return _binding(obj, namespaced=True)


def validate_role_binding_update(new: Obj, old: Obj) -> list[FieldError]:
    return _binding(new, namespaced=True) + _role_ref_unchanged(new, old)


def validate_cluster_role_binding(obj: Obj) -> list[FieldError]:
    return _binding(obj, namespaced=False)


def validate_cluster_role_binding_update(new: Obj, old: Obj) -> list[FieldError]:
    return _binding(new, namespaced=False) + _role_ref_unchanged(new, old)
