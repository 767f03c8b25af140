"""rbac.authorization.k8s.io/v1 validation and defaults: Kubernetes' messages and field paths."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kube_apiserver.apis.rbac import validation as v
from kube_apiserver.apis.rbac.defaults import default_binding
from kube_apiserver.apis.rbac.printers import TABLES, subject_cells

GROUP = "rbac.authorization.k8s.io"


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def role(*rules: dict[str, Any], **extra: Any) -> dict:
    return {"metadata": {"name": "r", "namespace": "default"}, "rules": list(rules), **extra}


def binding(*subjects: dict[str, Any], kind: str = "Role", name: str = "reader") -> dict:
    obj = {
        "metadata": {"name": "b", "namespace": "default"},
        "roleRef": {"kind": kind, "name": name},
        "subjects": list(subjects),
    }
    default_binding(obj)
    return obj


READ_PODS = {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}


def test_a_role_reading_pods_is_valid():
    assert v.validate_role(role(READ_PODS)) == []


def test_a_role_without_rules_is_valid():
    assert v.validate_role(role()) == []


ROLE_CASES = [
    (
        {"apiGroups": [""], "resources": ["pods"]},
        ["rules[0].verbs: Required value: verbs must contain at least one value"],
    ),
    (
        {"verbs": ["get"], "resources": ["pods"]},
        ["rules[0].apiGroups: Required value: resource rules must supply at least one api group"],
    ),
    (
        {"verbs": ["get"], "apiGroups": [""]},
        ["rules[0].resources: Required value: resource rules must supply at least one resource"],
    ),
    (
        {"verbs": ["get"], "nonResourceURLs": ["/healthz"]},
        [
            'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: '
            "namespaced rules cannot apply to non-resource URLs"
        ],
    ),
]


@pytest.mark.parametrize(("rule", "expected"), ROLE_CASES)
def test_role_rule_errors(rule, expected):
    assert messages(v.validate_role(role(rule))) == expected


def test_cluster_roles_may_name_non_resource_urls_but_not_together_with_resources():
    ok = {"verbs": ["get"], "nonResourceURLs": ["/healthz", "/version"]}
    assert v.validate_cluster_role(role(ok)) == []
    mixed = {**ok, "resources": ["pods"]}
    assert messages(v.validate_cluster_role(role(mixed))) == [
        'rules[0].nonResourceURLs: Invalid value: []string{"/healthz", "/version"}: '
        "rules cannot apply to both regular resources and non-resource URLs"
    ]


def test_aggregation_rule_needs_a_selector_and_valid_ones():
    empty = role(aggregationRule={"clusterRoleSelectors": []})
    assert messages(v.validate_cluster_role(empty)) == [
        "aggregationRule.clusterRoleSelectors: Required value: "
        "at least one clusterRoleSelector required if aggregationRule is non-nil"
    ]
    good = role(aggregationRule={"clusterRoleSelectors": [{"matchLabels": {"agg": "true"}}]})
    assert v.validate_cluster_role(good) == []
    bad_selector = {"matchExpressions": [{"key": "agg", "operator": "In"}]}
    bad = role(aggregationRule={"clusterRoleSelectors": [bad_selector]})
    assert messages(v.validate_cluster_role(bad)) == [
        "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values: Required value: "
        "must be specified when `operator` is 'In' or 'NotIn'",
        'aggregationRule.clusterRoleSelectors[0]: Invalid value: "null": invalid label selector.',
    ]


def test_binding_defaults_fill_role_ref_and_user_and_group_api_groups():
    obj = binding(
        {"kind": "User", "name": "jane"},
        {"kind": "Group", "name": "devs"},
        {"kind": "ServiceAccount", "name": "sa", "namespace": "ns"},
    )
    assert obj["roleRef"]["apiGroup"] == GROUP
    assert [s.get("apiGroup") for s in obj["subjects"]] == [GROUP, GROUP, None]
    assert v.validate_role_binding(obj) == []


BINDING_CASES = [
    (
        binding({"kind": "Robot", "name": "r2"}),
        [
            'subjects[0].kind: Unsupported value: "Robot": supported values: '
            '"ServiceAccount", "User", "Group"'
        ],
    ),
    (binding({"kind": "User"}), ["subjects[0].name: Required value"]),
    (
        binding({"kind": "ServiceAccount", "name": "Bad_Name"}),
        [
            'subjects[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must '
            "consist of lower case alphanumeric characters, '-' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        ],
    ),
    (
        binding({"kind": "ServiceAccount", "name": "sa", "apiGroup": GROUP}),
        [f'subjects[0].apiGroup: Unsupported value: "{GROUP}": supported values: ""'],
    ),
    (
        binding({"kind": "User", "name": "jane", "apiGroup": "example.com"}),
        [f'subjects[0].apiGroup: Unsupported value: "example.com": supported values: "{GROUP}"'],
    ),
    (
        binding(kind="Deployment"),
        ['roleRef.kind: Unsupported value: "Deployment": supported values: "Role", "ClusterRole"'],
    ),
    (binding(name=""), ["roleRef.name: Required value"]),
    (binding(name="a/b"), ["roleRef.name: Invalid value: \"a/b\": may not contain '/'"]),
]


@pytest.mark.parametrize(("obj", "expected"), BINDING_CASES)
def test_role_binding_errors(obj, expected):
    assert messages(v.validate_role_binding(obj)) == expected


def test_a_missing_role_ref_is_defaulted_to_the_rbac_group_then_needs_kind_and_name():
    obj = {"metadata": {"name": "b"}}
    default_binding(obj)
    assert obj["roleRef"] == {"apiGroup": GROUP}
    assert messages(v.validate_role_binding(obj)) == [
        'roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"',
        "roleRef.name: Required value",
    ]


def test_role_ref_api_group_must_be_rbac():
    obj = binding()
    obj["roleRef"]["apiGroup"] = "example.com"
    assert messages(v.validate_role_binding(obj)) == [
        f'roleRef.apiGroup: Unsupported value: "example.com": supported values: "{GROUP}"'
    ]


def test_cluster_role_bindings_only_bind_cluster_roles_and_need_service_account_namespaces():
    obj = binding({"kind": "ServiceAccount", "name": "sa"}, kind="Role")
    assert messages(v.validate_cluster_role_binding(obj)) == [
        'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
        "subjects[0].namespace: Required value",
    ]


def test_role_ref_cannot_change():
    old = binding({"kind": "User", "name": "jane"})
    new = copy.deepcopy(old)
    new["subjects"].append({"kind": "Group", "name": "g", "apiGroup": GROUP})
    assert v.validate_role_binding_update(new, old) == []
    new["roleRef"]["name"] = "writer"
    assert messages(v.validate_role_binding_update(new, old)) == [
        'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", '
        'Kind:"Role", Name:"writer"}: cannot change roleRef'
    ]
    cluster_old, cluster_new = binding(kind="ClusterRole"), binding(kind="ClusterRole", name="x")
    assert messages(v.validate_cluster_role_binding_update(cluster_new, cluster_old)) == [
        'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", '
        'Kind:"ClusterRole", Name:"x"}: cannot change roleRef'
    ]


def test_stored_selector_values_are_not_rechecked_on_update_but_must_still_parse():
    bad = {"matchExpressions": [{"key": "k", "operator": "In", "values": ["not valid!"]}]}
    old = role(aggregationRule={"clusterRoleSelectors": [bad]})
    at = "aggregationRule.clusterRoleSelectors[0]"
    assert messages(v.validate_cluster_role(old))[0].startswith(
        f'{at}.matchExpressions[0].values[0]: Invalid value: "not valid!"'
    )
    # As in Kubernetes, building the selector still fails on the value.
    assert messages(v.validate_cluster_role_update(copy.deepcopy(old), old)) == [
        f'{at}: Invalid value: "null": invalid label selector.'
    ]


def test_binding_table_lists_subjects_by_kind_in_wide_columns():
    assert [c.name for c in TABLES["rolebindings"].columns] == [
        "Name",
        "Role",
        "Age",
        "Users",
        "Groups",
        "ServiceAccounts",
    ]
    assert [c.priority for c in TABLES["clusterrolebindings"].columns] == [0, 0, 0, 1, 1, 1]
    subjects = [
        {"kind": "User", "name": "jane"},
        {"kind": "User", "name": "joe"},
        {"kind": "Group", "name": "devs"},
        {"kind": "ServiceAccount", "name": "sa", "namespace": "ns"},
    ]
    assert subject_cells(subjects) == ("jane, joe", "devs", "ns/sa")
    assert subject_cells([]) == ("", "", "")
