"""Routes resource requests to verb handlers: the API groups and resources a server serves.

`APIInstaller` holds one `Binding` per (group, version, resource). A request whose
RequestInfo names a resource is dispatched by verb; a verb the resource does not have is
405 MethodNotAllowed, an unknown resource or subresource 404.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from kube_apiserver.apimachinery import errors, warning
from kube_apiserver.endpoints import negotiation
from kube_apiserver.endpoints.handlers import (
    connect,
    create,
    delete,
    get,
    list,
    patch,
    update,
    watch,
)
from kube_apiserver.endpoints.handlers.common import Binding
from kube_apiserver.endpoints.request import Request
from kube_apiserver.storage.interface import StorageUnavailableError

log = logging.getLogger(__name__)

Handler = Callable[[Request, Any, Binding, negotiation.Output], Awaitable[None]]

VERB_HANDLERS: dict[str, Handler] = {
    "get": get.get,
    "list": list.list_,
    "watch": watch.watch,
    "create": create.create,
    "update": update.update,
    "patch": patch.patch,
    "delete": delete.delete,
    "deletecollection": delete.delete_collection,
}
_METHOD_OF = {
    "create": "POST",
    "update": "PUT",
    "patch": "PATCH",
    "delete": "DELETE",
    "deletecollection": "DELETE",
}


class APIInstaller:
    def __init__(self, *, min_request_timeout: int = watch.MIN_REQUEST_TIMEOUT_SECONDS) -> None:
        self.bindings: dict[tuple[str, str, str], Binding] = {}
        self.handlers = {
            **VERB_HANDLERS,
            "watch": functools.partial(watch.watch, min_request_timeout=min_request_timeout),
        }

    def install(self, binding: Binding) -> None:
        res = binding.resource
        self.bindings[(res.group, res.version, res.name)] = binding

    def lookup(self, group: str, version: str, resource: str) -> Binding | None:
        return self.bindings.get((group, version, resource))

    async def serve(self, req: Request, send: Any) -> bool:
        """Serve a resource request; False when no installed resource matches."""
        info = req.info
        binding = self.lookup(info.api_group, info.api_version, info.resource)
        if binding is None:
            return False
        res = binding.resource
        send = _with_warnings(send, warning.record())
        if res.deprecation:
            warning.add(res.deprecation)
        verb = info.verb
        if info.namespace and not res.namespaced and res.name != "namespaces":
            return False
        if res.namespaced and not info.namespace and verb not in ("list", "watch"):
            if info.name:
                return False
            raise errors.method_not_allowed(req.method, res.name, res.group)
        # A create names no object; update, patch and a named get or delete need one.
        if (verb == "create" and info.name and not info.subresource) or (
            verb in ("update", "patch") and not info.name
        ):
            raise errors.method_not_allowed(req.method, res.name, res.group)
        if info.subresource:
            sub = binding.subresources.get(info.subresource)
            if sub is None or not info.name:
                return False
            if hasattr(sub, "connect"):  # log, exec, proxy, ...: it answers by itself
                await connect.connect(req, send, binding, sub)
                return True
            allowed = sub.verbs
        else:
            allowed = res.verbs
        if verb not in allowed or verb not in self.handlers:
            method = _METHOD_OF.get(verb, req.method)
            raise errors.method_not_allowed(method, res.name, res.group)
        # Watches are JSON lines whatever else the client would accept.
        out = negotiation.negotiate(req.headers.get("accept"))
        try:
            await self.handlers[verb](req, send, binding, out)
        except StorageUnavailableError as exc:
            log.warning("%s %s: storage unavailable: %s", verb, res.name, exc)
            raise errors.server_timeout(res.name, res.group, verb) from None
        return True


def _with_warnings(send: Any, warnings: list[str]) -> Any:
    """`send` adding the request's warnings as Warning headers to the response it starts
    (a deprecated kind, a strategy's warnings about the object)."""

    async def sending(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and warnings:
            headers = [*message.get("headers", ()), *(warning.header(w) for w in warnings)]
            message = {**message, "headers": headers}
        await send(message)

    return sending
