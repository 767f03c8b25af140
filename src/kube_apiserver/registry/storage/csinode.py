"""CSINodes: the CSI drivers the kubelet registered on a node; a registered driver's entry is
fixed, and updates must name the resourceVersion they replace."""

from __future__ import annotations

from kube_apiserver.apis.storage import csi, printers
from kube_apiserver.registry.rest import Strategy


class CSINodeStrategy(Strategy):
    table = printers.TABLES["csinodes"]
    allow_unconditional_update = False
    validator = staticmethod(csi.validate_csi_node)
    update_validator = staticmethod(csi.validate_csi_node_update)
