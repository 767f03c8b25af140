from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from kube_apiserver.authentication.anonymous import ANONYMOUS_USER
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.authentication.user import UserInfo

REQ = AuthRequest(headers={})


@dataclass
class Fixed:
    """An authenticator with a fixed answer: a user, None, or an error reason."""

    answer: UserInfo | str | None
    calls: int = 0

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        self.calls += 1
        if isinstance(self.answer, str):
            raise AuthenticationError(self.answer)
        return self.answer


def test_the_anonymous_authenticator_gives_system_anonymous_in_system_unauthenticated() -> None:
    assert ANONYMOUS_USER == UserInfo(name="system:anonymous", groups=("system:unauthenticated",))


def test_the_first_authenticator_that_knows_the_user_wins() -> None:
    later = Fixed(UserInfo(name="bob"))
    union = UnionAuthenticator([Fixed(None), Fixed(UserInfo(name="alice")), later], anonymous=False)
    user = asyncio.run(union.authenticate(REQ))
    assert user is not None and user.name == "alice"
    assert later.calls == 0


def test_authenticated_users_join_system_authenticated_after_their_own_groups() -> None:
    union = UnionAuthenticator(
        [Fixed(UserInfo(name="alice", uid="7", groups=("dev",)))], anonymous=False
    )
    assert asyncio.run(union.authenticate(REQ)) == UserInfo(
        name="alice", uid="7", groups=("dev", "system:authenticated")
    )


def test_a_user_already_marked_authenticated_or_unauthenticated_is_left_alone() -> None:
    for groups in (("system:authenticated", "dev"), ("system:unauthenticated",)):
        user = UserInfo(name="x", groups=groups)
        assert (
            asyncio.run(UnionAuthenticator([Fixed(user)], anonymous=False).authenticate(REQ))
            == user
        )


def test_a_rejected_credential_does_not_stop_a_later_authenticator_from_succeeding() -> None:
    union = UnionAuthenticator(
        [Fixed("invalid bearer token"), Fixed(UserInfo(name="alice"))], anonymous=True
    )
    user = asyncio.run(union.authenticate(REQ))
    assert user is not None and user.name == "alice"


def test_a_rejected_credential_fails_the_request_even_with_anonymous_enabled() -> None:
    union = UnionAuthenticator([Fixed(None), Fixed("invalid bearer token")], anonymous=True)
    with pytest.raises(AuthenticationError) as err:
        asyncio.run(union.authenticate(REQ))
    assert err.value.reason == "invalid bearer token"


def test_several_rejections_are_reported_together() -> None:
    union = UnionAuthenticator([Fixed("a"), Fixed("b"), Fixed("a")], anonymous=False)
    with pytest.raises(AuthenticationError) as err:
        asyncio.run(union.authenticate(REQ))
    assert err.value.reason == "[a, b]"


def test_a_request_without_credentials_is_anonymous_when_enabled() -> None:
    user = asyncio.run(UnionAuthenticator([Fixed(None)], anonymous=True).authenticate(REQ))
    assert user == UserInfo(name="system:anonymous", groups=("system:unauthenticated",))


def test_a_request_without_credentials_is_unauthenticated_when_anonymous_is_disabled() -> None:
    assert asyncio.run(UnionAuthenticator([Fixed(None)], anonymous=False).authenticate(REQ)) is None
    assert asyncio.run(UnionAuthenticator([], anonymous=False).authenticate(REQ)) is None


def test_user_info_is_hashable_and_compares_extra() -> None:
    a = UserInfo(name="x", extra={"k": ("v",)})
    assert hash(a) == hash(UserInfo(name="x", extra={"k": ("v",)}))
    assert a != UserInfo(name="x")
