"""Services: named as DNS-1035 labels; status only through the status subresource."""

from __future__ import annotations

from collections.abc import Callable

from kube_apiserver.apis.core import defaults, printers, validation
from kube_apiserver.registry.core.simple import CoreStrategy
from kube_apiserver.registry.rest import Obj


class ServiceStrategy(CoreStrategy):
    name_rule = staticmethod(validation.dns1035_label_errors)
    table = printers.TABLES["services"]
    defaulter = staticmethod(defaults.default_service)
    validator = staticmethod(validation.validate_service)
    update_validator = staticmethod(validation.validate_service_update)
    status_update_validator = staticmethod(validation.validate_service_status_update)

    # Fills spec.clusterIP(s) on create; the control plane sets it to its allocator.
    allocate: Callable[[Obj], None] | None = None

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"loadBalancer": {}}
        if self.allocate is not None:
            self.allocate(obj)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        new["status"] = old.get("status", {})
        spec, old_spec = new.setdefault("spec", {}), old.get("spec") or {}
        for key in ("clusterIP", "clusterIPs"):
            if key not in spec and key in old_spec:
                spec[key] = old_spec[key]
