"""WATCH: a chunked stream of watch events, one JSON object per line.

Frames are cached on the shared `WatchEvent` per (type, encoding), so one change fanned out
to a thousand plain-JSON watchers is encoded once. Tables and YAML are built per watcher.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from datetime import UTC, datetime
from typing import Any

import orjson

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta import field as fe
from kube_apiserver.apis.meta import fields as field_selectors
from kube_apiserver.apis.meta import table as tables
from kube_apiserver.endpoints import encoding, negotiation
from kube_apiserver.endpoints.handlers.common import Binding, int_param, list_options
from kube_apiserver.endpoints.request import Request
from kube_apiserver.storage.interface import BOOKMARK, WatchEvent

BOOKMARK_INTERVAL_SECONDS = 10.0
MIN_REQUEST_TIMEOUT_SECONDS = 1800
INITIAL_EVENTS_END = "k8s.io/initial-events-end"
_TICK: Any = object()  # queued by the bookmark timer


def _frame(kind: str, obj_bytes: bytes) -> bytes:
    return b'{"type":"' + kind.encode() + b'","object":' + obj_bytes + b"}\n"


class _Encoder:
    """Encodes events for one watch request's negotiated output."""

    def __init__(
        self, binding: Binding, out: negotiation.Output, query: dict[str, list[str]]
    ) -> None:
        self.binding = binding
        self.out = out
        self.query = query
        self.plain = out.media == negotiation.JSON and not out.as_kind
        self.columns_sent = False
        # A store that serves its objects in another shape (events.k8s.io) converts them.
        self.convert = getattr(binding.store, "convert_out", None)
        self.frame_key = "json:" + binding.resource.group_version

    def event(self, event: WatchEvent) -> bytes:
        if self.plain:
            key = (event.type, self.frame_key)
            frame = event.frames.get(key)
            if frame is None:
                data = (
                    event.current.data
                    if self.convert is None
                    else orjson.dumps(self.convert(event.current.obj))
                )
                frame = event.frames[key] = _frame(event.type, data)
            return frame
        obj = event.current.obj
        return self.obj(event.type, obj if self.convert is None else self.convert(obj))

    def obj(self, kind: str, obj: dict[str, Any]) -> bytes:
        out = self.out
        if out.as_kind == "Table":
            meta = {"resourceVersion": (obj.get("metadata") or {}).get("resourceVersion", "")}
            table = tables.build_table(
                encoding.table_def(self.binding.store.strategy),
                [obj],
                datetime.now(UTC),
                include_object=encoding.include_object(self.query),
                list_meta=meta,
            )
            if self.columns_sent:
                table["columnDefinitions"] = (
                    None  # as kube-apiserver: only the first event has them
                )
            self.columns_sent = True
            body: Any = table
        elif out.as_kind:
            body = encoding.partial_metadata(obj, out.as_version)
        else:
            body = obj
        return _frame(kind, orjson.dumps(body))

    def bookmark(self, revision: int, *, initial_end: bool = False) -> bytes:
        res = self.binding.resource
        meta: dict[str, Any] = {"resourceVersion": str(revision)}
        if initial_end:
            meta["annotations"] = {INITIAL_EVENTS_END: "true"}
        return self.obj(
            BOOKMARK, {"kind": res.kind, "apiVersion": res.api_version, "metadata": meta}
        )


async def watch(
    req: Request,
    send: Any,
    binding: Binding,
    out: negotiation.Output,
    *,
    min_request_timeout: int = MIN_REQUEST_TIMEOUT_SECONDS,
) -> None:
    opts = list_options(req)
    if req.info.name:
        # The legacy /watch/.../{name} path watches one object.
        own = f"metadata.name={field_selectors.escape_value(req.info.name)}"
        opts.field_selector = field_selectors.parse_field_selector(
            f"{opts.field_selector},{own}"
            if opts.field_selector and opts.field_selector.requirements
            else own
        )
    if opts.send_initial_events and not req.flag("allowWatchBookmarks"):
        raise errors.invalid("ListOptions", "meta.k8s.io", "", [_fe_forbidden()])
    timeout = int_param(req, "timeoutSeconds")
    if timeout is None:
        # As kube-apiserver: a random time between --min-request-timeout and twice that.
        timeout = int(min_request_timeout * (1 + random.random()))
    bookmarks = req.flag("allowWatchBookmarks")
    encoder = _Encoder(binding, out, req.query)
    try:
        watcher, initial, start_revision = binding.store.watch(req.info.namespace, opts)
    except errors.StatusError as exc:
        if exc.code != 410:
            raise
        # A watch that cannot start answers 200 with one ERROR event, as the watch cache does.
        await _start(send)
        await _chunk(send, _frame("ERROR", orjson.dumps(exc.status())))
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    await _start(send)
    initial_end_wanted = bool(opts.send_initial_events) and bookmarks
    loop = asyncio.get_running_loop()
    queue = watcher.queue
    # Timers per watch, not per event: one closes the watch at its deadline, one (when
    # bookmarks are wanted) drops a tick into the queue every interval.
    timers = [loop.call_later(timeout, watcher.close)]
    if bookmarks:

        def tick() -> None:
            if not watcher.closed:
                queue.put_nowait(_TICK)
                timers.append(loop.call_later(BOOKMARK_INTERVAL_SECONDS, tick))

        timers.append(loop.call_later(BOOKMARK_INTERVAL_SECONDS, tick))
    listener = asyncio.create_task(_wait_disconnect(req.receive, watcher))
    initial_pending = initial
    try:
        while True:
            if initial_pending and queue.empty():
                initial_pending = False
                if initial_end_wanted:
                    await _chunk(send, encoder.bookmark(start_revision, initial_end=True))
            event = await queue.get()
            if event is None:
                break
            if event is _TICK:
                # Idle: tell the client how far it is current. Busy: the events say so.
                if queue.empty() and not initial_pending:
                    await _chunk(send, encoder.bookmark(binding.store.cache.revision))
                continue
            batch = [encoder.event(event)]
            # Drain what is already queued into one write.
            ended = False
            while not queue.empty() and len(batch) < 256:
                nxt = queue.get_nowait()
                if nxt is None:
                    ended = True
                    break
                if nxt is not _TICK:
                    batch.append(encoder.event(nxt))
            await _chunk(send, b"".join(batch))
            if ended:
                break
    finally:
        watcher.close()
        for timer in timers:
            timer.cancel()
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await listener
    with contextlib.suppress(Exception):
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _fe_forbidden() -> fe.FieldError:
    return fe.forbidden(
        "sendInitialEvents",
        "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and allowWatchBookmarks is set",
    )


async def _start(send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"cache-control", b"no-cache, private"),
            ],
        }
    )
    # An empty first chunk pushes the headers out now, before any event exists.
    await send({"type": "http.response.body", "body": b"", "more_body": True})


async def _chunk(send: Any, data: bytes) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": True})


async def _wait_disconnect(receive: Any, watcher: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            watcher.close()
            return
