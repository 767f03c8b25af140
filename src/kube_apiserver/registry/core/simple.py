"""Strategies of the core resources whose only rules are their validation and defaults:
configmaps, secrets, serviceaccounts, endpoints, events, podtemplates, limitranges and
resourcequotas."""

from __future__ import annotations

from kube_apiserver.apis.core import defaults, printers, quotas, validation, warnings
from kube_apiserver.apis.core import fields as core_fields
from kube_apiserver.apis.core import replicationcontrollers as templates
from kube_apiserver.registry.rest import Obj, Strategy


class CoreStrategy(Strategy):
    """Field sets for core resources come from apis/core/fields.py."""

    def fields(self, obj: Obj) -> dict[str, str]:
        fn = core_fields.FIELD_SETS.get(self.resource.name)
        return fn(obj) if fn else super().fields(obj)

    def allowed_fields(self) -> set[str]:
        fn = core_fields.FIELD_SETS.get(self.resource.name)
        if fn is None:
            return super().allowed_fields()
        return set(fn({"metadata": {}})) | super().allowed_fields()


class ConfigMapStrategy(CoreStrategy):
    table = printers.TABLES["configmaps"]
    validator = staticmethod(validation.validate_configmap)
    update_validator = staticmethod(validation.validate_configmap_update)


class SecretStrategy(CoreStrategy):
    table = printers.TABLES["secrets"]
    defaulter = staticmethod(defaults.default_secret)
    validator = staticmethod(validation.validate_secret)
    update_validator = staticmethod(validation.validate_secret_update)


class ServiceAccountStrategy(CoreStrategy):
    table = printers.TABLES["serviceaccounts"]
    validator = staticmethod(validation.validate_serviceaccount)
    update_validator = staticmethod(validation.validate_serviceaccount_update)


class EndpointsStrategy(CoreStrategy):
    table = printers.TABLES["endpoints"]
    allow_create_on_update = True
    defaulter = staticmethod(defaults.default_endpoints)
    validator = staticmethod(validation.validate_endpoints)
    update_validator = staticmethod(validation.validate_endpoints_update)


class EventStrategy(CoreStrategy):
    table = printers.TABLES["events"]
    allow_create_on_update = True
    validator = staticmethod(validation.validate_event)
    update_validator = staticmethod(validation.validate_event_update)


class PodTemplateStrategy(CoreStrategy):
    warner = staticmethod(warnings.POD_TEMPLATE)
    table = printers.TABLES["podtemplates"]
    tracks_generation = True  # counts changes to the template
    defaulter = staticmethod(templates.default_podtemplate)
    validator = staticmethod(templates.validate_podtemplate)
    update_validator = staticmethod(templates.validate_podtemplate_update)


class LimitRangeStrategy(CoreStrategy):
    # No printer: kubectl shows LimitRanges in the generic NAME / CREATED AT table.
    defaulter = staticmethod(quotas.default_limitrange)
    validator = staticmethod(quotas.validate_limitrange)
    update_validator = staticmethod(quotas.validate_limitrange_update)

    def normalize(self, obj: Obj) -> None:
        quotas.normalize_limitrange(obj)


class ResourceQuotaStrategy(CoreStrategy):
    table = printers.TABLES["resourcequotas"]
    status_subresource = True
    validator = staticmethod(quotas.validate_resourcequota)
    update_validator = staticmethod(quotas.validate_resourcequota_update)
    status_update_validator = staticmethod(quotas.validate_resourcequota_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {}

    def normalize(self, obj: Obj) -> None:
        quotas.normalize_resourcequota(obj)
