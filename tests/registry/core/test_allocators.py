"""Cluster IP and node port allocation over a real watch cache and SQLite store: what stored
services hold is taken, writes in flight hold what they were given, failed writes give it back."""

from __future__ import annotations

import asyncio

import pytest

from kube_apiserver.registry.core import ipallocator, portallocator
from kube_apiserver.storage.cacher import Cacher
from kube_apiserver.storage.sqlite import SQLiteStorage

PREFIX = "/registry/services/specs/"


def service(name: str, cluster_ip: str, node_port: int = 0) -> dict:
    port = {"port": 80, **({"nodePort": node_port} if node_port else {})}
    return {
        "metadata": {"name": name, "namespace": "ns"},
        "spec": {"clusterIPs": [cluster_ip], "ports": [port]},
    }


async def started(tmp_path) -> tuple[SQLiteStorage, Cacher]:
    storage = SQLiteStorage(tmp_path / "db")
    cache = Cacher(storage, PREFIX)
    await cache.start()
    return storage, cache


async def stored(storage: SQLiteStorage, cache: Cacher, obj: dict) -> int:
    item = await storage.create(PREFIX + "ns/" + obj["metadata"]["name"], obj)
    await cache.wait_until(item.mod_revision)
    return item.mod_revision


def test_a_small_range_fills_up_and_frees_what_failed_writes_took(tmp_path):
    async def main():
        storage, cache = await started(tmp_path)
        ips = ipallocator.ClusterIPAllocator("10.1.0.0/29", cache)  # six usable addresses
        await stored(storage, cache, service("kubernetes", "10.1.0.1"))
        given = [ips.allocate(f"ns/s{n}", "IPv4", "") for n in range(5)]
        assert set(given) == {f"10.1.0.{n}" for n in range(2, 7)}
        with pytest.raises(ipallocator.AllocationError, match="range is full"):
            ips.allocate("ns/late", "IPv4", "")
        ips.reservations.settle("ns/s4", None)  # that write failed: its address is free again
        assert ips.allocate("ns/late", "IPv4", "") == given[4]
        with pytest.raises(ipallocator.AllocationError, match="already allocated"):
            ips.allocate("ns/dup", "IPv4", "10.1.0.1")
        for outside in ("10.1.0.0", "10.1.0.7", "10.2.0.1"):  # network, broadcast, elsewhere
            with pytest.raises(
                ipallocator.AllocationError, match="does not match the current range"
            ):
                ips.allocate("ns/x", "IPv4", outside)
        assert ips.allocate("ns/kubernetes", "IPv4", "10.1.0.1") == "10.1.0.1"  # its own address
        await cache.stop()
        await storage.close()

    asyncio.run(main())


def test_settled_writes_hold_their_values_until_the_cache_has_them(tmp_path):
    async def main():
        storage, cache = await started(tmp_path)
        ports = portallocator.NodePortAllocator("30000-30001", cache)
        first = ports.allocate("ns/a", 0)
        revision = await storage.create(PREFIX + "ns/a", service("a", "10.0.0.9", first))
        ports.reservations.settle("ns/a", revision.mod_revision)
        second = ports.allocate("ns/b", 0)
        assert {first, second} == {30000, 30001}
        with pytest.raises(portallocator.AllocationError, match="range is full"):
            ports.allocate("ns/c", 0)
        with pytest.raises(portallocator.AllocationError) as exc:
            ports.allocate("ns/c", 8080)
        assert str(exc.value) == (
            "provided port is not in the valid range. The range of valid ports is 30000-30001"
        )
        await cache.stop()
        await storage.close()

    asyncio.run(main())


@pytest.mark.parametrize(
    ("text", "bounds"),
    [("30000-32767", (30000, 32767)), ("30000+10", (30000, 30010)), ("31000", (31000, 31000))],
)
def test_port_ranges_are_read_as_kubernetes_reads_the_flag(text, bounds):
    assert portallocator.parse_port_range(text) == bounds


@pytest.mark.parametrize("text", ["a-b", "32767-30000", "70000", ""])
def test_bad_port_ranges_are_refused(text):
    with pytest.raises(ValueError):
        portallocator.parse_port_range(text)
