"""Who may write roles and bindings: Kubernetes' policy-based RBAC storage, as strategies.

Authorization lets a request create or update a Role or a binding; these checks then keep the
requester from granting more than they hold:

- a Role or ClusterRole is written if the requester is in `system:masters`, may `escalate`
  roles (resp. clusterroles; asked of the server's authorizer, with the object's name on
  update), or already holds every permission it grants through RBAC in the role's namespace
  (cluster-wide for a ClusterRole). An aggregationRule (set, changed or dropped) needs every
  permission (`*` on everything);
- a RoleBinding or ClusterRoleBinding is written if the requester is in `system:masters`, may
  `bind` the role it refers to (in the binding's namespace; a resourceName rule can allow one
  role), or holds every permission of that role; a missing role is then a 404.

Writes by the server itself (no user) pass, and so do updates that change only what the
garbage collector changes (owner references, finalizers). Refusals are 403s worded as
Kubernetes words them (`escalation.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kube_apiserver.admission.interface import UPDATE
from kube_apiserver.admission.interface import Attributes as WriteAttributes
from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.rbac.resources import GROUP
from kube_apiserver.authentication.user import MASTERS, UserInfo
from kube_apiserver.authorization.interface import Attributes, allowed, go_quote
from kube_apiserver.authorization.rbac import resolver as rbac_resolver
from kube_apiserver.authorization.rbac.escalation import FULL_AUTHORITY, escalation_error
from kube_apiserver.authorization.rbac.resolver import RuleResolver
from kube_apiserver.authorization.rbac.rules import PolicyRule, compile_rules
from kube_apiserver.registry.rest import Strategy

_GC_META = ("ownerReferences", "finalizers", "selfLink", "managedFields")
_ROLE_RESOURCES = {"Role": "roles", "ClusterRole": "clusterroles"}


def _trusted(user: UserInfo | None) -> bool:
    # No user: the server's own writes (bootstrap policy, aggregation controller).
    return user is None or MASTERS in user.groups


def _semantic(obj: dict[str, Any], *, drop: Sequence[str] = ()) -> dict[str, Any]:
    """The object with empty values left out (Kubernetes compares nil and empty as equal)."""
    return {k: v for k, v in obj.items() if k not in drop and v not in (None, "", [], {})}


def only_gc_fields_change(new: dict[str, Any], old: dict[str, Any]) -> bool:
    """Whether an update changes nothing but what garbage collection changes."""
    new_meta = _semantic(new.get("metadata") or {}, drop=_GC_META)
    old_meta = _semantic(old.get("metadata") or {}, drop=_GC_META)
    return new_meta == old_meta and _semantic(new, drop=("metadata",)) == _semantic(
        old, drop=("metadata",)
    )


def _has_aggregation_rule(obj: dict[str, Any] | None) -> bool:
    rule = (obj or {}).get("aggregationRule")
    return isinstance(rule, dict) and bool(rule.get("clusterRoleSelectors"))


class PolicyGuardedStrategy(Strategy):
    """A role or binding strategy whose writes are checked against the requester's rights."""

    _authorizer: Any = None
    _resolver: RuleResolver | None = None

    def attach(self, stores: dict[str, Any]) -> None:
        self._resolver = rbac_resolver.for_stores(stores)

    def attach_auth(self, authorizer: Any, tokens: Any) -> None:
        self._authorizer = authorizer

    async def _may(
        self, user: UserInfo, verb: str, resource: str, *, name: str, namespace: str, group: str
    ) -> bool:
        """Whether the server's authorizer allows `verb` on the role resource."""
        if self._authorizer is None:
            return False
        attrs = Attributes(
            user=user,
            verb=verb,
            resource_request=True,
            namespace=namespace,
            api_group=group,
            api_version="*",
            resource=resource,
            name=name,
        )
        return await allowed(self._authorizer, attrs)

    async def _confirm_held(
        self, user: UserInfo, namespace: str, rules: Sequence[PolicyRule], name: str
    ) -> None:
        """Refuse unless `user` holds `rules` in `namespace` through RBAC."""
        owned: list[PolicyRule] = []
        missing: list[rbac_resolver.MissingRole] = []
        if self._resolver is not None:
            # A role or binding written just before must count, as Kubernetes reads storage.
            await self._resolver.catch_up()
            owned, missing = self._resolver.rules_for(user, namespace)
        why = escalation_error(user, owned, missing, rules)
        if why is not None:
            raise errors.forbidden(self.resource.name, GROUP, name, why)


class RoleGuardedStrategy(PolicyGuardedStrategy):
    """Roles and ClusterRoles: no permission granted that the writer does not hold."""

    async def authorize_write(self, attrs: WriteAttributes) -> None:
        user = attrs.user
        if _trusted(user) or attrs.obj is None:
            return
        assert user is not None
        updating = attrs.operation == UPDATE
        # As Kubernetes asks it: with the name of the request URL, which a create has not.
        if await self._may(
            user,
            "escalate",
            self.resource.name,
            name=attrs.name if updating else "",
            namespace=attrs.namespace,
            group=GROUP,
        ):
            return
        if updating and attrs.old is not None and only_gc_fields_change(attrs.obj, attrs.old):
            return
        name = (attrs.obj.get("metadata") or {}).get("name", "") or attrs.name
        rules = compile_rules(attrs.obj.get("rules"))
        await self._confirm_held(user, attrs.namespace, rules, name)
        if _has_aggregation_rule(attrs.obj) or _has_aggregation_rule(attrs.old):
            try:
                await self._confirm_held(user, attrs.namespace, FULL_AUTHORITY, name)
            except errors.StatusError:
                raise errors.forbidden(
                    self.resource.name,
                    GROUP,
                    name,
                    "must have cluster-admin privileges to use the aggregationRule",
                ) from None


class BindingGuardedStrategy(PolicyGuardedStrategy):
    """RoleBindings and ClusterRoleBindings: bind only roles the writer may bind or holds."""

    async def authorize_write(self, attrs: WriteAttributes) -> None:
        user = attrs.user
        if _trusted(user) or attrs.obj is None:
            return
        assert user is not None
        if (
            attrs.operation == UPDATE
            and attrs.old is not None
            and only_gc_fields_change(attrs.obj, attrs.old)
        ):
            return
        ref = attrs.obj.get("roleRef") if isinstance(attrs.obj.get("roleRef"), dict) else {}
        kind, role_name = str(ref.get("kind", "")), str(ref.get("name", ""))
        namespace = attrs.namespace if self.resource.namespaced else ""
        role_resource = _ROLE_RESOURCES.get(kind)
        if role_resource is not None and await self._may(
            user,
            "bind",
            role_resource,
            name=role_name,
            namespace=namespace,
            group=str(ref.get("apiGroup") or GROUP),  # defaulted, as Kubernetes sees it
        ):
            return
        rules = None
        if self._resolver is not None:
            await self._resolver.catch_up()
            rules = self._resolver.role_rules(kind, role_name, namespace)
        if rules is None:
            if role_resource is None:
                raise errors.internal(f"unsupported role reference kind: {go_quote(kind)}")
            raise errors.not_found(role_resource, GROUP, role_name)
        name = (attrs.obj.get("metadata") or {}).get("name", "") or attrs.name
        await self._confirm_held(user, namespace, rules, name)
