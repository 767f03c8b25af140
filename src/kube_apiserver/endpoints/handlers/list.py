"""LIST of a collection, in one namespace or across all of them."""

from __future__ import annotations

from typing import Any

from kube_apiserver.endpoints import encoding, negotiation, responses
from kube_apiserver.endpoints.handlers.common import Binding, list_options
from kube_apiserver.endpoints.request import Request


async def list_(req: Request, send: Any, binding: Binding, out: negotiation.Output) -> None:
    store = binding.store
    page = await store.list(req.info.namespace, list_options(req))
    body = encoding.list_body(
        binding.resource,
        page.items,
        page.resource_version,
        page.continue_token,
        out,
        strategy=store.strategy,
        query=req.query,
        remaining=page.remaining,
    )
    await responses.send_bytes(send, 200, body, out.media)
