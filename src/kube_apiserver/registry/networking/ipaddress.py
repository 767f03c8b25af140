"""IPAddresses: one object per allocated IP, named by the IP, pointing at what holds it."""

from __future__ import annotations

from kube_apiserver.apis.networking import ipam_validation, printers
from kube_apiserver.registry.rest import Strategy


class IPAddressStrategy(Strategy):
    name_rule = staticmethod(ipam_validation.ip_address_name_errors)
    table = printers.TABLES["ipaddresses"]
    validator = staticmethod(ipam_validation.validate_ip_address)
    update_validator = staticmethod(ipam_validation.validate_ip_address_update)
