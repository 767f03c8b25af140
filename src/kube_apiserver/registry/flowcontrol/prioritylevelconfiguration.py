"""PriorityLevelConfigurations: spec changes count in generation; `status` is the
priority-and-fairness controller's."""

from __future__ import annotations

from kube_apiserver.apis.flowcontrol import defaults, printers, validation
from kube_apiserver.registry.rest import Obj, Strategy


class PriorityLevelConfigurationStrategy(Strategy):
    table = printers.TABLES["prioritylevelconfigurations"]
    tracks_generation = True
    status_subresource = True
    defaulter = staticmethod(defaults.default_priority_level_configuration)
    validator = staticmethod(validation.validate_priority_level_configuration)
    update_validator = staticmethod(validation.validate_priority_level_configuration_update)
    status_update_validator = staticmethod(
        validation.validate_priority_level_configuration_status_update
    )

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {}
