"""CronJobs: generation counts spec changes; the `status` subresource changes only status."""

from __future__ import annotations

from kube_apiserver.apis.batch import cronjob_validation as validation
from kube_apiserver.apis.batch import defaults, printers
from kube_apiserver.apis.core import warnings
from kube_apiserver.registry.rest import Obj, Strategy


class CronJobStrategy(Strategy):
    warner = staticmethod(warnings.CRONJOB)
    table = printers.TABLES["cronjobs"]
    tracks_generation = True
    status_subresource = True
    defaulter = staticmethod(defaults.default_cronjob)
    validator = staticmethod(validation.validate_cronjob)
    update_validator = staticmethod(validation.validate_cronjob_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {}
