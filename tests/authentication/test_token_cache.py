from __future__ import annotations

import asyncio

from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.token_cache import CachedTokenAuthenticator
from kube_apiserver.authentication.user import UserInfo


class Counting:
    """An authenticator that accepts one token, fails another, and counts what it is asked."""

    def __init__(self) -> None:
        self.calls = 0
        self.revoked = False

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        self.calls += 1
        token = req.headers["authorization"].removeprefix("Bearer ")
        if token == "good" and not self.revoked:
            return UserInfo(name="alice", groups=tuple(req.audiences))
        raise AuthenticationError("bad token")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def ask(cache: CachedTokenAuthenticator, token: str, audiences: tuple[str, ...] = ()):
    req = AuthRequest({"authorization": f"Bearer {token}"}, audiences=audiences)
    try:
        return asyncio.run(cache.authenticate(req))
    except AuthenticationError:
        return "refused"


def test_a_success_is_remembered_for_ten_seconds_then_asked_again() -> None:
    inner, clock = Counting(), Clock()
    cache = CachedTokenAuthenticator(inner, clock=clock)
    assert ask(cache, "good") == UserInfo(name="alice")
    inner.revoked = True
    clock.now += 9.9
    assert ask(cache, "good") == UserInfo(name="alice")
    assert inner.calls == 1
    clock.now += 0.2
    assert ask(cache, "good") == "refused"
    assert inner.calls == 2


def test_failures_are_never_remembered() -> None:
    inner = Counting()
    cache = CachedTokenAuthenticator(inner, clock=Clock())
    assert ask(cache, "bad") == "refused"
    assert ask(cache, "bad") == "refused"
    assert inner.calls == 2


def test_each_audience_set_is_its_own_entry() -> None:
    inner = Counting()
    cache = CachedTokenAuthenticator(inner, clock=Clock())
    assert ask(cache, "good", ("api",)).groups == ("api",)
    assert ask(cache, "good", ("vault",)).groups == ("vault",)
    assert inner.calls == 2


def test_a_request_without_a_bearer_token_is_not_this_authenticators() -> None:
    inner = Counting()
    cache = CachedTokenAuthenticator(inner, clock=Clock())
    assert asyncio.run(cache.authenticate(AuthRequest({}))) is None
    assert inner.calls == 0
