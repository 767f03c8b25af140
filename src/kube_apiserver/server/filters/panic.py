"""Panic recovery: an exception escaping a handler becomes a 500 InternalError Status."""

from __future__ import annotations

import logging
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.endpoints import responses
from kube_apiserver.server.filters.response import ResponseRecorder

log = logging.getLogger(__name__)


def with_panic_recovery(app: Any) -> Any:
    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        recorder = ResponseRecorder(send)
        try:
            await app(scope, receive, recorder)
        except errors.StatusError as exc:
            if not recorder.started:
                await responses.send_error(send, exc)
        except Exception as exc:
            log.exception("panic serving %s %s", scope.get("method"), scope.get("path"))
            if not recorder.started:
                await responses.send_error(send, errors.internal(f"{type(exc).__name__}: {exc}"))

    return handler
