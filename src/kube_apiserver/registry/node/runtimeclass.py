"""RuntimeClasses: a fixed handler name; PUT may create one, and updates must name the
resourceVersion they replace."""

from __future__ import annotations

from kube_apiserver.apis.node import printers, validation
from kube_apiserver.registry.rest import Strategy


class RuntimeClassStrategy(Strategy):
    table = printers.TABLES["runtimeclasses"]
    allow_create_on_update = True
    allow_unconditional_update = False
    validator = staticmethod(validation.validate_runtime_class)
    update_validator = staticmethod(validation.validate_runtime_class_update)
