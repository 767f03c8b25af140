"""PriorityClasses: a new class starts at generation 1 (and stays there, since value and
preemptionPolicy are fixed); the system classes can be neither taken nor deleted."""

from __future__ import annotations

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.scheduling import defaults, printers, validation
from kube_apiserver.apis.scheduling.system_priority_classes import SYSTEM_PRIORITY_CLASS_NAMES
from kube_apiserver.registry.rest import Obj, Strategy


class PriorityClassStrategy(Strategy):
    table = printers.TABLES["priorityclasses"]
    defaulter = staticmethod(defaults.default_priority_class)
    validator = staticmethod(validation.validate_priority_class)
    update_validator = staticmethod(validation.validate_priority_class_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["metadata"]["generation"] = 1

    def check_delete(self, name: str) -> None:
        if name in SYSTEM_PRIORITY_CLASS_NAMES:
            raise errors.forbidden(
                self.resource.name,
                self.resource.group,
                name,
                "this is a system priority class and cannot be deleted",
            )
