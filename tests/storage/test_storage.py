"""The storage contract, run against every backend: the SQLite file and a real etcd.

Each test opens its backend inside its own event loop; etcd tests get a key prefix of their
own (`--etcd-prefix`), and assert revisions relative to each other, since etcd's revision is
shared by everything written to it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import pytest

from kube_apiserver.storage.cacher import Cacher
from kube_apiserver.storage.compact import Compactor
from kube_apiserver.storage.interface import (
    ADDED,
    DELETED,
    MODIFIED,
    ConflictError,
    KeyExistsError,
    KeyNotFoundError,
    Preconditions,
    Storage,
    TooOldResourceVersionError,
)

Open = Callable[[], Awaitable[Storage]]
K = "/registry/k/"


def cm(name: str, value: str = "1") -> dict:
    return {
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "ns"},
        "data": {"v": value},
    }


def run(coro):
    return asyncio.run(coro)


@pytest.fixture(params=["sqlite", "etcd"])
def open_store(request, tmp_path) -> Open:
    """A function opening the backend under test (again, for restarts) in the running loop."""
    if request.param == "sqlite":
        from kube_apiserver.storage.sqlite import SQLiteStorage

        async def open_sqlite() -> Storage:
            return SQLiteStorage(tmp_path / "db")

        return open_sqlite
    etcd = request.getfixturevalue("etcd")
    prefix = f"/test-{uuid.uuid4().hex[:8]}"

    async def open_etcd() -> Storage:
        from kube_apiserver.storage.etcd3 import EtcdStorage

        store = EtcdStorage([etcd.endpoint], prefix=prefix)
        await store.start()
        return store

    return open_etcd


async def change_to(value: str):
    async def change(cur):
        return {**cur.obj, "data": {"v": value}}

    return change


def test_revisions_grow_across_writes_and_restarts(open_store):
    async def main():
        s = await open_store()
        a = await s.create(K + "ns/a", cm("a"))
        b = await s.create(K + "ns/b", cm("b"))
        assert b.mod_revision > a.mod_revision
        assert a.obj["metadata"]["resourceVersion"] == str(a.mod_revision)
        gone = await s.delete(K + "ns/b")
        assert gone.mod_revision > b.mod_revision
        await s.close()
        s2 = await open_store()
        assert await s2.current_revision() >= gone.mod_revision
        c = await s2.create(K + "ns/c", cm("c"))
        assert c.mod_revision > gone.mod_revision
        assert (await s2.get(K + "ns/a")).obj == a.obj
        await s2.close()

    run(main())


def test_create_twice_is_refused_and_missing_keys_are_not_found(open_store):
    async def main():
        s = await open_store()
        await s.create(K + "a", cm("a"))
        with pytest.raises(KeyExistsError):
            await s.create(K + "a", cm("a"))
        with pytest.raises(KeyNotFoundError):
            await s.get(K + "b")
        with pytest.raises(KeyNotFoundError):
            await s.delete(K + "b")
        await s.close()

    run(main())


def test_update_checks_resource_version_preconditions(open_store):
    async def main():
        s = await open_store()
        a = await s.create(K + "a", cm("a"))
        rv = a.obj["metadata"]["resourceVersion"]
        b = await s.guaranteed_update(
            K + "a", await change_to("2"), preconditions=Preconditions(resource_version=rv)
        )
        assert b.obj["data"] == {"v": "2"}
        assert b.obj["metadata"]["resourceVersion"] == str(b.mod_revision)
        with pytest.raises(ConflictError):
            await s.guaranteed_update(
                K + "a", await change_to("3"), preconditions=Preconditions(resource_version=rv)
            )
        await s.close()

    run(main())


def test_concurrent_updates_all_apply_once_each(open_store):
    """Optimistic concurrency: every read-modify-write retries until it applies on the latest."""

    async def main():
        s = await open_store()
        await s.create(K + "counter", cm("counter", "0"))

        async def bump(cur):
            return {**cur.obj, "data": {"v": str(int(cur.obj["data"]["v"]) + 1)}}

        await asyncio.gather(*(s.guaranteed_update(K + "counter", bump) for _ in range(20)))
        assert (await s.get(K + "counter")).obj["data"]["v"] == "20"
        await s.close()

    run(main())


def test_an_update_that_changes_nothing_writes_nothing(open_store):
    async def main():
        s = await open_store()
        a = await s.create(K + "a", cm("a"))

        async def same(cur):
            return cur.obj

        b = await s.guaranteed_update(K + "a", same)
        assert b.mod_revision == a.mod_revision
        assert (await s.get(K + "a")).mod_revision == a.mod_revision
        await s.close()

    run(main())


def test_list_at_an_old_revision_sees_the_past_until_compacted(open_store):
    async def main():
        s = await open_store()
        for n in "abc":
            await s.create(K + n, cm(n))
        r = await s.current_revision()
        await s.delete(K + "a")
        await s.create(K + "d", cm("d"))
        past = await s.list(K, revision=r)
        assert [i.key for i in past.items] == [K + "a", K + "b", K + "c"]
        assert past.revision == r
        now = await s.list(K)
        assert [i.key for i in now.items] == [K + "b", K + "c", K + "d"]
        page = await s.list(K, limit=2)
        assert (
            page.more and page.remaining == 1 and [i.key for i in page.items] == [K + "b", K + "c"]
        )
        rest = await s.list(K, start_after=K + "c", limit=2)
        assert not rest.more and [i.key for i in rest.items] == [K + "d"]
        await s.compact(await s.current_revision())
        with pytest.raises(TooOldResourceVersionError):
            await s.list(K, revision=r)
        assert [i.key for i in (await s.list(K)).items] == [K + "b", K + "c", K + "d"]
        await s.close()

    run(main())


def test_watch_replays_history_then_follows_live_changes_in_order(open_store):
    async def main():
        s = await open_store()
        a = await s.create(K + "a", cm("a"))
        await s.create(K + "b", cm("b"))
        seen = []

        async def consume():
            async for ev in s.watch(K, a.mod_revision):
                if ev.type != "BOOKMARK":
                    seen.append((ev.type, ev.current.key, ev.revision, ev.current.obj))
                if len(seen) == 4:
                    return

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.05)
        await s.guaranteed_update(K + "b", await change_to("2"))
        gone = await s.delete(K + "a")
        await s.create("/registry/other/x", cm("x"))
        await s.create(K + "c", cm("c"))
        await asyncio.wait_for(task, 10)
        assert [(t, k) for t, k, _, _ in seen] == [
            (ADDED, K + "b"),
            (MODIFIED, K + "b"),
            (DELETED, K + "a"),
            (ADDED, K + "c"),
        ]
        revisions = [r for _, _, r, _ in seen]
        assert revisions == sorted(revisions)
        # A deleted object is delivered as it last was, at the revision of its deletion.
        assert seen[2][3]["data"] == {"v": "1"} and seen[2][2] == gone.mod_revision
        assert seen[2][3]["metadata"]["resourceVersion"] == str(gone.mod_revision)
        await s.close()

    run(main())


def test_a_watch_from_a_compacted_revision_is_refused(open_store):
    async def main():
        s = await open_store()
        a = await s.create(K + "a", cm("a"))
        await s.guaranteed_update(K + "a", await change_to("2"))
        await s.compact(await s.current_revision())
        with pytest.raises(TooOldResourceVersionError):
            async for _ in s.watch(K, a.mod_revision - 1):
                pass
        await s.close()

    run(main())


def test_cache_watch_rewrites_events_that_leave_or_enter_a_filter(open_store):
    async def main():
        s = await open_store()
        cache = Cacher(s, K)
        await cache.start()
        w = cache.watch_from(K, cache.revision, lambda o: o["data"]["v"] == "1", initial=False)
        await s.create(K + "a", cm("a", "1"))
        await s.guaranteed_update(K + "a", await change_to("2"))
        last = await s.guaranteed_update(K + "a", await change_to("1"))
        await cache.wait_until(last.mod_revision)
        got = []
        while not w.queue.empty():
            got.append(w.queue.get_nowait().type)
        assert got == [ADDED, DELETED, ADDED]
        assert [i.key for i in cache.snapshot(K)] == [K + "a"]
        await cache.stop()
        await s.close()

    run(main())


def test_a_cache_is_never_stale_for_a_consistent_read(open_store):
    """After writes elsewhere, a cache either proves it is current or sends the read to the
    backend; either way a consistent read sees every committed write."""

    async def main():
        s = await open_store()
        cache = Cacher(s, K)
        await cache.start()
        written = await s.create(K + "a", cm("a"))
        for n in range(3):
            await s.create(f"/registry/busy/{n}", cm(str(n)))
        if await cache.caught_up():
            assert cache.revision >= await s.current_revision()
            assert cache.get_cached(K + "a") is not None
        assert (await cache.get(K + "a")).mod_revision == written.mod_revision
        await cache.stop()
        await s.close()

    run(main())


def test_a_cache_follows_compaction_by_listing_again(open_store):
    async def main():
        s = await open_store()
        cache = Cacher(s, K)
        await cache.start()
        w = cache.watch_from(K, cache.revision, None, initial=False)
        await cache.stop()  # the cache falls behind while stopped
        for n in range(3):
            await s.create(K + str(n), cm(str(n)))
        await s.compact(await s.current_revision())
        cache2 = Cacher(s, K)
        cache2.revision = 1
        await cache2.start()
        assert [i.key for i in cache2.snapshot(K)] == [K + "0", K + "1", K + "2"]
        assert w.closed
        await cache2.stop()
        await s.close()

    run(main())


def test_the_compactor_keeps_one_interval_of_history(open_store):
    async def main():
        s = await open_store()
        await s.create(K + "a", cm("a"))
        first = await s.current_revision()
        compactor = Compactor(s, 0.2)
        compactor.start()
        await asyncio.sleep(0.05)
        await s.create(K + "b", cm("b"))
        await asyncio.sleep(0.6)
        await compactor.stop()
        with pytest.raises(TooOldResourceVersionError):
            await s.list(K, revision=first - 1)
        assert [i.key for i in (await s.list(K)).items] == [K + "a", K + "b"]
        await s.close()

    run(main())
