"""STUB: a controller keeping tokens of kubernetes.io/service-account-token Secrets."""

from __future__ import annotations

from typing import Any


class LegacyTokenController:
    def __init__(self, stores: dict[str, Any], **kwargs: Any) -> None:
        self._stores = stores

    def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
