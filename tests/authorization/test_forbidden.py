from __future__ import annotations

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import (
    Attributes,
    forbidden_message,
    forbidden_status,
    go_quote,
)


def resource(user: str, verb: str, resource: str, **kwargs: str) -> Attributes:
    return Attributes(
        user=UserInfo(name=user), verb=verb, resource_request=True, resource=resource, **kwargs
    )


def test_a_namespaced_refusal_names_the_group_and_namespace() -> None:
    attrs = resource("x", "list", "secrets", namespace="y", api_version="v1")
    assert (
        forbidden_message(attrs)
        == 'User "x" cannot list resource "secrets" in API group "" in the namespace "y"'
    )


def test_a_subresource_is_named_after_its_resource() -> None:
    attrs = resource("x", "get", "pods", subresource="log", namespace="default", name="web")
    assert (
        forbidden_message(attrs)
        == 'User "x" cannot get resource "pods/log" in API group "" in the namespace "default"'
    )


def test_a_cluster_scoped_refusal_says_at_the_cluster_scope() -> None:
    attrs = resource("x", "list", "nodes")
    assert (
        forbidden_message(attrs)
        == 'User "x" cannot list resource "nodes" in API group "" at the cluster scope'
    )


def test_a_non_resource_refusal_names_the_path() -> None:
    attrs = Attributes(user=UserInfo(name="x"), verb="get", resource_request=False, path="/foo")
    assert forbidden_message(attrs) == 'User "x" cannot get path "/foo"'


def test_the_status_message_is_prefixed_with_the_resource_and_name() -> None:
    attrs = resource("alice", "get", "pods", namespace="default", name="web", api_version="v1")
    status = forbidden_status(attrs)
    assert status == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "default"',
        "reason": "Forbidden",
        "details": {"name": "web", "kind": "pods"},
        "code": 403,
    }


def test_the_status_of_a_grouped_collection_qualifies_the_resource_with_its_group() -> None:
    attrs = resource(
        "system:serviceaccount:default:default",
        "list",
        "deployments",
        api_group="apps",
        namespace="default",
    )
    status = forbidden_status(attrs)
    assert status["message"] == (
        'deployments.apps is forbidden: User "system:serviceaccount:default:default" cannot list '
        'resource "deployments" in API group "apps" in the namespace "default"'
    )
    assert status["details"] == {"group": "apps", "kind": "deployments"}


def test_the_status_of_a_non_resource_refusal_starts_with_forbidden() -> None:
    attrs = Attributes(
        user=UserInfo(name="system:anonymous"), verb="get", resource_request=False, path="/"
    )
    status = forbidden_status(attrs)
    assert status["message"] == 'forbidden: User "system:anonymous" cannot get path "/"'
    assert status["details"] == {}


def test_the_authorizers_reason_follows_the_message() -> None:
    attrs = resource("x", "create", "namespaces")
    assert forbidden_status(attrs, "Everything is forbidden.")["message"] == (
        'namespaces is forbidden: User "x" cannot create resource "namespaces" in API group "" '
        "at the cluster scope: Everything is forbidden."
    )


def test_names_are_quoted_the_way_go_quotes_them() -> None:
    assert go_quote('a"b\\c') == '"a\\"b\\\\c"'
    assert go_quote("tab\there\n") == '"tab\\there\\n"'
    assert go_quote("\x00\x7f") == '"\\x00\\x7f"'
    assert go_quote("héllo ☃") == '"héllo ☃"'
    assert go_quote("\u200b\U000e0001") == '"\\u200b\\U000e0001"'
