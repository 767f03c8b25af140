"""ClusterRole aggregation: the order and deduplication of Kubernetes' controller, nested
aggregation, and the controller following the watch cache of a real SQLite store."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

from kube_apiserver.controlplane.controllers import clusterrole_aggregation as aggregation
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_apiserver.registry.rbac import bootstrap
from kube_expected import VIEW_POD_READING
from registry_stores import open_stores

TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view"


def role(name: str, rules=None, labels=None, selects=None) -> dict:
    obj = {"metadata": {"name": name, "labels": labels or {}}, "rules": rules or []}
    if selects is not None:
        obj["aggregationRule"] = {"clusterRoleSelectors": selects}
    return obj


def read(*resources: str, group: str = "") -> dict:
    return {"verbs": ["get"], "apiGroups": [group], "resources": list(resources)}


def test_members_in_name_order_each_rule_once_and_never_the_role_itself():
    roles = {
        "view": role("view", selects=[{"matchLabels": {"agg": "v"}}], labels={"agg": "v"}),
        "b": role("b", [read("pods"), read("secrets")], {"agg": "v"}),
        "a": role(
            "a",
            [
                read("secrets"),
                {
                    "verbs": ["get"],
                    "apiGroups": [""],
                    "resources": ["secrets"],
                    "resourceNames": [],
                },
            ],
            {"agg": "v"},
        ),
        "c": role("c", [read("nodes")], {"agg": "other"}),
    }
    # An empty resourceNames list equals an absent one, as in Kubernetes' semantic equality.
    assert aggregation.aggregate(roles) == {"view": [read("secrets"), read("pods")]}


def test_selectors_in_their_order_with_match_expressions():
    roles = {
        "agg": role(
            "agg",
            selects=[
                {"matchLabels": {"second": "yes"}},
                {"matchExpressions": [{"key": "first", "operator": "Exists"}]},
            ],
        ),
        "x": role("x", [read("first")], {"first": ""}),
        "y": role("y", [read("second")], {"second": "yes"}),
    }
    assert aggregation.aggregate(roles)["agg"] == [read("second"), read("first")]


def test_nested_aggregation_settles_in_one_pass_and_unchanged_roles_are_not_returned():
    roles = {
        "admin": role("admin", selects=[{"matchLabels": {"to": "admin"}}]),
        "edit": role("edit", labels={"to": "admin"}, selects=[{"matchLabels": {"to": "edit"}}]),
        "view": role("view", labels={"to": "edit"}, selects=[{"matchLabels": {"to": "view"}}]),
        "p": role("p", [read("pods")], {"to": "view"}),
        "s": role("s", [read("secrets")], {"to": "edit"}),
        "r": role("r", [read("roles", group="rbac.authorization.k8s.io")], {"to": "admin"}),
    }
    result = aggregation.aggregate(roles)
    assert result["view"] == [read("pods")]
    assert result["edit"] == [read("secrets"), read("pods")]  # "s" sorts before "view"
    assert result["admin"] == [
        read("secrets"),
        read("pods"),
        read("roles", group="rbac.authorization.k8s.io"),
    ]
    for name, rules in result.items():
        roles[name]["rules"] = rules
    assert aggregation.aggregate(roles) == {}


def test_an_aggregated_role_matching_nothing_stays_without_rules():
    roles = {"lonely": role("lonely", selects=[{"matchLabels": {"none": "x"}}])}
    del roles["lonely"]["rules"]
    assert aggregation.aggregate(roles) == {}


@contextlib.asynccontextmanager
async def aggregating(tmp_path: Path) -> AsyncIterator[Store]:
    """The cluster roles of a real store (kept in `tmp_path`) with the bootstrap policy
    reconciled and the aggregation controller running, as a server starts them."""
    async with open_stores(tmp_path, [bootstrap.CLUSTER_ROLES]) as stores:
        await bootstrap.reconcile_bootstrap_policy(stores)
        controller = aggregation.ClusterRoleAggregationController(stores)
        controller.start()
        try:
            yield stores[bootstrap.CLUSTER_ROLES]
        finally:
            await controller.stop()


async def eventually(check, timeout: float = 10.0):
    """Poll `check` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


def rules_of(store: Store, name: str) -> list:
    item = store.cache.get_cached(store.key("", name))
    return (item.obj.get("rules") or []) if item else []


def test_the_controller_keeps_view_edit_and_admin_up_to_date(tmp_path):
    async def main():
        async with aggregating(tmp_path) as store:
            storage = store.cache.storage
            await eventually(lambda: VIEW_POD_READING in rules_of(store, "view"))
            await eventually(lambda: VIEW_POD_READING in rules_of(store, "admin"))
            settled = await storage.current_revision()

            widgets = {
                "verbs": ["get", "list"],
                "apiGroups": ["example.com"],
                "resources": ["widgets"],
            }
            await store.create("", role("widget-reader", [widgets], {TO_VIEW: "true"}))
            await eventually(lambda: widgets in rules_of(store, "view"))
            await eventually(lambda: widgets in rules_of(store, "edit"))
            await eventually(lambda: widgets in rules_of(store, "admin"))

            async def unlabel(current: dict) -> dict:
                current["metadata"]["labels"] = {}
                return current

            await store.update("", "widget-reader", unlabel)
            await eventually(lambda: widgets not in rules_of(store, "admin"))
            assert widgets not in rules_of(store, "view")

            # Rules written into an aggregated role by hand are put back as aggregated.
            async def tamper(current: dict) -> dict:
                current["rules"] = [widgets]
                return current

            await store.update("", "view", tamper)
            await eventually(
                lambda: (
                    VIEW_POD_READING in rules_of(store, "view")
                    and widgets not in rules_of(store, "view")
                )
            )
            await store.delete("", "widget-reader", DeleteOptions())
            assert await storage.current_revision() > settled

    asyncio.run(main())


def test_a_restart_with_nothing_to_aggregate_writes_nothing(tmp_path):
    async def main():
        async with aggregating(tmp_path) as store:
            await eventually(lambda: rules_of(store, "admin"))
        async with open_stores(tmp_path, [bootstrap.CLUSTER_ROLES]) as stores:
            revision = await stores[bootstrap.CLUSTER_ROLES].cache.storage.current_revision()
        async with aggregating(tmp_path) as store:
            # A sync pass over the initial list runs as soon as the list is read; give it a
            # marker to prove it ran: a new member, whose rules must be the only write.
            await store.create("", role("marker", [read("markers")], {TO_VIEW: "true"}))
            await eventually(lambda: read("markers") in rules_of(store, "admin"))
            # marker itself, then view, edit and admin once each
            assert await store.cache.storage.current_revision() == revision + 4

    asyncio.run(main())
