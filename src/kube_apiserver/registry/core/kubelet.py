"""Reaching a node's kubelet, as kube-apiserver's kubelet client does: which address and port
(`NodeConnectionInfoGetter`), and the dial, with Go's wording of what went wrong.

This server carries no kubelet protocol: a pod's log, exec, attach and port-forward, and the
node proxy, go as far as kube-apiserver would before the kubelet answers — the node is
looked up, its preferred address chosen and a TCP connection attempted — and report the
failure there as Kubernetes does ("dial tcp 10.0.0.5:10250: connect: connection refused").
When a kubelet does accept the connection, the answer says that this server relays no
streams.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import os
import socket
import ssl
from dataclasses import dataclass
from typing import Any

from kube_apiserver.apimachinery import errors

# kube-apiserver's --kubelet-preferred-address-types default, and the kubelet's port.
PREFERRED_ADDRESS_TYPES = ("Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP")
DEFAULT_KUBELET_PORT = 10250
DIAL_TIMEOUT_SECONDS = 30.0  # Go's default dialer, which the kubelet transport uses


@dataclass(frozen=True)
class Location:
    scheme: str
    host: str
    port: int

    @property
    def host_port(self) -> str:
        """net.JoinHostPort: IPv6 literals in brackets."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def url(self, path: str, query: str = "") -> str:
        return f"{self.scheme}://{self.host_port}{path}" + (f"?{query}" if query else "")


def unknown_error(message: str, code: int = 500) -> errors.StatusError:
    """What kube-apiserver answers for an error that is not an API status: the code, the
    error's text, and no reason (StatusReasonUnknown)."""
    return errors.StatusError(code, "", message)


def preferred_address(node: dict[str, Any]) -> str:
    addresses = [
        a for a in (node.get("status") or {}).get("addresses") or [] if isinstance(a, dict)
    ]
    for kind in PREFERRED_ADDRESS_TYPES:
        for address in addresses:
            if address.get("type") == kind:
                return str(address.get("address", ""))
    known = " ".join(f"{{{a.get('type', '')} {a.get('address', '')}}}" for a in addresses)
    raise unknown_error(f"no preferred addresses found; known addresses: [{known}]")


async def kubelet_location(nodes: Any, node_name: str) -> Location:
    """The kubelet of `node_name`, read from the nodes store (404 when there is no such node)."""
    node = (await nodes.get("", node_name)).obj
    port = (
        ((node.get("status") or {}).get("daemonEndpoints") or {}).get("kubeletEndpoint") or {}
    ).get("Port")
    if not isinstance(port, int) or port <= 0:
        port = DEFAULT_KUBELET_PORT
    return Location("https", preferred_address(node), port)


def _go_errno(err: OSError) -> str:
    """Go prints syscall errors in lower case: "connection refused", "no route to host"."""
    text = os.strerror(err.errno) if err.errno else str(err)
    return text[:1].lower() + text[1:]


class DialError(Exception):
    """A connection that could not be made, worded as Go's dialer words it."""


async def open_connection(
    location: Location, *, tls: ssl.SSLContext | None = None, timeout: float = DIAL_TIMEOUT_SECONDS
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    try:
        ipaddress.ip_address(location.host)
    except ValueError:
        try:
            await asyncio.get_running_loop().getaddrinfo(location.host, location.port)
        except socket.gaierror:
            raise DialError(f"dial tcp: lookup {location.host}: no such host") from None
    try:
        async with asyncio.timeout(timeout):
            return await asyncio.open_connection(location.host, location.port, ssl=tls)
    except TimeoutError:
        raise DialError(f"dial tcp {location.host_port}: i/o timeout") from None
    except ssl.SSLError as err:
        raise DialError(f"{location.host_port}: {err}") from None
    except OSError as err:
        if err.errno == errno.ETIMEDOUT:
            raise DialError(f"dial tcp {location.host_port}: i/o timeout") from None
        raise DialError(f"dial tcp {location.host_port}: connect: {_go_errno(err)}") from None


async def dial(location: Location) -> str | None:
    """Open (and close) a TCP connection to `location`: None when it connects, else the error."""
    try:
        _, writer = await open_connection(location)
    except DialError as err:
        return str(err)
    writer.close()
    return None


def not_streamed(location: Location) -> errors.StatusError:
    """The backend is there, but this server relays no streams (SPDY or WebSocket) to it."""
    return errors.StatusError(
        503,
        "ServiceUnavailable",
        f"{location.host_port} accepted the connection, but this server does not relay streams",
    )
