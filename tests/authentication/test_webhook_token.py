"""Webhook token authentication against a real HTTPS webhook: users, refusals, audiences, cache."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kube_apiserver.authentication import webhook
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authentication.webhook import WebhookTokenAuthenticator
from kube_apiserver.cmd.options.authentication import AuthenticationOptions
from kube_apiserver.webhook.client import Backoff, WebhookClient
from kube_apiserver.webhook.kubeconfig import load_kubeconfig
from webhook.review_server import ReviewServer

AUDIENCES = ["https://kubernetes.default.svc.cluster.local"]
JANE = {
    "authenticated": True,
    "user": {
        "username": "jane",
        "uid": "42",
        "groups": ["developers", "qa"],
        "extra": {"scopes": ["read", "write"]},
    },
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def hook(tmp_path: Path) -> Iterator[ReviewServer]:
    server = ReviewServer(tmp_path / "hook").start()
    server.tokens["jane-token"] = JANE
    yield server
    server.stop()


def make(hook: ReviewServer, tmp_path: Path, **options: Any) -> WebhookTokenAuthenticator:
    config = load_kubeconfig(hook.kubeconfig(tmp_path / "kc", "/authenticate"))
    options.setdefault("api_audiences", AUDIENCES)
    return WebhookTokenAuthenticator(
        WebhookClient(config, backoff=Backoff(initial=0.001)), **options
    )


def authenticate(auth: WebhookTokenAuthenticator, *tokens: str | None) -> list[Any]:
    """Authenticate each token in turn in one event loop: the user, None, or the error."""

    async def run() -> list[Any]:
        out: list[Any] = []
        for token in tokens:
            headers = {"authorization": f"Bearer {token}"} if token is not None else {}
            try:
                out.append(await auth.authenticate(AuthRequest(headers=headers)))
            except AuthenticationError as err:
                out.append(err)
        await auth.close()
        return out

    return asyncio.run(run())


def test_the_webhooks_user_becomes_the_requests_user(hook: ReviewServer, tmp_path: Path) -> None:
    [user] = authenticate(make(hook, tmp_path), "jane-token")
    assert user == UserInfo("jane", "42", ("developers", "qa"), {"scopes": ("read", "write")})
    assert user.extra == {"scopes": ("read", "write")}


def test_the_review_carries_the_token_and_the_api_audiences_as_v1beta1_by_default(
    hook: ReviewServer, tmp_path: Path
) -> None:
    authenticate(make(hook, tmp_path), "jane-token")
    review = hook.last("TokenReview")
    assert review["apiVersion"] == "authentication.k8s.io/v1beta1"
    assert review["spec"] == {"token": "jane-token", "audiences": AUDIENCES}


def test_version_v1_sends_a_v1_token_review(hook: ReviewServer, tmp_path: Path) -> None:
    [user] = authenticate(make(hook, tmp_path, version="v1"), "jane-token")
    assert user.name == "jane"
    assert hook.last("TokenReview")["apiVersion"] == "authentication.k8s.io/v1"


def test_a_request_without_a_bearer_token_is_not_for_this_authenticator(
    hook: ReviewServer, tmp_path: Path
) -> None:
    assert authenticate(make(hook, tmp_path), None) == [None]
    assert hook.count("TokenReview") == 0


def test_a_token_the_webhook_does_not_authenticate_is_refused(
    hook: ReviewServer, tmp_path: Path
) -> None:
    [result] = authenticate(make(hook, tmp_path), "stranger-token")
    assert isinstance(result, AuthenticationError)
    assert result.reason == "invalid bearer token"


def test_answers_are_cached_for_the_ttl_successes_and_refusals_alike(
    hook: ReviewServer, tmp_path: Path
) -> None:
    clock = Clock()
    auth = make(hook, tmp_path, cache_ttl=120, clock=clock)

    async def scenario() -> None:
        for _ in range(3):
            assert (await auth.authenticate(bearer("jane-token"))).name == "jane"
            with pytest.raises(AuthenticationError):
                await auth.authenticate(bearer("stranger-token"))
        assert hook.count("TokenReview") == 2
        clock.now += 119
        await auth.authenticate(bearer("jane-token"))
        assert hook.count("TokenReview") == 2
        clock.now += 1
        await auth.authenticate(bearer("jane-token"))
        with pytest.raises(AuthenticationError):
            await auth.authenticate(bearer("stranger-token"))
        assert hook.count("TokenReview") == 4
        await auth.close()

    asyncio.run(scenario())


def test_a_zero_ttl_caches_nothing(hook: ReviewServer, tmp_path: Path) -> None:
    authenticate(make(hook, tmp_path, cache_ttl=0), "jane-token", "jane-token")
    assert hook.count("TokenReview") == 2


def test_a_revoked_token_is_refused_once_its_cached_answer_expires(
    hook: ReviewServer, tmp_path: Path
) -> None:
    clock = Clock()
    auth = make(hook, tmp_path, cache_ttl=10, clock=clock)

    async def scenario() -> None:
        assert (await auth.authenticate(bearer("jane-token"))).name == "jane"
        del hook.tokens["jane-token"]
        assert (await auth.authenticate(bearer("jane-token"))).name == "jane"  # still cached
        clock.now += 10
        with pytest.raises(AuthenticationError):
            await auth.authenticate(bearer("jane-token"))
        await auth.close()

    asyncio.run(scenario())


def test_a_failed_call_is_an_error_and_is_not_cached(hook: ReviewServer, tmp_path: Path) -> None:
    auth = make(hook, tmp_path)

    async def scenario() -> None:
        hook.fail_with = 500
        with pytest.raises(AuthenticationError, match="the webhook answered 500"):
            await auth.authenticate(bearer("jane-token"))
        hook.fail_with = None
        assert (await auth.authenticate(bearer("jane-token"))).name == "jane"
        await auth.close()

    asyncio.run(scenario())


def test_a_webhook_that_is_down_refuses_every_token(hook: ReviewServer, tmp_path: Path) -> None:
    auth = make(hook, tmp_path)
    hook.stop()
    [result] = authenticate(auth, "jane-token")
    assert isinstance(result, AuthenticationError)


def test_an_error_the_webhook_reports_refuses_the_token_and_is_not_cached(
    hook: ReviewServer, tmp_path: Path
) -> None:
    hook.tokens["broken"] = {"authenticated": False, "error": "the directory is unavailable"}
    results = authenticate(make(hook, tmp_path), "broken", "broken")
    assert [r.reason for r in results] == ["the directory is unavailable"] * 2
    assert hook.count("TokenReview") == 2


@pytest.mark.parametrize(
    ("answered", "accepted"),
    [
        ([], True),
        (AUDIENCES, True),
        (["other", *AUDIENCES], True),
        (["other"], False),
    ],
)
def test_the_answers_audiences_must_include_an_api_audience(
    hook: ReviewServer, tmp_path: Path, answered: list[str], accepted: bool
) -> None:
    hook.tokens["t"] = {**JANE, "audiences": answered}
    [result] = authenticate(make(hook, tmp_path), "t")
    assert isinstance(result, UserInfo) is accepted, result


@pytest.mark.parametrize(("answered", "accepted"), [(["vault"], True), ([], False)])
def test_a_review_for_other_audiences_asks_for_those(
    hook: ReviewServer, tmp_path: Path, answered: list[str], accepted: bool
) -> None:
    """A TokenReview naming audiences: the webhook is asked about them, and an answer without
    audiences means the API audiences, which were not asked for."""
    hook.tokens["t"] = {**JANE, "audiences": answered}
    auth = make(hook, tmp_path)

    async def review() -> UserInfo | None:
        request = AuthRequest(headers={"authorization": "Bearer t"}, audiences=("vault",))
        try:
            return await auth.authenticate(request)
        except AuthenticationError:
            return None
        finally:
            await auth.close()

    assert (asyncio.run(review()) is not None) is accepted
    assert hook.last("TokenReview")["spec"]["audiences"] == ["vault"]


def test_a_malformed_user_is_an_error(hook: ReviewServer, tmp_path: Path) -> None:
    hook.tokens["t"] = {"authenticated": True, "user": {"username": "x", "groups": "admins"}}
    [result] = authenticate(make(hook, tmp_path), "t")
    assert isinstance(result, AuthenticationError)


def test_concurrent_requests_with_one_token_share_one_call(
    hook: ReviewServer, tmp_path: Path
) -> None:
    auth = make(hook, tmp_path)

    async def scenario() -> list[UserInfo | None]:
        users = await asyncio.gather(*(auth.authenticate(bearer("jane-token")) for _ in range(8)))
        await auth.close()
        return users

    assert {u.name for u in asyncio.run(scenario()) if u} == {"jane"}
    assert hook.count("TokenReview") == 1


def test_from_options_builds_the_authenticator_only_when_the_flag_is_set(
    hook: ReviewServer, tmp_path: Path
) -> None:
    assert webhook.from_options(AuthenticationOptions()) == []
    opts = AuthenticationOptions(
        authentication_token_webhook_config_file=str(
            hook.kubeconfig(tmp_path / "kc", "/authenticate")
        ),
        authentication_token_webhook_version="v1",
        api_audiences=["api"],
    )
    [auth] = webhook.from_options(opts)
    [user] = authenticate(auth, "jane-token")
    assert user.name == "jane"
    assert hook.last("TokenReview") == {
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenReview",
        "metadata": {"creationTimestamp": None},
        "spec": {"token": "jane-token", "audiences": ["api"]},
        "status": {"user": {}},
    }


def bearer(token: str) -> AuthRequest:
    return AuthRequest(headers={"authorization": f"Bearer {token}"})
