"""The controllers keeping the `default` ServiceAccount and `kube-root-ca.crt` in every active
namespace, run in process over real stores: they create, put back, and leave terminating
namespaces alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kube_apiserver.controlplane.controllers.root_ca_publisher import (
    DESCRIPTION,
    RESTORE_BURST,
    RootCAPublisher,
)
from kube_apiserver.controlplane.controllers.serviceaccounts import ServiceAccountsController
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from registry_stores import core_stores, created, namespace

CA = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


async def eventually(probe: Callable[[], Any], what: str) -> Any:
    """probe()'s first truthy answer, polled until a bounded deadline."""
    async with asyncio.timeout(20):
        while not (answer := probe()):
            await asyncio.sleep(0.01)
    assert answer, what
    return answer


def cached(store: Store, ns: str, name: str) -> dict | None:
    item = store.cache.get_cached(store.key(ns, name))
    return item.obj if item else None


def run(main: Callable[[dict[str, Store]], Any], tmp_path: Path) -> None:
    async def wrapped() -> None:
        async with core_stores(tmp_path) as stores:
            await created(stores["namespaces"], "", namespace("early"))  # before the controllers
            controllers = [ServiceAccountsController(stores), RootCAPublisher(stores, root_ca=CA)]
            for controller in controllers:
                controller.start()
            try:
                await main(stores)
            finally:
                for controller in controllers:
                    await controller.stop()

    asyncio.run(wrapped())


def test_every_active_namespace_gets_the_default_account_and_the_root_ca(tmp_path):
    async def main(stores):
        await created(stores["namespaces"], "", namespace("late"))
        for ns in ("early", "late"):
            account = await eventually(
                lambda ns=ns: cached(stores["serviceaccounts"], ns, "default"), "account"
            )
            assert set(account) == {"apiVersion", "kind", "metadata"}
            configmap = await eventually(
                lambda ns=ns: cached(stores["configmaps"], ns, "kube-root-ca.crt"), "root CA"
            )
            assert configmap["data"] == {"ca.crt": CA.decode()}
            assert configmap["metadata"]["annotations"] == {
                "kubernetes.io/description": DESCRIPTION
            }

    run(main, tmp_path)


def test_deleted_or_changed_copies_are_put_back(tmp_path):
    async def main(stores):
        accounts, configmaps = stores["serviceaccounts"], stores["configmaps"]
        first = await eventually(lambda: cached(accounts, "early", "default"), "account")
        await accounts.delete("early", "default", DeleteOptions())
        await eventually(
            lambda: (
                (a := cached(accounts, "early", "default"))
                and a["metadata"]["uid"] != first["metadata"]["uid"]
            ),
            "a new default account",
        )

        await eventually(lambda: cached(configmaps, "early", "kube-root-ca.crt"), "root CA")

        async def forge(cm: dict) -> dict:
            cm["data"] = {"ca.crt": "forged"}
            cm["metadata"]["labels"] = {"mine": "yes"}
            cm["metadata"]["annotations"] = {"other": "1"}
            return cm

        await configmaps.update("early", "kube-root-ca.crt", forge)
        restored = await eventually(
            lambda: (
                (cm := cached(configmaps, "early", "kube-root-ca.crt"))
                and cm["data"] == {"ca.crt": CA.decode()}
                and cm
            ),
            "the restored data",
        )
        assert restored["metadata"]["labels"] == {"mine": "yes"}
        assert restored["metadata"]["annotations"] == {
            "other": "1",
            "kubernetes.io/description": DESCRIPTION,
        }
        await configmaps.delete("early", "kube-root-ca.crt", DeleteOptions())
        await eventually(lambda: cached(configmaps, "early", "kube-root-ca.crt"), "recreated")

    run(main, tmp_path)


def test_a_terminating_namespace_gets_nothing_back(tmp_path):
    async def main(stores):
        accounts = stores["serviceaccounts"]
        await created(stores["namespaces"], "", namespace("active"))
        for ns in ("early", "active"):
            await eventually(lambda ns=ns: cached(accounts, ns, "default"), "account")
        # Deleted, "early" stays Terminating: no namespace controller empties it here.
        await stores["namespaces"].delete("", "early", DeleteOptions())
        await eventually(
            lambda: cached(stores["namespaces"], "", "early")["status"]["phase"] == "Terminating",
            "terminating",
        )
        await accounts.delete("early", "default", DeleteOptions())
        # The controller handles namespaces in order: once "active" has its account back,
        # "early" has been dealt with.
        before = cached(accounts, "active", "default")["metadata"]["uid"]
        await accounts.delete("active", "default", DeleteOptions())
        await eventually(
            lambda: (a := cached(accounts, "active", "default")) and a["metadata"]["uid"] != before,
            "the active namespace's account",
        )
        assert cached(accounts, "early", "default") is None

    run(main, tmp_path)


def test_restores_of_one_copy_draw_on_a_budget(tmp_path):
    async def main(stores):
        publisher = RootCAPublisher(stores, root_ca=CA)
        waits = [publisher._spend_restore("ns") for _ in range(RESTORE_BURST + 1)]
        assert waits[:-1] == [0.0] * RESTORE_BURST
        assert waits[-1] > 9  # then about one per interval (10 s)
        assert publisher._spend_restore("other-ns") == 0.0

    run(main, tmp_path)
