"""RBAC rule matching, one table per rule form: each rule with requests it allows and requests
it must refuse, as Kubernetes' RBAC matches them."""

from __future__ import annotations

import pytest

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import Attributes
from kube_apiserver.authorization.rbac.rules import PolicyRule, compile_rules

USER = UserInfo(name="u")


def res(
    verb: str,
    resource: str,
    *,
    group: str = "",
    sub: str = "",
    name: str = "",
    namespace: str = "ns",
) -> Attributes:
    return Attributes(
        user=USER,
        verb=verb,
        resource_request=True,
        namespace=namespace,
        api_group=group,
        api_version="v1",
        resource=resource,
        subresource=sub,
        name=name,
    )


def path(verb: str, url: str) -> Attributes:
    return Attributes(user=USER, verb=verb, resource_request=False, path=url)


def rule(**fields: list[str]) -> PolicyRule:
    keys = {
        "verbs": "verbs",
        "groups": "apiGroups",
        "resources": "resources",
        "names": "resourceNames",
        "urls": "nonResourceURLs",
    }
    return PolicyRule.from_object({keys[k]: v for k, v in fields.items()})


TABLE = [
    # verbs
    (
        rule(verbs=["get", "list"], groups=[""], resources=["pods"]),
        [res("get", "pods", name="p"), res("list", "pods")],
        [res("watch", "pods"), res("delete", "pods", name="p"), res("create", "pods")],
    ),
    (
        rule(verbs=["*"], groups=[""], resources=["pods"]),
        [res("get", "pods", name="p"), res("deletecollection", "pods"), res("escalate", "pods")],
        [res("get", "services", name="s")],
    ),
    # apiGroups: "" is the core group only; "*" every group
    (
        rule(verbs=["get"], groups=[""], resources=["deployments"]),
        [res("get", "deployments", name="d")],
        [res("get", "deployments", name="d", group="apps")],
    ),
    (
        rule(verbs=["get"], groups=["apps"], resources=["deployments"]),
        [res("get", "deployments", name="d", group="apps")],
        [res("get", "deployments", name="d"), res("get", "deployments", group="extensions")],
    ),
    (
        rule(verbs=["get"], groups=["*"], resources=["deployments"]),
        [res("get", "deployments", group="apps"), res("get", "deployments", group="x.io")],
        [res("get", "pods", group="apps")],
    ),
    # resources: "*" every resource and subresource of the groups
    (
        rule(verbs=["get"], groups=[""], resources=["*"]),
        [res("get", "pods"), res("get", "pods", sub="log", name="p"), res("get", "secrets")],
        [res("get", "pods", group="apps"), res("list", "pods")],
    ),
    # a subresource is a resource of its own
    (
        rule(verbs=["get"], groups=[""], resources=["pods/log"]),
        [res("get", "pods", sub="log", name="p")],
        [
            res("get", "pods", name="p"),
            res("get", "pods", sub="exec", name="p"),
            res("get", "nodes", sub="log", name="n"),
        ],
    ),
    (
        rule(verbs=["get"], groups=[""], resources=["pods"]),
        [res("get", "pods", name="p")],
        [res("get", "pods", sub="log", name="p"), res("get", "pods", sub="status", name="p")],
    ),
    # "*/scale": that subresource of any resource of the groups
    (
        rule(verbs=["update"], groups=["*"], resources=["*/scale"]),
        [
            res("update", "deployments", sub="scale", name="d", group="apps"),
            res("update", "replicationcontrollers", sub="scale", name="r"),
        ],
        [
            res("update", "deployments", name="d", group="apps"),
            res("update", "deployments", sub="status", name="d", group="apps"),
            res("update", "scale", name="x"),
        ],
    ),
    # "pods/*" is not a pattern in Kubernetes' RBAC: only a subresource literally named "*"
    (
        rule(verbs=["get"], groups=[""], resources=["pods/*"]),
        [res("get", "pods", sub="*", name="p")],
        [res("get", "pods", sub="log", name="p"), res("get", "pods", name="p")],
    ),
    # resourceNames: only requests naming one of them
    (
        rule(
            verbs=["get", "update", "delete", "patch"],
            groups=[""],
            resources=["configmaps"],
            names=["a", "b"],
        ),
        [
            res("get", "configmaps", name="a"),
            res("update", "configmaps", name="b"),
            res("delete", "configmaps", name="a"),
            res("patch", "configmaps", name="b"),
        ],
        [res("get", "configmaps", name="c"), res("get", "configmaps")],
    ),
    # ... which a create, or a list without a metadata.name selector, never does
    (
        rule(
            verbs=["create", "list", "watch", "deletecollection"],
            groups=[""],
            resources=["configmaps"],
            names=["a"],
        ),
        [res("list", "configmaps", name="a"), res("watch", "configmaps", name="a")],
        [
            res("create", "configmaps"),
            res("list", "configmaps"),
            res("watch", "configmaps"),
            res("deletecollection", "configmaps"),
            res("list", "configmaps", name="b"),
        ],
    ),
    (
        rule(verbs=["get"], groups=[""], resources=["pods/log"], names=["p"]),
        [res("get", "pods", sub="log", name="p")],
        [res("get", "pods", sub="log", name="q"), res("get", "pods", name="p")],
    ),
    # nonResourceURLs: exact, prefix with a final "*", or "*"
    (
        rule(verbs=["get"], urls=["/healthz"]),
        [path("get", "/healthz")],
        [path("get", "/healthz/etcd"), path("post", "/healthz"), path("get", "/livez")],
    ),
    (
        rule(verbs=["get"], urls=["/apis/*"]),
        [path("get", "/apis/"), path("get", "/apis/apps"), path("get", "/apis/apps/v1")],
        [path("get", "/apis"), path("get", "/api/v1")],
    ),
    (
        rule(verbs=["get", "head"], urls=["/metrics*"]),
        [path("get", "/metrics"), path("head", "/metrics/slis")],
        [path("get", "/metric"), path("put", "/metrics")],
    ),
    (
        rule(verbs=["*"], urls=["*"]),
        [path("get", "/anything"), path("post", "/x/y")],
        [res("get", "pods")],  # a non-resource rule allows no resource request
    ),
    # a resource rule allows no path
    (
        rule(verbs=["*"], groups=["*"], resources=["*"]),
        [res("delete", "nodes", name="n", namespace=""), res("get", "widgets", group="x.io")],
        [path("get", "/healthz")],
    ),
]


@pytest.mark.parametrize(("policy", "allowed", "refused"), TABLE)
def test_a_rule_allows_exactly_what_kubernetes_rbac_allows(policy, allowed, refused):
    for attrs in allowed:
        assert policy.allows(attrs), (policy, attrs)
    for attrs in refused:
        assert not policy.allows(attrs), (policy, attrs)


def test_rules_are_read_from_role_objects_ignoring_what_is_not_a_string_list():
    rules = compile_rules(
        [
            {"verbs": ["get"], "apiGroups": [""], "resources": ["pods", 7]},
            {"verbs": "get", "nonResourceURLs": ["/x"]},
            "junk",
        ]
    )
    assert rules[0] == PolicyRule(verbs=("get",), api_groups=("",), resources=("pods",))
    assert rules[1] == PolicyRule(non_resource_urls=("/x",))
    assert rules[2] == PolicyRule()
    assert not any(r.allows(res("get", "pods")) for r in rules[1:])
    assert compile_rules(None) == ()
