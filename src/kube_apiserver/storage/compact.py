"""Periodic compaction, as kube-apiserver runs it against etcd.

Every interval the store is compacted to the revision it had at the previous tick, so
history is kept for at least one interval: continue tokens and watches from recent
revisions keep working, older ones get 410 as in Kubernetes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from kube_apiserver.storage.interface import Storage

log = logging.getLogger(__name__)


class Compactor:
    def __init__(self, storage: Storage, interval_seconds: float) -> None:
        self.storage = storage
        self.interval = interval_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.interval > 0:
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        previous = await self.storage.current_revision()
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.storage.compact(previous)
                log.info("compacted storage to revision %d", previous)
            except Exception:
                log.exception("compaction to revision %d failed", previous)
            previous = await self.storage.current_revision()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
