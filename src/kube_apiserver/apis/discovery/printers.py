"""Table printers for discovery.k8s.io/v1: the columns `kubectl get endpointslices` shows.

PORTS and ENDPOINTS list at most three entries and then count the rest; an empty list reads
"<unset>". Kubernetes describes the columns with the discovery/v1beta1 field docs, which this
server's schema data does not carry, so that text is written out here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.meta.table import (
    Column,
    TableDef,
    age,
    age_column,
    name_column,
    object_name,
)

_MAX_SHOWN = 3
_DOCS = {
    "addressType": (
        "addressType specifies the type of address carried by this EndpointSlice. All "
        "addresses in this slice must be the same type. This field is immutable after "
        "creation. The following address types are currently supported: * IPv4: Represents an "
        "IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified "
        "Domain Name."
    ),
    "ports": (
        "ports specifies the list of network ports exposed by each endpoint in this slice. Each "
        "port must have a unique name. When ports is empty, it indicates that there are no "
        'defined ports. When a port is defined with a nil port value, it indicates "all ports". '
        "Each slice may include a maximum of 100 ports."
    ),
    "endpoints": (
        "endpoints is a list of unique endpoints in this slice. Each slice may include a "
        "maximum of 1000 endpoints."
    ),
}


def listed(items: list[str]) -> str:
    """Kubernetes' listWithMoreString over a whole list: three shown, the rest counted."""
    text = ",".join(items[:_MAX_SHOWN])
    if len(items) > _MAX_SHOWN:
        return f"{text} + {len(items) - _MAX_SHOWN} more..."
    return text or "<unset>"


def _port_label(port: Any) -> str:
    port = port if isinstance(port, dict) else {}
    if port.get("port") is not None:
        return str(port["port"])
    return port["name"] if port.get("name") is not None else "*"


def _endpoint_slice_row(slice_: dict[str, Any], now: datetime) -> list[Any]:
    addresses = [
        address
        for endpoint in slice_.get("endpoints") or []
        if isinstance(endpoint, dict)
        for address in endpoint.get("addresses") or []
    ]
    return [
        object_name(slice_),
        slice_.get("addressType", ""),
        listed([_port_label(p) for p in slice_.get("ports") or []]),
        listed(addresses),
        age(slice_, now),
    ]


ENDPOINT_SLICES = TableDef(
    columns=(
        name_column(),
        Column("AddressType", description=_DOCS["addressType"]),
        Column("Ports", description=_DOCS["ports"]),
        Column("Endpoints", description=_DOCS["endpoints"]),
        age_column(),
    ),
    row=_endpoint_slice_row,
)

TABLES: dict[str, TableDef] = {"endpointslices": ENDPOINT_SLICES}
