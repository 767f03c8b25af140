"""STUB: the ServiceAccount admission plugin."""

from __future__ import annotations

from typing import Any

from kube_apiserver.admission.interface import Attributes


class ServiceAccount:
    name = "ServiceAccount"

    def attach(self, stores: dict[str, Any]) -> None:
        self._stores = stores

    async def admit(self, attrs: Attributes) -> None:
        return None

    async def validate(self, attrs: Attributes) -> None:
        return None
