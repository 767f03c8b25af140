"""RBAC policy rules: a Role's `rules` compiled once, and whether one allows a request.

A rule keeps its lists as written (SelfSubjectRulesReview and escalation messages show them)
and, beside them, the sets that matching reads, so that deciding a request is a few set
lookups. Matching is Kubernetes' RBAC rule matching:

- `verbs` and `apiGroups` hold the request's verb and group, or `*`;
- `resources` hold `resource` or `resource/subresource`, or `*`; `*/subresource` matches that
  subresource of any resource. `pods/*` is no pattern: it only matches a subresource named `*`;
- `resourceNames`, when given, must hold the request's object name, so such a rule never
  allows a request that names no object (create, a list without a `metadata.name` selector);
- `nonResourceURLs` match a path exactly, or by prefix when they end in `*`; `*` matches any.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kube_apiserver.authorization.interface import Attributes

ALL = "*"


def _strings(value: Any) -> tuple[str, ...]:
    """A list of strings from an object (anything else in it is ignored, not trusted)."""
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


@dataclass(frozen=True)
class PolicyRule:
    verbs: tuple[str, ...] = ()
    api_groups: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    resource_names: tuple[str, ...] = ()
    non_resource_urls: tuple[str, ...] = ()
    # What matching reads, derived from the lists above.
    _verbs: frozenset[str] = field(init=False, repr=False, compare=False)
    _groups: frozenset[str] = field(init=False, repr=False, compare=False)
    _resources: frozenset[str] = field(init=False, repr=False, compare=False)
    _any_subresource_of: frozenset[str] = field(init=False, repr=False, compare=False)
    _names: frozenset[str] = field(init=False, repr=False, compare=False)
    _urls: frozenset[str] = field(init=False, repr=False, compare=False)
    _url_prefixes: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        init = object.__setattr__
        init(self, "_verbs", frozenset(self.verbs))
        init(self, "_groups", frozenset(self.api_groups))
        init(self, "_resources", frozenset(self.resources))
        # "*/scale" lets any resource's scale subresource through.
        init(
            self,
            "_any_subresource_of",
            frozenset(r[2:] for r in self.resources if r.startswith("*/")),
        )
        init(self, "_names", frozenset(self.resource_names))
        init(self, "_urls", frozenset(self.non_resource_urls))
        init(
            self,
            "_url_prefixes",
            tuple(u.rstrip(ALL) for u in self.non_resource_urls if u.endswith(ALL)),
        )

    @classmethod
    def from_object(cls, rule: Any) -> PolicyRule:
        """A rule as a Role or ClusterRole stores it (`{"verbs": [...], "apiGroups": ...}`)."""
        if not isinstance(rule, dict):
            return cls()
        return cls(
            verbs=_strings(rule.get("verbs")),
            api_groups=_strings(rule.get("apiGroups")),
            resources=_strings(rule.get("resources")),
            resource_names=_strings(rule.get("resourceNames")),
            non_resource_urls=_strings(rule.get("nonResourceURLs")),
        )

    def allows(self, attrs: Attributes) -> bool:
        verbs = self._verbs
        if attrs.verb not in verbs and ALL not in verbs:
            return False
        if not attrs.resource_request:
            return self._allows_path(attrs.path)
        groups = self._groups
        if attrs.api_group not in groups and ALL not in groups:
            return False
        resources = self._resources
        if ALL not in resources:
            sub = attrs.subresource
            combined = f"{attrs.resource}/{sub}" if sub else attrs.resource
            if combined not in resources and not (sub and sub in self._any_subresource_of):
                return False
        return not self._names or attrs.name in self._names

    def _allows_path(self, path: str) -> bool:
        urls = self._urls
        if ALL in urls or path in urls:
            return True
        return any(path.startswith(prefix) for prefix in self._url_prefixes)


def compile_rules(rules: Any) -> tuple[PolicyRule, ...]:
    """The `rules` list of a role object."""
    if not isinstance(rules, list):
        return ()
    return tuple(PolicyRule.from_object(rule) for rule in rules)
