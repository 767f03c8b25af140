"""STUB: the structured authorization configuration (`--authorization-config`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kube_apiserver.authorization.interface import Authorizer


def authorizers_from_file(
    path: Path, by_type: dict[str, Callable[[], Authorizer]]
) -> list[Authorizer]:
    """The chain a configuration file describes; `by_type` makes the RBAC, Node, AlwaysAllow
    and AlwaysDeny members, the file's own entries make the webhooks."""
    raise NotImplementedError
