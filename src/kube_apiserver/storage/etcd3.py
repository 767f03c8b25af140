"""The etcd v3 backend, for more than one machine and more than one API server.

Keys are Kubernetes' own (`<etcd-prefix>/pods/<namespace>/<name>`), values the object's JSON
without `metadata.resourceVersion`, which is etcd's `mod_revision` and is set on every read, as
kube-apiserver does. Writes are transactions that compare the key's `mod_revision` (or, for a
create, that it does not exist), so optimistic concurrency holds across every API server
sharing the etcd.

Client library: etcd3aio. It is maintained (0.3.0, 2026), asynchronous on grpc.aio, and
works with current protobuf (the long-standing `etcd3` package does not import with
protobuf >= 4, and aetcd drops progress notifications). Its `watch()` hides the request
stream, and Kubernetes' watch cache needs to send progress requests on it, so watches are
opened here on the library's generated stub.

Progress notifications. etcd sends periodic ones (`--experimental-watch-progress-notify-interval`)
only to watchers that have delivered everything, so they are safe bookmarks. Requested ones
(`request_progress`) overtook pending events before etcd 3.4.25 / 3.5.8 (etcd-io/etcd#15220),
so they are used only on a fixed etcd; otherwise readers that need a fresh cache read etcd
itself, as Kubernetes falls back when consistent reads from cache are unsupported.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
import orjson
from etcd3aio import Etcd3Client, EtcdError, prefix_range_end
from etcd3aio import _protobuf as pb  # the generated stubs: see the module docstring

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
    StorageUnavailableError,
    StoredObject,
    TooLargeResourceVersionError,
    TooOldResourceVersionError,
    UpdateFunc,
    WatchEvent,
    check_preconditions,
    prefix_end,
)
from kube_apiserver.storage.value import IDENTITY, Transformer

log = logging.getLogger(__name__)

KEY_ROOT = "/registry"  # the root of the keys the rest of the server uses
REQUEST_TIMEOUT_SECONDS = 10.0
_DELETE = 1  # mvccpb.Event.DELETE
_COMPACTED = "required revision has been compacted"
_FUTURE = "required revision is a future revision"
# First releases whose requested progress notifications are ordered with events.
_ORDERED_PROGRESS = {(3, 4): 25, (3, 5): 8}


def ordered_progress(version: str) -> bool:
    """Whether an etcd of this version orders requested progress notifications after events."""
    try:
        major, minor, patch = (int(p) for p in version.split("-")[0].split(".")[:3])
    except ValueError:
        return False
    fixed = _ORDERED_PROGRESS.get((major, minor))
    return patch >= fixed if fixed is not None else (major, minor) > (3, 5)


def _stamp(obj: dict[str, Any], revision: int) -> tuple[dict[str, Any], bytes]:
    meta = dict(obj.get("metadata") or {})
    meta["resourceVersion"] = str(revision)
    out = dict(obj)
    out["metadata"] = meta
    return out, orjson.dumps(out)


def _unstamped(obj: dict[str, Any]) -> bytes:
    """The stored form: no resourceVersion, which etcd's mod_revision carries."""
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "resourceVersion" in meta:
        obj = {**obj, "metadata": {k: v for k, v in meta.items() if k != "resourceVersion"}}
    return orjson.dumps(obj)


class EtcdStorage:
    """`Storage` on etcd v3 (see kube_apiserver.storage.interface for the contract)."""

    def __init__(
        self,
        endpoints: list[str],
        *,
        prefix: str = KEY_ROOT,
        ca_cert: bytes | None = None,
        cert: bytes | None = None,
        key: bytes | None = None,
        transformer: Callable[[str], Transformer] | None = None,
    ) -> None:
        self.endpoints = endpoints
        self.prefix = prefix.rstrip("/")
        tls = {"ca_cert": ca_cert, "cert_chain": cert, "cert_key": key} if ca_cert else {}
        self._client = Etcd3Client(endpoints, **tls)
        self._transformer = transformer or (lambda _key: IDENTITY)
        self._progress_requests: set[asyncio.Queue[Any]] = set()
        self.ordered_progress = False
        self.version = ""
        self._waiting: asyncio.Future[int] | None = None  # callers of the next revision read
        self._revision_reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Connect and learn etcd's version; raises StorageUnavailableError if unreachable."""
        await self._client.connect()
        status = await self._call(self._client.maintenance.status(timeout=REQUEST_TIMEOUT_SECONDS))
        self.version = status.version
        self.ordered_progress = ordered_progress(status.version)

    # -- keys and values ---------------------------------------------------------------

    def _etcd_key(self, key: str) -> bytes:
        return (self.prefix + key[len(KEY_ROOT) :]).encode()

    def _key(self, etcd_key: bytes) -> str:
        return KEY_ROOT + etcd_key.decode()[len(self.prefix) :]

    def _encode(self, key: str, obj: dict[str, Any]) -> bytes:
        return self._transformer(key).encrypt(_unstamped(obj), key.encode())

    def _decode(self, key: str, value: bytes, mod: int, create: int) -> StoredObject:
        plain = self._transformer(key).decrypt(value, key.encode())
        obj, data = _stamp(orjson.loads(plain), mod)
        return StoredObject(key, obj, data, mod, create)

    def _item(self, kv: Any) -> StoredObject:
        return self._decode(self._key(kv.key), kv.value, kv.mod_revision, kv.create_revision)

    async def _call(self, coro: Any) -> Any:
        """Await an etcd call, turning its failures into the storage contract's errors."""
        try:
            return await coro
        except grpc.aio.AioRpcError as exc:
            detail = exc.details() or ""
            if _COMPACTED in detail:
                raise TooOldResourceVersionError(0, 0) from None
            if _FUTURE in detail:
                raise TooLargeResourceVersionError(0, 0) from None
            raise StorageUnavailableError(f"etcd: {exc.code().name}: {detail}") from None
        except (EtcdError, TimeoutError, OSError) as exc:
            raise StorageUnavailableError(f"etcd: {exc}") from None

    # -- reads ------------------------------------------------------------------------

    async def current_revision(self) -> int:
        """etcd's revision, read after this call began (a consistent read needs no less).

        Callers that arrive while a read is in flight share the next one, which starts after
        they arrived: a busy server asks etcd once per round trip, not once per request.
        """
        if self._waiting is None:
            self._waiting = asyncio.get_running_loop().create_future()
            if self._revision_reader is None:
                self._revision_reader = asyncio.create_task(self._read_revisions())
        return await asyncio.shield(self._waiting)

    async def _read_revisions(self) -> None:
        try:
            while self._waiting is not None:
                batch, self._waiting = self._waiting, None
                try:
                    batch.set_result(await self._fetch_revision())
                except Exception as exc:  # noqa: BLE001 - handed to every caller of the batch
                    batch.set_exception(exc)
        finally:
            self._revision_reader = None

    async def _fetch_revision(self) -> int:
        resp = await self._call(
            self._client.kv.get(
                self._etcd_key(KEY_ROOT + "/"), count_only=True, timeout=REQUEST_TIMEOUT_SECONDS
            )
        )
        return resp.header.revision

    async def get(self, key: str, *, revision: int | None = None) -> StoredObject:
        resp = await self._range(key, None, revision)
        if not resp.kvs:
            raise KeyNotFoundError(key)
        return self._item(resp.kvs[0])

    async def _range(self, key: str, end: str | None, revision: int | None, **kw: Any) -> Any:
        try:
            return await self._call(
                self._client.kv.get(
                    self._etcd_key(key),
                    self._etcd_key(end) if end is not None else None,
                    revision=revision or 0,
                    timeout=REQUEST_TIMEOUT_SECONDS,
                    **kw,
                )
            )
        except TooOldResourceVersionError:
            raise TooOldResourceVersionError(revision or 0, 0) from None
        except TooLargeResourceVersionError:
            raise TooLargeResourceVersionError(
                revision or 0, await self.current_revision()
            ) from None

    async def list(
        self,
        prefix: str,
        *,
        revision: int | None = None,
        start_after: str = "",
        limit: int = 0,
    ) -> ListResult:
        low = max(prefix, start_after + "\x00") if start_after else prefix
        resp = await self._range(low, prefix_end(prefix), revision, limit=limit)
        items = [self._item(kv) for kv in resp.kvs]
        at = revision or resp.header.revision
        return ListResult(items, at, resp.more, resp.count - len(items) if resp.more else 0)

    # -- writes -----------------------------------------------------------------------

    async def _txn(self, compare: Any, success: Any, failure: Any = ()) -> Any:
        return await self._call(
            self._client.kv.txn([compare], success, failure, timeout=REQUEST_TIMEOUT_SECONDS)
        )

    @staticmethod
    def _mod_is(etcd_key: bytes, revision: int) -> Any:
        return pb.Compare(
            key=etcd_key, target=pb.Compare.MOD, result=pb.Compare.EQUAL, mod_revision=revision
        )

    async def create(self, key: str, obj: dict[str, Any]) -> StoredObject:
        ekey = self._etcd_key(key)
        absent = pb.Compare(
            key=ekey, target=pb.Compare.CREATE, result=pb.Compare.EQUAL, create_revision=0
        )
        resp = await self._txn(absent, [self._client.kv.txn_op_put(ekey, self._encode(key, obj))])
        if not resp.succeeded:
            raise KeyExistsError(key)
        revision = resp.header.revision
        stamped, data = _stamp(obj, revision)
        return StoredObject(key, stamped, data, revision, revision)

    async def guaranteed_update(
        self,
        key: str,
        update: UpdateFunc,
        *,
        preconditions: Preconditions | None = None,
    ) -> StoredObject:
        ekey = self._etcd_key(key)
        current = await self.get(key)
        while True:  # as Kubernetes: retry until the write lands on the latest version
            check_preconditions(key, current, preconditions)
            new = await update(current)
            unchanged, _ = _stamp(new, current.mod_revision)
            if unchanged == current.obj:
                return current
            resp = await self._txn(
                self._mod_is(ekey, current.mod_revision),
                [self._client.kv.txn_op_put(ekey, self._encode(key, new))],
                [
                    self._client.kv.txn_op_get(ekey)
                ],  # on conflict, read again in the same round trip
            )
            if resp.succeeded:
                stamped, data = _stamp(new, resp.header.revision)
                return StoredObject(
                    key, stamped, data, resp.header.revision, current.create_revision
                )
            kvs = resp.responses[0].response_range.kvs
            if not kvs:
                raise KeyNotFoundError(key)
            current = self._item(kvs[0])

    async def delete(
        self,
        key: str,
        *,
        preconditions: Preconditions | None = None,
        revision: int | None = None,
    ) -> StoredObject:
        ekey = self._etcd_key(key)
        current = await self.get(key)
        while True:  # as Kubernetes: retry until the write lands on the latest version
            check_preconditions(key, current, preconditions)
            if revision is not None and current.mod_revision != revision:
                raise ConflictError(key, "the object has been modified")
            resp = await self._txn(
                self._mod_is(ekey, current.mod_revision),
                [self._client.kv.txn_op_delete(ekey)],
                [self._client.kv.txn_op_get(ekey)],
            )
            if resp.succeeded:
                stamped, data = _stamp(current.obj, resp.header.revision)
                return StoredObject(
                    key, stamped, data, resp.header.revision, current.create_revision
                )
            kvs = resp.responses[0].response_range.kvs
            if not kvs:
                raise KeyNotFoundError(key)
            current = self._item(kvs[0])

    # -- watch, progress and compaction ------------------------------------------------

    def watch(self, prefix: str, revision: int) -> AsyncIterator[WatchEvent]:
        return self._watch(prefix, revision)

    async def _watch(self, prefix: str, revision: int) -> AsyncIterator[WatchEvent]:
        requests: asyncio.Queue[Any] = asyncio.Queue()
        ekey = self._etcd_key(prefix)
        create = pb.WatchCreateRequest(
            key=ekey,
            range_end=prefix_range_end(ekey),
            start_revision=revision + 1,
            prev_kv=True,
            progress_notify=True,
        )
        requests.put_nowait(pb.WatchRequest(create_request=create))

        async def request_stream() -> AsyncIterator[Any]:
            while True:
                yield await requests.get()

        call = pb.WatchStub(self._client._channel).Watch(request_stream())
        self._progress_requests.add(requests)
        try:
            async for resp in call:
                if resp.compact_revision:
                    raise TooOldResourceVersionError(revision, resp.compact_revision)
                if resp.canceled:
                    raise StorageUnavailableError(f"etcd cancelled the watch: {resp.cancel_reason}")
                if resp.created:
                    continue  # its header is the store's revision, not this watch's progress
                if not resp.events:
                    yield WatchEvent(BOOKMARK, StoredObject("", {}, b"", resp.header.revision))
                    continue
                for event in resp.events:
                    yield self._event(event)
        except grpc.aio.AioRpcError as exc:
            raise StorageUnavailableError(
                f"etcd watch: {exc.code().name}: {exc.details()}"
            ) from None
        finally:
            self._progress_requests.discard(requests)
            call.cancel()

    def _event(self, event: Any) -> WatchEvent:
        kv = event.kv
        key = self._key(kv.key)
        prev = self._item(event.prev_kv) if event.HasField("prev_kv") else None
        if event.type == _DELETE:
            assert prev is not None, "etcd watch without prev_kv"
            obj, data = _stamp(prev.obj, kv.mod_revision)
            return WatchEvent(
                DELETED, StoredObject(key, obj, data, kv.mod_revision, prev.create_revision), prev
            )
        kind = ADDED if kv.create_revision == kv.mod_revision else MODIFIED
        return WatchEvent(kind, self._item(kv), prev)

    async def request_progress(self) -> None:
        if not self.ordered_progress:
            return  # unsafe on this etcd: see the module docstring
        for requests in self._progress_requests:
            requests.put_nowait(pb.WatchRequest(progress_request={}))

    async def compact(self, revision: int) -> None:
        try:
            await self._call(self._client.kv.compact(revision, timeout=REQUEST_TIMEOUT_SECONDS))
        except TooOldResourceVersionError:
            pass  # another API server compacted this far already

    async def close(self) -> None:
        await self._client.close()
