"""The ceiling server for bench/run.py: the least an HTTPS server on this machine can do.

One process, uvloop + httptools, with the same TLS set-up as kube_apiserver.server.serve (the
server's certificate and key, TLS >= 1.2, client certificates requested and verified against the
same CA with CERT_OPTIONAL, the "TLSv1" cipher string uvicorn sets by default, the verified peer
certificate read once per connection). It does no work beyond that:

  GET <url>               replies with canned bytes: exactly the raw response (status line, headers,
                          body) our server sent for that URL, captured by run.py
  GET <url with watch=1>  replies with chunked-response headers and holds the connection
  POST /push              replies 200, then writes the request body as one chunk to every held
                          watch connection (respond first, then fan out: the order our server uses)

  python bare.py '<json spec>'   prints "READY <port>" once listening; exits on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import json
import signal
import ssl
import sys

import httptools
import uvloop

WATCH_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncache-control: no-cache, private\r\n"
    b"transfer-encoding: chunked\r\n\r\n"
)
PUSH_OK = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"


def server_context(spec: dict) -> ssl.SSLContext:
    """Mirrors uvicorn.Config(ssl_*) + serve.make_config in kube_apiserver."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(spec["cert"], spec["key"])
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.load_verify_locations(spec["ca"])
    ctx.set_ciphers("TLSv1")
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


class Bare(asyncio.Protocol):
    canned: dict[bytes, bytes] = {}
    watchers: set[asyncio.Transport] = set()

    def __init__(self) -> None:
        self.parser = httptools.HttpRequestParser(self)
        self.url = b""
        self.body: list[bytes] = []
        self.transport = None
        self.peer = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        ssl_object = transport.get_extra_info("ssl_object")
        if ssl_object is not None:
            self.peer = ssl_object.getpeercert()

    def connection_lost(self, exc) -> None:
        Bare.watchers.discard(self.transport)

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.transport.close()

    def on_message_begin(self) -> None:
        self.url = b""
        self.body = []

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        url = self.url
        if self.parser.get_method() == b"POST" and url == b"/push":
            frame = b"".join(self.body)
            self.transport.write(PUSH_OK)
            chunk = b"%x\r\n%s\r\n" % (len(frame), frame)
            for t in tuple(Bare.watchers):
                t.write(chunk)
            return
        if b"watch=1" in url or b"watch=true" in url:
            self.transport.write(WATCH_HEAD)
            Bare.watchers.add(self.transport)
            return
        self.transport.write(Bare.canned.get(url, NOT_FOUND))


async def main(spec: dict) -> None:
    canned = {}
    for url, path in spec["canned"].items():
        with open(path, "rb") as f:
            canned[url.encode()] = f.read()
    Bare.canned = canned
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        Bare, "127.0.0.1", int(spec["port"]), ssl=server_context(spec), backlog=2048
    )
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"READY {port}\n")
    sys.stdout.flush()
    try:
        await asyncio.wait_for(stop, float(spec.get("max_lifetime_s", 600)))
    except TimeoutError:
        pass
    for t in tuple(Bare.watchers):
        t.abort()
    server.close()


if __name__ == "__main__":
    try:
        uvloop.run(main(json.loads(sys.argv[1])))
    except KeyboardInterrupt:
        sys.exit(130)
