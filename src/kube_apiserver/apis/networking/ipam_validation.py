"""Validation of networking.k8s.io/v1 IPAddresses and ServiceCIDRs, as in Kubernetes 1.33.

These types are new enough to get Kubernetes' strict IP rules, not the sloppy ones older fields
keep: an IPAddress is named by its IP in canonical form (no leading zeros, no IPv4-mapped IPv6),
and a ServiceCIDR's ranges must be canonical subnets, at most one per IP family. A ServiceCIDR's
ranges never change, except that a single-stack one may gain its second family.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from kube_apiserver.apis.core.formats import (
    CIDR_MSG,
    IP_MSG,
    _subdomain,
    go_quote,
    go_strings,
    is_valid_cidr,
    parse_ip,
)
from kube_apiserver.apis.meta.field import (
    FieldError,
    immutable,
    invalid,
    invalid_rendered,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_str, get_strs, is_set
from kube_apiserver.apis.meta.validation import path_segment_name_errors

Obj = dict[str, Any]
_FAMILY_MSG = (
    "may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64"
)
_IMMUTABLE = "field is immutable"


def _has_leading_zero(ip: str) -> bool:
    return ":" not in ip and any(len(p) > 1 and p.startswith("0") for p in ip.split("."))


def _mapped(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.version == 6 and ip.ipv4_mapped is not None


def ip_address_name_errors(name: str) -> list[str]:
    """Kubernetes' strict IsValidIP: what makes `name` not an IP in canonical form."""
    ip = parse_ip(name)
    if ip is None:
        return [IP_MSG]
    errs = ["must not have leading 0s"] if _has_leading_zero(name) else []
    if _mapped(ip):
        errs.append("must not be an IPv4-mapped IPv6 address")
    if not errs and str(ip) != name:
        errs.append(f"must be in canonical form ({go_quote(str(ip))})")
    return errs


def cidr_errors(fld: str, value: str) -> list[FieldError]:
    """Kubernetes' strict IsValidCIDR, for subnet-style ranges."""
    if not is_valid_cidr(value):
        return [invalid(fld, value, CIDR_MSG)]
    ip_text, _, bits = value.partition("/")
    ip = parse_ip(ip_text)
    assert ip is not None  # is_valid_cidr parsed it
    if _has_leading_zero(ip_text) or (len(bits) > 1 and bits.startswith("0")):
        return [invalid(fld, value, "must not have leading 0s in IP or prefix length")]
    if _mapped(ip):
        return [invalid(fld, value, "must not have an IPv4-mapped IPv6 address")]
    network = ipaddress.ip_network(f"{ip}/{int(bits)}", strict=False)
    if network.network_address != ip:
        return [invalid(fld, value, "must not have bits set beyond the prefix length")]
    if str(network) != value:
        return [invalid(fld, value, f"must be in canonical form ({go_quote(str(network))})")]
    return []


# ---------------------------------------------------------------- IPAddress


def _parent_ref_text(ref: Any) -> str:
    """%#v of the internal *networking.ParentReference, as an immutability error shows it."""
    if not isinstance(ref, dict):
        return "null"
    fields = ", ".join(
        f"{go_name}:{go_quote(get_str(ref, key))}"
        for key, go_name in (
            ("group", "Group"),
            ("resource", "Resource"),
            ("namespace", "Namespace"),
            ("name", "Name"),
        )
    )
    return f"networking.ParentReference{{{fields}}}"


def _segment(ref: Obj, key: str, fld: str, *, required_value: bool) -> list[FieldError]:
    value = get_str(ref, key)
    if not value:
        return [required(path(fld, key))] if required_value else []
    return [invalid(path(fld, key), value, m) for m in path_segment_name_errors(value)]


def validate_ip_address(obj: Obj) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    if not is_set(spec, "parentRef"):
        return [required("spec.parentRef")]
    ref, fld = get_dict(spec, "parentRef"), "spec.parentRef"
    errs = _subdomain(path(fld, "group"), get_str(ref, "group")) if get_str(ref, "group") else []
    errs += _segment(ref, "resource", fld, required_value=True)
    errs += _segment(ref, "name", fld, required_value=True)
    return errs + _segment(ref, "namespace", fld, required_value=False)


def validate_ip_address_update(new: Obj, old: Obj) -> list[FieldError]:
    new_ref, old_ref = (
        get_dict(new, "spec").get("parentRef"),
        get_dict(old, "spec").get("parentRef"),
    )
    if new_ref == old_ref:
        return []
    return [invalid_rendered("spec.parentRef", _parent_ref_text(new_ref), _IMMUTABLE)]


# ---------------------------------------------------------------- ServiceCIDR


def _family(cidr: str) -> int | None:
    ip = parse_ip(cidr.partition("/")[0]) if is_valid_cidr(cidr) else None
    return ip.version if ip is not None else None


def _cidrs(cidrs: list[str]) -> list[FieldError]:
    fld = "spec.cidrs"
    if not cidrs:
        return [required(fld, "at least one CIDR required")]
    if len(cidrs) > 2:
        spec_text = f"networking.ServiceCIDRSpec{{CIDRs:{go_strings(cidrs)}}}"
        return [invalid_rendered(fld, spec_text, "may only hold up to 2 values")]
    errs: list[FieldError] = []
    for i, cidr in enumerate(cidrs):
        errs += cidr_errors(path(fld, i), cidr)
    families = [_family(c) for c in cidrs]
    if len(cidrs) == 2 and families[0] == families[1] and families[0] is not None:
        errs.append(invalid_rendered(fld, go_strings(cidrs), _FAMILY_MSG))
    return errs


def validate_service_cidr(obj: Obj) -> list[FieldError]:
    return _cidrs(get_strs(get_dict(obj, "spec"), "cidrs"))


def validate_service_cidr_update(new: Obj, old: Obj) -> list[FieldError]:
    new_cidrs, old_cidrs = (
        get_strs(get_dict(new, "spec"), "cidrs"),
        get_strs(get_dict(old, "spec"), "cidrs"),
    )
    if len(new_cidrs) == len(old_cidrs):
        return [
            immutable(path("spec", "cidrs", i), cidr)
            for i, cidr in enumerate(new_cidrs)
            if cidr != old_cidrs[i]
        ]
    if len(old_cidrs) == 1 and len(new_cidrs) == 2:
        # A single-stack range may become dual-stack by gaining its second family.
        errs = [] if new_cidrs[0] == old_cidrs[0] else [immutable("spec.cidrs[0]", new_cidrs[0])]
        return errs + _cidrs(new_cidrs)
    return [invalid_rendered("spec.cidrs", go_strings(new_cidrs), _IMMUTABLE)]
