"""What filters need to know of a response passing through them: whether it has started,
and its status code."""

from __future__ import annotations

from typing import Any


class ResponseRecorder:
    """An ASGI `send` that passes messages on and remembers the response's start."""

    __slots__ = ("_send", "started", "code")

    def __init__(self, send: Any, default_code: int = 500) -> None:
        self._send = send
        self.started = False
        self.code = default_code  # what a response that never started is counted as

    async def __call__(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            self.code = message["status"]
        await self._send(message)
