"""FlowSchema and PriorityLevelConfiguration validation: field paths and messages as
kube-apiserver 1.33 reports them."""

from __future__ import annotations

import copy

import pytest

from kube_apiserver.apis.flowcontrol import bootstrap, defaults
from kube_apiserver.apis.flowcontrol import validation as v

SA_RULE = {
    "subjects": [{"kind": "Group", "group": {"name": "system:serviceaccounts"}}],
    "resourceRules": [
        {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "namespaces": ["*"]}
    ],
}


def fs_errors(name: str = "my-schema", **spec) -> list[str]:
    obj = {
        "metadata": {"name": name},
        "spec": {
            "priorityLevelConfiguration": {"name": "workload-low"},
            "rules": [SA_RULE],
            **spec,
        },
    }
    defaults.default_flow_schema(obj)
    return [str(e) for e in v.validate_flow_schema(obj)]


def rule_errors(rule: dict) -> list[str]:
    return fs_errors(rules=[rule])


def pl_errors(name: str = "my-level", **spec) -> list[str]:
    obj = {"metadata": {"name": name}, "spec": spec}
    defaults.default_priority_level_configuration(obj)
    return [str(e) for e in v.validate_priority_level_configuration(obj)]


def queuing(**q) -> dict:
    return {"type": "Limited", "limited": {"limitResponse": {"type": "Queue", "queuing": q}}}


def test_a_typical_flow_schema_is_valid():
    assert fs_errors(distinguisherMethod={"type": "ByUser"}) == []


@pytest.mark.parametrize(
    ("precedence", "expected"),
    [
        (-1, "spec.matchingPrecedence: Invalid value: -1: must be a positive value"),
        (10001, "spec.matchingPrecedence: Invalid value: 10001: must not be greater than 10000"),
        (
            1,
            "spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have "
            "matchingPrecedence 1",
        ),
    ],
)
def test_matching_precedence(precedence, expected):
    assert fs_errors(matchingPrecedence=precedence) == [expected]


def test_distinguisher_and_priority_level_reference():
    assert fs_errors(distinguisherMethod={"type": "ByGroup"}, priorityLevelConfiguration={}) == [
        'spec.distinguisherMethod.type: Unsupported value: flowcontrol.FlowDistinguisherMethod{Type:"ByGroup"}: '
        'supported values: "ByNamespace", "ByUser"',
        "spec.priorityLevelConfiguration.name: Required value: must reference a priority level",
    ]


def test_subjects_are_unions_by_kind():
    rule = {
        "subjects": [
            {"kind": "ServiceAccount", "user": {"name": "u"}, "group": {"name": "g"}},
            {"kind": "User", "serviceAccount": {"name": "a", "namespace": "n"}},
            {"kind": "Group", "group": {"name": ""}},
            {"kind": "ServiceAccount", "serviceAccount": {"name": "Bad_SA"}},
            {"kind": "Robot"},
        ],
        "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
    }
    assert rule_errors(rule) == [
        "spec.rules[0].subjects[0].serviceAccount: Required value: serviceAccount is required when "
        "subject kind is 'ServiceAccount'",
        "spec.rules[0].subjects[0].user: Forbidden: user is forbidden when subject kind is not 'User'",
        "spec.rules[0].subjects[0].group: Forbidden: group is forbidden when subject kind is not 'Group'",
        "spec.rules[0].subjects[1].user: Required value: user is required when subject kind is 'User'",
        "spec.rules[0].subjects[1].serviceAccount: Forbidden: serviceAccount is forbidden when subject "
        "kind is not 'ServiceAccount'",
        "spec.rules[0].subjects[2].group.name: Required value",
        'spec.rules[0].subjects[3].serviceAccount.name: Invalid value: "Bad_SA": a lowercase RFC 1123 '
        "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and "
        "end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.rules[0].subjects[3].serviceAccount.namespace: Required value: must specify namespace "
        "for service account",
        'spec.rules[0].subjects[4].kind: Unsupported value: "Robot": supported values: "Group", '
        '"ServiceAccount", "User"',
    ]


def test_a_rule_needs_subjects_and_some_resource_or_non_resource_rule():
    assert rule_errors({}) == [
        "spec.rules[0].subjects: Required value: subjects must contain at least one value",
        "spec.rules[0]: Required value: at least one of resourceRules and nonResourceRules has to be "
        "non-empty",
    ]


def test_resource_rules():
    rule = {
        "subjects": SA_RULE["subjects"],
        "resourceRules": [
            {"verbs": ["get", "fly"], "apiGroups": [], "resources": ["*", "pods"]},
            {
                "verbs": ["*", "get"],
                "apiGroups": ["*"],
                "resources": ["pods"],
                "namespaces": ["*", "a"],
            },
            {"verbs": [], "apiGroups": [""], "resources": ["pods"], "namespaces": ["Bad"]},
        ],
    }
    assert rule_errors(rule) == [
        'spec.rules[0].resourceRules[0].verbs: Unsupported value: []string{"get", "fly"}: supported '
        'values: "create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", '
        '"watch"',
        "spec.rules[0].resourceRules[0].apiGroups: Required value: resource rules must supply at "
        "least one api group",
        'spec.rules[0].resourceRules[0].resources: Invalid value: []string{"*", "pods"}: if \'*\' is '
        "present, must not specify other resources",
        "spec.rules[0].resourceRules[0].namespaces: Required value: resource rules that are not "
        "cluster scoped must supply at least one namespace",
        'spec.rules[0].resourceRules[1].verbs: Invalid value: []string{"*", "get"}: if \'*\' is '
        "present, must not specify other verbs",
        'spec.rules[0].resourceRules[1].namespaces: Invalid value: []string{"*", "a"}: if \'*\' is '
        "present, must not specify other namespaces",
        "spec.rules[0].resourceRules[2].verbs: Required value: verbs must contain at least one value",
        'spec.rules[0].resourceRules[2].namespaces[0]: Invalid value: "Bad": each member of this list '
        "must be '*' or a DNS-1123 label; a lowercase RFC 1123 label must consist of lower case "
        "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
        "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("", "must not be empty"),
        ("healthz", "must start with slash"),
        ("/a b", "must not contain white-space"),
        ("/a//b", "must not contain double slash"),
        ("/health*", "wildcard can only do suffix matching"),
        ("/*/*", "wildcard can only do suffix matching"),
    ],
)
def test_non_resource_urls(url, detail):
    rule = {
        "subjects": SA_RULE["subjects"],
        "nonResourceRules": [{"verbs": ["get"], "nonResourceURLs": [url]}],
    }
    assert rule_errors(rule) == [
        f'spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: "{url}": {detail}'
    ]


def test_non_resource_urls_accept_roots_and_suffix_wildcards():
    urls = ["/", "/apis/", "/healthz/*"]
    rule = {
        "subjects": SA_RULE["subjects"],
        "nonResourceRules": [{"verbs": ["get"], "nonResourceURLs": urls}],
    }
    assert rule_errors(rule) == []


def test_mandatory_flow_schemas_keep_their_spec():
    changed = copy.deepcopy(bootstrap.flow_schema_spec("exempt"))
    changed["rules"][0]["subjects"][0]["group"]["name"] = "admins"
    (error,) = fs_errors("exempt", **changed)
    assert error == (
        "spec: Invalid value: flowcontrol.FlowSchemaSpec{PriorityLevelConfiguration:flowcontrol."
        'PriorityLevelConfigurationReference{Name:"exempt"}, MatchingPrecedence:1, '
        "DistinguisherMethod:(*flowcontrol.FlowDistinguisherMethod)(nil), "
        "Rules:[]flowcontrol.PolicyRulesWithSubjects{flowcontrol.PolicyRulesWithSubjects{"
        'Subjects:[]flowcontrol.Subject{flowcontrol.Subject{Kind:"Group", '
        "User:(*flowcontrol.UserSubject)(nil), Group:(*flowcontrol.GroupSubject)(0xc000010000), "
        "ServiceAccount:(*flowcontrol.ServiceAccountSubject)(nil)}}, "
        "ResourceRules:[]flowcontrol.ResourcePolicyRule{flowcontrol.ResourcePolicyRule{"
        'Verbs:[]string{"*"}, APIGroups:[]string{"*"}, Resources:[]string{"*"}, ClusterScope:true, '
        'Namespaces:[]string{"*"}}}, NonResourceRules:[]flowcontrol.NonResourcePolicyRule{'
        'flowcontrol.NonResourcePolicyRule{Verbs:[]string{"*"}, NonResourceURLs:[]string{"*"}}}}}}: '
        "spec of 'exempt' must equal the fixed value"
    )
    assert fs_errors("catch-all", **bootstrap.flow_schema_spec("catch-all")) == []


def test_suggested_flow_schemas_may_change():
    spec = bootstrap.flow_schema_spec("global-default")
    spec["matchingPrecedence"] = 9800
    assert fs_errors("global-default", **spec) == []


def test_status_conditions_need_unique_non_empty_types():
    old = {"metadata": {"name": "x"}, "spec": {}}
    new = {
        **old,
        "status": {"conditions": [{"type": "Dangling"}, {"type": "Dangling"}, {"type": ""}]},
    }
    assert [str(e) for e in v.validate_flow_schema_status_update(new, old)] == [
        'status.conditions[1].type: Duplicate value: "Dangling"',
        "status.conditions[2].type: Required value: must not be empty",
    ]


def test_a_typical_priority_level_is_valid():
    assert pl_errors(**queuing(queues=64, handSize=6, queueLengthLimit=50)) == []
    assert pl_errors(type="Limited", limited={"limitResponse": {"type": "Reject"}}) == []


def test_only_exempt_is_exempt():
    assert pl_errors(type="Exempt") == [
        "spec.type: Invalid value: \"Exempt\": type must be 'Exempt' if and only if name is 'exempt'"
    ]
    assert pl_errors(type="Unlimited") == [
        'spec.type: Unsupported value: "Unlimited": supported values: "Exempt", "Limited"'
    ]


def test_limited_and_exempt_sections_follow_the_type():
    assert pl_errors(type="Limited", exempt={}) == [
        "spec.exempt: Forbidden: must be nil if the type is Limited",
        "spec.limited: Required value: must not be empty when type is Limited",
    ]


def test_limited_numbers():
    spec = {
        "type": "Limited",
        "limited": {
            "nominalConcurrencyShares": -1,
            "lendablePercent": 101,
            "borrowingLimitPercent": -1,
            "limitResponse": {"type": "Reject", "queuing": {}},
        },
    }
    assert pl_errors(**spec) == [
        "spec.limited.nominalConcurrencyShares: Invalid value: -1: must be a non-negative integer",
        "spec.limited.limitResponse.queuing: Forbidden: must be nil if limited.limitResponse.type is "
        "not Limited",
        "spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100, inclusive",
        "spec.limited.borrowingLimitPercent: Invalid value: -1: if specified, must be a non-negative "
        "integer",
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (
            {"queues": 7, "handSize": 8},
            [
                "spec.limited.limitResponse.queuing.handSize: Invalid value: 8: should not be greater than queues (7)"
            ],
        ),
        (
            {"queues": 512, "handSize": 8},
            [
                "spec.limited.limitResponse.queuing.handSize: Invalid value: 8: required entropy bits "
                "of deckSize 512 and handSize 8 should not be greater than 60"
            ],
        ),
        (
            {"queues": 10_000_001, "handSize": 2, "queueLengthLimit": -1},
            [
                "spec.limited.limitResponse.queuing.queueLengthLimit: Invalid value: -1: must be positive",
                "spec.limited.limitResponse.queuing.queues: Invalid value: 10000001: must not be greater "
                "than 10000000",
            ],
        ),
        ({"queues": 10_000_000, "handSize": 2}, []),
    ],
)
def test_queuing(q, expected):
    assert pl_errors(**queuing(**q)) == expected


def test_a_queue_response_needs_queuing():
    spec = {"type": "Limited", "limited": {"limitResponse": {"type": "Queue"}}}
    assert pl_errors(**spec) == [
        "spec.limited.limitResponse.queuing: Required value: must not be empty if "
        "limited.limitResponse.type is Limited"
    ]


def test_the_exempt_level_may_tune_only_its_exempt_section():
    tuned = {"type": "Exempt", "exempt": {"nominalConcurrencyShares": 10, "lendablePercent": 20}}
    assert pl_errors("exempt", **tuned) == []
    assert pl_errors("exempt", type="Exempt", exempt={"nominalConcurrencyShares": -1}) == [
        "spec.exempt.nominalConcurrencyShares: Invalid value: -1: must be a non-negative integer"
    ]
    assert pl_errors("exempt", **queuing()) == [
        "spec.type: Invalid value: \"Limited\": type must be 'Exempt' if and only if name is 'exempt'",
        'spec: Invalid value: flowcontrol.PriorityLevelConfigurationSpec{Type:"Limited", '
        "Limited:(*flowcontrol.LimitedPriorityLevelConfiguration)(0xc000010000), "
        "Exempt:(*flowcontrol.ExemptPriorityLevelConfiguration)(nil)}: spec of 'exempt' except the "
        "'spec.exempt' field must equal the fixed value",
    ]


def test_the_catch_all_level_is_fixed():
    assert pl_errors("catch-all", **bootstrap.priority_level_spec("catch-all")) == []
    changed = bootstrap.priority_level_spec("catch-all")
    changed["limited"]["nominalConcurrencyShares"] = 6
    assert pl_errors("catch-all", **changed) == [
        'spec: Invalid value: flowcontrol.PriorityLevelConfigurationSpec{Type:"Limited", '
        "Limited:(*flowcontrol.LimitedPriorityLevelConfiguration)(0xc000010000), "
        "Exempt:(*flowcontrol.ExemptPriorityLevelConfiguration)(nil)}: spec of 'catch-all' must "
        "equal the fixed value"
    ]


def test_the_v1beta3_round_trip_annotation_is_forbidden():
    obj = {
        "metadata": {"name": "x", "annotations": {v.PRESERVE_ZERO_SHARES_ANNOTATION: ""}},
        "spec": {"type": "Limited", "limited": {"limitResponse": {"type": "Reject"}}},
    }
    assert [str(e) for e in v.validate_priority_level_configuration(obj)] == [
        "metadata.annotations: Forbidden: annotation "
        "'flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares' is forbidden"
    ]
