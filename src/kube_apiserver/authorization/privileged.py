"""The superuser rule: members of a privileged group (`system:masters`) may do anything.

kube-apiserver puts this authorizer at the head of every chain, whatever the authorization modes,
so that the cluster admin cannot lock themselves out; it has no opinion about everyone else.
"""

from __future__ import annotations

from collections.abc import Iterable

from kube_apiserver.authorization.interface import Attributes, Decision


class PrivilegedGroupsAuthorizer:
    def __init__(self, groups: Iterable[str]) -> None:
        self._groups = frozenset(groups)

    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        if self._groups.intersection(attrs.user.groups):
            return Decision.ALLOW, ""
        return Decision.NO_OPINION, ""
