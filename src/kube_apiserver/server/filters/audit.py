"""Audit: one JSON line per request at the Metadata level, to --audit-log-path.

The hook sits where kube-apiserver's does (after authentication), so events carry the user.
Without --audit-log-path the filter is not installed.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any, BinaryIO

import orjson

from kube_apiserver.server.filters.response import ResponseRecorder


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _user(user: Any) -> dict[str, Any]:
    if user is None:
        return {}
    out: dict[str, Any] = {"username": user.name}
    if user.uid:
        out["uid"] = user.uid
    out["groups"] = list(user.groups)
    if user.extra:
        out["extra"] = {k: list(v) for k, v in user.extra.items()}
    return out


def with_audit(app: Any, *, sink: BinaryIO | None) -> Any:
    if sink is None:
        return app

    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        received = _now()
        start = time.perf_counter()
        recorder = ResponseRecorder(send)
        try:
            await app(scope, receive, recorder)
        finally:
            info = scope["k8s.info"]
            user = scope.get("k8s.authenticated_user")
            impersonated = scope.get("k8s.user")
            event: dict[str, Any] = {
                "kind": "Event",
                "apiVersion": "audit.k8s.io/v1",
                "level": "Metadata",
                "auditID": str(uuid.uuid4()),
                "stage": "ResponseComplete",
                "requestURI": scope["path"]
                + ("?" + scope["query_string"].decode() if scope.get("query_string") else ""),
                "verb": info.verb,
                "user": _user(user),
                "sourceIPs": [scope["client"][0]] if scope.get("client") else [],
                "responseStatus": {"metadata": {}, "code": recorder.code},
                "requestReceivedTimestamp": received,
                "stageTimestamp": _now(),
            }
            if impersonated is not None and impersonated is not user:
                event["impersonatedUser"] = _user(impersonated)
            if info.is_resource_request:
                ref = {
                    "resource": info.resource,
                    "namespace": info.namespace,
                    "name": info.name,
                    "apiGroup": info.api_group,
                    "apiVersion": info.api_version,
                    "subresource": info.subresource,
                }
                event["objectRef"] = {k: v for k, v in ref.items() if v}
            event["annotations"] = {"latency": f"{time.perf_counter() - start:.6f}s"}
            sink.write(orjson.dumps(event) + b"\n")
            sink.flush()

    return handler
