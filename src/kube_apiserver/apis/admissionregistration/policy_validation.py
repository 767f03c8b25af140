"""Validation of ValidatingAdmissionPolicies and their bindings (admissionregistration.k8s.io/v1).

A policy needs match constraints with at least one resource rule (they give its expressions
their types), a failure policy, and at least one validation or audit annotation. CEL
expressions are checked for presence, as Kubernetes does before compiling them; compiling
(and reporting compile errors) belongs to the admission plugin, which this server does not
run yet. The binding's match resources are reported under `spec.matchResouces`: Kubernetes
spells the path that way.
"""

from __future__ import annotations

import re

from kube_apiserver.apis.admissionregistration.validation import (
    FAILURE_POLICIES,
    validate_match_conditions,
    validate_match_resources,
)
from kube_apiserver.apis.core.formats import (
    clean_selector,
    dns1035_label_errors,
    go_quote,
    go_strings,
)
from kube_apiserver.apis.meta.conditions import validate_conditions
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_str, get_strs, is_set
from kube_apiserver.apis.meta.validation import (
    dns1123_subdomain_errors,
    path_segment_name_errors,
    qualified_name_errors,
    validate_label_selector,
)

VALIDATION_REASONS = ["Forbidden", "Invalid", "RequestEntityTooLarge"]
VALIDATION_ACTIONS = ["Audit", "Deny", "Warn"]
PARAMETER_NOT_FOUND_ACTIONS = ["Deny", "Allow"]
MAX_AUDIT_ANNOTATIONS = 20
MAX_AUDIT_VALUE_EXPRESSION_LENGTH = 5 * 1024

_CEL_IDENTIFIER = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_CEL_RESERVED = frozenset(
    "true false null in as break const continue else for function if import let loop package "
    "namespace return var void while".split()
)
_NEWLINES = re.compile(r"[\n\r]+")


# ---------------------------------------------------------------- policies


def _param_kind(kind: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    api_version, at = get_str(kind, "apiVersion"), path(fld, "apiVersion")
    if not api_version:
        errs.append(required(at))
    elif api_version.count("/") > 1:
        errs.append(invalid(at, api_version, f"unexpected GroupVersion string: {api_version}"))
    else:
        group, _, version = api_version.rpartition("/") if api_version != "/" else ("", "", "")
        group_errs = dns1123_subdomain_errors(group) if group else []
        if group_errs:
            errs.append(invalid(at, group, ",".join(group_errs)))
        if not version:
            errs.append(invalid(at, api_version, "version must be specified"))
        elif dns1035_label_errors(version):
            errs.append(invalid(at, version, ",".join(dns1035_label_errors(version))))
    name = get_str(kind, "kind")
    if not name:
        errs.append(required(path(fld, "kind")))
    elif dns1035_label_errors(name.lower()):
        detail = "may have mixed case, but should otherwise match: "
        errs.append(
            invalid(path(fld, "kind"), name, detail + ",".join(dns1035_label_errors(name.lower())))
        )
    return errs


def _variable(variable: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = get_str(variable, "name")
    if not name.strip():
        errs.append(required(path(fld, "name"), "name is not specified"))
    elif not _CEL_IDENTIFIER.fullmatch(name) or name in _CEL_RESERVED:
        errs.append(invalid(path(fld, "name"), name, "name is not a valid CEL identifier"))
    if not get_str(variable, "expression").strip():
        errs.append(required(path(fld, "expression"), "expression is not specified"))
    return errs


def _validation(validation: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not get_str(validation, "expression").strip():
        errs.append(required(path(fld, "expression"), "expression is not specified"))
    message_expression = get_str(validation, "messageExpression")
    if message_expression and not message_expression.strip():
        detail = "must be non-empty if specified"
        errs.append(invalid(path(fld, "messageExpression"), message_expression, detail))
    message = get_str(validation, "message")
    if message and not message.strip():
        errs.append(
            invalid(path(fld, "message"), message, "message must be non-empty if specified")
        )
    elif _NEWLINES.search(message.strip()):
        errs.append(invalid(path(fld, "message"), message, "message must not contain line breaks"))
    if is_set(validation, "reason") and validation["reason"] not in VALIDATION_REASONS:
        errs.append(not_supported(path(fld, "reason"), validation["reason"], VALIDATION_REASONS))
    return errs


def _audit_annotation(annotation: dict, policy_name: str, fld: str) -> list[FieldError]:
    key, at = get_str(annotation, "key"), path(fld, "key")
    if policy_name:
        qualified = f"{policy_name}/{key}"
        errs = [invalid(at, qualified, m) for m in qualified_name_errors(qualified)]
    else:
        errs = [invalid(at, key, "requires metadata.name be non-empty")]
    value_expression = get_str(annotation, "valueExpression").strip()
    if not value_expression:
        errs.append(required(path(fld, "valueExpression"), "valueExpression is not specified"))
    elif len(value_expression.encode()) > MAX_AUDIT_VALUE_EXPRESSION_LENGTH:
        detail = f"must not exceed {MAX_AUDIT_VALUE_EXPRESSION_LENGTH} bytes in length"
        errs.append(required(path(fld, "valueExpression"), detail))
    return errs


def _go_audit_annotations(annotations: list[dict]) -> str:
    """`%#v` of the internal []AuditAnnotation, which the too-many error prints."""
    items = ", ".join(
        "admissionregistration.AuditAnnotation{"
        f"Key:{go_quote(get_str(a, 'key'))}, ValueExpression:{go_quote(get_str(a, 'valueExpression'))}}}"
        for a in annotations
    )
    return "[]admissionregistration.AuditAnnotation{" + items + "}"


def _audit_annotations(annotations: list[dict], policy_name: str, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if len(annotations) > MAX_AUDIT_ANNOTATIONS:
        detail = f"must not have more than {MAX_AUDIT_ANNOTATIONS} auditAnnotations"
        errs.append(invalid_rendered(fld, _go_audit_annotations(annotations), detail))
    keys: set[str] = set()
    for i, annotation in enumerate(annotations):
        errs += _audit_annotation(annotation, policy_name, path(fld, i))
        key = get_str(annotation, "key")
        if key in keys:
            errs.append(duplicate(path(fld, i, "key"), key))
        keys.add(key)
    return errs


def _policy_spec(obj: dict, *, ignore_match_conditions: bool) -> list[FieldError]:
    spec, fld = get_dict(obj, "spec"), "spec"
    errs: list[FieldError] = []
    if not is_set(spec, "failurePolicy"):
        errs.append(required(path(fld, "failurePolicy")))
    elif spec["failurePolicy"] not in FAILURE_POLICIES:
        errs.append(
            not_supported(path(fld, "failurePolicy"), spec["failurePolicy"], FAILURE_POLICIES)
        )
    if is_set(spec, "paramKind"):
        errs += _param_kind(get_dict(spec, "paramKind"), path(fld, "paramKind"))
    if not is_set(spec, "matchConstraints"):
        errs.append(required(path(fld, "matchConstraints")))
    else:
        match = get_dict(spec, "matchConstraints")
        errs += validate_match_resources(match, path(fld, "matchConstraints"))
        if not get_dicts(match, "resourceRules"):
            errs.append(required(path(fld, "matchConstraints", "resourceRules")))
    if not ignore_match_conditions:
        errs += validate_match_conditions(
            get_dicts(spec, "matchConditions"), path(fld, "matchConditions")
        )
    for i, variable in enumerate(get_dicts(spec, "variables")):
        errs += _variable(variable, path(fld, "variables", i))
    validations, annotations = get_dicts(spec, "validations"), get_dicts(spec, "auditAnnotations")
    if not validations and not annotations:
        detail = "validations or auditAnnotations must contain at least one item"
        errs.append(required(path(fld, "validations"), detail))
        errs.append(required(path(fld, "auditAnnotations"), detail))
        return errs
    for i, validation in enumerate(validations):
        errs += _validation(validation, path(fld, "validations", i))
    policy_name = get_str(get_dict(obj, "metadata"), "name")
    return errs + _audit_annotations(annotations, policy_name, path(fld, "auditAnnotations"))


def validate_validating_admission_policy(obj: dict) -> list[FieldError]:
    return _policy_spec(obj, ignore_match_conditions=False)


def validate_validating_admission_policy_update(new: dict, old: dict) -> list[FieldError]:
    # Unchanged match conditions (and param kind, which decides their variables) stay valid.
    new_spec, old_spec = get_dict(new, "spec"), get_dict(old, "spec")
    unchanged = all(new_spec.get(k) == old_spec.get(k) for k in ("paramKind", "matchConditions"))
    return _policy_spec(new, ignore_match_conditions=unchanged)


def _field_ref(ref: str, fld: str) -> list[FieldError]:
    ref = ref.strip()
    if not ref:
        return [required(fld)]
    # A JSONPath that cannot parse: unbalanced brackets are what a field reference gets wrong.
    if ref.count("[") != ref.count("]"):
        return [invalid(fld, ref, "invalid JSONPath: unclosed array expect ]")]
    return []


def validate_validating_admission_policy_status_update(new: dict, old: dict) -> list[FieldError]:
    status, fld = get_dict(new, "status"), "status"
    errs: list[FieldError] = []
    warnings = get_dicts(get_dict(status, "typeChecking"), "expressionWarnings")
    for i, warning in enumerate(warnings):
        at = path(fld, "typeChecking", "expressionWarnings", i)
        if not get_str(warning, "warning"):
            errs.append(required(path(at, "warning")))
        errs += _field_ref(get_str(warning, "fieldRef"), path(at, "fieldRef"))
    return errs + validate_conditions(get_dicts(status, "conditions"), path(fld, "conditions"))


# ---------------------------------------------------------------- bindings


def _param_ref(ref: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name, has_selector = get_str(ref, "name"), is_set(ref, "selector")
    exclusive = "name and selector are mutually exclusive"
    if name:
        errs += [invalid(path(fld, "name"), name, m) for m in path_segment_name_errors(name)]
        if has_selector:
            errs.append(forbidden(path(fld, "name"), exclusive))
    if has_selector:
        errs += validate_label_selector(clean_selector(ref["selector"]), path(fld, "selector"))
        if name:
            errs.append(forbidden(path(fld, "selector"), exclusive))
    if not name and not has_selector:
        errs.append(required(fld, "one of name or selector must be specified"))
    action = get_str(ref, "parameterNotFoundAction")
    if not action:
        errs.append(required(path(fld, "parameterNotFoundAction")))
    elif action not in PARAMETER_NOT_FOUND_ACTIONS:
        at = path(fld, "parameterNotFoundAction")
        errs.append(not_supported(at, action, PARAMETER_NOT_FOUND_ACTIONS))
    return errs


def _validation_actions(actions: list[str], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, action in enumerate(actions):
        if action not in VALIDATION_ACTIONS:
            errs.append(not_supported(path(fld, i), action, VALIDATION_ACTIONS))
        if action in seen:
            errs.append(duplicate(path(fld, i), action))
        seen.add(action)
    if {"Deny", "Warn"} <= seen:
        detail = (
            "must not contain both Deny and Warn (repeating the same validation failure "
            "information in the API response and headers serves no purpose)"
        )
        errs.append(
            invalid_rendered(
                fld, go_strings(actions, "admissionregistration.ValidationAction"), detail
            )
        )
    if not seen:
        errs.append(required(fld, "at least one validation action is required"))
    return errs


def validate_validating_admission_policy_binding(obj: dict) -> list[FieldError]:
    spec, fld = get_dict(obj, "spec"), "spec"
    errs: list[FieldError] = []
    policy = get_str(spec, "policyName")
    if not policy:
        errs.append(required(path(fld, "policyName")))
    else:
        errs += [
            invalid(path(fld, "policyName"), policy, m) for m in dns1123_subdomain_errors(policy)
        ]
    if is_set(spec, "paramRef"):
        errs += _param_ref(get_dict(spec, "paramRef"), path(fld, "paramRef"))
    if is_set(spec, "matchResources"):
        errs += validate_match_resources(
            get_dict(spec, "matchResources"), path(fld, "matchResouces")
        )
    return errs + _validation_actions(
        get_strs(spec, "validationActions"), path(fld, "validationActions")
    )


def validate_validating_admission_policy_binding_update(new: dict, old: dict) -> list[FieldError]:
    return validate_validating_admission_policy_binding(new)
