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
from typing import Any

from kube_apiserver.authentication.user import MASTERS, UserInfo
from kube_apiserver.authorization.interface import (
    Attributes,
    Authorizer,
    AuthorizerError,
    Decision,
    RuleResolver,
    Rules,
)
from kube_apiserver.authorization.privileged import PrivilegedGroupsAuthorizer


class UnionAuthorizer:
    def __init__(
        self, authorizers: Sequence[Authorizer], *, privileged_groups: Iterable[str] = (MASTERS,)
    ) -> None:
        groups = tuple(privileged_groups)
        chain: list[Authorizer] = [PrivilegedGroupsAuthorizer(groups)] if groups else []
        self._authorizers = (*chain, *authorizers)

    def attach(self, stores: dict[str, Any]) -> None:
        """Hand the stores to the members that read API objects (RBAC, Node)."""
        for authorizer in self._authorizers:
            if hasattr(authorizer, "attach"):
                authorizer.attach(stores)

    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        """The first decision, or no opinion; raises AuthorizerError when that decision came
        with an error, or when nobody decided and a member met one."""
        reasons: list[str] = []
        failures: list[str] = []
        for authorizer in self._authorizers:
            try:
                decision, reason = await authorizer.authorize(attrs)
            except AuthorizerError as err:
                if err.decision is not Decision.NO_OPINION:
                    raise
                decision, reason = err.decision, err.reason
                failures.append(err.error)
            if decision is not Decision.NO_OPINION:
                return decision, reason
            if reason:
                reasons.append(reason)
        if failures:
            # Worded as Kubernetes' error aggregate.
            error = failures[0] if len(failures) == 1 else "[" + ", ".join(failures) + "]"
            raise AuthorizerError(Decision.NO_OPINION, "\n".join(reasons), error)
        return Decision.NO_OPINION, "\n".join(reasons)

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        """The rules of every member that can list them, joined (the privileged-group rule
        lists none, as in Kubernetes)."""
        found = [
            await a.rules_for(user, namespace)
            for a in self._authorizers
            if isinstance(a, RuleResolver)
        ]
        errors = [r.error for r in found if r.error]
        return Rules(
            tuple(rule for r in found for rule in r.resource),
            tuple(rule for r in found for rule in r.non_resource),
            any(r.incomplete for r in found),
            errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]" if errors else "",
        )
