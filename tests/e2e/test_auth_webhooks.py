"""Webhook token authentication and webhook authorization, end to end: real servers over HTTPS,
real kubectl, and a small HTTPS webhook the test runs (its own CA, checking the API server's
client certificate) answering TokenReviews and SubjectAccessReviews from tables.

Two API servers: one configured by flags (`--authentication-token-webhook-*`,
`--authorization-mode=Webhook,RBAC`), one by an `--authorization-config` file whose chain is a
webhook guarding one namespace (match conditions, failure policy Deny) followed by RBAC.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Server, start_server
from webhook.review_server import ReviewServer

API_AUDIENCE = "https://kubernetes.default.svc.cluster.local"
JANE = {
    "authenticated": True,
    "user": {
        "username": "jane",
        "uid": "42",
        "groups": ["developers"],
        "extra": {"scopes": ["read", "write"]},
    },
}


def legacy_policy(spec: dict[str, Any]) -> dict[str, Any]:
    """Discovery for all; jane may read pods and never secrets; no opinion on the rest."""
    if "nonResourceAttributes" in spec:
        return {"allowed": True}
    resource = spec["resourceAttributes"].get("resource")
    if resource == "selfsubjectreviews":
        return {"allowed": True}
    if spec.get("user") == "jane" and resource == "pods":
        return {"allowed": True, "reason": "jane may see pods"}
    if spec.get("user") == "jane" and resource == "secrets":
        return {"allowed": False, "denied": True, "reason": "secrets are off limits"}
    return {"allowed": False, "reason": "no rule for this request"}


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, ReviewServer]]:
    base = tmp_path_factory.mktemp("webhooks")
    hook = ReviewServer(base / "hook").start()
    hook.tokens["jane-token"] = JANE
    hook.decide = legacy_policy
    server = start_server(
        base / "data",
        f"--authentication-token-webhook-config-file={hook.kubeconfig(base / 'authn.kc', '/authenticate')}",
        "--authentication-token-webhook-version=v1",
        "--authentication-token-webhook-cache-ttl=1h",
        "--authorization-mode=Webhook,RBAC",
        f"--authorization-webhook-config-file={hook.kubeconfig(base / 'authz.kc', '/authorize', embed=False)}",
        "--authorization-webhook-version=v1",
        "--authorization-webhook-cache-authorized-ttl=1h",
        "--authorization-webhook-cache-unauthorized-ttl=1h",
    )
    yield server, hook
    server.stop()
    hook.stop()


def kubectl_with_token(server: Server, token: str, *args: str) -> subprocess.CompletedProcess:
    """kubectl as a user who has nothing but a bearer token (no client certificate)."""
    kubeconfig = server.user_kubeconfig("token-user", {"token": token})
    return server.kubectl(*args, kubeconfig=kubeconfig, check=False)


def get_as(server: Server, token: str, path: str) -> tuple[int, Any]:
    resp = server.request(
        "GET", path, headers={"Authorization": f"Bearer {token}"}, client_cert=False
    )
    if resp.headers.get("content-type", "").startswith("text/plain"):
        return resp.status, resp.body.decode()
    return resp.status, resp.json()


def test_kubectl_auth_whoami_shows_the_user_the_token_webhook_names(legacy) -> None:
    server, hook = legacy
    result = kubectl_with_token(server, "jane-token", "auth", "whoami")
    assert result.returncode == 0, result.stderr
    rows = {
        key.strip(): value.strip()
        for key, value in (
            re.split(r"\s{2,}", line, maxsplit=1) for line in result.stdout.splitlines()[1:]
        )
    }
    assert rows["Username"] == "jane"
    assert rows["UID"] == "42"
    assert rows["Groups"] == "[developers system:authenticated]"
    assert rows["Extra: scopes"] == "[read write]"
    review = hook.last("TokenReview")
    assert review["apiVersion"] == "authentication.k8s.io/v1"
    assert review["spec"] == {"token": "jane-token", "audiences": [API_AUDIENCE]}


def test_a_token_the_webhook_does_not_know_is_unauthorized(legacy) -> None:
    server, _ = legacy
    result = kubectl_with_token(server, "made-up-token", "get", "pods")
    assert result.returncode != 0
    assert "error: You must be logged in to the server" in result.stderr
    status, body = get_as(server, "made-up-token", "/api/v1/namespaces/default/pods")
    assert (status, body["message"], body["reason"]) == (401, "Unauthorized", "Unauthorized")


def test_the_authorization_webhook_allows_and_denies_with_its_reasons(legacy) -> None:
    server, hook = legacy
    allowed = kubectl_with_token(server, "jane-token", "get", "pods", "-n", "default")
    assert allowed.returncode == 0, allowed.stderr
    assert "No resources found in default namespace." in allowed.stderr

    denied = kubectl_with_token(server, "jane-token", "get", "secrets", "-n", "default")
    assert denied.returncode != 0
    assert denied.stderr.strip() == (
        'Error from server (Forbidden): secrets is forbidden: User "jane" cannot list resource '
        '"secrets" in API group "" in the namespace "default": secrets are off limits'
    )
    spec = hook.last("SubjectAccessReview")["spec"]
    assert spec == {
        "user": "jane",
        "uid": "42",
        "groups": ["developers", "system:authenticated"],
        "extra": {"scopes": ["read", "write"]},
        "resourceAttributes": {
            "namespace": "default",
            "verb": "list",
            "version": "v1",
            "resource": "secrets",
        },
    }

    # No opinion from the webhook: RBAC has none either, so the webhook's reason is the 403's.
    unknown = kubectl_with_token(
        server, "jane-token", "get", "configmap", "settings", "-n", "default"
    )
    assert unknown.returncode != 0
    assert unknown.stderr.strip() == (
        'Error from server (Forbidden): configmaps "settings" is forbidden: User "jane" cannot get '
        'resource "configmaps" in API group "" in the namespace "default": no rule for this request'
    )


def test_decisions_and_tokens_are_cached(legacy) -> None:
    server, hook = legacy
    hook.tokens["cache-token"] = {"authenticated": True, "user": {"username": "jane"}}
    path = f"/api/v1/namespaces/ns-{uuid.uuid4().hex[:8]}/pods"
    reviews, sars = hook.count("TokenReview"), hook.count("SubjectAccessReview")
    assert get_as(server, "cache-token", path)[0] == 200
    assert (hook.count("TokenReview"), hook.count("SubjectAccessReview")) == (reviews + 1, sars + 1)
    for _ in range(3):
        assert get_as(server, "cache-token", path)[0] == 200
    assert (hook.count("TokenReview"), hook.count("SubjectAccessReview")) == (reviews + 1, sars + 1)


def test_a_webhook_that_is_down_refuses_new_tokens_and_has_no_opinion(legacy) -> None:
    server, hook = legacy
    hook.tokens["late-token"] = {"authenticated": True, "user": {"username": "late"}}
    get_as(server, "jane-token", "/api/v1/namespaces/default/pods")  # jane's token is cached now
    hook.stop()
    try:
        status, body = get_as(server, "late-token", "/api/v1/namespaces/default/pods")
        assert (status, body["message"]) == (401, "Unauthorized")
        # No authorizer allowed it and one could not decide: 500, as kube-apiserver answers.
        namespace = f"down-{uuid.uuid4().hex[:8]}"
        status, body = get_as(server, "jane-token", f"/api/v1/namespaces/{namespace}/pods")
        assert status == 500
        assert body.startswith(
            f'Internal Server Error: "/api/v1/namespaces/{namespace}/pods": '
            f'Post "{hook.url("/authorize")}": dial tcp'
        )
        # A decision cached before the outage still holds.
        assert get_as(server, "jane-token", "/api/v1/namespaces/default/pods")[0] == 200
    finally:
        hook.start()  # on the same port, with the same tables
    assert get_as(server, "late-token", "/api/v1/namespaces/default/pods")[0] == 403  # known now


# ------------------------------------------------- the structured configuration: Webhook → RBAC


def guard_policy(spec: dict[str, Any]) -> dict[str, Any]:
    """In the guarded namespace configmaps may be read; everything else there is denied."""
    attributes = spec["resourceAttributes"]
    if attributes.get("resource") == "configmaps" and attributes.get("verb") in ("get", "list"):
        return {"allowed": True}
    return {"allowed": False, "denied": True, "reason": "the guard says no"}


RBAC = "/apis/rbac.authorization.k8s.io/v1"


def create(server: Server, path: str, body: dict[str, Any]) -> None:
    resp = server.request("POST", path, body)  # as the admin (system:masters)
    assert resp.status == 201, resp.body


@pytest.fixture(scope="module")
def chained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, ReviewServer]]:
    base = tmp_path_factory.mktemp("authz-config")
    hook = ReviewServer(base / "hook").start()
    hook.decide = guard_policy
    tokens = base / "tokens.csv"
    tokens.write_text("alice-token,alice,uid-alice\n")
    config = base / "authz.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "apiserver.config.k8s.io/v1",
                "kind": "AuthorizationConfiguration",
                "authorizers": [
                    {
                        "type": "Webhook",
                        "name": "guard",
                        "webhook": {
                            "timeout": "3s",
                            "subjectAccessReviewVersion": "v1",
                            "matchConditionSubjectAccessReviewVersion": "v1",
                            "failurePolicy": "Deny",
                            "unauthorizedTTL": "1h",
                            "connectionInfo": {
                                "type": "KubeConfigFile",
                                "kubeConfigFile": str(
                                    hook.kubeconfig(base / "hook.kc", "/authorize")
                                ),
                            },
                            "matchConditions": [
                                {"expression": "has(request.resourceAttributes)"},
                                {"expression": "request.resourceAttributes.namespace == 'guarded'"},
                            ],
                        },
                    },
                    {"type": "RBAC", "name": "rbac"},
                ],
            }
        )
    )
    server = start_server(
        base / "data", f"--token-auth-file={tokens}", f"--authorization-config={config}"
    )
    for namespace in ("guarded", "open"):
        create(server, "/api/v1/namespaces", {"metadata": {"name": namespace}})
        create(
            server,
            f"{RBAC}/namespaces/{namespace}/roles",
            {
                "metadata": {"name": "reader"},
                "rules": [
                    {
                        "apiGroups": [""],
                        "resources": ["configmaps", "secrets"],
                        "verbs": ["get", "list"],
                    }
                ],
            },
        )
        create(
            server,
            f"{RBAC}/namespaces/{namespace}/rolebindings",
            {
                "metadata": {"name": "alice"},
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "Role",
                    "name": "reader",
                },
                "subjects": [
                    {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"}
                ],
            },
        )
    yield server, hook
    server.stop()
    hook.stop()


def test_the_webhook_sees_only_what_its_match_conditions_select(chained) -> None:
    server, hook = chained
    before = hook.count("SubjectAccessReview")
    # Outside the guarded namespace the webhook is skipped and RBAC decides.
    assert get_as(server, "alice-token", "/api/v1/namespaces/open/secrets")[0] == 200
    status, body = get_as(server, "alice-token", "/api/v1/namespaces/open/pods")
    assert status == 403
    assert body["message"] == (
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the '
        'namespace "open"'
    )
    assert get_as(server, "alice-token", "/api")[0] == 200  # system:discovery, by RBAC
    assert hook.count("SubjectAccessReview") == before


def test_in_the_guarded_namespace_the_webhook_decides_before_rbac(chained) -> None:
    server, hook = chained
    assert get_as(server, "alice-token", "/api/v1/namespaces/guarded/configmaps")[0] == 200
    status, body = get_as(server, "alice-token", "/api/v1/namespaces/guarded/secrets")
    assert status == 403  # RBAC would allow it, but the webhook denies first
    assert body["message"].endswith('in the namespace "guarded": the guard says no')
    assert hook.last("SubjectAccessReview")["spec"]["resourceAttributes"] == {
        "namespace": "guarded",
        "verb": "list",
        "version": "v1",
        "resource": "secrets",
    }


def test_with_failure_policy_deny_a_webhook_that_is_down_denies(chained) -> None:
    server, hook = chained
    hook.stop()
    try:
        status, body = get_as(server, "alice-token", "/api/v1/namespaces/guarded/configmaps/x")
        assert status == 500  # denied, with the webhook's error: kube-apiserver's 500
        assert body.startswith('Internal Server Error: "/api/v1/namespaces/guarded/configmaps/x": ')
        # The webhook is not asked outside the guarded namespace, so RBAC still answers there.
        assert get_as(server, "alice-token", "/api/v1/namespaces/open/configmaps")[0] == 200
    finally:
        hook.start()


# ------------------------------------------------------------------ refusing to start


def start_error(tmp_path: Path, *flags: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "kube_apiserver", f"--data-dir={tmp_path / 'data'}", *flags],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


def test_a_broken_webhook_kubeconfig_stops_the_server_with_one_error(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "hook.kc"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: []\n")
    errors = start_error(
        tmp_path,
        f"--authentication-token-webhook-config-file={kubeconfig}",
        "--authorization-mode=Webhook",
        f"--authorization-webhook-config-file={kubeconfig}",
    )
    assert len(errors) == 1
    assert errors[0] == (
        "Error: [--authentication-token-webhook-config-file: invalid configuration: no "
        "configuration has been provided, try setting KUBERNETES_MASTER environment variable, "
        "--authorization-webhook-config-file: invalid configuration: no configuration has been "
        "provided, try setting KUBERNETES_MASTER environment variable]"
    )


def test_an_invalid_authorization_config_stops_the_server_with_one_error(tmp_path: Path) -> None:
    config = tmp_path / "authz.yaml"
    config.write_text(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\n"
        "authorizers:\n- type: Webhook\n  name: hook\n  webhook: {failurePolicy: Allow}\n"
        "- type: RBAC\n  name: rbac\n- type: RBAC\n  name: rbac\n"
    )
    errors = start_error(tmp_path, f"--authorization-config={config}")
    assert errors == [
        "Error: [authorizers[0].timeout: Required value, "
        "authorizers[0].subjectAccessReviewVersion: Required value, "
        'authorizers[0].failurePolicy: Unsupported value: "Allow": supported values: "NoOpinion", "Deny", '
        "authorizers[0].connectionInfo.type: Required value, "
        'authorizers[2].type: Duplicate value: "RBAC"]'
    ]
