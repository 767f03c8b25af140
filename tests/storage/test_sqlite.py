"""What is particular to the SQLite backend (the shared contract is in test_storage.py)."""

from __future__ import annotations

import asyncio

from kube_apiserver.storage.interface import (
    KeyExistsError,
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
