"""ServiceCIDRs: the ranges ClusterIPs come from, with a Ready condition in their status.

Kubernetes' ServiceCIDR strategy clears nothing: unlike most resources, a write to the main
resource may set status too, and `status` writes keep the spec.
"""

from __future__ import annotations

from kube_apiserver.apis.networking import ipam_validation, printers
from kube_apiserver.registry.rest import Obj, Strategy


class ServiceCIDRStrategy(Strategy):
    table = printers.TABLES["servicecidrs"]
    validator = staticmethod(ipam_validation.validate_service_cidr)
    update_validator = staticmethod(ipam_validation.validate_service_cidr_update)

    def prepare_for_create(self, obj: Obj) -> None:
        # The status is a plain struct in Go: it reads back as {} when never set.
        if not isinstance(obj.get("status"), dict):
            obj["status"] = {}
