"""Nodes: cluster-scoped; kubelets write their status through `nodes/status`."""

from __future__ import annotations

from kube_apiserver.apis.core import defaults, printers, validation
from kube_apiserver.registry.core.simple import _CoreStrategy
from kube_apiserver.registry.rest import Obj


class NodeStrategy(_CoreStrategy):
    table = printers.TABLES["nodes"]

    def default(self, obj: Obj) -> None:
        defaults.default_node(obj)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        new["status"] = old.get("status", {})

    def validate(self, obj: Obj):
        return validation.validate_node(obj)

    def validate_update(self, new: Obj, old: Obj):
        return validation.validate_node_update(new, old)

    def validate_status_update(self, new: Obj, old: Obj):
        return validation.validate_node_status_update(new, old)
