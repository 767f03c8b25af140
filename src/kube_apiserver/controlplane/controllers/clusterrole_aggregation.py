"""The ClusterRole aggregation controller: an aggregated role's rules are its members' rules.

A ClusterRole with `aggregationRule.clusterRoleSelectors` gets as `rules` the rules of every
other ClusterRole one of its selectors matches: selector by selector, matching roles in name
order, each rule once (Kubernetes' order, so `kubectl get clusterrole view -o yaml` reads
the same). Aggregated roles can be members of others (`view` is part of `edit`, `edit` of
`admin`), so a pass computes every aggregated role against the results of the pass itself
until nothing moves, and writes each changed role once.

In Kubernetes this runs in kube-controller-manager; it is kept here because the default
roles are useless without it. It follows the clusterroles watch cache: a burst of events
(the initial list, a bootstrap) leads to one pass once the burst is read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta import labels
from kube_apiserver.registry.generic.store import Store

log = logging.getLogger(__name__)

Obj = dict[str, Any]
CLUSTER_ROLES = "clusterroles.rbac.authorization.k8s.io"
RETRY_SECONDS = 0.1


def _selectors(role: Obj) -> list[labels.LabelSelector] | None:
    """The role's selectors; None when it does not aggregate (or a selector is invalid,
    which validation prevents and Kubernetes' controller reports and skips)."""
    aggregation = role.get("aggregationRule")
    if not isinstance(aggregation, dict):
        return None
    try:
        return [
            labels.selector_from_label_selector(s)
            for s in aggregation.get("clusterRoleSelectors") or []
        ]
    except labels.SelectorError:
        return None


def _rule_key(rule: Obj) -> tuple[tuple[str, ...], ...]:
    """Rules compare as Kubernetes' semantic equality does: absent and empty lists alike."""
    return tuple(
        tuple(rule.get(k) or ())
        for k in ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs")
    )


def aggregate(roles: dict[str, Obj]) -> dict[str, list[Obj]]:
    """The rules each aggregated role of `roles` (by name) should hold, members' own
    aggregation resolved; only roles whose rules differ from what they hold are returned."""
    rules = {name: list(role.get("rules") or []) for name, role in roles.items()}
    selectors = {name: s for name, role in roles.items() if (s := _selectors(role)) is not None}
    names = sorted(roles)
    # Each round settles at least one more level of nesting; a cycle cannot go on forever
    # either, since rules are only ever drawn from the finite set all roles hold.
    for _ in range(len(selectors) + 1):
        moved = False
        for name, role_selectors in selectors.items():
            collected: list[Obj] = []
            seen: set[tuple] = set()
            for selector in role_selectors:
                for member in names:
                    if member == name or not selector.matches(
                        (roles[member].get("metadata") or {}).get("labels")
                    ):
                        continue
                    for rule in rules[member]:
                        key = _rule_key(rule)
                        if key not in seen:
                            seen.add(key)
                            collected.append(rule)
            if [_rule_key(r) for r in collected] != [_rule_key(r) for r in rules[name]]:
                rules[name] = collected
                moved = True
        if not moved:
            break
    return {
        name: rules[name]
        for name in selectors
        if [_rule_key(r) for r in rules[name]]
        != [_rule_key(r) for r in roles[name].get("rules") or []]
    }


class ClusterRoleAggregationController:
    def __init__(self, stores: dict[str, Any], **kwargs: Any) -> None:
        self._store: Store | None = stores.get(CLUSTER_ROLES)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._store is not None:
            self._task = asyncio.create_task(self._run(self._store))

    async def _run(self, store: Store) -> None:
        while True:  # a watch the cache ends (it listed again) is started afresh
            watcher = store.cache.watch_from(store.cache.prefix, 0, None, initial=True)
            async for _ in watcher:
                if watcher.queue.empty():  # the burst is read: one pass over the cache as it is
                    try:
                        await self._sync(store)
                    except Exception:
                        log.exception("aggregating cluster roles")
            await asyncio.sleep(RETRY_SECONDS)

    async def _sync(self, store: Store) -> None:
        cached = store.cache.snapshot(store.key_root)
        roles = {item.obj["metadata"]["name"]: item.obj for item in cached}
        for name, new_rules in aggregate(roles).items():
            version = roles[name]["metadata"].get("resourceVersion")

            async def set_rules(
                current: Obj, rules: list[Obj] = new_rules, rv: Any = version
            ) -> Obj:
                # Written only over the version the rules were computed from; a role changed
                # meanwhile conflicts, and its change is on the watch for the next pass.
                current["metadata"]["resourceVersion"] = rv
                current["rules"] = rules
                return current

            with contextlib.suppress(errors.StatusError):
                await store.update("", name, set_rules, allow_create=False)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
