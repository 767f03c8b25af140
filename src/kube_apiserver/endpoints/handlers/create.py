"""POST: create an object in a collection."""

from __future__ import annotations

from typing import Any

from kube_apiserver.endpoints import encoding, negotiation, responses
from kube_apiserver.endpoints.handlers.common import Binding, dry_run, read_object, warning_headers
from kube_apiserver.endpoints.request import Request


async def create(req: Request, send: Any, binding: Binding, out: negotiation.Output) -> None:
    res = binding.resource
    warnings: list[str] = []
    is_dry_run = dry_run(req)
    if req.info.subresource:  # pods/binding, pods/eviction: a named create answering a Status
        sub = binding.subresources[req.info.subresource]
        obj = await read_object(
            req, group=sub.group, version=sub.version, kind=sub.kind, warnings=warnings
        )
        status = await sub.create(
            binding.store, req.info.namespace, req.info.name, obj, user=req.user, dry_run=is_dry_run
        )
        body = encoding.object_body(status, out, strategy=None, query=req.query)
        return await responses.send_bytes(send, 201, body, out.media, warning_headers(warnings))
    obj = await read_object(
        req, group=res.group, version=res.version, kind=res.kind, warnings=warnings
    )
    created = await binding.store.create(req.info.namespace, obj, user=req.user, dry_run=is_dry_run)
    body = encoding.object_body(created, out, strategy=binding.store.strategy, query=req.query)
    await responses.send_bytes(send, 201, body, out.media, warning_headers(warnings))
