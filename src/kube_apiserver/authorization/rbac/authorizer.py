"""STUB: the RBAC authorizer (filled by the RBAC work)."""

from __future__ import annotations

from typing import Any

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import Attributes, Decision, Rules


class RBACAuthorizer:
    def attach(self, stores: dict[str, Any]) -> None:
        self._stores = stores

    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        return Decision.NO_OPINION, ""

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        return Rules()
