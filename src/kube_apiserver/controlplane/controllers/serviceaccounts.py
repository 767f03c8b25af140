"""STUB: a controller keeping the default ServiceAccount in every namespace."""

from __future__ import annotations

from typing import Any


class ServiceAccountsController:
    def __init__(self, stores: dict[str, Any], **kwargs: Any) -> None:
        self._stores = stores

    def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
