"""The innermost handler: non-resource endpoints, discovery, OpenAPI, then resources.

It plays the part of kube-apiserver's server chain (aggregator → kube API → extensions →
not found) for the groups built in so far: anything nobody serves is 404 NotFound.
"""

from __future__ import annotations

from typing import Any

import orjson

from kube_apiserver import version
from kube_apiserver.apimachinery import errors
from kube_apiserver.endpoints import negotiation, responses
from kube_apiserver.endpoints.installer import APIInstaller
from kube_apiserver.endpoints.request import Request
from kube_apiserver.openapi import v2 as openapi_v2
from kube_apiserver.openapi.service import OpenAPIService
from kube_apiserver.server.discovery import Discovery
from kube_apiserver.server.healthz import HealthEndpoint
from kube_apiserver.server.metrics import Metrics

TEXT = "text/plain; charset=utf-8"


class APIServer:
    def __init__(
        self,
        *,
        installer: APIInstaller,
        discovery: Discovery,
        openapi: OpenAPIService,
        health: list[HealthEndpoint],
        metrics: Metrics,
        documents: dict[str, tuple[bytes, str]] | None = None,
    ) -> None:
        # Fixed documents by path, with their content types (the service account issuer's
        # discovery documents), which clients may cache for an hour, as kube-apiserver allows.
        self.documents = documents or {}
        self.installer = installer
        self.discovery = discovery
        self.openapi = openapi
        self.health = {h.name: h for h in health}
        self.metrics = metrics
        self._version = orjson.dumps(version.info(), option=orjson.OPT_INDENT_2)
        paths = sorted(
            {
                "/api",
                "/api/v1",
                "/apis",
                "/healthz",
                "/livez",
                "/readyz",
                "/metrics",
                "/version",
                "/openapi/v2",
                "/openapi/v3",
                "/openapi/v3/",
            }
            | {f"/apis/{g}" for g in discovery.groups if g}
            | {f"/apis/{r.group}/{r.version}" for r in installer_resources(installer) if r.group}
            | {f"/healthz/{c.name}" for h in health for c in h.checks if h.name == "healthz"}
            | set(self.documents)
        )
        self._root = orjson.dumps({"paths": paths}, option=orjson.OPT_INDENT_2)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        req = Request(scope, receive)
        try:
            await self._serve(req, send)
        except errors.StatusError as exc:
            # Written here, inside the filters, so metrics and audit see the real code; in YAML
            # when the client asked for YAML.
            if "yaml" in req.headers.get("accept", ""):
                return await responses.send_bytes(
                    send,
                    exc.code,
                    negotiation.encode(exc.status(), negotiation.YAML),
                    negotiation.YAML,
                )
            await responses.send_error(send, exc)
        except errors.PlainNotFound:
            await responses.send_bytes(send, 404, b"404 page not found\n", TEXT)

    async def _serve(self, req: Request, send: Any) -> None:
        info = req.info
        if info.is_resource_request:
            if await self.installer.serve(req, send):
                return
            if info.api_version in self.discovery.groups.get(info.api_group, {}):
                raise errors.not_found_path()  # a served group-version without that resource
            raise errors.PlainNotFound()
        if req.method not in ("GET", "HEAD"):
            raise errors.PlainNotFound()
        await self._non_resource(req, send)

    async def _non_resource(self, req: Request, send: Any) -> None:
        path = req.path.rstrip("/") or "/"
        head, _, sub = path.lstrip("/").partition("/")
        if path == "/":
            return await responses.send_bytes(send, 200, self._root)
        if path in self.documents:
            body, content_type = self.documents[path]
            return await responses.send_bytes(
                send, 200, body, content_type, [(b"cache-control", b"public, max-age=3600")]
            )
        if path == "/version":
            return await responses.send_bytes(send, 200, self._version)
        if head in self.health:
            answer = await self.health[head].answer(sub, req.query)
            if answer is not None:
                return await responses.send_bytes(send, answer[0], answer[1].encode(), TEXT)
        if path == "/metrics":
            return await responses.send_bytes(
                send, 200, self.metrics.render(), "text/plain; version=0.0.4; charset=utf-8"
            )
        if head == "openapi":
            return await self._openapi(req, send, sub)
        if head in ("api", "apis"):
            accept = req.headers.get("accept", "")
            aggregated = self.discovery.aggregated(path, accept)
            if aggregated is not None:
                body, content_type = aggregated
                return await responses.send_bytes(
                    send, 200, body, content_type, [(b"vary", b"Accept")]
                )
            doc = self.discovery.document(path)
            if doc is not None:
                return await responses.send_bytes(
                    send, 200, doc, "application/json", [(b"vary", b"Accept")]
                )
        raise errors.PlainNotFound()

    async def _openapi(self, req: Request, send: Any, sub: str) -> None:
        if sub == "v2":
            # client-go asks for the protobuf form and cannot read JSON there.
            protobuf = openapi_v2.PROTOBUF_MEDIA_TYPE in req.headers.get("accept", "")
            body, etag = self.openapi.v2_document(protobuf=protobuf)
            content_type = openapi_v2.PROTOBUF_CONTENT_TYPE if protobuf else "application/json"
            return await responses.send_bytes(
                send,
                200,
                body,
                content_type,
                [(b"etag", f'"{etag}"'.encode()), (b"vary", b"Accept")],
            )
        if sub == "v3":
            return await responses.send_bytes(send, 200, self.openapi.v3_index())
        if sub.startswith("v3/"):
            key = sub[3:]
            found = self.openapi.v3_document(key)
            if found is not None:
                body, etag = found
                wanted = req.param("hash")
                if wanted and wanted != etag:
                    location = f"/openapi/v3/{key}?hash={etag}".encode()
                    return await responses.send_bytes(
                        send, 301, b"", "text/plain", [(b"location", location)]
                    )
                headers = [(b"etag", f'"{etag}"'.encode()), (b"vary", b"Accept")]
                if wanted:
                    headers.append((b"cache-control", b"public, immutable"))
                return await responses.send_bytes(send, 200, body, "application/json", headers)
        raise errors.PlainNotFound()


def installer_resources(installer: APIInstaller) -> list[Any]:
    return [b.resource for b in installer.bindings.values()]


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
