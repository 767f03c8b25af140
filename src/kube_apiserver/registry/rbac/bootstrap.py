"""The bootstrap RBAC policy, created and reconciled at start (Kubernetes' `rbac/bootstrap-roles`).

Every object of the policy (authorization/rbac/bootstrappolicy) that is missing is created.
One that exists is reconciled the way kube-apiserver reconciles it, adding and never taking
away: missing labels and annotations are merged in (the object's own values win), missing
permissions are appended as single-verb rules, missing aggregation selectors and binding
subjects are added, and a binding whose role reference changed is recreated. An object
annotated `rbac.authorization.kubernetes.io/autoupdate: "false"` is left alone.

Existing objects are compared in memory (the watch cache), so a start where nothing changed
writes nothing; the writes a first start needs are issued together so that the storage
commits them in a few transactions.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.authorization.rbac import bootstrappolicy as policy
from kube_apiserver.authorization.rbac.escalation import uncovered
from kube_apiserver.authorization.rbac.rules import PolicyRule, compile_rules
from kube_apiserver.registry.generic.store import DeleteOptions, Store

log = logging.getLogger(__name__)

Obj = dict[str, Any]
# What a reconciliation decides: None (nothing to write), an updated object, or RECREATE.
Outcome = Obj | str | None
RECREATE = "recreate"

CLUSTER_ROLES = "clusterroles.rbac.authorization.k8s.io"
CLUSTER_ROLE_BINDINGS = "clusterrolebindings.rbac.authorization.k8s.io"
ROLES = "roles.rbac.authorization.k8s.io"
ROLE_BINDINGS = "rolebindings.rbac.authorization.k8s.io"


def _protected(obj: Obj) -> bool:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    return annotations.get(policy.AUTOUPDATE_ANNOTATION) == "false"


def _merged_metadata(existing: Obj, expected: Obj) -> tuple[dict[str, dict], bool]:
    """Labels and annotations with the expected ones added (existing values win)."""
    meta, want = existing.get("metadata") or {}, expected["metadata"]
    merged = {}
    for key in ("labels", "annotations"):
        have = meta.get(key) or {}
        merged[key] = {**(want.get(key) or {}), **have}
    changed = any(merged[key] != (meta.get(key) or {}) for key in merged)
    return merged, changed


def _as_object(rule: PolicyRule) -> Obj:
    """A rule as a role stores it (empty lists left out)."""
    fields = (
        ("verbs", rule.verbs),
        ("apiGroups", rule.api_groups),
        ("resources", rule.resources),
        ("resourceNames", rule.resource_names),
        ("nonResourceURLs", rule.non_resource_urls),
    )
    return {key: list(values) for key, values in fields if values}


def _missing_rules(have: list[Obj], want: list[Obj]) -> list[Obj]:
    """The single-verb rules `want` grants beyond `have` (Kubernetes' Covers)."""
    if have == want:
        return []
    return [_as_object(r) for r in uncovered(compile_rules(have), compile_rules(want))]


def reconcile_role(existing: Obj, expected: Obj) -> Outcome:
    """The role (or cluster role) `existing` should become, or None if it is fine as it is."""
    if _protected(existing):
        return None
    merged, changed = _merged_metadata(existing, expected)
    have_rules, want_rules = existing.get("rules") or [], expected.get("rules") or []
    missing = _missing_rules(have_rules, want_rules)
    have_agg, want_agg = existing.get("aggregationRule"), expected.get("aggregationRule")
    have_selectors = (have_agg or {}).get("clusterRoleSelectors") or []
    missing_selectors = [
        s for s in (want_agg or {}).get("clusterRoleSelectors") or [] if s not in have_selectors
    ]
    drop_aggregation = want_agg is None and have_agg is not None
    if not (changed or missing or missing_selectors or drop_aggregation):
        return None
    result = copy.deepcopy(existing)
    result["metadata"].update(merged)
    if missing:
        result["rules"] = have_rules + missing
    if drop_aggregation:
        del result["aggregationRule"]
    elif missing_selectors:
        result["aggregationRule"] = {"clusterRoleSelectors": have_selectors + missing_selectors}
    return result


def _subject_key(subject: Obj) -> tuple[str, ...]:
    return tuple(subject.get(k) or "" for k in ("kind", "apiGroup", "name", "namespace"))


def _ref_key(ref: Obj | None) -> tuple[str, ...]:
    return tuple((ref or {}).get(k) or "" for k in ("apiGroup", "kind", "name"))


def reconcile_binding(existing: Obj, expected: Obj) -> Outcome:
    """The binding `existing` should become, RECREATE when its role reference differs, or None."""
    if _protected(existing):
        return None
    if _ref_key(existing.get("roleRef")) != _ref_key(expected.get("roleRef")):
        return RECREATE  # roleRef cannot change in place
    merged, changed = _merged_metadata(existing, expected)
    have = existing.get("subjects") or []
    have_keys = {_subject_key(s) for s in have}
    missing = [s for s in expected.get("subjects") or [] if _subject_key(s) not in have_keys]
    if not (changed or missing):
        return None
    result = copy.deepcopy(existing)
    result["metadata"].update(merged)
    if missing:
        result["subjects"] = have + missing
    return result


Reconciler = Callable[[Obj, Obj], Outcome]


async def _ensure(store: Store, expected: Obj, reconcile: Reconciler) -> None:
    meta = expected["metadata"]
    namespace, name = meta.get("namespace", ""), meta["name"]
    cached = store.cache.get_cached(store.key(namespace, name))
    if cached is None:
        try:
            await store.create(namespace, expected)
            log.info("created %s %s", store.resource.kind, name)
        except errors.StatusError as exc:
            if exc.code != 409:  # created meanwhile (another server): fine
                raise
        return
    outcome = reconcile(cached.obj, expected)
    if outcome is None:
        return
    if outcome == RECREATE:
        await store.delete(namespace, name, DeleteOptions())
        await store.create(namespace, expected)
        log.info("recreated %s %s with its bootstrap roleRef", store.resource.kind, name)
        return

    async def reconciled(current: Obj) -> Obj:
        # Against the stored object; its own resourceVersion guards the write.
        result = reconcile(current, expected)
        return result if isinstance(result, dict) else current

    await store.update(namespace, name, reconciled, allow_create=False)
    log.info("reconciled %s %s with the bootstrap policy", store.resource.kind, name)


async def reconcile_bootstrap_policy(stores: dict[str, Any]) -> None:
    """Create and reconcile the bootstrap roles and bindings; a failure is logged, not raised,
    so one bad object (or a store refusing it) does not keep the server from starting."""
    plan: list[tuple[str, list[Obj], Reconciler]] = [
        (CLUSTER_ROLES, policy.cluster_roles(), reconcile_role),
        (CLUSTER_ROLE_BINDINGS, policy.cluster_role_bindings(), reconcile_binding),
        (ROLES, policy.namespace_roles(), reconcile_role),
        (ROLE_BINDINGS, policy.namespace_role_bindings(), reconcile_binding),
    ]
    work = []
    for key, objects, reconcile in plan:
        store = stores.get(key)
        if store is None:  # rbac.authorization.k8s.io/v1 disabled: no policy to keep
            continue
        work += [(obj, _ensure(store, obj, reconcile)) for obj in objects]
    results = await asyncio.gather(*(job for _, job in work), return_exceptions=True)
    for (obj, _), result in zip(work, results, strict=True):
        if isinstance(result, BaseException):
            log.error("bootstrap policy: %s %s: %s", obj["kind"], obj["metadata"]["name"], result)
