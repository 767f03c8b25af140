"""Strategies of the core resources whose only rules are their validation and defaults:
configmaps, secrets, serviceaccounts, endpoints and events."""

from __future__ import annotations

from kube_apiserver.apis.core import defaults, printers, validation
from kube_apiserver.apis.core import fields as core_fields
from kube_apiserver.registry.rest import Obj, Strategy


class _CoreStrategy(Strategy):
    """Field sets for core resources come from apis/core/fields.py."""

    def fields(self, obj: Obj) -> dict[str, str]:
        fn = core_fields.FIELD_SETS.get(self.resource.name)
        return fn(obj) if fn else super().fields(obj)

    def allowed_fields(self) -> set[str]:
        fn = core_fields.FIELD_SETS.get(self.resource.name)
        if fn is None:
            return super().allowed_fields()
        return set(fn({"metadata": {}})) | super().allowed_fields()


class ConfigMapStrategy(_CoreStrategy):
    table = printers.TABLES["configmaps"]

    def validate(self, obj: Obj):
        return validation.validate_configmap(obj)

    def validate_update(self, new: Obj, old: Obj):
        return validation.validate_configmap_update(new, old)


class SecretStrategy(_CoreStrategy):
    table = printers.TABLES["secrets"]

    def default(self, obj: Obj) -> None:
        defaults.default_secret(obj)

    def validate(self, obj: Obj):
        return validation.validate_secret(obj)

    def validate_update(self, new: Obj, old: Obj):
        return validation.validate_secret_update(new, old)


class ServiceAccountStrategy(_CoreStrategy):
    table = printers.TABLES["serviceaccounts"]

    def validate(self, obj: Obj):
        return validation.validate_serviceaccount(obj)

    def validate_update(self, new: Obj, old: Obj):
        return validation.validate_serviceaccount_update(new, old)


class EndpointsStrategy(_CoreStrategy):
    table = printers.TABLES["endpoints"]
    allow_create_on_update = True

    def default(self, obj: Obj) -> None:
        defaults.default_endpoints(obj)

    def validate(self, obj: Obj):
        return validation.validate_endpoints(obj)

    def validate_update(self, new: Obj, old: Obj):
        return validation.validate_endpoints_update(new, old)


class EventStrategy(_CoreStrategy):
    table = printers.TABLES["events"]
    allow_create_on_update = True

    def validate(self, obj: Obj):
        return validation.validate_event(obj)

    def validate_update(self, new: Obj, old: Obj):
        return validation.validate_event_update(new, old)
