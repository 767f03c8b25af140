"""The host's own address on its default route, as Kubernetes' ChooseHostInterface finds it.

kube-apiserver advertises itself (in the `kubernetes` Service's Endpoints) on this address when
no --advertise-address is given and it is bound to a loopback or unspecified address. The
default route is read from the kernel's routing tables (/proc/net/route, /proc/net/ipv6_route);
the address is the one the kernel would send from towards that route's gateway, found by
connecting a UDP socket (which sends nothing).
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from pathlib import Path

IPV4_ROUTES = Path("/proc/net/route")
IPV6_ROUTES = Path("/proc/net/ipv6_route")
_RTF_UP_GATEWAY = 0x3
_DISCARD_PORT = 9


def _ipv4_gateway(table: str) -> tuple[str, str] | None:
    """(gateway, interface) of the IPv4 default route."""
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[1] != "00000000":
            continue
        if int(fields[3], 16) & _RTF_UP_GATEWAY == _RTF_UP_GATEWAY:
            return socket.inet_ntoa(struct.pack("<I", int(fields[2], 16))), fields[0]
    return None


def _ipv6_gateway(table: str) -> tuple[str, str] | None:
    """(next hop, interface) of the IPv6 default route."""
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 10 or fields[0] != "0" * 32 or fields[1] != "00":
            continue
        if int(fields[4], 16):
            return str(ipaddress.IPv6Address(bytes.fromhex(fields[4]))), fields[9]
    return None


def _source_address(gateway: str, interface: str, version: int) -> str | None:
    family = socket.AF_INET if version == 4 else socket.AF_INET6
    target: tuple = (gateway, _DISCARD_PORT)
    if version == 6:
        # A link-local next hop is only reachable through its interface.
        target = (gateway, _DISCARD_PORT, 0, socket.if_nametoindex(interface))
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(target)
            address = ipaddress.ip_address(probe.getsockname()[0].split("%")[0])
    except OSError:
        return None
    # Go's IsGlobalUnicast: anything but loopback, link-local, multicast and unspecified.
    if address.is_loopback or address.is_link_local or address.is_multicast:
        return None
    return None if address.is_unspecified else str(address)


def default_route_address(version: int = 4) -> str | None:
    """This host's address of the given IP family on its default route, or None without one."""
    routes, find = (IPV4_ROUTES, _ipv4_gateway) if version == 4 else (IPV6_ROUTES, _ipv6_gateway)
    try:
        found = find(routes.read_text())
    except OSError:
        return None
    return _source_address(*found, version) if found else None


def resolve_bind_address(bind_address: str) -> str | None:
    """Kubernetes' ResolveBindAddress: a loopback or unspecified bind address stands for the
    host's default-route address of the same family (None when there is none); any other
    address is itself."""
    ip = ipaddress.ip_address(bind_address)
    if ip.is_loopback or ip.is_unspecified:
        return default_route_address(ip.version)
    return bind_address
