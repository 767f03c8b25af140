"""ClusterIP allocation for Services, from --service-cluster-ip-range (one CIDR, or one of each
IP family for a dual-stack cluster; the first is the cluster's primary family).

As Kubernetes' IP allocator does: the network address (and, for IPv4, the broadcast address)
is never handed out; a requested address must lie in the family's range and be free; a free
address is picked at random, first from the upper part of the range (the lower part, the
first min(max(16, size/16), 256) addresses, is kept for addresses users ask for), then from
the lower part. The `kubernetes` service takes the first address. What is taken comes from
the stored services (see reservations.py) and from IPAddress objects.
"""

from __future__ import annotations

import ipaddress
import random
from typing import Any

from kube_apiserver.registry.core.reservations import Reservations
from kube_apiserver.storage.cacher import Cacher

Obj = dict[str, Any]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FULL = "range is full"
ALREADY_ALLOCATED = "provided IP is already allocated"
MISMATCHED_NETWORK = "the provided network does not match the current range"


class AllocationError(Exception):
    """A requested address cannot be had (its message is Kubernetes' reason)."""


def family_of(address: str) -> str:
    return "IPv6" if ipaddress.ip_address(address).version == 6 else "IPv4"


def parse_ranges(cidrs: str) -> dict[str, Network]:
    """--service-cluster-ip-range as {family: network}, primary family first."""
    out: dict[str, Network] = {}
    for cidr in cidrs.split(","):
        network = ipaddress.ip_network(cidr.strip(), strict=False)
        out["IPv6" if network.version == 6 else "IPv4"] = network
    return out


def _range_offset(network: Network) -> int:
    size = network.num_addresses
    if size <= 16:
        return 0
    return min(max(16, size // 16), 256)


def canonical(address: str) -> str:
    """An address as Go prints it, so that "fd00::0005" and "fd00::5" are one address."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address


def _service_ips(service: Obj) -> set[str]:
    spec = service.get("spec") or {}
    ips = [ip for ip in spec.get("clusterIPs") or [] if isinstance(ip, str)]
    if isinstance(spec.get("clusterIP"), str):
        ips.append(spec["clusterIP"])
    return {canonical(ip) for ip in ips if ip and ip != "None"}


class ClusterIPAllocator:
    def __init__(self, cidrs: str, cache: Cacher) -> None:
        self.networks = parse_ranges(cidrs)
        self.families = list(self.networks)
        self.reservations = Reservations(cache, _service_ips)
        self.addresses: Any = None  # the IPAddress store, when networking.k8s.io is served

    def _reserved_by_ip_addresses(self, write: str) -> set[str]:
        """Addresses held by IPAddress objects (which users may create to keep an address
        from services), except those of the service being written."""
        if self.addresses is None:
            return set()
        namespace, _, name = write.partition("/")
        out = set()
        for item in self.addresses.cache.snapshot(self.addresses.prefix("")):
            ref = (item.obj.get("spec") or {}).get("parentRef") or {}
            mine = ref.get("resource") == "services" and (
                ref.get("namespace"),
                ref.get("name"),
            ) == (
                namespace,
                name,
            )
            if not mine:
                out.add(canonical((item.obj.get("metadata") or {}).get("name", "")))
        return out

    def _bounds(self, network: Network) -> tuple[int, int]:
        first = int(network.network_address) + 1
        last = int(network.broadcast_address) - (1 if network.version == 4 else 0)
        return first, last

    def contains(self, family: str, address: str) -> bool:
        network = self.networks.get(family)
        if network is None:
            return False
        ip = ipaddress.ip_address(address)
        first, last = self._bounds(network)
        return ip.version == network.version and first <= int(ip) <= last

    def allocate(self, write: str, family: str, address: str) -> str:
        """Take `address` (any free one when empty) of `family` for the write."""
        network = self.networks[family]
        taken = self.reservations.taken(write) | self._reserved_by_ip_addresses(write)
        if address:
            if not self.contains(family, address):
                raise AllocationError(MISMATCHED_NETWORK)
            if canonical(address) in taken:
                raise AllocationError(ALREADY_ALLOCATED)
            self.reservations.hold(write, canonical(address))
            return address
        first, last = self._bounds(network)
        offset = first + _range_offset(network)
        for low, high in ((offset, last), (first, offset - 1)):
            chosen = _free_in(network, low, high, taken)
            if chosen is not None:
                self.reservations.hold(write, chosen)
                return chosen
        raise AllocationError(FULL)


def _free_in(network: Network, low: int, high: int, taken: set[str]) -> str | None:
    """A free address of [low, high], starting the scan at a random point."""
    if high < low:
        return None
    size = high - low + 1
    start = random.randrange(size)
    make = ipaddress.IPv4Address if network.version == 4 else ipaddress.IPv6Address
    for step in range(min(size, len(taken) + 1)):
        candidate = str(make(low + (start + step) % size))
        if candidate not in taken:
            return candidate
    return None
