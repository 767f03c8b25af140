"""Reconciling the bootstrap policy over real RBAC stores (SQLite and watch caches): what a
first start creates, what a restart leaves alone, and what it adds back or must not touch."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kube_apiserver.admission.interface import Chain
from kube_apiserver.authorization.rbac import bootstrappolicy as policy
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_apiserver.registry.provider import store_key
from kube_apiserver.registry.rbac import bootstrap
from kube_apiserver.registry.rbac.storage_provider import SPECS
from kube_apiserver.storage.cacher import Cacher
from kube_apiserver.storage.sqlite import SQLiteStorage


class RBAC:
    """The four RBAC stores over one SQLite file, as the control plane builds them."""

    def __init__(self, path: Path) -> None:
        self.storage = SQLiteStorage(path)
        self.caches: list[Cacher] = []
        self.stores: dict[str, Store] = {}

    async def start(self) -> RBAC:
        for spec in SPECS:
            cache = Cacher(self.storage, spec.key_root)
            await cache.start()
            self.caches.append(cache)
            self.stores[store_key(spec.resource)] = Store(
                spec.strategy(spec.resource), cache, key_root=spec.key_root, admission=Chain([])
            )
        return self

    async def settle(self) -> None:
        revision = await self.storage.current_revision()
        for cache in self.caches:
            await cache.wait_until(revision)

    def get(self, key: str, name: str, namespace: str = "") -> dict:
        store = self.stores[key]
        return store.cache.get_cached(store.key(namespace, name)).obj

    async def update(self, key: str, name: str, change, namespace: str = "") -> None:
        async def apply(current: dict) -> dict:
            change(current)
            return current

        await self.stores[key].update(namespace, name, apply)
        await self.settle()

    async def stop(self) -> None:
        for cache in self.caches:
            await cache.stop()
        await self.storage.close()


async def started(path: Path) -> RBAC:
    rbac = await RBAC(path).start()
    await bootstrap.reconcile_bootstrap_policy(rbac.stores)
    await rbac.settle()
    return rbac


def run(coro):
    return asyncio.run(coro)


def test_a_first_start_creates_every_object_and_a_second_writes_nothing(tmp_path):
    async def main():
        rbac = await started(tmp_path / "db")
        counts = {
            key: len(store.cache.snapshot(store.key_root)) for key, store in rbac.stores.items()
        }
        assert counts == {
            bootstrap.CLUSTER_ROLES: 66,
            bootstrap.CLUSTER_ROLE_BINDINGS: 47,
            bootstrap.ROLES: 7,
            bootstrap.ROLE_BINDINGS: 7,
        }
        revision = await rbac.storage.current_revision()
        await bootstrap.reconcile_bootstrap_policy(rbac.stores)
        assert await rbac.storage.current_revision() == revision
        await rbac.stop()

        again = await started(tmp_path / "db")  # a restart over the same data
        assert await again.storage.current_revision() == revision
        await again.stop()

    run(main())


def test_a_removed_permission_comes_back_as_single_rules(tmp_path):
    async def main():
        rbac = await started(tmp_path / "db")

        def drop_readyz(role: dict) -> None:
            role["rules"][0]["nonResourceURLs"].remove("/readyz")
            role["metadata"]["labels"]["team"] = "platform"

        await rbac.update(bootstrap.CLUSTER_ROLES, "system:discovery", drop_readyz)
        await bootstrap.reconcile_bootstrap_policy(rbac.stores)
        await rbac.settle()
        role = rbac.get(bootstrap.CLUSTER_ROLES, "system:discovery")
        assert role["rules"][1:] == [{"verbs": ["get"], "nonResourceURLs": ["/readyz"]}]
        assert "/readyz" not in role["rules"][0]["nonResourceURLs"]
        assert role["metadata"]["labels"]["team"] == "platform"  # added, never taken away
        await rbac.stop()

    run(main())


def test_missing_labels_annotations_and_subjects_are_added(tmp_path):
    async def main():
        rbac = await started(tmp_path / "db")

        def strip(binding: dict) -> None:
            binding["subjects"] = [
                {"kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"}
            ]
            del binding["metadata"]["labels"]
            del binding["metadata"]["annotations"]

        await rbac.update(bootstrap.CLUSTER_ROLE_BINDINGS, "system:public-info-viewer", strip)
        await bootstrap.reconcile_bootstrap_policy(rbac.stores)
        await rbac.settle()
        binding = rbac.get(bootstrap.CLUSTER_ROLE_BINDINGS, "system:public-info-viewer")
        assert [s["name"] for s in binding["subjects"]] == [
            "alice",
            "system:authenticated",
            "system:unauthenticated",
        ]
        assert binding["metadata"]["labels"] == {"kubernetes.io/bootstrapping": "rbac-defaults"}
        assert binding["metadata"]["annotations"] == {
            "rbac.authorization.kubernetes.io/autoupdate": "true"
        }
        await rbac.stop()

    run(main())


def test_an_object_annotated_autoupdate_false_is_left_alone(tmp_path):
    async def main():
        rbac = await started(tmp_path / "db")

        def narrow(role: dict) -> None:
            role["rules"] = [{"verbs": ["get"], "nonResourceURLs": ["/version"]}]
            role["metadata"]["annotations"][policy.AUTOUPDATE_ANNOTATION] = "false"

        await rbac.update(bootstrap.CLUSTER_ROLES, "system:public-info-viewer", narrow)
        before = rbac.get(bootstrap.CLUSTER_ROLES, "system:public-info-viewer")

        def empty(binding: dict) -> None:
            binding["subjects"] = []
            binding["metadata"]["annotations"][policy.AUTOUPDATE_ANNOTATION] = "false"

        await rbac.update(
            bootstrap.ROLE_BINDINGS, "system:controller:token-cleaner", empty, "kube-system"
        )
        revision = await rbac.storage.current_revision()
        await bootstrap.reconcile_bootstrap_policy(rbac.stores)
        assert await rbac.storage.current_revision() == revision
        assert rbac.get(bootstrap.CLUSTER_ROLES, "system:public-info-viewer") == before
        await rbac.stop()

    run(main())


def test_a_binding_to_another_role_is_recreated_with_the_bootstrap_role(tmp_path):
    async def main():
        rbac = await started(tmp_path / "db")
        store = rbac.stores[bootstrap.CLUSTER_ROLE_BINDINGS]
        old = rbac.get(bootstrap.CLUSTER_ROLE_BINDINGS, "system:basic-user")
        await store.delete("", "system:basic-user", DeleteOptions())
        await store.create(
            "",
            {
                "metadata": {"name": "system:basic-user"},
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "ClusterRole",
                    "name": "view",
                },
                "subjects": [{"kind": "Group", "name": "system:authenticated"}],
            },
        )
        await rbac.settle()
        await bootstrap.reconcile_bootstrap_policy(rbac.stores)
        await rbac.settle()
        binding = rbac.get(bootstrap.CLUSTER_ROLE_BINDINGS, "system:basic-user")
        assert binding["roleRef"]["name"] == "system:basic-user"
        assert binding["metadata"]["uid"] != old["metadata"]["uid"]
        await rbac.stop()

    run(main())


def test_reconcile_role_appends_uncovered_atoms_and_keeps_what_covers():
    expected = policy.cluster_roles()[0]  # cluster-admin
    assert expected["metadata"]["name"] == "cluster-admin"
    existing = {
        "metadata": {
            "name": "cluster-admin",
            "labels": dict(expected["metadata"]["labels"]),
            "annotations": dict(expected["metadata"]["annotations"]),
        },
        "rules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
    }
    result = bootstrap.reconcile_role(existing, expected)
    assert result["rules"] == [
        {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
        {"verbs": ["*"], "nonResourceURLs": ["*"]},
    ]
    assert existing["rules"] == [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]
    # Broader rules than the policy's cover it: nothing to do.
    wider = dict(
        existing,
        rules=[
            {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
            {"verbs": ["*"], "nonResourceURLs": ["/*", "*"]},
        ],
    )
    assert bootstrap.reconcile_role(wider, expected) is None
