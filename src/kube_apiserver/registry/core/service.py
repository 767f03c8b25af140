"""Services: named as DNS-1035 labels; status only through the status subresource."""

from __future__ import annotations

from collections.abc import Callable

from kube_apiserver.apis.core import defaults, printers, validation
from kube_apiserver.registry.core.simple import _CoreStrategy
from kube_apiserver.registry.rest import Obj


class ServiceStrategy(_CoreStrategy):
    name_rule = staticmethod(validation.dns1035_label_errors)
    table = printers.TABLES["services"]

    # Fills spec.clusterIP(s) on create; the control plane sets it to its allocator.
    allocate: Callable[[Obj], None] | None = None

    def default(self, obj: Obj) -> None:
        defaults.default_service(obj)

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

    def validate(self, obj: Obj):
        return validation.validate_service(obj)

    def validate_update(self, new: Obj, old: Obj):
        return validation.validate_service_update(new, old)

    def validate_status_update(self, new: Obj, old: Obj):
        return validation.validate_service_status_update(new, old)
