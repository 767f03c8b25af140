"""Defaults of discovery.k8s.io/v1 EndpointSlices, and the shape Go's encoding gives them.

Ports get an empty name and TCP when unset. `endpoints` is a required list that Go writes as
null when none were sent, and each endpoint's `conditions` is a plain struct that reads back
as {} when left out.
"""

from __future__ import annotations

from typing import Any


def default_endpoint_slice(obj: dict[str, Any]) -> None:
    for port in obj.get("ports") or []:
        if isinstance(port, dict):
            if port.get("name") is None:
                port["name"] = ""
            if port.get("protocol") is None:
                port["protocol"] = "TCP"
    obj.setdefault("endpoints", None)
    for endpoint in obj.get("endpoints") or []:
        if isinstance(endpoint, dict) and not isinstance(endpoint.get("conditions"), dict):
            endpoint["conditions"] = {}
