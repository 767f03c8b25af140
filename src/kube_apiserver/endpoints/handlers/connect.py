"""Connect: a subresource that answers the request itself (pod log, exec, attach,
port-forward, and the pod, service and node proxies; see registry/connect.py)."""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.endpoints.handlers.common import Binding
from kube_apiserver.endpoints.request import Request
from kube_apiserver.registry.connect import ConnectRequest

_WITH_BODY = ("POST", "PUT", "PATCH")


def _subpath(req: Request) -> str:
    """What follows `<resource>/<name>/<subresource>` in the path, trailing slash kept."""
    info = req.info
    marker = f"/{info.resource}/{info.name}/{info.subresource}"
    at = req.path.find(marker)
    return req.path[at + len(marker) :] if at >= 0 else ""


async def connect(req: Request, send: Any, binding: Binding, sub: Any) -> None:
    res = binding.resource
    if req.method not in sub.methods:
        raise errors.method_not_allowed(req.method, res.name, res.group)
    # A log is read (Kubernetes serves it as a get); the streams and proxies are connects.
    if "dryRun" in req.query and not getattr(sub, "read_only", False):
        raise errors.bad_request("dryRun is not supported")
    request = ConnectRequest(
        method=req.method,
        subpath=_subpath(req),
        query=req.query,
        headers=req.headers,
        body=await req.body() if req.method in _WITH_BODY else b"",
        raw_query=req.scope.get("query_string", b"").decode("latin-1"),
    )
    answer = await sub.connect(binding.store, req.info.namespace, req.info.name, request)
    headers = list(answer.headers)
    if answer.content_type is not None:
        headers.insert(0, (b"content-type", answer.content_type.encode()))
        headers.append((b"content-length", str(len(answer.body)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
