"""The authorizer chain the authorization filter calls, in the order `--authorization-mode` lists.

The first authorizer that allows or denies decides; one with no opinion passes the request on.
If none decides, the result is no opinion (which the filter refuses with 403) and the reasons
given along the way are joined one per line, as Kubernetes' union does.

Kubernetes prepends a privileged-group authorizer (`system:masters`) to every chain when it
builds it from the modes; this class does that prepending itself so callers cannot forget it.
Pass `privileged_groups=()` for a bare union.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kube_apiserver.authentication.user import MASTERS
from kube_apiserver.authorization.interface import Attributes, Authorizer, Decision
from kube_apiserver.authorization.privileged import PrivilegedGroupsAuthorizer


class UnionAuthorizer:
    def __init__(
        self, authorizers: Sequence[Authorizer], *, privileged_groups: Iterable[str] = (MASTERS,)
    ) -> None:
        groups = tuple(privileged_groups)
        chain: list[Authorizer] = [PrivilegedGroupsAuthorizer(groups)] if groups else []
        self._authorizers = (*chain, *authorizers)

    def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        reasons: list[str] = []
        for authorizer in self._authorizers:
            decision, reason = authorizer.authorize(attrs)
            if decision is not Decision.NO_OPINION:
                return decision, reason
            if reason:
                reasons.append(reason)
        return Decision.NO_OPINION, "\n".join(reasons)
