"""Validation of discovery.k8s.io/v1 EndpointSlices (everything except metadata), as in 1.33.

The slice's `addressType` (fixed once created) decides how each endpoint address is read:
IPv4 and IPv6 addresses must be of that family and usable as an endpoint (not loopback,
link-local or unspecified), FQDNs must be domain names of two labels or more. Ports need
unique names; endpoints carry at most 100 addresses, and a slice at most 1000 endpoints.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import (
    PROTOCOLS,
    _each,
    _label,
    _non_special_ip,
    _qualified,
    _subdomain,
    parse_ip,
)
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    immutable,
    invalid,
    not_supported,
    path,
    required,
    too_many,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_str, get_strs, is_set
from kube_apiserver.apis.meta.validation import (
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_value_errors,
)

Obj = dict[str, Any]
ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"]
MAX_ENDPOINTS = 1000
MAX_ADDRESSES = 100
MAX_PORTS = 20000
MAX_ZONE_HINTS = 8


def _family_errors(fld: str, address: str, version: int) -> list[FieldError]:
    ip = parse_ip(address)
    # Go reads an IPv4-mapped IPv6 address as IPv4.
    is_v4 = ip is not None and (ip.version == 4 or ip.ipv4_mapped is not None)
    if ip is None or is_v4 != (version == 4):
        return [invalid(fld, address, f"must be a valid IPv{version} address")]
    return []


def fqdn_errors(fld: str, name: str) -> list[FieldError]:
    """Kubernetes' IsFullyQualifiedDomainName: a subdomain of two labels or more."""
    if not name:
        return [required(fld)]
    name = name.removesuffix(".")
    errs = dns1123_subdomain_errors(name)
    if errs:
        return [invalid(fld, name, ",".join(errs))]
    labels = name.split(".")
    if len(labels) < 2:
        return [
            invalid(fld, name, "should be a domain with at least two segments separated by dots")
        ]
    for label in labels:
        errs = dns1123_label_errors(label)
        if errs:
            return [invalid(fld, label, ",".join(errs))]
    return []


def _address(fld: str, address: str, address_type: str) -> list[FieldError]:
    if address_type in ("IPv4", "IPv6"):
        version = 4 if address_type == "IPv4" else 6
        return _family_errors(fld, address, version) + _non_special_ip(fld, address)
    if address_type == "FQDN":
        return fqdn_errors(fld, address)
    return []  # an unknown type is reported once, on addressType


def _zone_hints(hints: Obj, fld: str) -> list[FieldError]:
    at = path(fld, "forZones")
    zones = get_dicts(hints, "forZones")
    if len(zones) > MAX_ZONE_HINTS:
        return [too_many(at, len(zones), MAX_ZONE_HINTS)]
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, zone in enumerate(zones):
        name, zone_path = get_str(zone, "name"), path(at, i, "name")
        if name in seen:
            errs.append(duplicate(zone_path, name))
        seen.add(name)
        errs += _each(zone_path, name, label_value_errors(name))
    return errs


def _endpoints(obj: Obj) -> list[FieldError]:
    endpoints, address_type = get_dicts(obj, "endpoints"), get_str(obj, "addressType")
    if len(endpoints) > MAX_ENDPOINTS:
        return [too_many("endpoints", len(endpoints), MAX_ENDPOINTS)]
    errs: list[FieldError] = []
    for i, endpoint in enumerate(endpoints):
        fld = path("endpoints", i)
        at = path(fld, "addresses")
        addresses = get_strs(endpoint, "addresses")
        if not addresses:
            errs.append(required(at, "must contain at least 1 address"))
        elif len(addresses) > MAX_ADDRESSES:
            errs.append(too_many(at, len(addresses), MAX_ADDRESSES))
        for j, address in enumerate(addresses):
            errs += _address(path(at, j), address, address_type)
        if is_set(endpoint, "nodeName"):
            errs += _subdomain(path(fld, "nodeName"), get_str(endpoint, "nodeName"))
        if is_set(endpoint, "hostname"):
            errs += _label(path(fld, "hostname"), get_str(endpoint, "hostname"))
        if is_set(endpoint, "hints"):
            errs += _zone_hints(get_dict(endpoint, "hints"), path(fld, "hints"))
    return errs


def _ports(obj: Obj) -> list[FieldError]:
    ports = get_dicts(obj, "ports")
    if len(ports) > MAX_PORTS:
        return [too_many("ports", len(ports), MAX_PORTS)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        fld, name = path("ports", i), get_str(port, "name")
        if name:
            errs += _label(path(fld, "name"), name)
        if name in names:
            errs.append(duplicate(path(fld, "name"), name))
        names.add(name)
        if not is_set(port, "protocol"):
            errs.append(required(path(fld, "protocol")))
        elif get_str(port, "protocol") not in PROTOCOLS:
            errs.append(not_supported(path(fld, "protocol"), get_str(port, "protocol"), PROTOCOLS))
        if is_set(port, "appProtocol"):
            errs += _qualified(path(fld, "appProtocol"), get_str(port, "appProtocol"))
    return errs


def validate_endpoint_slice(obj: Obj) -> list[FieldError]:
    address_type = get_str(obj, "addressType")
    errs: list[FieldError] = []
    if not address_type:
        errs.append(required("addressType"))
    elif address_type not in ADDRESS_TYPES:
        errs.append(not_supported("addressType", address_type, ADDRESS_TYPES))
    return errs + _endpoints(obj) + _ports(obj)


def validate_endpoint_slice_update(new: Obj, old: Obj) -> list[FieldError]:
    errs = validate_endpoint_slice(new)
    if get_str(new, "addressType") != get_str(old, "addressType"):
        errs.append(immutable("addressType", get_str(new, "addressType")))
    return errs
