"""Nodes: cluster-scoped; kubelets write their status through `nodes/status`."""

from __future__ import annotations

from kube_apiserver.apis.core import defaults, printers, validation
from kube_apiserver.registry.core.simple import CoreStrategy


class NodeStrategy(CoreStrategy):
    table = printers.TABLES["nodes"]
    status_subresource = True
    defaulter = staticmethod(defaults.default_node)
    validator = staticmethod(validation.validate_node)
    update_validator = staticmethod(validation.validate_node_update)
    status_update_validator = staticmethod(validation.validate_node_status_update)
