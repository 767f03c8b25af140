"""Max in-flight: cap concurrent read-only and mutating requests; the excess gets 429.

Long-running requests (watches) are not counted, as in kube-apiserver.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.endpoints import responses
from kube_apiserver.server.metrics import Metrics

_MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


def with_max_in_flight(app: Any, *, read_only: int, mutating: int, metrics: Metrics) -> Any:
    if read_only <= 0 and mutating <= 0:
        return app
    limits = {"readOnly": read_only, "mutating": mutating}
    counts = metrics.inflight

    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["k8s.info"].verb == "watch":
            return await app(scope, receive, send)
        kind = "mutating" if scope["method"] in _MUTATING else "readOnly"
        limit = limits[kind]
        if limit > 0 and counts[kind] >= limit:
            return await responses.send_error(send, errors.too_many_requests())
        counts[kind] += 1
        try:
            await app(scope, receive, send)
        finally:
            counts[kind] -= 1

    return handler
