"""Mutating and validating webhook configurations: plain objects whose generation counts
changes to their webhooks (the admission plugins that call them come with admission)."""

from __future__ import annotations

from kube_apiserver.apis.admissionregistration import defaults, printers, validation
from kube_apiserver.registry.rest import Strategy


class MutatingWebhookConfigurationStrategy(Strategy):
    table = printers.TABLES["mutatingwebhookconfigurations"]
    tracks_generation = True
    defaulter = staticmethod(defaults.default_mutating_webhook_configuration)
    validator = staticmethod(validation.validate_mutating_webhook_configuration)
    update_validator = staticmethod(validation.validate_mutating_webhook_configuration_update)


class ValidatingWebhookConfigurationStrategy(Strategy):
    table = printers.TABLES["validatingwebhookconfigurations"]
    tracks_generation = True
    defaulter = staticmethod(defaults.default_validating_webhook_configuration)
    validator = staticmethod(validation.validate_validating_webhook_configuration)
    update_validator = staticmethod(validation.validate_validating_webhook_configuration_update)
