"""Connect subresources: the ones that answer a request themselves rather than read or write an
object — a pod's log, exec, attach and port-forward streams from its kubelet, and the proxies
to pods, services and nodes (Kubernetes' rest.Connecter and its log streamer).

The endpoint layer hands such a subresource a `ConnectRequest` and writes back the
`ConnectResponse` it returns, or the Status error it raises; the subresource never sees HTTP
machinery beyond these two plain records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from kube_apiserver.apimachinery import errors


@dataclass(frozen=True)
class ConnectRequest:
    method: str  # GET, POST, ...
    subpath: str  # what follows /<subresource> in the URL ("/healthz" for a proxy), else ""
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    raw_query: str = ""  # the query string as sent, for backends a proxy forwards to

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    @property
    def is_upgrade(self) -> bool:
        """Whether the client asks to switch protocols (SPDY or WebSocket streams)."""
        tokens = self.headers.get("connection", "").lower().replace(" ", "").split(",")
        return "upgrade" in tokens


@dataclass(frozen=True)
class ConnectResponse:
    status: int
    body: bytes = b""
    content_type: str | None = None  # none for an empty answer (204 No Content)
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


class Connecter(Protocol):
    methods: tuple[str, ...]  # the HTTP methods it answers; any other is 405

    async def connect(
        self, store: Any, namespace: str, name: str, request: ConnectRequest
    ) -> ConnectResponse: ...


def int_option(request: ConnectRequest, name: str) -> int | None:
    """An integer query option, refused as kube-apiserver's parameter decoding does."""
    raw = request.param(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise errors.bad_request(f'strconv.ParseInt: parsing "{raw}": invalid syntax') from None


def bool_option(request: ConnectRequest, name: str) -> bool:
    """A boolean query option: absent, "0" and "false" are false, anything else true."""
    raw = request.param(name)
    return raw is not None and raw.lower() not in ("0", "false")
