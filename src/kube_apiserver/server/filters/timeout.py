"""Timeout: a request that is not long-running gets --request-timeout; past it, 504."""

from __future__ import annotations

import asyncio
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.endpoints import responses
from kube_apiserver.server.filters.response import ResponseRecorder


def with_timeout(app: Any, *, seconds: float) -> Any:
    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["k8s.info"].verb == "watch":
            return await app(scope, receive, send)
        recorder = ResponseRecorder(send)
        try:
            async with asyncio.timeout(seconds):
                await app(scope, receive, recorder)
        except TimeoutError:
            if not recorder.started:
                await responses.send_error(
                    send,
                    errors.StatusError(
                        504,
                        "Timeout",
                        "request did not complete within requested timeout - context deadline exceeded",
                        {},
                    ),
                )

    return handler
