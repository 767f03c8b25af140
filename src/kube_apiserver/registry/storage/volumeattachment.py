"""VolumeAttachments: the attach/detach controller's record of a volume on a node.

The spec is fixed at creation; the status (written by the external attacher through `status`)
starts empty. Updates must name the resourceVersion they replace.
"""

from __future__ import annotations

from kube_apiserver.apis.storage import printers, validation
from kube_apiserver.registry import rest
from kube_apiserver.registry.rest import Obj, Strategy
from kube_apiserver.registry.subresources import StatusREST


class VolumeAttachmentStrategy(Strategy):
    table = printers.TABLES["volumeattachments"]
    status_subresource = True
    allow_unconditional_update = False
    validator = staticmethod(validation.validate_volume_attachment)
    update_validator = staticmethod(validation.validate_volume_attachment_update)
    status_update_validator = staticmethod(validation.validate_volume_attachment_update)

    def prepare_for_create(self, obj: Obj) -> None:
        # An empty status still serializes its `attached: false`.
        obj["status"] = {"attached": False}


class VolumeAttachmentStatusStrategy(rest.StatusStrategy):
    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        status, old_status = new.get("status"), old.get("status") or {}
        if not isinstance(status, dict):
            status = new["status"] = {}
        status.setdefault("attached", False)
        # errorCode belongs to MutableCSINodeAllocatableCount (alpha, off in 1.33): a new one
        # is dropped, one already stored is kept.
        for key in ("attachError", "detachError"):
            err, old_err = status.get(key), old_status.get(key) or {}
            if isinstance(err, dict) and old_err.get("errorCode") is None:
                err.pop("errorCode", None)


def status_rest(parent: Strategy) -> StatusREST:
    return StatusREST(parent, VolumeAttachmentStatusStrategy(parent))
