"""The embedded storage backend: one SQLite file, multi-version like etcd.

Two tables. `log` holds every version of every key by revision (the MVCC history that
exact-revision reads, paged lists and watch replay need); `kv` holds the latest version of
each live key, so that the common reads are one indexed lookup. A write appends to `log` and
updates `kv` in one transaction; compaction trims `log` as etcd's compaction does.

SQLite runs on the event loop thread, which keeps revisions, commits and the in-process watch
fan-out in one strict order. Writes queued during one turn of the loop are committed as one
transaction (group commit), since the COMMIT is most of a small write's cost.
WAL with synchronous=NORMAL: a committed transaction survives the process being killed
(`kill -9`); only an operating-system crash may lose the last commits.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from kube_apiserver.storage.interface import (
    ADDED,
    BOOKMARK,
    DELETED,
    MODIFIED,
    ConflictError,
    KeyExistsError,
    KeyNotFoundError,
    ListResult,
    Preconditions,
    StoredObject,
    TooLargeResourceVersionError,
    TooOldResourceVersionError,
    UpdateFunc,
    WatchEvent,
    check_preconditions,
    prefix_end,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    create_rev INTEGER NOT NULL,
    mod_rev INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS log (
    rev INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    create_rev INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS log_key_rev ON log (key, rev);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class _Retry(Exception):
    """The key changed between read and write: read again."""


@dataclass(slots=True)
class _Write:
    key: str
    obj: dict[str, Any] | None  # None deletes
    expect_mod: int | None  # None creates
    prev: StoredObject | None
    done: asyncio.Future[WatchEvent]


def _stamp(obj: dict[str, Any], revision: int) -> tuple[dict[str, Any], bytes]:
    """A shallow copy of obj with metadata.resourceVersion set, and its encoding."""
    meta = dict(obj.get("metadata") or {})
    meta["resourceVersion"] = str(revision)
    out = dict(obj)
    out["metadata"] = meta
    return out, orjson.dumps(out)


class SQLiteStorage:
    """`Storage` on a SQLite file (see kube_apiserver.storage.interface for the contract)."""

    ordered_progress = True  # bookmarks are queued behind every committed event

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)
        self._revision = self._meta("revision")
        self._compacted = self._meta("compacted")
        self._watchers: list[tuple[str, asyncio.Queue[WatchEvent]]] = []
        self._queue: list[_Write] = []

    def _meta(self, name: str) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else 0

    # -- reads ------------------------------------------------------------------------

    async def current_revision(self) -> int:
        return self._revision

    async def request_progress(self) -> None:
        progress = WatchEvent(BOOKMARK, StoredObject("", {}, b"", self._revision))
        for _, queue in self._watchers:
            queue.put_nowait(progress)

    @property
    def compacted_revision(self) -> int:
        return self._compacted

    def _check_revision(self, revision: int) -> None:
        if revision < self._compacted:
            raise TooOldResourceVersionError(revision, self._compacted)
        if revision > self._revision:
            raise TooLargeResourceVersionError(revision, self._revision)

    async def get(self, key: str, *, revision: int | None = None) -> StoredObject:
        if revision is None or revision == self._revision:
            row = self._db.execute(
                "SELECT value, mod_rev, create_rev FROM kv WHERE key = ?", (key,)
            ).fetchone()
        else:
            self._check_revision(revision)
            row = self._db.execute(
                "SELECT value, rev, create_rev, deleted FROM log WHERE key = ? AND rev <= ? "
                "ORDER BY rev DESC LIMIT 1",
                (key, revision),
            ).fetchone()
            if row and row[3]:
                row = None
        if row is None:
            raise KeyNotFoundError(key)
        return StoredObject(key, orjson.loads(row[0]), row[0], row[1], row[2])

    async def list(
        self,
        prefix: str,
        *,
        revision: int | None = None,
        start_after: str = "",
        limit: int = 0,
    ) -> ListResult:
        low = max(prefix, start_after + "\x00") if start_after else prefix
        high = prefix_end(prefix)
        fetch = limit + 1 if limit > 0 else -1
        if revision is None or revision == self._revision:
            rows = self._db.execute(
                "SELECT key, value, mod_rev, create_rev FROM kv WHERE key >= ? AND key < ? "
                "ORDER BY key LIMIT ?",
                (low, high, fetch),
            ).fetchall()
            at = self._revision
        else:
            self._check_revision(revision)
            rows = self._db.execute(
                "SELECT l.key, l.value, l.rev, l.create_rev FROM log l JOIN ("
                "  SELECT key, MAX(rev) AS rev FROM log WHERE key >= ? AND key < ? AND rev <= ?"
                "  GROUP BY key) m ON l.key = m.key AND l.rev = m.rev "
                "WHERE l.deleted = 0 ORDER BY l.key LIMIT ?",
                (low, high, revision, fetch),
            ).fetchall()
            at = revision
        more = limit > 0 and len(rows) > limit
        remaining = 0
        if more:
            rows = rows[:limit]
            remaining = self._count_after(rows[-1][0], high, at)
        items = [StoredObject(k, orjson.loads(v), v, m, c) for k, v, m, c in rows]
        return ListResult(items, at, more, remaining)

    def _count_after(self, key: str, high: str, revision: int) -> int:
        if revision == self._revision:
            sql = "SELECT COUNT(*) FROM kv WHERE key > ? AND key < ?"
            return self._db.execute(sql, (key, high)).fetchone()[0]
        sql = (
            "SELECT COUNT(*) FROM log l JOIN (SELECT key, MAX(rev) AS rev FROM log WHERE key > ? AND key < ? "
            "AND rev <= ? GROUP BY key) m ON l.key = m.key AND l.rev = m.rev WHERE l.deleted = 0"
        )
        return self._db.execute(sql, (key, high, revision)).fetchone()[0]

    # -- writes -----------------------------------------------------------------------

    async def _commit(
        self,
        key: str,
        obj: dict[str, Any] | None,
        *,
        expect_mod: int | None,
        prev: StoredObject | None,
    ) -> WatchEvent:
        """Write one change (`obj` None deletes) and return its event once committed.

        Writes queued during one turn of the event loop share one transaction (group
        commit): each is checked and applied in order, each gets its own revision, and all
        are acknowledged, and fanned out, only after the one COMMIT.
        """
        future: asyncio.Future[WatchEvent] = asyncio.get_running_loop().create_future()
        self._queue.append(_Write(key, obj, expect_mod, prev, future))
        if len(self._queue) == 1:
            asyncio.get_running_loop().call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        batch, self._queue = self._queue, []
        db = self._db
        revision = self._revision
        results: list[tuple[_Write, WatchEvent | Exception]] = []
        try:
            db.execute("BEGIN IMMEDIATE")
            for write in batch:
                try:
                    event = self._apply(write, revision + 1)
                except (KeyExistsError, KeyNotFoundError, _Retry) as exc:
                    results.append((write, exc))  # refused before writing anything
                    continue
                revision += 1
                results.append((write, event))
            if revision != self._revision:
                db.execute(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES ('revision', ?)", (revision,)
                )
            db.execute("COMMIT")
        except Exception as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            for write in batch:
                if not write.done.done():
                    write.done.set_exception(exc)
            return
        self._revision = revision
        for write, result in results:
            if isinstance(result, WatchEvent):
                for prefix, queue in self._watchers:
                    if write.key.startswith(prefix):
                        queue.put_nowait(result)
                if not write.done.done():
                    write.done.set_result(result)
            elif not write.done.done():
                write.done.set_exception(result)

    def _apply(self, write: _Write, revision: int) -> WatchEvent:
        """One change inside the open transaction; raises before writing when refused."""
        db, key = self._db, write.key
        row = db.execute("SELECT mod_rev, create_rev FROM kv WHERE key = ?", (key,)).fetchone()
        if write.expect_mod is None:  # create
            if row is not None:
                raise KeyExistsError(key)
        elif row is None:
            raise KeyNotFoundError(key)
        elif row[0] != write.expect_mod:
            raise _Retry()
        if write.obj is None:
            assert write.prev is not None
            stamped, data = _stamp(write.prev.obj, revision)
            create_rev = row[1]
            db.execute("DELETE FROM kv WHERE key = ?", (key,))
            db.execute(
                "INSERT INTO log (rev, key, value, create_rev, deleted) VALUES (?, ?, ?, ?, 1)",
                (revision, key, data, create_rev),
            )
            event_type = DELETED
        else:
            stamped, data = _stamp(write.obj, revision)
            create_rev = row[1] if row else revision
            db.execute(
                "INSERT OR REPLACE INTO kv (key, value, create_rev, mod_rev) VALUES (?, ?, ?, ?)",
                (key, data, create_rev, revision),
            )
            db.execute(
                "INSERT INTO log (rev, key, value, create_rev) VALUES (?, ?, ?, ?)",
                (revision, key, data, create_rev),
            )
            event_type = ADDED if row is None else MODIFIED
        return WatchEvent(
            event_type, StoredObject(key, stamped, data, revision, create_rev), write.prev
        )

    async def create(self, key: str, obj: dict[str, Any]) -> StoredObject:
        return (await self._commit(key, obj, expect_mod=None, prev=None)).current

    async def guaranteed_update(
        self,
        key: str,
        update: UpdateFunc,
        *,
        preconditions: Preconditions | None = None,
    ) -> StoredObject:
        while True:  # as Kubernetes: retry until the write lands on the latest version
            current = await self.get(key)
            check_preconditions(key, current, preconditions)
            new = await update(current)
            unchanged, _ = _stamp(new, current.mod_revision)
            if unchanged == current.obj:
                return current
            try:
                return (
                    await self._commit(key, new, expect_mod=current.mod_revision, prev=current)
                ).current
            except _Retry:
                continue

    async def delete(
        self,
        key: str,
        *,
        preconditions: Preconditions | None = None,
        revision: int | None = None,
    ) -> StoredObject:
        while True:  # as Kubernetes: retry until the write lands on the latest version
            current = await self.get(key)
            check_preconditions(key, current, preconditions)
            if revision is not None and current.mod_revision != revision:
                raise ConflictError(key, "the object has been modified")
            try:
                return (
                    await self._commit(key, None, expect_mod=current.mod_revision, prev=current)
                ).current
            except _Retry:
                continue

    # -- watch and compaction ----------------------------------------------------------

    def watch(self, prefix: str, revision: int) -> AsyncIterator[WatchEvent]:
        if revision < self._compacted:
            raise TooOldResourceVersionError(revision, self._compacted)
        queue: asyncio.Queue[WatchEvent] = asyncio.Queue()
        entry = (prefix, queue)
        # Registering and reading the history happen now, with no await in between, so no
        # commit can fall between the two: replayed and live events neither gap nor overlap.
        self._watchers.append(entry)
        rows = self._db.execute(
            "SELECT key, value, rev, create_rev, deleted FROM log "
            "WHERE rev > ? AND key >= ? AND key < ? ORDER BY rev",
            (revision, prefix, prefix_end(prefix)),
        ).fetchall()
        return self._stream(entry, rows)

    async def _stream(
        self, entry: tuple[str, asyncio.Queue[WatchEvent]], rows: list[Any]
    ) -> AsyncIterator[WatchEvent]:
        try:
            for key, value, rev, create_rev, deleted in rows:
                kind = DELETED if deleted else (ADDED if rev == create_rev else MODIFIED)
                yield WatchEvent(
                    kind, StoredObject(key, orjson.loads(value), value, rev, create_rev)
                )
            queue = entry[1]
            while True:
                yield await queue.get()
        finally:
            self._watchers.remove(entry)

    async def compact(self, revision: int) -> None:
        revision = min(revision, self._revision)
        if revision <= self._compacted:
            return
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            # Drop every version at or below `revision` that a later version at or below it
            # supersedes, and tombstones: what remains answers reads at `revision` and after.
            db.execute(
                "DELETE FROM log WHERE rev <= ?1 AND (deleted = 1 OR EXISTS ("
                " SELECT 1 FROM log l2 WHERE l2.key = log.key AND l2.rev > log.rev AND l2.rev <= ?1))",
                (revision,),
            )
            db.execute(
                "INSERT OR REPLACE INTO meta (name, value) VALUES ('compacted', ?)", (revision,)
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._compacted = revision

    async def close(self) -> None:
        self._db.close()
