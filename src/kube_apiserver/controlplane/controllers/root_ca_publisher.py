"""STUB: a controller keeping the kube-root-ca.crt ConfigMap in every namespace."""

from __future__ import annotations

from typing import Any


class RootCAPublisher:
    def __init__(self, stores: dict[str, Any], **kwargs: Any) -> None:
        self._stores = stores

    def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
