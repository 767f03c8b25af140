"""GET of one object (or of one of its subresources)."""

from __future__ import annotations

from typing import Any

from kube_apiserver.endpoints import encoding, negotiation, responses
from kube_apiserver.endpoints.handlers.common import Binding
from kube_apiserver.endpoints.request import Request


async def get(req: Request, send: Any, binding: Binding, out: negotiation.Output) -> None:
    info = req.info
    if info.subresource:
        sub = binding.subresources[info.subresource]
        item = await sub.get(binding.store, info.namespace, info.name)
        strategy = getattr(sub, "strategy", binding.store.strategy)
    else:
        resource_version = req.param("resourceVersion") if req.has("resourceVersion") else None
        item = await binding.store.get(info.namespace, info.name, resource_version=resource_version)
        strategy = binding.store.strategy
    body = encoding.object_body(item, out, strategy=strategy, query=req.query)
    await responses.send_bytes(send, 200, body, out.media)
