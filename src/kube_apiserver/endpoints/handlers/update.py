"""PUT: replace an object (or its status / scale)."""

from __future__ import annotations

from typing import Any

from kube_apiserver.endpoints import encoding, negotiation, responses
from kube_apiserver.endpoints.handlers.common import Binding, dry_run, read_object, warning_headers
from kube_apiserver.endpoints.request import Request


async def update(req: Request, send: Any, binding: Binding, out: negotiation.Output) -> None:
    info = req.info
    warnings: list[str] = []
    is_dry_run = dry_run(req)
    sub = binding.subresources.get(info.subresource) if info.subresource else None
    group, version, kind = (
        (sub.group, sub.version, sub.kind)
        if sub
        else (binding.resource.group, binding.resource.version, binding.resource.kind)
    )
    obj = await read_object(req, group=group, version=version, kind=kind, warnings=warnings)

    async def replace(_current: dict) -> dict:
        return obj

    if sub is not None:
        result, created = (
            await sub.update(
                binding.store, info.namespace, info.name, replace, user=req.user, dry_run=is_dry_run
            ),
            False,
        )
        strategy = getattr(sub, "strategy", binding.store.strategy)
    else:
        result, created = await binding.store.update(
            info.namespace, info.name, replace, user=req.user, dry_run=is_dry_run
        )
        strategy = binding.store.strategy
    body = encoding.object_body(result, out, strategy=strategy, query=req.query)
    await responses.send_bytes(
        send, 201 if created else 200, body, out.media, warning_headers(warnings)
    )
