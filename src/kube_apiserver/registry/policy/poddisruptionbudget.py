"""PodDisruptionBudgets: the spec is mutable and counted by metadata.generation; the status
(what the disruption controller computes, and what evictions decrement) changes only
through `poddisruptionbudgets/status`.

A new budget's status is all zeroes, as Kubernetes' strategy resets it, so until something
writes its status (observedGeneration catching up with generation), evictions of the pods it
covers are refused as "still being processed" (see registry/core/eviction.py).
"""

from __future__ import annotations

from kube_apiserver.apis.policy import printers, validation
from kube_apiserver.registry.rest import Obj, Strategy

EMPTY_STATUS = {
    "disruptionsAllowed": 0,
    "currentHealthy": 0,
    "desiredHealthy": 0,
    "expectedPods": 0,
}


class PodDisruptionBudgetStrategy(Strategy):
    table = printers.TABLES["poddisruptionbudgets"]
    tracks_generation = True
    status_subresource = True
    validator = staticmethod(validation.validate_pdb)
    update_validator = staticmethod(validation.validate_pdb_update)
    status_update_validator = staticmethod(validation.validate_pdb_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = dict(EMPTY_STATUS)
