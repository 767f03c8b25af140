"""Anonymous access and its limits: only a request with no credential at all is anonymous."""

from __future__ import annotations

import asyncio

import pytest

from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.token_file import TokenFileAuthenticator
from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.authentication.user import UserInfo

ANONYMOUS = UserInfo(name="system:anonymous", groups=("system:unauthenticated",))


def union(*, anonymous: bool) -> UnionAuthenticator:
    # An authenticator that recognises no token at all: unknown tokens reach the union's end.
    return UnionAuthenticator([TokenFileAuthenticator({})], anonymous=anonymous)


def authenticate(headers: dict[str, str], *, anonymous: bool = True) -> UserInfo | None:
    return asyncio.run(union(anonymous=anonymous).authenticate(AuthRequest(headers)))


def test_a_bearer_token_nobody_recognises_is_refused_not_anonymous() -> None:
    quiet = UnionAuthenticator([], anonymous=True)
    for authenticator in (quiet, union(anonymous=True)):
        with pytest.raises(AuthenticationError, match="^invalid bearer token$"):
            asyncio.run(authenticator.authenticate(AuthRequest({"authorization": "Bearer x"})))


@pytest.mark.parametrize("value", ["Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer ", "Negotiate x"])
def test_an_authorization_header_without_a_bearer_token_is_no_credential(value: str) -> None:
    assert authenticate({"authorization": value}) == ANONYMOUS


def test_no_credential_is_anonymous_only_when_anonymous_access_is_on() -> None:
    assert authenticate({}) == ANONYMOUS
    assert authenticate({}, anonymous=False) is None
