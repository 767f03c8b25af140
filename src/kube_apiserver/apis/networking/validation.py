"""Validation of networking.k8s.io/v1 Ingresses, IngressClasses and NetworkPolicies, as in 1.33.

Ingress rules carry hosts (DNS names, possibly wildcards, never IPs) and HTTP paths whose
`pathType` decides how strictly the path is read; every backend names either a Service (by a
DNS-1035 name and a port name or number) or a typed local object. NetworkPolicy peers are pod
or namespace selectors or an IP block whose exceptions must lie strictly inside it.

Updates stay possible for objects stored before a rule tightened: an Ingress keeps its invalid
TLS secret names and wildcard-host rules, a NetworkPolicy its CIDRs and selector label values,
as long as the stored object already had them. Go values in messages (`[]networking.IngressRule`,
`[]networking.PolicyType`) are rendered as Kubernetes prints them.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from kube_apiserver.apis.core.formats import (
    CIDR_MSG,
    _each,
    _ip,
    _subdomain,
    clean_selector,
    dns1035_label_errors,
    go_strings,
    is_valid_cidr,
    parse_ip,
    port_name_errors,
)
from kube_apiserver.apis.core.formats import _port_num_errors as port_num_errors
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    immutable,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
    too_long,
)
from kube_apiserver.apis.meta.unstructured import (
    get_dict,
    get_dicts,
    get_int,
    get_str,
    get_strs,
    is_set,
)
from kube_apiserver.apis.meta.validation import (
    dns1123_label_errors,
    dns1123_subdomain_errors,
    path_segment_name_errors,
    validate_label_selector,
)

Obj = dict[str, Any]
INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"]
PARAMETER_SCOPES = ["Cluster", "Namespace"]
POLICY_TYPES = ["Ingress", "Egress"]
NETWORK_POLICY_PROTOCOLS = ["TCP", "UDP", "SCTP"]  # Kubernetes lists them in this order here
MAX_CONTROLLER_LENGTH = 250
_INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_INVALID_PATH_SUFFIXES = ("/..", "/.")
_WILDCARD_FMT = r"\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_WILDCARD_RE = re.compile(_WILDCARD_FMT)
_WILDCARD_MSG = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
    "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
    f"alphanumeric character (e.g. '*.example.com', regex used for validation is '{_WILDCARD_FMT}')"
)
_HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_HTTP_PATH_RE = re.compile(_HTTP_PATH_FMT)


def wildcard_subdomain_errors(value: str) -> list[str]:
    errs = ["must be no more than 253 characters"] if len(value.encode()) > 253 else []
    return errs + ([] if _WILDCARD_RE.fullmatch(value) else [_WILDCARD_MSG])


def _host_errors(fld: str, host: str) -> list[FieldError]:
    check = wildcard_subdomain_errors if "*" in host else dns1123_subdomain_errors
    return _each(fld, host, check(host))


def _path_segment(fld: str, value: str) -> list[FieldError]:
    if not value:
        return [required(fld)]
    return _each(fld, value, path_segment_name_errors(value))


# ---------------------------------------------------------------- ingress


def _service_backend(service: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = get_str(service, "name")
    if not name:
        errs.append(required(path(fld, "service", "name")))
    else:
        errs += _each(path(fld, "service", "name"), name, dns1035_label_errors(name))
    port = get_dict(service, "port")
    port_name, number = get_str(port, "name"), get_int(port, "number") or 0
    if port_name and number:
        errs.append(invalid(fld, "", "cannot set both port name & port number"))
    elif port_name:
        errs += _each(path(fld, "service", "port", "name"), port_name, port_name_errors(port_name))
    elif number:
        errs += _each(path(fld, "service", "port", "number"), number, port_num_errors(number))
    else:
        errs.append(required(fld, "port name or number is required"))
    return errs


def _typed_reference(ref: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if is_set(ref, "apiGroup"):
        errs += _subdomain(path(fld, "apiGroup"), get_str(ref, "apiGroup"))
    return (
        errs
        + _path_segment(path(fld, "kind"), get_str(ref, "kind"))
        + _path_segment(path(fld, "name"), get_str(ref, "name"))
    )


def _backend(backend: Obj, fld: str) -> list[FieldError]:
    has_resource, has_service = is_set(backend, "resource"), is_set(backend, "service")
    if has_resource and has_service:
        return [invalid(fld, "", "cannot set both resource and service backends")]
    if has_resource:
        return _typed_reference(get_dict(backend, "resource"), path(fld, "resource"))
    if has_service:
        return _service_backend(get_dict(backend, "service"), fld)
    return [invalid(fld, "", "resource or service backend is required")]


def _http_path(entry: Obj, fld: str) -> list[FieldError]:
    if not is_set(entry, "pathType"):
        return [required(path(fld, "pathType"), "pathType must be specified")]
    path_type, value, at = get_str(entry, "pathType"), get_str(entry, "path"), path(fld, "path")
    errs: list[FieldError] = []
    if path_type in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errs.append(invalid(at, value, "must be an absolute path"))
        errs += [
            invalid(at, value, f"must not contain '{seq}'")
            for seq in _INVALID_PATH_SEQUENCES
            if seq in value
        ]
        errs += [
            invalid(at, value, f"cannot end with '{suffix}'")
            for suffix in _INVALID_PATH_SUFFIXES
            if value.endswith(suffix)
        ]
    elif path_type == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errs.append(invalid(at, value, "must be an absolute path"))
    else:
        errs.append(not_supported(path(fld, "pathType"), path_type, PATH_TYPES))
    return errs + _backend(get_dict(entry, "backend"), path(fld, "backend"))


def _rule_value(rule: Obj, fld: str) -> list[FieldError]:
    if not is_set(rule, "http"):
        return []
    at = path(fld, "http")
    paths = get_dicts(get_dict(rule, "http"), "paths")
    errs = [] if paths else [required(path(at, "paths"))]
    for i, entry in enumerate(paths):
        errs += _http_path(entry, path(at, "paths", i))
    return errs


def _rules(rules: list[Obj], *, allow_invalid_wildcard_rule: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, rule in enumerate(rules):
        fld, host = path("spec", "rules", i), get_str(rule, "host")
        if host and parse_ip(host) is not None:
            errs.append(invalid(path(fld, "host"), host, "must be a DNS name, not an IP address"))
        if host:
            errs += _host_errors(path(fld, "host"), host)
        if "*" not in host or not allow_invalid_wildcard_rule:
            errs += _rule_value(rule, fld)
    return errs


def _tls(spec: Obj, *, allow_invalid_secret_name: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, tls in enumerate(get_dicts(spec, "tls")):
        fld = path("spec", "tls", i)
        for j, host in enumerate(get_strs(tls, "hosts")):
            errs += _host_errors(path(fld, "hosts", j), host)
        secret = get_str(tls, "secretName")
        if secret and not allow_invalid_secret_name:
            errs += _subdomain(path(fld, "secretName"), secret)
    return errs


def _ingress_rules_value(rules: Any) -> str:
    """%#v of the spec's []networking.IngressRule when it is empty: nil unless sent as []."""
    return (
        "[]networking.IngressRule{}" if isinstance(rules, list) else "[]networking.IngressRule(nil)"
    )


def _ingress_spec(
    spec: Obj, *, allow_invalid_secret_name: bool = False, allow_invalid_wildcard_rule: bool = False
) -> list[FieldError]:
    errs: list[FieldError] = []
    rules = get_dicts(spec, "rules")
    if not rules and not is_set(spec, "defaultBackend"):
        detail = "either `defaultBackend` or `rules` must be specified"
        errs.append(invalid_rendered("spec", _ingress_rules_value(spec.get("rules")), detail))
    if is_set(spec, "defaultBackend"):
        errs += _backend(get_dict(spec, "defaultBackend"), "spec.defaultBackend")
    errs += _rules(rules, allow_invalid_wildcard_rule=allow_invalid_wildcard_rule)
    errs += _tls(spec, allow_invalid_secret_name=allow_invalid_secret_name)
    if is_set(spec, "ingressClassName"):
        errs += _subdomain("spec.ingressClassName", get_str(spec, "ingressClassName"))
    return errs


def validate_ingress(obj: Obj) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    errs = _ingress_spec(spec)
    annotation = get_dict(get_dict(obj, "metadata"), "annotations").get(INGRESS_CLASS_ANNOTATION)
    if annotation is not None and is_set(spec, "ingressClassName"):
        if annotation != get_str(spec, "ingressClassName"):
            errs.append(
                invalid(
                    "annotations." + INGRESS_CLASS_ANNOTATION,
                    annotation,
                    "must match `ingressClassName` when both are specified",
                )
            )
    return errs


def validate_ingress_update(new: Obj, old: Obj) -> list[FieldError]:
    old_spec = get_dict(old, "spec")
    secret_names = [get_str(t, "secretName") for t in get_dicts(old_spec, "tls")]
    invalid_wildcard_rule = any(
        "*" in get_str(rule, "host") and _rule_value(rule, "")
        for rule in get_dicts(old_spec, "rules")
    )
    return _ingress_spec(
        get_dict(new, "spec"),
        allow_invalid_secret_name=any(n and dns1123_subdomain_errors(n) for n in secret_names),
        allow_invalid_wildcard_rule=invalid_wildcard_rule,
    )


def validate_ingress_status_update(new: Obj, old: Obj) -> list[FieldError]:
    old_ips = {
        get_str(i, "ip")
        for i in get_dicts(get_dict(get_dict(old, "status"), "loadBalancer"), "ingress")
        if get_str(i, "ip")
    }
    errs: list[FieldError] = []
    for i, entry in enumerate(
        get_dicts(get_dict(get_dict(new, "status"), "loadBalancer"), "ingress")
    ):
        fld = path("status", "loadBalancer", "ingress", i)
        ip, hostname = get_str(entry, "ip"), get_str(entry, "hostname")
        if ip and ip not in old_ips:
            errs += _ip(path(fld, "ip"), ip)
        if hostname:
            errs += _subdomain(path(fld, "hostname"), hostname)
            if parse_ip(hostname) is not None:
                errs.append(
                    invalid(
                        path(fld, "hostname"), hostname, "must be a DNS name, not an IP address"
                    )
                )
    return errs


# ---------------------------------------------------------------- ingress class


def _domain_prefixed_path(fld: str, value: str) -> list[FieldError]:
    host, sep, rest = value.partition("/")
    if not sep or not host or not rest:
        return [invalid(fld, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errs = _subdomain(fld, host)
    if not _HTTP_PATH_RE.fullmatch(rest):
        detail = f"Invalid path (regex used for validation is '{_HTTP_PATH_FMT}')"
        errs.append(invalid(fld, rest, detail))
    return errs


def _parameters(params: Obj, fld: str) -> list[FieldError]:
    errs = _typed_reference(params, fld)
    if not is_set(params, "scope"):
        return errs + [required(path(fld, "scope"))]
    scope = get_str(params, "scope")
    if scope not in PARAMETER_SCOPES:
        return errs + [not_supported(path(fld, "scope"), scope, PARAMETER_SCOPES)]
    namespace = path(fld, "namespace")
    if scope == "Namespace":
        if not is_set(params, "namespace"):
            errs.append(required(namespace, "`parameters.scope` is set to 'Namespace'"))
        else:
            value = get_str(params, "namespace")
            errs += _each(namespace, value, dns1123_label_errors(value))
    elif is_set(params, "namespace"):
        errs.append(forbidden(namespace, "`parameters.scope` is set to 'Cluster'"))
    return errs


def validate_ingress_class(obj: Obj) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    controller = get_str(spec, "controller")
    errs: list[FieldError] = []
    if not controller:
        errs.append(required("spec.controller"))
    else:
        if len(controller.encode()) > MAX_CONTROLLER_LENGTH:
            errs.append(too_long("spec.controller", MAX_CONTROLLER_LENGTH))
        errs += _domain_prefixed_path("spec.controller", controller)
    if is_set(spec, "parameters"):
        errs += _parameters(get_dict(spec, "parameters"), "spec.parameters")
    return errs


def validate_ingress_class_update(new: Obj, old: Obj) -> list[FieldError]:
    controller = get_str(get_dict(new, "spec"), "controller")
    errs = []
    if controller != get_str(get_dict(old, "spec"), "controller"):
        errs.append(immutable("spec.controller", controller))
    return errs + validate_ingress_class(new)


# ---------------------------------------------------------------- network policy


def _policy_port(port: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if is_set(port, "protocol") and get_str(port, "protocol") not in NETWORK_POLICY_PROTOCOLS:
        errs.append(
            not_supported(
                path(fld, "protocol"), get_str(port, "protocol"), NETWORK_POLICY_PROTOCOLS
            )
        )
    value, end = port.get("port"), get_int(port, "endPort")
    at_end = path(fld, "endPort")
    if isinstance(value, str):
        if end is not None:
            errs.append(invalid(at_end, end, "may not be specified when `port` is non-numeric"))
        errs += _each(path(fld, "port"), value, port_name_errors(value))
    elif value is not None:
        number = get_int(port, "port") or 0
        errs += _each(path(fld, "port"), number, port_num_errors(number))
        if end is not None:
            if end < number:
                errs.append(invalid(at_end, end, "must be greater than or equal to `port`"))
            errs += _each(at_end, end, port_num_errors(end))
    elif end is not None:
        errs.append(invalid(at_end, end, "may not be specified when `port` is not specified"))
    return errs


def _network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    if not is_valid_cidr(cidr):
        return None
    ip, _, bits = cidr.partition("/")
    return ipaddress.ip_network(f"{parse_ip(ip)}/{int(bits)}", strict=False)


def _ip_block(block: Obj, fld: str, allowed_cidrs: set[str]) -> list[FieldError]:
    cidr = get_str(block, "cidr")
    if not cidr:
        return [required(path(fld, "cidr"))]
    errs = (
        []
        if cidr in allowed_cidrs or is_valid_cidr(cidr)
        else [invalid(path(fld, "cidr"), cidr, CIDR_MSG)]
    )
    network = _network(cidr)
    if network is None:
        return errs
    for i, except_cidr in enumerate(get_strs(block, "except")):
        at = path(fld, "except", i)
        if except_cidr not in allowed_cidrs and not is_valid_cidr(except_cidr):
            errs.append(invalid(at, except_cidr, CIDR_MSG))
        excluded = _network(except_cidr)
        if excluded is None:
            continue
        inside = excluded.version == network.version and excluded.network_address in network
        if not inside or network.prefixlen >= excluded.prefixlen:
            errs.append(invalid(at, except_cidr, "must be a strict subset of `cidr`"))
    return errs


def _peer(
    peer: Obj, fld: str, *, allowed_cidrs: set[str], allow_label_value: bool
) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for key in ("podSelector", "namespaceSelector"):
        if is_set(peer, key):
            count += 1
            errs += validate_label_selector(
                clean_selector(peer[key]),
                path(fld, key),
                allow_invalid_label_value=allow_label_value,
            )
    if is_set(peer, "ipBlock"):
        count += 1
        errs += _ip_block(get_dict(peer, "ipBlock"), path(fld, "ipBlock"), allowed_cidrs)
    if count == 0:
        errs.append(required(fld, "must specify a peer"))
    elif count > 1 and is_set(peer, "ipBlock"):
        errs.append(forbidden(fld, "may not specify both ipBlock and another peer"))
    return errs


def _policy_spec(
    spec: Obj, *, allowed_cidrs: set[str], allow_label_value: bool
) -> list[FieldError]:
    errs = validate_label_selector(
        clean_selector(spec.get("podSelector")),
        "spec.podSelector",
        allow_invalid_label_value=allow_label_value,
    )
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for i, rule in enumerate(get_dicts(spec, direction)):
            fld = path("spec", direction, i)
            for j, port in enumerate(get_dicts(rule, "ports")):
                errs += _policy_port(port, path(fld, "ports", j))
            for j, peer in enumerate(get_dicts(rule, peers)):
                errs += _peer(
                    peer,
                    path(fld, peers, j),
                    allowed_cidrs=allowed_cidrs,
                    allow_label_value=allow_label_value,
                )
    types = get_strs(spec, "policyTypes")
    if len(types) > len(POLICY_TYPES):
        rendered = go_strings(types, "networking.PolicyType")
        return errs + [
            invalid_rendered(
                "spec.policyTypes", rendered, "may not specify more than two policyTypes"
            )
        ]
    for i, policy_type in enumerate(types):
        if policy_type not in POLICY_TYPES:
            errs.append(not_supported(path("spec", "policyTypes", i), policy_type, POLICY_TYPES))
    return errs


def _policy_cidrs(spec: Obj) -> set[str]:
    cidrs: set[str] = set()
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for rule in get_dicts(spec, direction):
            for peer in get_dicts(rule, peers):
                block = get_dict(peer, "ipBlock")
                if block:
                    cidrs.add(get_str(block, "cidr"))
                    cidrs.update(get_strs(block, "except"))
    return cidrs


def validate_network_policy(obj: Obj) -> list[FieldError]:
    return _policy_spec(get_dict(obj, "spec"), allowed_cidrs=set(), allow_label_value=False)


def validate_network_policy_update(new: Obj, old: Obj) -> list[FieldError]:
    old_spec = get_dict(old, "spec")
    old_selector = validate_label_selector(clean_selector(old_spec.get("podSelector")), "")
    return _policy_spec(
        get_dict(new, "spec"),
        allowed_cidrs=_policy_cidrs(old_spec),
        allow_label_value=bool(old_selector),
    )
