"""Ingresses: generation counts spec changes; the load balancer status only via `status`."""

from __future__ import annotations

from kube_apiserver.apis.networking import printers, validation
from kube_apiserver.registry.rest import Obj, Strategy


class IngressStrategy(Strategy):
    table = printers.TABLES["ingresses"]
    tracks_generation = True
    status_subresource = True
    validator = staticmethod(validation.validate_ingress)
    update_validator = staticmethod(validation.validate_ingress_update)
    status_update_validator = staticmethod(validation.validate_ingress_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"loadBalancer": {}}
