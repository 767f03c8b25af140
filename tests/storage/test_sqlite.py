"""The SQLite backend and the watch cache, on a real database file."""

from __future__ import annotations

import asyncio

import pytest

from kube_apiserver.storage.cacher import Cacher
from kube_apiserver.storage.interface import (
    ADDED,
    DELETED,
    MODIFIED,
    ConflictError,
    KeyExistsError,
    KeyNotFoundError,
    Preconditions,
    TooOldResourceVersionError,
)
from kube_apiserver.storage.sqlite import SQLiteStorage


def cm(name: str, value: str = "1") -> dict:
    return {
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "ns"},
        "data": {"v": value},
    }


def run(coro):
    return asyncio.run(coro)


def test_revisions_grow_across_writes_and_restarts(tmp_path):
    async def main():
        s = SQLiteStorage(tmp_path / "db")
        a = await s.create("/registry/cm/ns/a", cm("a"))
        b = await s.create("/registry/cm/ns/b", cm("b"))
        assert b.mod_revision == a.mod_revision + 1
        assert a.obj["metadata"]["resourceVersion"] == str(a.mod_revision)
        await s.delete("/registry/cm/ns/b")
        await s.close()
        s2 = SQLiteStorage(tmp_path / "db")
        assert await s2.current_revision() == 3
        c = await s2.create("/registry/cm/ns/c", cm("c"))
        assert c.mod_revision == 4

    run(main())


def test_create_twice_is_refused_and_missing_keys_are_not_found(tmp_path):
    async def main():
        s = SQLiteStorage(tmp_path / "db")
        await s.create("/k/a", cm("a"))
        with pytest.raises(KeyExistsError):
            await s.create("/k/a", cm("a"))
        with pytest.raises(KeyNotFoundError):
            await s.get("/k/b")
        with pytest.raises(KeyNotFoundError):
            await s.delete("/k/b")

    run(main())


def test_update_checks_resource_version_preconditions(tmp_path):
    async def main():
        s = SQLiteStorage(tmp_path / "db")
        a = await s.create("/k/a", cm("a"))

        async def change(cur):
            obj = dict(cur.obj)
            obj["data"] = {"v": "2"}
            return obj

        b = await s.guaranteed_update(
            "/k/a",
            change,
            preconditions=Preconditions(resource_version=a.obj["metadata"]["resourceVersion"]),
        )
        assert b.obj["data"] == {"v": "2"}
        with pytest.raises(ConflictError):
            await s.guaranteed_update(
                "/k/a",
                change,
                preconditions=Preconditions(resource_version=a.obj["metadata"]["resourceVersion"]),
            )

    run(main())


def test_an_update_that_changes_nothing_writes_nothing(tmp_path):
    async def main():
        s = SQLiteStorage(tmp_path / "db")
        a = await s.create("/k/a", cm("a"))

        async def same(cur):
            return cur.obj

        b = await s.guaranteed_update("/k/a", same)
        assert b.mod_revision == a.mod_revision
        assert await s.current_revision() == a.mod_revision

    run(main())


def test_list_at_an_old_revision_sees_the_past_until_compacted(tmp_path):
    async def main():
        s = SQLiteStorage(tmp_path / "db")
        for n in "abc":
            await s.create(f"/k/{n}", cm(n))
        r = await s.current_revision()
        await s.delete("/k/a")
        await s.create("/k/d", cm("d"))
        past = await s.list("/k/", revision=r)
        assert [i.key for i in past.items] == ["/k/a", "/k/b", "/k/c"]
        now = await s.list("/k/")
        assert [i.key for i in now.items] == ["/k/b", "/k/c", "/k/d"]
        page = await s.list("/k/", limit=2)
        assert page.more and [i.key for i in page.items] == ["/k/b", "/k/c"]
        rest = await s.list("/k/", start_after="/k/c", limit=2)
        assert not rest.more and [i.key for i in rest.items] == ["/k/d"]
        await s.compact(await s.current_revision())
        with pytest.raises(TooOldResourceVersionError):
            await s.list("/k/", revision=r)
        assert [i.key for i in (await s.list("/k/")).items] == ["/k/b", "/k/c", "/k/d"]

    run(main())


def test_watch_replays_history_then_follows_live_changes_in_order(tmp_path):
    async def main():
        s = SQLiteStorage(tmp_path / "db")
        a = await s.create("/k/a", cm("a"))
        await s.create("/k/b", cm("b"))
        seen = []

        async def consume():
            async for ev in s.watch("/k/", a.mod_revision):
                seen.append((ev.type, ev.current.key, ev.revision))
                if len(seen) == 2:
                    return

        task = asyncio.create_task(consume())
        await asyncio.sleep(0)
        await s.delete("/k/a")
        await s.create("/other/x", cm("x"))
        await asyncio.wait_for(task, 5)
        assert seen[0][:2] == (ADDED, "/k/b")
        assert seen[1][:2] == (DELETED, "/k/a")
        assert seen[0][2] < seen[1][2]

    async def main2():
        s = SQLiteStorage(tmp_path / "db2")
        await s.create("/k/a", cm("a"))
        events = []

        async def consume():
            async for ev in s.watch("/k/", 0):
                events.append(ev.type)
                if len(events) == 3:
                    return

        task = asyncio.create_task(consume())
        await asyncio.sleep(0)

        async def change(cur):
            return {**cur.obj, "data": {"v": "9"}}

        await s.guaranteed_update("/k/a", change)
        await s.delete("/k/a")
        await asyncio.wait_for(task, 5)
        assert events == [ADDED, MODIFIED, DELETED]

    run(main())
    run(main2())


def test_cache_watch_rewrites_events_that_leave_or_enter_a_filter(tmp_path):
    async def main():
        s = SQLiteStorage(tmp_path / "db")
        cache = Cacher(s, "/k/")
        await cache.start()
        w = cache.watch_from("/k/", cache.revision, lambda o: o["data"]["v"] == "1", initial=False)
        a = await s.create("/k/a", cm("a", "1"))

        async def to(value):
            async def change(cur):
                return {**cur.obj, "data": {"v": value}}

            return change

        await s.guaranteed_update("/k/a", await to("2"))
        await s.guaranteed_update("/k/a", await to("1"))
        await cache.wait_fresh()
        got = []
        while not w.queue.empty():
            ev = w.queue.get_nowait()
            got.append(ev.type)
        assert got == [ADDED, DELETED, ADDED]
        assert [i.key for i in cache.snapshot("/k/")] == ["/k/a"]
        with pytest.raises(TooOldResourceVersionError):
            cache.watch_from("/k/", a.mod_revision - 5, None, initial=False)
        await cache.stop()

    run(main())


def test_a_cache_catches_up_with_writes_made_under_other_prefixes(tmp_path):
    async def main():
        s = SQLiteStorage(tmp_path / "db")
        cache = Cacher(s, "/quiet/")
        await cache.start()
        for n in range(3):
            await s.create(f"/busy/{n}", cm(str(n)))
        await cache.wait_fresh()
        assert cache.revision == await s.current_revision()
        await cache.stop()

    run(main())


def test_the_compactor_keeps_one_interval_of_history(tmp_path):
    from kube_apiserver.storage.compact import Compactor

    async def main():
        s = SQLiteStorage(tmp_path / "db")
        await s.create("/k/a", cm("a"))
        first = await s.current_revision()
        compactor = Compactor(s, 0.05)
        compactor.start()
        await asyncio.sleep(0.02)
        await s.create("/k/b", cm("b"))
        await asyncio.sleep(0.2)
        await compactor.stop()
        assert s.compacted_revision >= first
        with pytest.raises(TooOldResourceVersionError):
            await s.list("/k/", revision=first - 1)
        assert [i.key for i in (await s.list("/k/")).items] == ["/k/a", "/k/b"]

    run(main())


def test_concurrent_writes_share_a_commit_but_keep_their_own_revisions_and_errors(tmp_path):
    async def main():
        s = SQLiteStorage(tmp_path / "db")
        results = await asyncio.gather(
            *(s.create(f"/k/{n}", cm(str(n))) for n in range(20)),
            s.create("/k/3", cm("again")),
            return_exceptions=True,
        )
        created = [r for r in results if not isinstance(r, Exception)]
        failed = [r for r in results if isinstance(r, Exception)]
        assert len(created) == 20 and len(failed) == 1 and isinstance(failed[0], KeyExistsError)
        assert sorted(r.mod_revision for r in created) == list(range(1, 21))
        await s.close()
        reopened = SQLiteStorage(tmp_path / "db")
        assert await reopened.current_revision() == 20
        assert len((await reopened.list("/k/")).items) == 20

    run(main())
