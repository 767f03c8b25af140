"""Webhook configuration validation (admissionregistration.k8s.io/v1): field paths and messages
as kube-apiserver 1.33 reports them."""

from __future__ import annotations

import copy

import pytest

from kube_apiserver.apis.admissionregistration import defaults
from kube_apiserver.apis.admissionregistration import validation as v


def webhook(**overrides) -> dict:
    hook = {
        "name": "pods.policy.example.com",
        "rules": [
            {
                "apiGroups": [""],
                "apiVersions": ["v1"],
                "operations": ["CREATE"],
                "resources": ["pods"],
            }
        ],
        "clientConfig": {"service": {"namespace": "ns", "name": "svc"}},
        "sideEffects": "None",
        "admissionReviewVersions": ["v1"],
    }
    hook.update(overrides)
    return hook


def errors(*hooks: dict, mutating: bool = False) -> list[str]:
    obj = {"metadata": {"name": "cfg"}, "webhooks": [copy.deepcopy(h) for h in hooks]}
    if mutating:
        defaults.default_mutating_webhook_configuration(obj)
        return [str(e) for e in v.validate_mutating_webhook_configuration(obj)]
    defaults.default_validating_webhook_configuration(obj)
    return [str(e) for e in v.validate_validating_webhook_configuration(obj)]


def test_a_complete_webhook_is_valid():
    assert errors(webhook()) == []
    assert errors(webhook(), mutating=True) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", "webhooks[0].name: Required value"),
        (
            "two.parts",
            'webhooks[0].name: Invalid value: "two.parts": should be a domain with at least three '
            "segments separated by dots",
        ),
        (
            "Bad.Example.com",
            'webhooks[0].name: Invalid value: "Bad.Example.com": a lowercase RFC 1123 subdomain must '
            "consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'example.com', regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
    ],
)
def test_webhook_names_must_be_fully_qualified(name, expected):
    assert errors(webhook(name=name)) == [expected]


def test_webhook_names_must_be_unique():
    assert errors(webhook(), webhook()) == [
        'webhooks[1].name: Duplicate value: "pods.policy.example.com"'
    ]


def test_side_effects_are_required_and_must_be_none_or_none_on_dry_run():
    hook = webhook()
    del hook["sideEffects"]
    assert errors(hook) == [
        "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun"
    ]
    assert errors(webhook(sideEffects="Some")) == [
        'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"'
    ]


def test_admission_review_versions_are_required_and_one_must_be_known():
    hook = webhook()
    del hook["admissionReviewVersions"]
    assert errors(hook) == [
        "webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1"
    ]
    assert errors(webhook(admissionReviewVersions=["v2", "v2"])) == [
        'webhooks[0].admissionReviewVersions[1]: Invalid value: "v2": duplicate version',
        'webhooks[0].admissionReviewVersions: Invalid value: []string{"v2", "v2"}: must include '
        "at least one of v1, v1beta1",
    ]


def test_client_config_needs_exactly_one_of_url_and_service():
    both = {"url": "https://x.example.com", "service": {"namespace": "ns", "name": "svc"}}
    expected = [
        "webhooks[0].clientConfig: Required value: exactly one of url or service is required"
    ]
    assert errors(webhook(clientConfig=both)) == expected
    assert errors(webhook(clientConfig={})) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://hook.example.com:8443/validate", []),
        (
            "http://hook.example.com",
            [
                "webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed "
                "URL scheme; desired format: https://host[/path]"
            ],
        ),
        (
            "hook.example.com/x",
            [
                "webhooks[0].clientConfig.url: Invalid value: \"\": 'https' is the only allowed URL "
                "scheme; desired format: https://host[/path]",
                'webhooks[0].clientConfig.url: Invalid value: "": host must be provided; desired '
                "format: https://host[/path]",
            ],
        ),
        (
            "https://me@hook.example.com/?a=b#top",
            [
                'webhooks[0].clientConfig.url: Invalid value: "me": user information is not '
                "permitted in the URL",
                'webhooks[0].clientConfig.url: Invalid value: "top": fragments are not permitted '
                "in the URL",
                'webhooks[0].clientConfig.url: Invalid value: "a=b": query parameters are not '
                "permitted in the URL",
            ],
        ),
    ],
)
def test_webhook_urls(url, expected):
    assert errors(webhook(clientConfig={"url": url})) == expected


def test_service_references():
    service = {"namespace": "", "name": "", "port": 70000, "path": "/ok//Bad/"}
    assert errors(webhook(clientConfig={"service": service})) == [
        "webhooks[0].clientConfig.service.name: Required value: service name is required",
        "webhooks[0].clientConfig.service.namespace: Required value: service namespace is required",
        "webhooks[0].clientConfig.service.port: Invalid value: 70000: port is not valid: must be "
        "between 1 and 65535, inclusive",
        'webhooks[0].clientConfig.service.path: Invalid value: "/ok//Bad/": segment[1] may not be empty',
        'webhooks[0].clientConfig.service.path: Invalid value: "/ok//Bad/": segment[2]: a lowercase '
        "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
        "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
        "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]


def test_rule_operations_groups_versions_resources_and_scope():
    rule = {
        "operations": ["*", "PATCH"],
        "apiGroups": [],
        "apiVersions": ["v1", "*", ""],
        "resources": ["pods/*", "pods/log", "*/status", "deployments/status"],
        "scope": "Everywhere",
    }
    assert errors(webhook(rules=[rule])) == [
        'webhooks[0].rules[0].operations: Invalid value: []admissionregistration.OperationType{"*", '
        "\"PATCH\"}: if '*' is present, must not specify other operations",
        'webhooks[0].rules[0].operations[1]: Unsupported value: "PATCH": supported values: "*", '
        '"CONNECT", "CREATE", "DELETE", "UPDATE"',
        "webhooks[0].rules[0].apiGroups: Required value",
        'webhooks[0].rules[0].apiVersions: Invalid value: []string{"v1", "*", ""}: if \'*\' is '
        "present, must not specify other API versions",
        "webhooks[0].rules[0].apiVersions[2]: Required value",
        "webhooks[0].rules[0].resources[1]: Invalid value: \"pods/log\": if 'pods/*' is present, "
        "must not specify pods/log",
        "webhooks[0].rules[0].resources[3]: Invalid value: \"deployments/status\": if '*/status' is "
        "present, must not specify deployments/status",
        'webhooks[0].rules[0].scope: Unsupported value: "Everywhere": supported values: "*", '
        '"Cluster", "Namespaced"',
    ]


def test_wildcard_resources_exclude_others():
    assert errors(webhook(rules=[{**webhook()["rules"][0], "resources": ["*/*", "pods"]}])) == [
        'webhooks[0].rules[0].resources: Invalid value: []string{"*/*", "pods"}: if \'*/*\' is '
        "present, must not specify other resources"
    ]


def test_policies_timeout_and_selectors():
    hook = webhook(
        failurePolicy="Maybe",
        matchPolicy="Loose",
        timeoutSeconds=31,
        objectSelector={"matchExpressions": [{"key": "a", "operator": "In"}]},
    )
    assert errors(hook, mutating=True) == [
        'webhooks[0].failurePolicy: Unsupported value: "Maybe": supported values: "Fail", "Ignore"',
        'webhooks[0].matchPolicy: Unsupported value: "Loose": supported values: "Equivalent", "Exact"',
        "webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 "
        "seconds",
        "webhooks[0].objectSelector.matchExpressions[0].values: Required value: must be specified "
        "when `operator` is 'In' or 'NotIn'",
    ]
    assert errors(webhook(reinvocationPolicy="Always"), mutating=True) == [
        'webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: '
        '"IfNeeded", "Never"'
    ]


def test_match_conditions():
    conditions = [
        {"name": "", "expression": " "},
        {"name": "not a name", "expression": "true"},
        {"name": "ok", "expression": "true"},
        {"name": "ok", "expression": "true"},
    ]
    assert errors(webhook(matchConditions=conditions)) == [
        "webhooks[0].matchConditions[0].expression: Required value",
        "webhooks[0].matchConditions[0].name: Required value",
        'webhooks[0].matchConditions[1].name: Invalid value: "not a name": name part must consist '
        "of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        'webhooks[0].matchConditions[3].name: Duplicate value: "ok"',
    ]
    many = [{"name": f"c{i}", "expression": "true"} for i in range(65)]
    assert errors(webhook(matchConditions=many)) == [
        "webhooks[0].matchConditions: Too many: 65: must have at most 64 items"
    ]


def test_an_update_keeps_rules_the_stored_object_never_met():
    old = {"webhooks": [webhook(sideEffects="Unknown"), webhook()]}
    new = copy.deepcopy(old)
    new["webhooks"][0]["timeoutSeconds"] = 5
    defaults.default_validating_webhook_configuration(new)
    # Side effects and duplicate names were already there: the update may keep them.
    assert v.validate_validating_webhook_configuration_update(new, old) == []
    assert [str(e) for e in v.validate_validating_webhook_configuration(new)] == [
        'webhooks[0].sideEffects: Unsupported value: "Unknown": supported values: "None", '
        '"NoneOnDryRun"',
        'webhooks[1].name: Duplicate value: "pods.policy.example.com"',
    ]


def test_an_update_ignores_unchanged_match_conditions():
    old = {"webhooks": [webhook(matchConditions=[{"name": "bad name", "expression": "true"}])]}
    defaults.default_mutating_webhook_configuration(old)
    new = copy.deepcopy(old)
    assert v.validate_mutating_webhook_configuration_update(new, old) == []
    new["webhooks"][0]["matchConditions"].append({"name": "x", "expression": "true"})
    assert len(v.validate_mutating_webhook_configuration_update(new, old)) == 1
