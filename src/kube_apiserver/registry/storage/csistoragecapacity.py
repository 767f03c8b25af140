"""CSIStorageCapacities: capacity a driver reports for a storage class and topology; the class
and topology are fixed, and updates must name the resourceVersion they replace."""

from __future__ import annotations

from kube_apiserver.apis.storage import csi, printers
from kube_apiserver.registry.rest import Strategy


class CSIStorageCapacityStrategy(Strategy):
    table = printers.TABLES["csistoragecapacities"]
    allow_unconditional_update = False
    validator = staticmethod(csi.validate_csi_storage_capacity)
    update_validator = staticmethod(csi.validate_csi_storage_capacity_update)
