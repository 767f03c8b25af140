"""`--authorization-mode=AlwaysAllow`: every authenticated request may do anything.

Useful for a private development server; like Kubernetes' it gives no reason.
"""

from __future__ import annotations

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import (
    Attributes,
    Decision,
    NonResourceRule,
    ResourceRule,
    Rules,
)

_EVERYTHING = Rules(
    (ResourceRule(("*",), ("*",), ("*",)),),
    (NonResourceRule(("*",), ("*",)),),
)


class AlwaysAllowAuthorizer:
    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        return Decision.ALLOW, ""

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        return _EVERYTHING
