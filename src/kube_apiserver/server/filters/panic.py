"""Panic recovery: an exception escaping a handler becomes a 500 InternalError Status."""

from __future__ import annotations

import logging
from typing import Any

from kube_apiserver.endpoints import errors, responses

log = logging.getLogger(__name__)


def with_panic_recovery(app: Any) -> Any:
    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        started = False

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await app(scope, receive, tracking_send)
        except errors.StatusError as exc:
            if not started:
                await responses.send_error(send, exc)
        except Exception as exc:
            log.exception("panic serving %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await responses.send_error(send, errors.internal(f"{type(exc).__name__}: {exc}"))

    return handler
