from __future__ import annotations

import asyncio
from dataclasses import dataclass

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.alwaysallow import AlwaysAllowAuthorizer
from kube_apiserver.authorization.alwaysdeny import AlwaysDenyAuthorizer
from kube_apiserver.authorization.interface import Attributes, Decision
from kube_apiserver.authorization.privileged import PrivilegedGroupsAuthorizer
from kube_apiserver.authorization.union import UnionAuthorizer


def attrs(*groups: str) -> Attributes:
    return Attributes(
        user=UserInfo(name="u", groups=groups), verb="get", resource_request=True, resource="pods"
    )


@dataclass
class Fixed:
    decision: Decision
    reason: str = ""
    calls: int = 0

    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        self.calls += 1
        return self.decision, self.reason


def test_always_allow_allows_without_a_reason() -> None:
    assert asyncio.run(AlwaysAllowAuthorizer().authorize(attrs())) == (Decision.ALLOW, "")


def test_always_deny_has_no_opinion_and_says_everything_is_forbidden() -> None:
    assert asyncio.run(AlwaysDenyAuthorizer().authorize(attrs())) == (
        Decision.NO_OPINION,
        "Everything is forbidden.",
    )


def test_privileged_groups_are_allowed_and_others_get_no_opinion() -> None:
    privileged = PrivilegedGroupsAuthorizer(["system:masters"])
    assert asyncio.run(privileged.authorize(attrs("dev", "system:masters"))) == (Decision.ALLOW, "")
    assert asyncio.run(privileged.authorize(attrs("dev"))) == (Decision.NO_OPINION, "")


def test_the_first_authorizer_with_an_opinion_decides() -> None:
    later = Fixed(Decision.ALLOW)
    union = UnionAuthorizer(
        [Fixed(Decision.NO_OPINION, "no rule"), Fixed(Decision.DENY, "denied"), later]
    )
    assert asyncio.run(union.authorize(attrs())) == (Decision.DENY, "denied")
    assert later.calls == 0


def test_without_any_opinion_the_reasons_are_joined_line_by_line() -> None:
    union = UnionAuthorizer(
        [
            Fixed(Decision.NO_OPINION, "a"),
            Fixed(Decision.NO_OPINION),
            Fixed(Decision.NO_OPINION, "b"),
        ]
    )
    assert asyncio.run(union.authorize(attrs())) == (Decision.NO_OPINION, "a\nb")


def test_system_masters_is_allowed_even_when_every_authorizer_denies() -> None:
    union = UnionAuthorizer([Fixed(Decision.DENY, "no"), AlwaysDenyAuthorizer()])
    assert asyncio.run(union.authorize(attrs("system:masters"))) == (Decision.ALLOW, "")
    assert asyncio.run(union.authorize(attrs("dev"))) == (Decision.DENY, "no")


def test_always_deny_lets_a_later_authorizer_allow() -> None:
    union = UnionAuthorizer([AlwaysDenyAuthorizer(), AlwaysAllowAuthorizer()])
    assert asyncio.run(union.authorize(attrs())) == (Decision.ALLOW, "")


def test_a_bare_union_has_no_privileged_groups() -> None:
    union = UnionAuthorizer([AlwaysDenyAuthorizer()], privileged_groups=())
    assert asyncio.run(union.authorize(attrs("system:masters"))) == (
        Decision.NO_OPINION,
        "Everything is forbidden.",
    )
