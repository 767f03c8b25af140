"""A thin view of an ASGI request: what handlers read, and the body read under a size cap."""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.endpoints.requestinfo import RequestInfo, parse_query

# kube-apiserver refuses request bodies over 3 MiB.
MAX_BODY_BYTES = 3 * 1024 * 1024

Scope = dict[str, Any]


class Request:
    __slots__ = ("scope", "receive", "method", "path", "query", "headers")

    def __init__(self, scope: Scope, receive: Any) -> None:
        self.scope = scope
        self.receive = receive
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        query = scope.get("k8s.query")
        if query is None:
            query = scope["k8s.query"] = parse_query(scope.get("query_string", b""))
        self.query: dict[str, list[str]] = query
        self.headers: dict[str, str] = headers_of(scope)

    @property
    def info(self) -> RequestInfo:
        return self.scope["k8s.info"]

    @property
    def user(self) -> Any:
        return self.scope.get("k8s.user")

    def param(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default

    def has(self, name: str) -> bool:
        return name in self.query

    def flag(self, name: str) -> bool:
        return self.param(name).lower() in ("1", "true")

    async def body(self) -> bytes:
        length = self.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            raise errors.too_large()
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise errors.too_large()
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)


def headers_of(scope: Scope) -> dict[str, str]:
    cached = scope.get("k8s.headers")
    if cached is None:
        cached = {}
        for name, value in scope.get("headers", ()):
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            cached[key] = cached[key] + "," + text if key in cached else text
        scope["k8s.headers"] = cached
    return cached
