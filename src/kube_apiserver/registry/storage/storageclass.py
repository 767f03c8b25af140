"""StorageClasses: defaults and validation only; provisioner, parameters, reclaim policy and
binding mode are fixed once created."""

from __future__ import annotations

from kube_apiserver.apis.storage import defaults, printers, validation
from kube_apiserver.registry.rest import Strategy


class StorageClassStrategy(Strategy):
    table = printers.TABLES["storageclasses"]
    defaulter = staticmethod(defaults.default_storage_class)
    validator = staticmethod(validation.validate_storage_class)
    update_validator = staticmethod(validation.validate_storage_class_update)
