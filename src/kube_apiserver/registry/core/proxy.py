"""The proxies: `pods/proxy`, `services/proxy` and `nodes/proxy` (Kubernetes' ProxyREST and the
ResourceLocation of pods, services and nodes).

The name in the URL may carry a scheme and port (`https:web:8443`). Each proxy finds its
backend as kube-apiserver does — a pod's IP, a ready endpoint of the service that really is
one of its pods, a node's kubelet or another port on the node — with the same errors, then
forwards the request over HTTP/1.1 and relays the answer. A backend that cannot be reached is
a 503 "error trying to reach service: <dial error>", as from kube-apiserver's proxy transport.
Upgrade (streaming) requests are not relayed. HTML answers are passed through as they are
(kube-apiserver rewrites their links to go through the proxy).
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
import ssl
from typing import Any

import h11

from kube_apiserver.apimachinery import errors
from kube_apiserver.registry.connect import ConnectRequest, ConnectResponse
from kube_apiserver.registry.core import kubelet
from kube_apiserver.registry.rest import Obj

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_SCHEMES = ("", "http", "https")
# Headers that belong to one connection, and credentials meant for this server only.
_NOT_FORWARDED = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "host",
    "content-length",
    "authorization",
}
_NOT_RELAYED = {"connection", "keep-alive", "transfer-encoding", "content-length"}
_READ_CHUNK = 65536


def split_scheme_name_port(ident: str) -> tuple[str, str, str] | None:
    """`name`, `name:port` or `scheme:name:port`; None when it is none of those."""
    parts = ident.split(":")
    if len(parts) == 1:
        scheme, name, port = "", parts[0], ""
    elif len(parts) == 2:
        scheme, name, port = "", parts[0], parts[1]
    elif len(parts) == 3:
        scheme, name, port = parts
    else:
        return None
    return (scheme, name, port) if name and scheme in _SCHEMES else None


def is_global_unicast(text: str) -> bool:
    """Go's net.IP.IsGlobalUnicast: not loopback, link-local, multicast, unspecified or broadcast."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    if str(ip) == "255.255.255.255":
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified)


def _target(request: ConnectRequest) -> str:
    path = request.subpath or "/"
    return path + (f"?{request.raw_query}" if request.raw_query else "")


async def forward(location: kubelet.Location, request: ConnectRequest) -> ConnectResponse:
    """Send the request to the backend and relay its answer; 503 when it cannot be reached."""
    if request.is_upgrade:  # a stream: dialled as kube-apiserver would, but not relayed
        failure = await kubelet.dial(location)
        if failure:
            raise kubelet.unknown_error(f"error dialing backend: {failure}")
        raise kubelet.not_streamed(location)
    context = None
    if location.scheme == "https":
        # kube-apiserver's proxy transport does not verify backends' certificates either.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        reader, writer = await kubelet.open_connection(location, tls=context)
    except kubelet.DialError as exc:
        raise errors.StatusError(
            503, "ServiceUnavailable", f"error trying to reach service: {exc}"
        ) from None
    try:
        return await _exchange(reader, writer, location, request)
    except (h11.ProtocolError, OSError) as exc:  # the backend broke off or spoke no HTTP
        raise errors.StatusError(
            503, "ServiceUnavailable", f"error trying to reach service: {exc}"
        ) from None
    finally:
        writer.close()


async def _exchange(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    location: kubelet.Location,
    request: ConnectRequest,
) -> ConnectResponse:
    conn = h11.Connection(h11.CLIENT)
    headers = [(k, v) for k, v in request.headers.items() if k not in _NOT_FORWARDED]
    headers += [("host", location.host_port), ("content-length", str(len(request.body)))]
    headers.append(("connection", "close"))
    writer.write(
        conn.send(h11.Request(method=request.method, target=_target(request), headers=headers))
    )
    if request.body:
        writer.write(conn.send(h11.Data(data=request.body)))
    writer.write(conn.send(h11.EndOfMessage()))
    await writer.drain()
    status, relayed, body = 502, [], bytearray()
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await reader.read(_READ_CHUNK))
            continue
        if isinstance(event, h11.Response):
            status = event.status_code
            relayed = [(k, v) for k, v in event.headers if k.decode().lower() not in _NOT_RELAYED]
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
            break
    relayed.append((b"content-length", str(len(body)).encode()))
    return ConnectResponse(status, bytes(body), None, relayed)


def _redirect_to_root(request: ConnectRequest, path: str) -> ConnectResponse | None:
    """A GET of the proxy root without its slash is sent to the slash (Kubernetes issue 4958)."""
    if request.subpath or request.method not in ("GET", "HEAD"):
        return None
    location = path + "/" + (f"?{request.raw_query}" if request.raw_query else "")
    return ConnectResponse(301, b"", None, [(b"location", location.encode())])


class PodProxyREST:
    methods = METHODS

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    async def connect(
        self, store: Any, namespace: str, ident: str, request: ConnectRequest
    ) -> ConnectResponse:
        parsed = split_scheme_name_port(ident)
        if parsed is None:
            raise errors.bad_request(f'invalid pod request "{ident}"')
        scheme, name, port = parsed
        pod = (await store.get(namespace, name)).obj
        if not port:
            for container in (pod.get("spec") or {}).get("containers") or []:
                if container.get("ports"):
                    port = str(container["ports"][0].get("containerPort", ""))
                    break
        pod_ips = (pod.get("status") or {}).get("podIPs") or []
        pod_ip = pod_ips[0].get("ip", "") if pod_ips else ""
        if not is_global_unicast(pod_ip):
            raise errors.bad_request("address not allowed")
        redirect = _redirect_to_root(request, f"/api/v1/namespaces/{namespace}/pods/{ident}/proxy")
        if redirect is not None:
            return redirect
        scheme = scheme or "http"
        location = kubelet.Location(
            scheme, pod_ip, int(port) if port.isdigit() else _default_port(scheme)
        )
        return await forward(location, request)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _valid_endpoint(address: Obj, namespace: str, pods: Any) -> bool:
    """Only addresses that are one of the namespace's pods, at one of its IPs, are proxied to."""
    ref = address.get("targetRef") or {}
    if not ref or ref.get("namespace") != namespace or pods is None:
        return False
    item = pods.cache.get_cached(pods.key(namespace, ref.get("name", "")))
    if item is None:
        return False
    ips = [p.get("ip") for p in (item.obj.get("status") or {}).get("podIPs") or []]
    return address.get("ip") in ips


class ServiceProxyREST:
    methods = METHODS

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    async def connect(
        self, store: Any, namespace: str, ident: str, request: ConnectRequest
    ) -> ConnectResponse:
        parsed = split_scheme_name_port(ident)
        if parsed is None:
            raise errors.bad_request(f'invalid service request "{ident}"')
        scheme, name, port_name = parsed
        if port_name.lstrip("-").isdigit():
            service = (await store.get(namespace, name)).obj
            wanted = int(port_name)
            for sp in (service.get("spec") or {}).get("ports") or []:
                if sp.get("port") == wanted:
                    port_name = sp.get("name", "")
                    break
            else:
                raise errors.StatusError(
                    503,
                    "ServiceUnavailable",
                    f'no service port {wanted} found for service "{name}"',
                )
        stores = getattr(self.parent, "stores", None) or {}
        endpoints_store = stores.get("endpoints")
        if endpoints_store is None:
            raise errors.not_found("endpoints", "", name)
        endpoints = (await endpoints_store.get(namespace, name)).obj
        subsets = [s for s in endpoints.get("subsets") or [] if isinstance(s, dict)]
        if not subsets:
            raise errors.StatusError(
                503, "ServiceUnavailable", f'no endpoints available for service "{name}"'
            )
        start = random.randrange(len(subsets))
        for i in range(len(subsets)):
            subset = subsets[(start + i) % len(subsets)]
            addresses = subset.get("addresses") or []
            for sp in subset.get("ports") or []:
                if sp.get("name", "") != port_name or not addresses:
                    continue
                for address in random.sample(addresses, len(addresses)):
                    if _valid_endpoint(address, namespace, stores.get("pods")):
                        redirect = _redirect_to_root(
                            request, f"/api/v1/namespaces/{namespace}/services/{ident}/proxy"
                        )
                        if redirect is not None:
                            return redirect
                        location = kubelet.Location(
                            scheme or "http", address["ip"], sp.get("port", 0)
                        )
                        return await forward(location, request)
        raise errors.StatusError(
            503, "ServiceUnavailable", f'no endpoints available for service "{ident}"'
        )


async def _proxyable(host: str) -> None:
    """Nodes are proxied to only at global unicast addresses (kube-apiserver's isProxyableHostname)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise errors.bad_request(f"lookup {host}: no such host") from None
    if not infos:
        raise errors.bad_request("no addresses for hostname")
    if not all(is_global_unicast(str(info[4][0])) for info in infos):
        raise errors.bad_request("address not allowed")


class NodeProxyREST:
    methods = METHODS

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    async def connect(
        self, store: Any, namespace: str, ident: str, request: ConnectRequest
    ) -> ConnectResponse:
        parsed = split_scheme_name_port(ident)
        if parsed is None:
            raise errors.bad_request(f'invalid node request "{ident}"')
        scheme, name, port = parsed
        location = await kubelet.kubelet_location(store, name)
        await _proxyable(location.host)
        if port and port != str(location.port):
            location = kubelet.Location(
                scheme or "http", location.host, int(port) if port.isdigit() else 0
            )
        redirect = _redirect_to_root(request, f"/api/v1/nodes/{ident}/proxy")
        if redirect is not None:
            return redirect
        return await forward(location, request)
