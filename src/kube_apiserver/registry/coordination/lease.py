"""Leases: the smallest resource, written often by leader election and heartbeats."""

from __future__ import annotations

from kube_apiserver.apis.coordination import printers, validation
from kube_apiserver.registry.rest import Obj, Strategy


class LeaseStrategy(Strategy):
    table = printers.TABLES["leases"]
    allow_create_on_update = True

    def validate(self, obj: Obj):
        return validation.validate_lease(obj)

    def validate_update(self, new: Obj, old: Obj):
        return validation.validate_lease_update(new, old)
