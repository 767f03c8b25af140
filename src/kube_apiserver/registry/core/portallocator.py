"""NodePort allocation for Services, from --service-node-port-range (default 30000-32767).

As Kubernetes' port allocator does: a requested port must lie in the range and be free; a free
port is picked at random, first from the upper part of the range (the lower part, the first
min(max(16, size/32), 128) ports, is kept for ports users ask for), then from the lower part.
Ports of every service type count (node ports and health check node ports); what is taken
comes from the stored services (see reservations.py).
"""

from __future__ import annotations

import random
from typing import Any

from kube_apiserver.registry.core.reservations import Reservations
from kube_apiserver.storage.cacher import Cacher

Obj = dict[str, Any]

DEFAULT_RANGE = "30000-32767"
FULL = "range is full"
ALREADY_ALLOCATED = "provided port is already allocated"


class AllocationError(Exception):
    """A requested port cannot be had (its message is Kubernetes' reason)."""


def parse_port_range(text: str) -> tuple[int, int]:
    """ "30000-32767", "30000+2767" (base and extra ports) or a single port, as Kubernetes reads
    --service-node-port-range; ValueError when it is none of those."""
    text = text.strip()
    if "-" in text:
        low, high = (int(p) for p in text.split("-", 1))
    elif "+" in text:
        base, extra = (int(p) for p in text.split("+", 1))
        low, high = base, base + extra
    else:
        low = high = int(text)
    if not 0 <= low <= high <= 65535:
        raise ValueError(f"invalid port range: {text}")
    return low, high


def _service_ports(service: Obj) -> set[int]:
    spec = service.get("spec") or {}
    ports = {p.get("nodePort") for p in spec.get("ports") or [] if isinstance(p, dict)}
    ports.add(spec.get("healthCheckNodePort"))
    return {p for p in ports if isinstance(p, int) and p}


class NodePortAllocator:
    def __init__(self, port_range: str, cache: Cacher) -> None:
        self.low, self.high = parse_port_range(port_range)
        self.reservations = Reservations(cache, _service_ports)

    def describe(self) -> str:
        return f"{self.low}-{self.high}"

    def allocate(self, write: str, port: int = 0) -> int:
        """Take `port` (any free one when 0) for the write."""
        taken = self.reservations.taken(write)
        if port:
            if not self.low <= port <= self.high:
                raise AllocationError(
                    "provided port is not in the valid range. The range of valid ports is "
                    + self.describe()
                )
            if port in taken:
                raise AllocationError(ALREADY_ALLOCATED)
            self.reservations.hold(write, port)
            return port
        size = self.high - self.low + 1
        offset = 0 if size <= 16 else min(max(16, size // 32), 128)
        split = self.low + offset
        for low, high in ((split, self.high), (self.low, split - 1)):
            free = [p for p in range(low, high + 1) if p not in taken] if high >= low else []
            if free:
                chosen = random.choice(free)
                self.reservations.hold(write, chosen)
                return chosen
        raise AllocationError(FULL)
