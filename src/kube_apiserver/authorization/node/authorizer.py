"""STUB: the Node authorizer (filled by the Node authorization work)."""

from __future__ import annotations

from typing import Any

from kube_apiserver.authorization.interface import Attributes, Decision


class NodeAuthorizer:
    def attach(self, stores: dict[str, Any]) -> None:
        self._stores = stores

    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        return Decision.NO_OPINION, ""
