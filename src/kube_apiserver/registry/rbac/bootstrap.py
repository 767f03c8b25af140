"""STUB: the bootstrap RBAC policy, created and reconciled at start."""

from __future__ import annotations

from typing import Any


async def reconcile_bootstrap_policy(stores: dict[str, Any]) -> None:
    return None
