"""CSIDrivers: a driver's capabilities. Generation counts spec changes after creation (a new
driver has none, as in Kubernetes); updates must name the resourceVersion they replace."""

from __future__ import annotations

from kube_apiserver.apis.storage import csi, defaults, printers
from kube_apiserver.registry.rest import Obj, Strategy

# Belongs to MutableCSINodeAllocatableCount, alpha and off in 1.33.
_GATED = "nodeAllocatableUpdatePeriodSeconds"


def _spec(obj: Obj) -> Obj:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


class CSIDriverStrategy(Strategy):
    table = printers.TABLES["csidrivers"]
    allow_unconditional_update = False
    defaulter = staticmethod(defaults.default_csi_driver)
    validator = staticmethod(csi.validate_csi_driver)
    update_validator = staticmethod(csi.validate_csi_driver_update)

    def prepare_for_create(self, obj: Obj) -> None:
        _spec(obj).pop(_GATED, None)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        if _spec(old).get(_GATED) is None:
            _spec(new).pop(_GATED, None)
        if _spec(new) != _spec(old):
            meta = new["metadata"]
            meta["generation"] = (old.get("metadata") or {}).get("generation", 0) + 1
