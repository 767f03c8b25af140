"""Nodes: cluster-scoped; kubelets write their status through `nodes/status`."""

from __future__ import annotations

from kube_apiserver.apis.core import defaults, printers, validation
from kube_apiserver.apis.core.quantities import canonical_resource_list
from kube_apiserver.registry.core.simple import CoreStrategy
from kube_apiserver.registry.rest import Obj


class NodeStrategy(CoreStrategy):
    table = printers.TABLES["nodes"]
    status_subresource = True
    defaulter = staticmethod(defaults.default_node)
    validator = staticmethod(validation.validate_node)
    update_validator = staticmethod(validation.validate_node_update)
    status_update_validator = staticmethod(validation.validate_node_status_update)

    def normalize(self, obj: Obj) -> None:
        status = obj.get("status") or {}
        for key in ("capacity", "allocatable"):
            canonical_resource_list(status.get(key))
