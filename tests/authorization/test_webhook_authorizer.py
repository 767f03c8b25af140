"""The webhook authorizer against a real HTTPS webhook: what it sends, how it decides, its cache."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization import webhook
from kube_apiserver.authorization.cel import MatchConditions
from kube_apiserver.authorization.interface import (
    Attributes,
    AuthorizerError,
    Decision,
    forbidden_status,
)
from kube_apiserver.authorization.webhook import WebhookAuthorizer, WebhookSettings
from kube_apiserver.cmd.options.authorization import AuthorizationOptions
from kube_apiserver.webhook.client import Backoff, WebhookClient
from kube_apiserver.webhook.kubeconfig import load_kubeconfig
from webhook.review_server import ReviewServer

JANE = UserInfo("jane", "42", ("developers", "system:authenticated"), {"scopes": ("read",)})
LIST_PODS = Attributes(
    user=JANE,
    verb="list",
    resource_request=True,
    path="/api/v1/namespaces/team/pods",
    namespace="team",
    api_version="v1",
    resource="pods",
)
GET_LOGS = Attributes(
    user=JANE,
    verb="get",
    resource_request=True,
    path="/api/v1/namespaces/team/pods/web/log",
    namespace="team",
    api_version="v1",
    resource="pods",
    subresource="log",
    name="web",
)
HEALTHZ = Attributes(user=JANE, verb="get", resource_request=False, path="/healthz")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def table(spec: dict[str, Any]) -> dict[str, Any]:
    """Allow reading pods, deny secrets with a reason, no opinion on anything else."""
    resource = (spec.get("resourceAttributes") or {}).get("resource")
    if resource == "pods":
        return {"allowed": True, "reason": "pods are public"}
    if resource == "secrets":
        return {"allowed": False, "denied": True, "reason": "secrets are off limits"}
    return {"allowed": False, "reason": "not my business"}


@pytest.fixture
def hook(tmp_path: Path) -> Iterator[ReviewServer]:
    server = ReviewServer(tmp_path / "hook").start()
    server.decide = table
    yield server
    server.stop()


def make(hook: ReviewServer, tmp_path: Path, **settings: Any) -> WebhookAuthorizer:
    clock = settings.pop("clock", None)
    config = load_kubeconfig(hook.kubeconfig(tmp_path / "kc", "/authorize"))
    client = WebhookClient(config, backoff=Backoff(initial=0.001))
    if clock is None:
        return WebhookAuthorizer(client, WebhookSettings(**settings))
    return WebhookAuthorizer(client, WebhookSettings(**settings), clock=clock)


def decide(authz: WebhookAuthorizer, *requests: Attributes) -> list[tuple[Decision, str]]:
    """Each request's decision and reason; for a failure, the decision and "error: ..."."""

    async def one(attrs: Attributes) -> tuple[Decision, str]:
        try:
            return await authz.authorize(attrs)
        except AuthorizerError as err:
            return err.decision, f"error: {err.error}"

    async def run() -> list[tuple[Decision, str]]:
        out = [await one(attrs) for attrs in requests]
        await authz.close()
        return out

    return asyncio.run(run())


def test_a_resource_request_is_described_as_kubernetes_fills_a_v1_review(
    hook: ReviewServer, tmp_path: Path
) -> None:
    decide(make(hook, tmp_path, version="v1"), GET_LOGS)
    review = hook.last("SubjectAccessReview")
    assert review["apiVersion"] == "authorization.k8s.io/v1"
    assert review["spec"] == {
        "user": "jane",
        "uid": "42",
        "groups": ["developers", "system:authenticated"],
        "extra": {"scopes": ["read"]},
        "resourceAttributes": {
            "namespace": "team",
            "verb": "get",
            "version": "v1",
            "resource": "pods",
            "subresource": "log",
            "name": "web",
        },
    }


def test_v1beta1_is_the_default_and_calls_the_groups_group(
    hook: ReviewServer, tmp_path: Path
) -> None:
    decide(make(hook, tmp_path), LIST_PODS)
    review = hook.last("SubjectAccessReview")
    assert review["apiVersion"] == "authorization.k8s.io/v1beta1"
    assert review["spec"]["group"] == ["developers", "system:authenticated"]
    assert "groups" not in review["spec"]


def test_a_non_resource_request_carries_its_path_and_verb(
    hook: ReviewServer, tmp_path: Path
) -> None:
    decide(make(hook, tmp_path, version="v1"), HEALTHZ)
    spec = hook.last("SubjectAccessReview")["spec"]
    assert spec["nonResourceAttributes"] == {"path": "/healthz", "verb": "get"}
    assert "resourceAttributes" not in spec


def test_a_field_selector_travels_as_requirements(hook: ReviewServer, tmp_path: Path) -> None:
    watch = Attributes(
        user=JANE,
        verb="watch",
        resource_request=True,
        api_version="v1",
        resource="pods",
        field_selector=(("spec.nodeName", "=", "node-1"), ("metadata.name", "!=", "x")),
    )
    decide(make(hook, tmp_path, version="v1"), watch)
    assert hook.last("SubjectAccessReview")["spec"]["resourceAttributes"]["fieldSelector"] == {
        "requirements": [
            {"key": "spec.nodeName", "operator": "In", "values": ["node-1"]},
            {"key": "metadata.name", "operator": "NotIn", "values": ["x"]},
        ]
    }


def test_allowed_allows_denied_denies_and_neither_has_no_opinion(
    hook: ReviewServer, tmp_path: Path
) -> None:
    read_secret = Attributes(JANE, "get", True, namespace="team", resource="secrets", name="s")
    read_config = Attributes(JANE, "get", True, namespace="team", resource="configmaps")
    assert decide(make(hook, tmp_path), LIST_PODS, read_secret, read_config) == [
        (Decision.ALLOW, "pods are public"),
        (Decision.DENY, "secrets are off limits"),
        (Decision.NO_OPINION, "not my business"),
    ]


def test_allowed_and_denied_together_deny(hook: ReviewServer, tmp_path: Path) -> None:
    hook.decide = lambda spec: {"allowed": True, "denied": True, "reason": "confused"}
    assert decide(make(hook, tmp_path), LIST_PODS) == [(Decision.DENY, "confused")]


def test_the_reason_ends_the_403_message(hook: ReviewServer, tmp_path: Path) -> None:
    read_secret = Attributes(JANE, "get", True, namespace="team", resource="secrets", name="s")
    [(_, reason)] = decide(make(hook, tmp_path), read_secret)
    assert forbidden_status(read_secret, reason)["message"] == (
        'secrets "s" is forbidden: User "jane" cannot get resource "secrets" in API group "" '
        'in the namespace "team": secrets are off limits'
    )


def test_allowed_answers_are_cached_for_the_authorized_ttl_and_others_for_the_unauthorized_ttl(
    hook: ReviewServer, tmp_path: Path
) -> None:
    clock = Clock()
    authz = make(hook, tmp_path, authorized_ttl=300, unauthorized_ttl=30, clock=clock)
    read_config = Attributes(JANE, "get", True, namespace="team", resource="configmaps")

    async def scenario() -> None:
        for _ in range(3):
            assert (await authz.authorize(LIST_PODS))[0] is Decision.ALLOW
            assert (await authz.authorize(read_config))[0] is Decision.NO_OPINION
        assert hook.count("SubjectAccessReview") == 2
        clock.now += 30
        await authz.authorize(LIST_PODS)
        await authz.authorize(read_config)
        assert hook.count("SubjectAccessReview") == 3  # only the refusal was asked again
        clock.now += 270
        await authz.authorize(LIST_PODS)
        assert hook.count("SubjectAccessReview") == 4
        await authz.close()

    asyncio.run(scenario())


def test_answers_for_other_users_or_attributes_are_not_shared(
    hook: ReviewServer, tmp_path: Path
) -> None:
    bob = Attributes(UserInfo("bob"), "list", True, namespace="team", resource="pods")
    other_ns = Attributes(JANE, "list", True, namespace="prod", resource="pods")
    decide(make(hook, tmp_path), LIST_PODS, bob, other_ns, LIST_PODS)
    assert hook.count("SubjectAccessReview") == 3


@pytest.mark.parametrize(
    "settings",
    [
        {"cache_authorized": False, "cache_unauthorized": False},
        {"cache_authorized": False},
    ],
)
def test_caching_allowed_answers_can_be_turned_off(
    hook: ReviewServer, tmp_path: Path, settings: dict[str, bool]
) -> None:
    decide(make(hook, tmp_path, **settings), LIST_PODS, LIST_PODS)
    assert hook.count("SubjectAccessReview") == 2


def test_caching_refusals_can_be_turned_off_alone(hook: ReviewServer, tmp_path: Path) -> None:
    read_config = Attributes(JANE, "get", True, namespace="team", resource="configmaps")
    decide(
        make(hook, tmp_path, cache_unauthorized=False),
        LIST_PODS,
        LIST_PODS,
        read_config,
        read_config,
    )
    assert hook.count("SubjectAccessReview") == 3


def test_requests_with_huge_attributes_are_not_cached(hook: ReviewServer, tmp_path: Path) -> None:
    huge = Attributes(JANE, "get", True, namespace="team", resource="pods", name="x" * 10000)
    decide(make(hook, tmp_path), huge, huge)
    assert hook.count("SubjectAccessReview") == 2


def test_a_failing_webhook_has_no_opinion_by_default_and_is_asked_again(
    hook: ReviewServer, tmp_path: Path
) -> None:
    hook.fail_with = 500
    authz = make(hook, tmp_path)

    async def scenario() -> None:
        with pytest.raises(AuthorizerError) as failed:
            await authz.authorize(LIST_PODS)
        assert failed.value.decision is Decision.NO_OPINION
        assert failed.value.error.startswith(
            f'Post "{hook.url("/authorize")}": the webhook answered 500'
        )
        hook.fail_with = None
        assert (await authz.authorize(LIST_PODS))[0] is Decision.ALLOW
        await authz.close()

    asyncio.run(scenario())


def test_with_failure_policy_deny_a_webhook_that_is_down_denies(
    hook: ReviewServer, tmp_path: Path
) -> None:
    authz = make(hook, tmp_path, name="guard", deny_on_failure=True)
    hook.stop()
    [(decision, reason)] = decide(authz, LIST_PODS)
    assert decision is Decision.DENY
    assert reason.startswith('error: Post "https://127.0.0.1:')
    assert '/authorize": dial tcp' in reason


def test_a_request_the_match_conditions_exclude_never_reaches_the_webhook(
    hook: ReviewServer, tmp_path: Path
) -> None:
    match = MatchConditions.compile(
        ["has(request.resourceAttributes)", "request.resourceAttributes.namespace == 'team'"]
    )
    other_ns = Attributes(JANE, "list", True, namespace="prod", resource="pods")
    assert decide(make(hook, tmp_path, match=match), other_ns, HEALTHZ, LIST_PODS) == [
        (Decision.NO_OPINION, ""),
        (Decision.NO_OPINION, ""),
        (Decision.ALLOW, "pods are public"),
    ]
    assert hook.count("SubjectAccessReview") == 1


@pytest.mark.parametrize(
    ("deny", "expected"), [(False, Decision.NO_OPINION), (True, Decision.DENY)]
)
def test_match_conditions_that_cannot_be_evaluated_get_the_failure_policy(
    hook: ReviewServer, tmp_path: Path, deny: bool, expected: Decision
) -> None:
    # A non-resource request has no resourceAttributes: reading them is an error.
    match = MatchConditions.compile(["request.resourceAttributes.namespace == 'team'"])
    [(decision, _)] = decide(make(hook, tmp_path, match=match, deny_on_failure=deny), HEALTHZ)
    assert decision is expected
    assert hook.count("SubjectAccessReview") == 0


def test_the_webhook_cannot_list_rules() -> None:
    authz = WebhookAuthorizer(None, WebhookSettings())  # type: ignore[arg-type]
    rules = asyncio.run(authz.rules_for(JANE, "team"))
    assert rules.incomplete
    assert rules.error == "webhook authorizer does not support user rule resolution"


def test_from_options_uses_the_flags(hook: ReviewServer, tmp_path: Path) -> None:
    opts = AuthorizationOptions(
        modes=["Webhook"],
        authorization_webhook_config_file=str(hook.kubeconfig(tmp_path / "kc", "/authorize")),
        authorization_webhook_version="v1",
        authorization_webhook_cache_authorized_ttl=0,
    )
    authz = webhook.from_options(opts)
    assert decide(authz, LIST_PODS, LIST_PODS) == [(Decision.ALLOW, "pods are public")] * 2
    assert hook.count("SubjectAccessReview") == 2  # a TTL of 0 caches nothing
    assert hook.last("SubjectAccessReview")["apiVersion"] == "authorization.k8s.io/v1"
