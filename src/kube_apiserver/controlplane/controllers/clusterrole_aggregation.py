"""STUB: a controller keeping aggregated ClusterRoles."""

from __future__ import annotations

from typing import Any


class ClusterRoleAggregationController:
    def __init__(self, stores: dict[str, Any], **kwargs: Any) -> None:
        self._stores = stores

    def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
