"""Defaulting of apiextensions.k8s.io/v1 CustomResourceDefinitions, as Kubernetes 1.33 does it.

The singular name is the lower-cased kind and the list kind `<Kind>List`; conversion is
`None` unless asked for, and a conversion webhook's service listens on 443.
"""

from __future__ import annotations

from typing import Any

DEFAULT_SERVICE_PORT = 443


def default_crd(obj: dict[str, Any]) -> None:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    names = spec.get("names")
    if isinstance(names, dict):
        kind = names.get("kind") or ""
        if not names.get("singular") and kind:
            names["singular"] = kind.lower()
        if not names.get("listKind") and kind:
            names["listKind"] = kind + "List"
    if not isinstance(spec.get("conversion"), dict):
        spec["conversion"] = {"strategy": "None"}
    webhook = spec["conversion"].get("webhook")
    client = webhook.get("clientConfig") if isinstance(webhook, dict) else None
    service = client.get("service") if isinstance(client, dict) else None
    if isinstance(service, dict) and service.get("port") is None:
        service["port"] = DEFAULT_SERVICE_PORT
