"""Secure serving: HTTPS (TLS 1.2+) with uvicorn on uvloop + httptools.

Clients authenticate with client certificates and with tokens on the same port, so the TLS
context asks for a certificate without requiring one (CERT_OPTIONAL) and the verified peer
certificate is handed to the application in the ASGI scope
(`scope["extensions"]["tls"]["client_cert"]`), which uvicorn does not do by itself: a small
subclass of its protocol adds it, once per connection.

Python's TLS cannot ask for a certificate without verifying it, so the context trusts every CA
a client certificate may come from: the client CA and the request-header (front proxy) CA. Which
of them issued a certificate is for the authenticators to check (`authentication/x509.py`).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger(__name__)


class _CoalescingTransport:
    """Holds a response's header block until its first body write and sends both at once:
    one TLS record and one send instead of two."""

    __slots__ = ("_transport", "_pending")

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._pending = b""

    def write(self, data: bytes) -> None:
        if not self._pending and data.startswith(b"HTTP/1.1 ") and data.endswith(b"\r\n\r\n"):
            self._pending = data
            return
        if self._pending:
            data, self._pending = self._pending + data, b""
        self._transport.write(data)

    def close(self) -> None:
        if self._pending:
            self._transport.write(self._pending)
            self._pending = b""
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class TLSClientCertProtocol(HttpToolsProtocol):
    _tls: dict[str, Any] | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = _CoalescingTransport(transport)  # type: ignore[assignment]
        ssl_object = transport.get_extra_info("ssl_object")
        cert = ssl_object.getpeercert() if ssl_object is not None else None
        if cert:
            self._tls = {
                "client_cert": cert,
                "client_cert_der": ssl_object.getpeercert(binary_form=True),
            }

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._tls is not None:
            self.scope["extensions"] = {"tls": self._tls}  # type: ignore[typeddict-unknown-key]


def make_config(
    app: Any,
    *,
    host: str,
    port: int,
    cert_file: Path,
    key_file: Path,
    client_ca_file: Path | None,
    requestheader_client_ca_file: Path | None = None,
) -> uvicorn.Config:
    trusted = [path for path in (client_ca_file, requestheader_client_ca_file) if path]
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        ssl_certfile=str(cert_file),
        ssl_keyfile=str(key_file),
        ssl_ca_certs=str(trusted[0]) if trusted else None,
        ssl_cert_reqs=ssl.CERT_OPTIONAL if trusted else ssl.CERT_NONE,
        http=TLSClientCertProtocol,
        loop="uvloop",
        lifespan="on",
        log_level="warning",
        access_log=False,
        timeout_keep_alive=120,
        timeout_graceful_shutdown=3,  # idle keep-alive and watch connections must not hold up exit
        server_header=False,
        date_header=True,
    )
    config.load()
    assert config.ssl is not None
    config.ssl.minimum_version = ssl.TLSVersion.TLSv1_2
    for path in trusted[1:]:
        config.ssl.load_verify_locations(cafile=str(path))
    return config


async def serve(config: uvicorn.Config) -> None:
    """Serve until SIGINT or SIGTERM, then shut down gracefully (uvicorn handles the signals)."""
    await uvicorn.Server(config).serve()
