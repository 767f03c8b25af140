"""ReplicaSets: generation counts spec changes; `status` and `scale` subresources, and
`status.replicas` as a field selector (as for ReplicationControllers)."""

from __future__ import annotations

from kube_apiserver.apis.apps import defaults, printers, validation
from kube_apiserver.apis.core import warnings
from kube_apiserver.apis.core.fields import replicationcontroller_fields
from kube_apiserver.registry.rest import Obj, Strategy


class ReplicaSetStrategy(Strategy):
    warner = staticmethod(warnings.WORKLOAD)
    table = printers.TABLES["replicasets"]
    tracks_generation = True
    status_subresource = True
    selectable_fields = ("status.replicas",)
    defaulter = staticmethod(defaults.default_replicaset)
    validator = staticmethod(validation.validate_replicaset)
    update_validator = staticmethod(validation.validate_replicaset_update)
    status_update_validator = staticmethod(validation.validate_replicaset_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"replicas": 0}

    def fields(self, obj: Obj) -> dict[str, str]:
        return replicationcontroller_fields(obj)
