"""IngressClasses: which controller implements a class of Ingresses; that never changes."""

from __future__ import annotations

from kube_apiserver.apis.networking import defaults, printers, validation
from kube_apiserver.registry.rest import Strategy


class IngressClassStrategy(Strategy):
    table = printers.TABLES["ingressclasses"]
    tracks_generation = True
    defaulter = staticmethod(defaults.default_ingress_class)
    validator = staticmethod(validation.validate_ingress_class)
    update_validator = staticmethod(validation.validate_ingress_class_update)
