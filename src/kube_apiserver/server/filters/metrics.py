"""Request metrics: count and time every request by verb, resource and response code."""

from __future__ import annotations

import time
from typing import Any

from kube_apiserver.server.filters.response import ResponseRecorder
from kube_apiserver.server.metrics import Metrics, metric_verb


def with_metrics(app: Any, *, metrics: Metrics) -> Any:
    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        start = time.perf_counter()
        recorder = ResponseRecorder(send)
        try:
            await app(scope, receive, recorder)
        finally:
            info = scope["k8s.info"]
            if info.is_resource_request:
                named = (
                    info.name or info.verb == "create"
                )  # a create is scoped to the object it makes
                scopename = "resource" if named else ("namespace" if info.namespace else "cluster")
            else:
                scopename = ""
            metrics.observe(
                verb=metric_verb(info.verb, scope["method"])
                if info.is_resource_request
                else scope["method"],
                group=info.api_group,
                version=info.api_version,
                resource=info.resource,
                subresource=info.subresource,
                scope=scopename,
                code=recorder.code,
                seconds=time.perf_counter() - start,
                dry_run="dryRun" in scope.get("k8s.query", {}),
            )

    return handler
