"""Leases: the smallest resource, written often by leader election and heartbeats."""

from __future__ import annotations

from kube_apiserver.apis.coordination import printers, validation
from kube_apiserver.registry.rest import Strategy


class LeaseStrategy(Strategy):
    table = printers.TABLES["leases"]
    allow_create_on_update = True
    validator = staticmethod(validation.validate_lease)
    update_validator = staticmethod(validation.validate_lease_update)
