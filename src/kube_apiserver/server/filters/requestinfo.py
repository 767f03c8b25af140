"""Request info: parse the path once into verb, group, version, resource, name, namespace."""

from __future__ import annotations

from typing import Any

from kube_apiserver.endpoints import requestinfo
from kube_apiserver.endpoints.request import headers_of  # noqa: F401 - headers parsed lazily


def with_request_info(app: Any) -> Any:
    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            query = scope["k8s.query"] = requestinfo.parse_query(scope.get("query_string", b""))
            scope["k8s.info"] = requestinfo.parse(scope["method"], scope["path"], query)
        await app(scope, receive, send)

    return handler
