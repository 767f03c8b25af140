"""Defaulting of apiregistration.k8s.io/v1 APIServices: a service reference's port is 443."""

from __future__ import annotations

from typing import Any

DEFAULT_SERVICE_PORT = 443


def default_apiservice(obj: dict[str, Any]) -> None:
    service = (obj.get("spec") or {}).get("service")
    if isinstance(service, dict) and service.get("port") is None:
        service["port"] = DEFAULT_SERVICE_PORT
