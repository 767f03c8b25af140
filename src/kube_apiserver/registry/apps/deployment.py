"""Deployments: generation counts spec changes; `status` and `scale` (registry/subresources.py)."""

from __future__ import annotations

from kube_apiserver.apis.apps import defaults, printers, validation
from kube_apiserver.apis.core import warnings
from kube_apiserver.registry.rest import Obj, Strategy


class DeploymentStrategy(Strategy):
    warner = staticmethod(warnings.WORKLOAD)
    table = printers.TABLES["deployments"]
    tracks_generation = True
    status_subresource = True
    defaulter = staticmethod(defaults.default_deployment)
    validator = staticmethod(validation.validate_deployment)
    update_validator = staticmethod(validation.validate_deployment_update)
    status_update_validator = staticmethod(validation.validate_deployment_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {}
