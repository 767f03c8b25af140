"""PersistentVolumes and PersistentVolumeClaims: cluster volumes and the namespaced claims on them.

Both start Pending; a volume also records when its phase last changed
(`status.lastPhaseTransitionTime`, kept up to date by its status writes). A claim's spec is
prepared as kube-apiserver prepares it: disabled features' fields dropped and its two data
source fields mirrored into each other on create.
"""

from __future__ import annotations

from kube_apiserver.apis.core import persistentvolumeclaims as pvcs
from kube_apiserver.apis.core import persistentvolumes as pvs
from kube_apiserver.apis.core import printers
from kube_apiserver.apis.meta.unstructured import ensure_dict
from kube_apiserver.registry import rest
from kube_apiserver.registry.core.simple import CoreStrategy
from kube_apiserver.registry.rest import Obj, now_rfc3339
from kube_apiserver.registry.subresources import StatusREST


class PersistentVolumeStrategy(CoreStrategy):
    table = printers.TABLES["persistentvolumes"]
    status_subresource = True
    defaulter = staticmethod(pvs.default_persistentvolume)
    validator = staticmethod(pvs.validate_persistentvolume)
    update_validator = staticmethod(pvs.validate_persistentvolume_update)
    status_update_validator = staticmethod(pvs.validate_persistentvolume_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"phase": "Pending", "lastPhaseTransitionTime": now_rfc3339()}

    def normalize(self, obj: Obj) -> None:
        pvs.normalize_persistentvolume(obj)


class PersistentVolumeStatusStrategy(rest.StatusStrategy):
    """A phase change is stamped with its time, unless the writer set a new one itself."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        status, old_status = ensure_dict(new, "status"), old.get("status") or {}
        stamp, old_stamp = (
            status.get("lastPhaseTransitionTime"),
            old_status.get("lastPhaseTransitionTime"),
        )
        if status.get("phase") == old_status.get("phase"):
            if stamp is None and old_stamp is not None:
                status["lastPhaseTransitionTime"] = old_stamp
        elif stamp is None or stamp == old_stamp:
            status["lastPhaseTransitionTime"] = now_rfc3339()


def persistentvolume_status(strategy: PersistentVolumeStrategy) -> StatusREST:
    return StatusREST(strategy, PersistentVolumeStatusStrategy(strategy))


class PersistentVolumeClaimStrategy(CoreStrategy):
    table = printers.TABLES["persistentvolumeclaims"]
    status_subresource = True
    defaulter = staticmethod(pvcs.default_persistentvolumeclaim)
    validator = staticmethod(pvcs.validate_persistentvolumeclaim)
    update_validator = staticmethod(pvcs.validate_persistentvolumeclaim_update)
    status_update_validator = staticmethod(pvcs.validate_persistentvolumeclaim_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"phase": "Pending"}
        pvcs.prepare_claim_spec(ensure_dict(obj, "spec"), None)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        pvcs.prepare_claim_spec(ensure_dict(new, "spec"), old.get("spec") or {})


class PersistentVolumeClaimStatusStrategy(rest.StatusStrategy):
    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        pvcs.prepare_claim_status(ensure_dict(new, "status"), old.get("status") or {})


def persistentvolumeclaim_status(strategy: PersistentVolumeClaimStrategy) -> StatusREST:
    return StatusREST(strategy, PersistentVolumeClaimStatusStrategy(strategy))
