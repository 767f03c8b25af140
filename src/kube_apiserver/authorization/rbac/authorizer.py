"""`--authorization-mode=RBAC`: allow what a Role or ClusterRole bound to the user allows.

The rules that apply are those of the ClusterRoles bound by ClusterRoleBindings, then those of
the roles bound by RoleBindings of the request's namespace (`resolver.py`); the first rule that
matches (`rules.py`) allows the request, and the reason names the binding, as Kubernetes' does
(`RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "u"`; a
SubjectAccessReview shows it). RBAC never denies: otherwise it has no opinion, with no reason,
so the 403 message ends after the namespace, unless a binding that applies refers to a missing
role, which is told (`RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`).

Decisions are remembered while no role or binding changes (the watch caches' revisions say when
one may have), so a client repeating a request is answered by one dictionary lookup; any RBAC
write forgets them all, so a revoked permission is refused on the next request.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import (
    Attributes,
    Decision,
    NonResourceRule,
    ResourceRule,
    Rules,
)
from kube_apiserver.authorization.rbac import resolver as rbac_resolver
from kube_apiserver.authorization.rbac.resolver import MissingRole, RuleResolver, aggregate

# Enough for the distinct requests of a busy server between two RBAC writes; then start over.
DECISION_CACHE_SIZE = 8192


class RBACAuthorizer:
    def __init__(self) -> None:
        self._resolver: RuleResolver | None = None
        self._decisions: dict[Attributes, tuple[Decision, str]] = {}
        self._version: tuple[int, ...] = ()

    def attach(self, stores: dict[str, Any]) -> None:
        self._resolver = rbac_resolver.for_stores(stores)

    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        if self._resolver is None:
            return Decision.NO_OPINION, ""
        version = self._resolver.version()
        if version != self._version or len(self._decisions) >= DECISION_CACHE_SIZE:
            self._decisions.clear()
            self._version = version
        decided = self._decisions.get(attrs)
        if decided is None:
            decided = self._decisions[attrs] = self._decide(self._resolver, attrs)
        return decided

    def _decide(self, resolver: RuleResolver, attrs: Attributes) -> tuple[Decision, str]:
        errors: list[str] = []
        for grant in resolver.grants(attrs.user, attrs.namespace):
            if isinstance(grant, MissingRole):
                errors.append(grant.error())
                continue
            for rule in grant.rules:
                if rule.allows(attrs):
                    return Decision.ALLOW, f"RBAC: allowed by {grant.describe()}"
        return Decision.NO_OPINION, f"RBAC: {aggregate(errors)}" if errors else ""

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        """Every rule of every binding that applies, as Kubernetes lists them: a rule with
        resources is a resource rule, one with URLs a non-resource rule. Missing roles are an
        evaluation error; Kubernetes' RBAC does not mark its answer incomplete for them."""
        if self._resolver is None:
            return Rules()
        rules, missing = self._resolver.rules_for(user, namespace)
        return Rules(
            tuple(
                ResourceRule(r.verbs, r.api_groups, r.resources, r.resource_names)
                for r in rules
                if r.resources
            ),
            tuple(
                NonResourceRule(r.verbs, r.non_resource_urls) for r in rules if r.non_resource_urls
            ),
            False,
            aggregate([m.error() for m in missing]) if missing else "",
        )
