"""admissionregistration.k8s.io/v1 defaulting: webhooks and policies read back as a 1.33 cluster
returns them."""

from __future__ import annotations

from kube_apiserver.apis.admissionregistration import defaults

RULE = {"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}


def test_a_mutating_webhook_gets_policies_selectors_timeout_and_reinvocation():
    obj = {
        "webhooks": [
            {
                "name": "a.example.com",
                "rules": [dict(RULE)],
                "clientConfig": {"service": {"namespace": "ns", "name": "svc"}},
                "sideEffects": "None",
                "admissionReviewVersions": ["v1"],
            }
        ]
    }
    defaults.default_mutating_webhook_configuration(obj)
    assert obj["webhooks"][0] == {
        "name": "a.example.com",
        "rules": [{**RULE, "scope": "*"}],
        "clientConfig": {"service": {"namespace": "ns", "name": "svc", "port": 443}},
        "sideEffects": "None",
        "admissionReviewVersions": ["v1"],
        "failurePolicy": "Fail",
        "matchPolicy": "Equivalent",
        "namespaceSelector": {},
        "objectSelector": {},
        "timeoutSeconds": 10,
        "reinvocationPolicy": "Never",
    }


def test_a_validating_webhook_has_no_reinvocation_policy_and_keeps_set_values():
    hook = {
        "name": "a.example.com",
        "clientConfig": {"url": "https://example.com"},
        "failurePolicy": "Ignore",
        "timeoutSeconds": 5,
        "matchPolicy": None,
    }
    defaults.default_validating_webhook_configuration({"webhooks": [hook]})
    assert "reinvocationPolicy" not in hook
    assert hook["failurePolicy"] == "Ignore"
    assert hook["timeoutSeconds"] == 5
    assert hook["matchPolicy"] == "Equivalent"  # an explicit null is defaulted like an absent field
    assert "sideEffects" not in hook and "admissionReviewVersions" not in hook


def test_a_policy_defaults_failure_policy_and_its_match_constraints():
    obj = {"spec": {"matchConstraints": {"resourceRules": [dict(RULE)]}}}
    defaults.default_validating_admission_policy(obj)
    assert obj["spec"] == {
        "failurePolicy": "Fail",
        "matchConstraints": {
            "matchPolicy": "Equivalent",
            "namespaceSelector": {},
            "objectSelector": {},
            "resourceRules": [{**RULE, "scope": "*"}],
        },
    }


def test_a_policy_without_spec_still_gets_a_failure_policy():
    obj: dict = {}
    defaults.default_validating_admission_policy(obj)
    assert obj == {"spec": {"failurePolicy": "Fail"}}


def test_a_binding_defaults_only_match_resources_it_has():
    bare = {"spec": {"policyName": "p", "validationActions": ["Deny"]}}
    defaults.default_validating_admission_policy_binding(bare)
    assert bare == {"spec": {"policyName": "p", "validationActions": ["Deny"]}}
    with_match = {"spec": {"matchResources": {"excludeResourceRules": [dict(RULE)]}}}
    defaults.default_validating_admission_policy_binding(with_match)
    assert with_match["spec"]["matchResources"] == {
        "matchPolicy": "Equivalent",
        "namespaceSelector": {},
        "objectSelector": {},
        "excludeResourceRules": [{**RULE, "scope": "*"}],
    }
