"""Escalation prevention: does a user already hold every permission a role would grant?

Kubernetes lets a user write a role (or bind one) only with permissions they hold, unless they
may `escalate` (or `bind`). "Hold" is decided by coverage, not by asking the authorizer: each
rule to grant is broken down into atomic rules (one group, resource, verb and name; or one URL
and verb) and each must be covered by one rule the user has through RBAC. What is missing is
compacted (atomic rules differing only by verb merged) and listed in the refusal, one rule a
line in Kubernetes' compact notation, sorted:

    user "u" (groups=["g1" "g2"]) is attempting to grant RBAC permissions not currently held:
    {APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}
"""

from __future__ import annotations

from collections.abc import Sequence

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import go_quote
from kube_apiserver.authorization.rbac.resolver import MissingRole, aggregate
from kube_apiserver.authorization.rbac.rules import ALL, PolicyRule

# What setting an aggregationRule needs: it can gather any permission.
FULL_AUTHORITY = (
    PolicyRule(verbs=(ALL,), api_groups=(ALL,), resources=(ALL,)),
    PolicyRule(verbs=(ALL,), non_resource_urls=(ALL,)),
)


def breakdown(rule: PolicyRule) -> list[PolicyRule]:
    """The atomic rules `rule` is the union of."""
    out = [
        PolicyRule(verbs=(verb,), api_groups=(group,), resources=(resource,), resource_names=names)
        for group in rule.api_groups
        for resource in rule.resources
        for verb in rule.verbs
        for names in ([(n,) for n in rule.resource_names] or [()])
    ]
    out += [
        PolicyRule(verbs=(verb,), non_resource_urls=(url,))
        for url in rule.non_resource_urls
        for verb in rule.verbs
    ]
    return out


def _resources_cover(owned: Sequence[str], wanted: Sequence[str]) -> bool:
    if ALL in owned:
        return True
    for resource in wanted:
        if resource in owned:
            continue
        # A "*/subresource" rule covers that subresource of any resource; nothing else is a pattern.
        if "/" not in resource or "*/" + resource.split("/", 1)[1] not in owned:
            return False
    return True


def _url_covers(owned: str, wanted: str) -> bool:
    return owned == wanted or (owned.endswith(ALL) and wanted.startswith(owned.rstrip(ALL)))


def _covers(owner: PolicyRule, atom: PolicyRule) -> bool:
    """Whether one rule the user holds covers an atomic rule (Kubernetes' ruleCovers)."""
    if ALL not in owner.verbs and not set(atom.verbs) <= set(owner.verbs):
        return False
    if ALL not in owner.api_groups and not set(atom.api_groups) <= set(owner.api_groups):
        return False
    if not _resources_cover(owner.resources, atom.resources):
        return False
    if not all(
        any(_url_covers(o, w) for o in owner.non_resource_urls) for w in atom.non_resource_urls
    ):
        return False
    if not atom.resource_names:
        return not owner.resource_names
    return not owner.resource_names or set(atom.resource_names) <= set(owner.resource_names)


def uncovered(owned: Sequence[PolicyRule], wanted: Sequence[PolicyRule]) -> list[PolicyRule]:
    """The atomic rules of `wanted` no rule of `owned` covers."""
    return [
        atom
        for rule in wanted
        for atom in breakdown(rule)
        if not any(_covers(owner, atom) for owner in owned)
    ]


def compact(rules: Sequence[PolicyRule]) -> list[PolicyRule]:
    """Merge rules with one group, one resource and at most one name that differ only by verb."""
    merged: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
    out: list[PolicyRule] = []
    for rule in rules:
        simple = (
            len(rule.api_groups) == 1
            and len(rule.resources) == 1
            and len(rule.resource_names) <= 1
            and not rule.non_resource_urls
        )
        if simple:
            key = (rule.api_groups[0], rule.resources[0], rule.resource_names)
            merged.setdefault(key, []).extend(rule.verbs)
        else:
            out.append(rule)
    out += [
        PolicyRule(
            verbs=tuple(verbs), api_groups=(group,), resources=(resource,), resource_names=names
        )
        for (group, resource, names), verbs in merged.items()
    ]
    return out


def quote_list(values: Sequence[str]) -> str:
    """A list of strings as Go's `%q` prints a []string: `["a" "b"]`."""
    return "[" + " ".join(go_quote(v) for v in values) + "]"


def compact_string(rule: PolicyRule) -> str:
    """A rule in Kubernetes' compact notation: `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`."""
    parts = [
        f"{label}:{quote_list(values)}"
        for label, values in (
            ("APIGroups", rule.api_groups),
            ("Resources", rule.resources),
            ("NonResourceURLs", rule.non_resource_urls),
            ("ResourceNames", rule.resource_names),
            ("Verbs", rule.verbs),
        )
        if values
    ]
    return "{" + ", ".join(parts) + "}"


def escalation_error(
    user: UserInfo,
    owned: Sequence[PolicyRule],
    missing_roles: Sequence[MissingRole],
    rules: Sequence[PolicyRule],
) -> str | None:
    """Why `user`, holding `owned`, may not grant `rules`; None when `owned` covers them.
    `missing_roles` are the roles the user's bindings refer to that could not be read."""
    missing = uncovered(owned, rules)
    if not missing:
        return None
    described = sorted({compact_string(rule) for rule in compact(missing)})
    message = (
        f"user {go_quote(user.name)} (groups={quote_list(user.groups)}) is attempting to grant "
        "RBAC permissions not currently held:\n" + "\n".join(described)
    )
    if missing_roles:
        errors = aggregate([m.error(plural=True) for m in missing_roles])
        message += f"; resolution errors: [{errors}]"
    return message
