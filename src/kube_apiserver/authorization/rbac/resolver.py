"""Which RBAC rules apply to a user in a namespace, read from the watch caches.

Kubernetes' rule resolver lists every ClusterRoleBinding (and every RoleBinding of the
namespace) for each request and tests each subject. Here bindings are indexed by subject as the
cache changes: each binding is filed under the user names (a ServiceAccount subject under its
`system:serviceaccount:<ns>:<name>` user name) and group names it binds, per namespace ("" for
ClusterRoleBindings), so a request costs one dict read per user name and group. Roles are read
from the cache by key and compiled once per stored version.

Each index follows its cache through a cache watcher that is drained without waiting at each
lookup: whatever the cache has applied is seen by the next request, and nothing runs in the
background. A watcher the cache closed (it relisted, or the index went unread too long) is
replaced by a fresh one that starts from the cache's current objects.

One resolver serves the RBAC authorizer and the roles' and bindings' escalation checks
(`for_stores`), so the indices exist once per server.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kube_apiserver.apis.rbac.resources import GROUP
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import go_quote
from kube_apiserver.authorization.rbac.rules import PolicyRule, compile_rules
from kube_apiserver.storage.cacher import CacheWatcher
from kube_apiserver.storage.interface import DELETED, StoredObject, TooLargeResourceVersionError

ROLES = f"roles.{GROUP}"
CLUSTER_ROLES = f"clusterroles.{GROUP}"
ROLE_BINDINGS = f"rolebindings.{GROUP}"
CLUSTER_ROLE_BINDINGS = f"clusterrolebindings.{GROUP}"

_STORE_KEYS = (ROLES, CLUSTER_ROLES, ROLE_BINDINGS, CLUSTER_ROLE_BINDINGS)

SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:"

# (namespace or "" for cluster-wide bindings, "user" | "group", name)
SubjectKey = tuple[str, str, str]


@dataclass(frozen=True)
class Subject:
    kind: str
    name: str
    namespace: str = ""

    def describe(self, binding_namespace: str) -> str:
        """As Kubernetes names the subject a rule was granted to (`ServiceAccount "sa/ns"`)."""
        if self.kind == "ServiceAccount":
            return f"{self.kind} {go_quote(f'{self.name}/{self.namespace or binding_namespace}')}"
        return f"{self.kind} {go_quote(self.name)}"

    def key(self, binding_namespace: str) -> tuple[str, str] | None:
        """The (kind, name) of the users or groups this subject stands for, None for none.

        A ServiceAccount subject without a namespace is one in the binding's namespace; in a
        ClusterRoleBinding it binds nobody, as in Kubernetes."""
        if self.kind == "User":
            return ("user", self.name)
        if self.kind == "Group":
            return ("group", self.name)
        if self.kind == "ServiceAccount":
            namespace = self.namespace or binding_namespace
            if namespace:
                return ("user", f"{SERVICE_ACCOUNT_PREFIX}{namespace}:{self.name}")
        return None


@dataclass(frozen=True)
class Binding:
    key: str
    name: str
    namespace: str  # "" for a ClusterRoleBinding
    role_kind: str
    role_name: str
    subjects: tuple[Subject, ...]

    @classmethod
    def from_object(cls, key: str, obj: dict[str, Any]) -> Binding:
        meta = obj.get("metadata") or {}
        ref = obj.get("roleRef") or {}
        subjects = tuple(
            Subject(str(s.get("kind", "")), str(s.get("name", "")), str(s.get("namespace", "")))
            for s in obj.get("subjects") or ()
            if isinstance(s, dict)
        )
        return cls(
            key,
            str(meta.get("name", "")),
            str(meta.get("namespace", "")),
            str(ref.get("kind", "")),
            str(ref.get("name", "")),
            subjects,
        )

    def subject_keys(self) -> set[SubjectKey]:
        keys = (subject.key(self.namespace) for subject in self.subjects)
        return {(self.namespace, *key) for key in keys if key is not None}

    def first_subject(self, user_keys: set[tuple[str, str]]) -> Subject:
        """The first subject that names the user (the one Kubernetes reports)."""
        for subject in self.subjects:
            if subject.key(self.namespace) in user_keys:
                return subject
        raise LookupError(self.key)  # only asked of bindings found through the user's keys

    def describe(self, subject: Subject) -> str:
        """The source Kubernetes names in `RBAC: allowed by ...`."""
        if self.namespace:
            what = f"RoleBinding {go_quote(f'{self.name}/{self.namespace}')}"
        else:
            what = f"ClusterRoleBinding {go_quote(self.name)}"
        role = f"{self.role_kind} {go_quote(self.role_name)}"
        return f"{what} of {role} to {subject.describe(self.namespace)}"


@dataclass(frozen=True)
class Grant:
    """The rules one binding gives the user."""

    binding: Binding
    subject: Subject
    rules: tuple[PolicyRule, ...]

    def describe(self) -> str:
        return self.binding.describe(self.subject)


@dataclass(frozen=True)
class MissingRole:
    """A binding that applies to the user refers to a role that does not exist (or a kind
    that is no role): it grants nothing, and the reason is reported."""

    kind: str
    name: str

    def error(self, *, plural: bool = False) -> str:
        """The error Kubernetes reports: its authorizer reads roles through informer listers
        (`role.rbac...`), its escalation checks through the REST storage (`roles.rbac...`)."""
        if self.kind not in ("Role", "ClusterRole"):
            return f"unsupported role reference kind: {go_quote(self.kind)}"
        resource = self.kind.lower() + ("s" if plural else "")
        return f"{resource}.{GROUP} {go_quote(self.name)} not found"


def aggregate(messages: Sequence[str]) -> str:
    """Several errors as one, as Go's utilerrors.NewAggregate prints them: a single one as
    itself, else the distinct ones in brackets."""
    if len(messages) == 1:
        return messages[0]
    distinct = list(dict.fromkeys(messages))
    return distinct[0] if len(distinct) == 1 else "[" + ", ".join(distinct) + "]"


class _BindingIndex:
    """The bindings of one cache, by subject."""

    def __init__(self, store: Any) -> None:
        self._cache = store.cache
        self._prefix = store.key_root
        self._watcher: CacheWatcher | None = None
        self._bindings: dict[str, Binding] = {}
        self._by_subject: dict[SubjectKey, dict[str, Binding]] = {}

    def _follow(self) -> CacheWatcher:
        self._bindings.clear()
        self._by_subject.clear()
        self._watcher = self._cache.watch_from(self._prefix, 0, None, initial=True)
        return self._watcher

    def _sync(self) -> None:
        watcher = self._watcher or self._follow()
        queue = watcher.queue
        while not queue.empty():
            event = queue.get_nowait()
            if event is None:  # the cache ended this watch: start over from its contents
                queue = self._follow().queue
                continue
            self._remove(event.current.key)
            if event.type != DELETED:
                self._add(event.current)

    def _add(self, item: StoredObject) -> None:
        binding = Binding.from_object(item.key, item.obj)
        self._bindings[item.key] = binding
        for key in binding.subject_keys():
            self._by_subject.setdefault(key, {})[item.key] = binding

    def _remove(self, key: str) -> None:
        binding = self._bindings.pop(key, None)
        if binding is None:
            return
        for subject_key in binding.subject_keys():
            bucket = self._by_subject.get(subject_key)
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del self._by_subject[subject_key]

    def lookup(self, namespace: str, user_keys: Sequence[tuple[str, str]]) -> list[Binding]:
        """The bindings in `namespace` that name any of the user's keys, in key order."""
        self._sync()
        found: dict[str, Binding] = {}
        for kind, name in user_keys:
            bucket = self._by_subject.get((namespace, kind, name))
            if bucket:
                found.update(bucket)
        return [found[key] for key in sorted(found)]


class _RoleRules:
    """The compiled rules of the roles of one cache, by key, recompiled when a role changes."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._compiled: dict[str, tuple[StoredObject, tuple[PolicyRule, ...]]] = {}

    def get(self, namespace: str, name: str) -> tuple[PolicyRule, ...] | None:
        key = self._store.key(namespace, name)
        item = self._store.cache.get_cached(key)
        if item is None:
            self._compiled.pop(key, None)
            return None
        known = self._compiled.get(key)
        if known is not None and known[0] is item:
            return known[1]
        rules = compile_rules(item.obj.get("rules"))
        self._compiled[key] = (item, rules)
        return rules


class RuleResolver:
    def __init__(self, stores: dict[str, Any]) -> None:
        self._caches = [stores[key].cache for key in _STORE_KEYS]
        self._roles = _RoleRules(stores[ROLES])
        self._cluster_roles = _RoleRules(stores[CLUSTER_ROLES])
        self._role_bindings = _BindingIndex(stores[ROLE_BINDINGS])
        self._cluster_role_bindings = _BindingIndex(stores[CLUSTER_ROLE_BINDINGS])

    def role_rules(self, kind: str, name: str, namespace: str) -> tuple[PolicyRule, ...] | None:
        """The rules of the role a binding in `namespace` ("" for cluster-wide) refers to;
        None when there is no such role (or `kind` names no kind of role)."""
        if kind == "ClusterRole":
            return self._cluster_roles.get("", name)
        if kind == "Role" and namespace:
            return self._roles.get(namespace, name)
        return None

    def grants(self, user: UserInfo, namespace: str) -> Iterator[Grant | MissingRole]:
        """What each binding naming the user gives: first the ClusterRoleBindings, then the
        RoleBindings of `namespace` (none when it is "")."""
        user_keys = [("user", user.name), *(("group", g) for g in user.groups)]
        key_set = set(user_keys)
        bindings = self._cluster_role_bindings.lookup("", user_keys)
        if namespace:
            bindings += self._role_bindings.lookup(namespace, user_keys)
        for binding in bindings:
            rules = self.role_rules(binding.role_kind, binding.role_name, binding.namespace)
            if rules is None:
                yield MissingRole(binding.role_kind, binding.role_name)
            else:
                yield Grant(binding, binding.first_subject(key_set), rules)

    def rules_for(
        self, user: UserInfo, namespace: str
    ) -> tuple[list[PolicyRule], list[MissingRole]]:
        rules: list[PolicyRule] = []
        missing: list[MissingRole] = []
        for grant in self.grants(user, namespace):
            if isinstance(grant, MissingRole):
                missing.append(grant)
            else:
                rules.extend(grant.rules)
        return rules, missing

    def version(self) -> tuple[int, ...]:
        """Changes whenever a role or binding may have changed (the caches' revisions)."""
        return tuple(cache.revision for cache in self._caches)

    async def catch_up(self) -> None:
        """Wait until the caches hold every committed change (where the storage can tell),
        for decisions that must see a role or binding written just before."""
        for cache in self._caches:
            with contextlib.suppress(TooLargeResourceVersionError):
                await cache.caught_up()


# Resolvers by the ClusterRoleBindings store of their server, which no resolver refers to,
# so that a server's resolver goes with its stores.
_SHARED: weakref.WeakKeyDictionary[Any, RuleResolver] = weakref.WeakKeyDictionary()


def for_stores(stores: dict[str, Any]) -> RuleResolver | None:
    """The server's resolver (one per set of stores); None when RBAC's API is not served."""
    if not all(key in stores for key in _STORE_KEYS):
        return None
    anchor = stores[CLUSTER_ROLE_BINDINGS]
    resolver = _SHARED.get(anchor)
    if resolver is None:
        resolver = _SHARED[anchor] = RuleResolver(stores)
    return resolver
