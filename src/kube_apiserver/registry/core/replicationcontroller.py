"""ReplicationControllers: generation counts spec changes; `status` and `scale` subresources.

A DELETE that names no propagation policy orphans an RC's pods, as it did before server-side
garbage collection existed (Kubernetes keeps that default for this kind only).
"""

from __future__ import annotations

from kube_apiserver.apis.core import printers, warnings
from kube_apiserver.apis.core import replicationcontrollers as rcs
from kube_apiserver.registry.core.simple import CoreStrategy
from kube_apiserver.registry.rest import Obj
from kube_apiserver.registry.subresources import ScaleREST


class ReplicationControllerStrategy(CoreStrategy):
    warner = staticmethod(warnings.WORKLOAD)
    table = printers.TABLES["replicationcontrollers"]
    tracks_generation = True
    status_subresource = True
    default_propagation_policy = "Orphan"
    defaulter = staticmethod(rcs.default_replicationcontroller)
    validator = staticmethod(rcs.validate_replicationcontroller)
    update_validator = staticmethod(rcs.validate_replicationcontroller_update)
    status_update_validator = staticmethod(rcs.validate_replicationcontroller_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"replicas": 0}


def selector_set(rc: Obj) -> str:
    """An RC's selector map as its Scale reports it: `labels.SelectorFromSet(...).String()`."""
    selector = (rc.get("spec") or {}).get("selector") or {}
    return ",".join(f"{key}={selector[key]}" for key in sorted(selector))


def scale_rest(strategy: ReplicationControllerStrategy) -> ScaleREST:
    return ScaleREST(selector_set)
