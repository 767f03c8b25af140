"""FlowSchemas: spec changes count in generation; the priority-and-fairness controller
reports on them through `status`."""

from __future__ import annotations

from kube_apiserver.apis.flowcontrol import defaults, printers, validation
from kube_apiserver.registry.rest import Obj, Strategy


class FlowSchemaStrategy(Strategy):
    table = printers.TABLES["flowschemas"]
    tracks_generation = True
    status_subresource = True
    defaulter = staticmethod(defaults.default_flow_schema)
    validator = staticmethod(validation.validate_flow_schema)
    update_validator = staticmethod(validation.validate_flow_schema_update)
    status_update_validator = staticmethod(validation.validate_flow_schema_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {}
