"""Writing responses: bytes with a status and content type, and Status errors."""

from __future__ import annotations

from typing import Any

import orjson

from kube_apiserver.apimachinery.errors import StatusError
from kube_apiserver.authorization.interface import go_quote

JSON = "application/json"


async def send_bytes(
    send: Any,
    code: int,
    body: bytes,
    content_type: str = JSON,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    head = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    if headers:
        head.extend(headers)
    await send({"type": "http.response.start", "status": code, "headers": head})
    await send({"type": "http.response.body", "body": body})


async def send_error(send: Any, err: StatusError) -> None:
    headers = None
    retry = (err.details or {}).get("retryAfterSeconds")
    if retry:
        headers = [(b"retry-after", str(retry).encode())]
    await send_bytes(send, err.code, orjson.dumps(err.status()), JSON, headers)


async def send_internal_error(send: Any, scope: dict, error: str) -> None:
    """kube-apiserver's plain-text 500 for a failure outside any resource handler (an
    authorizer that could not decide, impersonation without a user)."""
    uri = scope["path"] + (
        "?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else ""
    )
    text = f"Internal Server Error: {go_quote(uri)}: {error}"
    # As kube-apiserver, escape what a browser could read as markup.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = (text + "\n").encode()
    await send_bytes(send, 500, body, "text/plain; charset=utf-8")
