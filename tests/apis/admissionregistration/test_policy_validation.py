"""ValidatingAdmissionPolicy and binding validation: field paths and messages as kube-apiserver
1.33 reports them."""

from __future__ import annotations

import copy

from kube_apiserver.apis.admissionregistration import defaults
from kube_apiserver.apis.admissionregistration import policy_validation as v

RULE = {
    "apiGroups": ["apps"],
    "apiVersions": ["v1"],
    "operations": ["CREATE", "UPDATE"],
    "resources": ["deployments"],
}


def policy(**spec) -> dict:
    base = {
        "matchConstraints": {"resourceRules": [dict(RULE)]},
        "validations": [{"expression": "object.spec.replicas <= 5"}],
    }
    base.update(spec)
    obj = {"metadata": {"name": "replicas.example.com"}, "spec": base}
    defaults.default_validating_admission_policy(obj)
    return obj


def policy_errors(**spec) -> list[str]:
    return [str(e) for e in v.validate_validating_admission_policy(policy(**spec))]


def binding_errors(**spec) -> list[str]:
    obj = {
        "metadata": {"name": "b"},
        "spec": {"policyName": "p", "validationActions": ["Deny"], **spec},
    }
    defaults.default_validating_admission_policy_binding(obj)
    return [str(e) for e in v.validate_validating_admission_policy_binding(obj)]


def test_a_typical_policy_is_valid():
    assert policy_errors() == []
    assert (
        policy_errors(
            paramKind={"apiVersion": "rules.example.com/v1", "kind": "ReplicaLimit"},
            variables=[{"name": "replicas", "expression": "object.spec.replicas"}],
            auditAnnotations=[{"key": "high-replicas", "valueExpression": "'high'"}],
            matchConditions=[{"name": "exclude-leases", "expression": "true"}],
        )
        == []
    )


def test_match_constraints_need_resource_rules():
    obj = policy()
    del obj["spec"]["matchConstraints"]
    assert [str(e) for e in v.validate_validating_admission_policy(obj)] == [
        "spec.matchConstraints: Required value"
    ]
    assert policy_errors(matchConstraints={}) == [
        "spec.matchConstraints.resourceRules: Required value"
    ]


def test_validations_or_audit_annotations_are_required():
    detail = "Required value: validations or auditAnnotations must contain at least one item"
    assert policy_errors(validations=[]) == [
        f"spec.validations: {detail}",
        f"spec.auditAnnotations: {detail}",
    ]


def test_validation_expressions_messages_and_reasons():
    validations = [
        {"expression": "  ", "message": " ", "reason": "Teapot"},
        {"expression": "true", "message": "line\nbreak", "messageExpression": " "},
    ]
    assert policy_errors(validations=validations) == [
        "spec.validations[0].expression: Required value: expression is not specified",
        'spec.validations[0].message: Invalid value: " ": message must be non-empty if specified',
        'spec.validations[0].reason: Unsupported value: "Teapot": supported values: "Forbidden", '
        '"Invalid", "RequestEntityTooLarge"',
        'spec.validations[1].messageExpression: Invalid value: " ": must be non-empty if specified',
        'spec.validations[1].message: Invalid value: "line\\nbreak": message must not contain line '
        "breaks",
    ]


def test_param_kind():
    assert policy_errors(paramKind={"apiVersion": "a/b/c", "kind": "Has_Underscore"}) == [
        'spec.paramKind.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
        'spec.paramKind.kind: Invalid value: "Has_Underscore": may have mixed case, but should '
        "otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or "
        "'-', start with an alphabetic character, and end with an alphanumeric character (e.g. "
        "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]
    assert policy_errors(paramKind={"apiVersion": "example.com/"}) == [
        'spec.paramKind.apiVersion: Invalid value: "example.com/": version must be specified',
        "spec.paramKind.kind: Required value",
    ]


def test_variables_need_cel_identifiers_and_expressions():
    assert policy_errors(
        variables=[{"name": "in", "expression": ""}, {"name": "", "expression": "1"}]
    ) == [
        'spec.variables[0].name: Invalid value: "in": name is not a valid CEL identifier',
        "spec.variables[0].expression: Required value: expression is not specified",
        "spec.variables[1].name: Required value: name is not specified",
    ]


def test_audit_annotations():
    annotations = [
        {"key": "bad key", "valueExpression": "'v'"},
        {"key": "k", "valueExpression": ""},
        {"key": "k", "valueExpression": "'v'"},
    ]
    assert policy_errors(auditAnnotations=annotations) == [
        'spec.auditAnnotations[0].key: Invalid value: "replicas.example.com/bad key": name part must '
        "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
        "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "spec.auditAnnotations[1].valueExpression: Required value: valueExpression is not specified",
        'spec.auditAnnotations[2].key: Duplicate value: "k"',
    ]


def test_too_many_audit_annotations_print_as_go_values():
    annotations = [{"key": f"k{i}", "valueExpression": "'v'"} for i in range(21)]
    (error,) = policy_errors(auditAnnotations=annotations)
    assert error.startswith(
        "spec.auditAnnotations: Invalid value: []admissionregistration.AuditAnnotation{"
        'admissionregistration.AuditAnnotation{Key:"k0", ValueExpression:"\'v\'"}, '
    )
    assert error.endswith("}: must not have more than 20 auditAnnotations")


def test_match_resources_check_named_rules():
    match = {
        "matchPolicy": "Exact",
        "resourceRules": [{**RULE, "resourceNames": ["a", "a", "b/c"]}],
        "excludeResourceRules": [{**RULE, "operations": []}],
    }
    assert policy_errors(matchConstraints=match) == [
        'spec.matchConstraints.resourceRules[0].resourceNames[1]: Duplicate value: "a"',
        'spec.matchConstraints.resourceRules[0].resourceNames[2]: Invalid value: "b/c": may not '
        "contain '/'",
        "spec.matchConstraints.excludeResourceRules[0].operations: Required value",
    ]


def test_an_update_ignores_unchanged_match_conditions():
    old = policy(matchConditions=[{"name": "bad name", "expression": "true"}])
    new = copy.deepcopy(old)
    new["spec"]["validations"].append({"expression": "true"})
    assert v.validate_validating_admission_policy_update(new, old) == []
    assert len(v.validate_validating_admission_policy(new)) == 1


def test_status_updates_check_conditions_and_warnings():
    new = policy()
    new["status"] = {
        "typeChecking": {"expressionWarnings": [{"fieldRef": "", "warning": ""}]},
        "conditions": [
            {"type": "Ready", "status": "Maybe", "reason": "1bad"},
            {
                "type": "Ready",
                "status": "True",
                "reason": "Ok",
                "lastTransitionTime": "2025-01-01T00:00:00Z",
            },
        ],
    }
    assert [
        str(e) for e in v.validate_validating_admission_policy_status_update(new, policy())
    ] == [
        "status.typeChecking.expressionWarnings[0].warning: Required value",
        "status.typeChecking.expressionWarnings[0].fieldRef: Required value",
        'status.conditions[0].status: Unsupported value: "Maybe": supported values: "False", '
        '"True", "Unknown"',
        "status.conditions[0].lastTransitionTime: Required value: must be set",
        'status.conditions[0].reason: Invalid value: "1bad": a condition reason must start with '
        "alphabetic character, optionally followed by a string of alphanumeric characters or "
        "'_,:', and must end with an alphanumeric character or '_' (e.g. 'my_name',  or "
        "'MY_NAME',  or 'MyName',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for "
        "validation is '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')",
        'status.conditions[1].type: Duplicate value: "Ready"',
    ]


def test_a_typical_binding_is_valid():
    assert binding_errors() == []
    assert (
        binding_errors(
            paramRef={"name": "limits", "namespace": "default", "parameterNotFoundAction": "Deny"},
            matchResources={"namespaceSelector": {"matchLabels": {"env": "test"}}},
        )
        == []
    )


def test_binding_needs_a_policy_name_and_actions():
    assert binding_errors(policyName="", validationActions=[]) == [
        "spec.policyName: Required value",
        "spec.validationActions: Required value: at least one validation action is required",
    ]
    assert binding_errors(policyName="Bad_Name", validationActions=["Deny", "Warn", "Log"]) == [
        'spec.policyName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of '
        "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        'spec.validationActions[2]: Unsupported value: "Log": supported values: "Audit", "Deny", '
        '"Warn"',
        'spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", '
        '"Warn", "Log"}: must not contain both Deny and Warn (repeating the same validation failure '
        "information in the API response and headers serves no purpose)",
    ]


def test_binding_param_ref():
    assert binding_errors(paramRef={}) == [
        "spec.paramRef: Required value: one of name or selector must be specified",
        "spec.paramRef.parameterNotFoundAction: Required value",
    ]
    assert binding_errors(
        paramRef={"name": "x", "selector": {}, "parameterNotFoundAction": "Ignore"}
    ) == [
        "spec.paramRef.name: Forbidden: name and selector are mutually exclusive",
        "spec.paramRef.selector: Forbidden: name and selector are mutually exclusive",
        'spec.paramRef.parameterNotFoundAction: Unsupported value: "Ignore": supported values: '
        '"Deny", "Allow"',
    ]


def test_binding_match_resources_are_reported_under_kubernetes_spelling():
    match = {"resourceRules": [{**RULE, "scope": "Nowhere"}]}
    assert binding_errors(matchResources=match) == [
        'spec.matchResouces.resourceRules[0].scope: Unsupported value: "Nowhere": supported values: '
        '"*", "Cluster", "Namespaced"'
    ]
