"""NetworkPolicies: generation counts spec changes; no status since Kubernetes 1.28."""

from __future__ import annotations

from kube_apiserver.apis.networking import defaults, printers, validation
from kube_apiserver.registry.rest import Strategy


class NetworkPolicyStrategy(Strategy):
    table = printers.TABLES["networkpolicies"]
    tracks_generation = True
    defaulter = staticmethod(defaults.default_network_policy)
    validator = staticmethod(validation.validate_network_policy)
    update_validator = staticmethod(validation.validate_network_policy_update)
