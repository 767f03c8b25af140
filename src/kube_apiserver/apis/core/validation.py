"""Validation of core/v1 objects (everything except metadata), as kube-apiserver 1.33 does it.

Each `validate_<resource>` takes an object in its JSON (v1) form and returns the `FieldError`s
Kubernetes reports, with its messages and field paths — quirks included (node taints reported
under `metadata.taints`, `spec.LoadBalancerSourceRanges`, ...) because clients and people match
on them. Objects arrive already defaulted (defaults.py), as in kube-apiserver, so "required"
checks on defaulted fields only fire for explicitly empty values. Values of the wrong JSON type
are read as absent instead of crashing: decoding, not validation, is where Kubernetes refuses
them.

Where Kubernetes prints a Go value (`%#v` of an internal struct or map, or a pointer's
String()) the `go_*` helpers render the same text, since the message is part of the API.
The module is long because pod specs are: containers, volumes, probes, affinity and security
contexts all have rules of their own, and deployments reuse them through `validate_pod_template`.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import math
import re
from fractions import Fraction
from typing import Any, NamedTuple

from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    path,
    required,
    too_long,
)
from kube_apiserver.apis.meta.validation import (
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_value_errors,
    qualified_name_errors,
    validate_annotations,
    validate_label_selector,
    validate_labels,
)

# ---------------------------------------------------------------- reading JSON defensively


def clean_selector(sel: Any) -> dict:
    """A LabelSelector with every part of the type the selector checks expect."""
    exprs = [{"key": _s(e, "key"), "operator": _s(e, "operator"), "values": _ss(e, "values")}
             for e in _ds(sel, "matchExpressions")]
    return {"matchLabels": _smap(sel, "matchLabels") or {}, "matchExpressions": exprs}


def _d(obj: Any, key: str) -> dict:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, dict) else {}


def _ds(obj: Any, key: str) -> list[dict]:
    """A list of objects; non-objects become {} so indexes in field paths stay right."""
    v = obj.get(key) if isinstance(obj, dict) else None
    return [x if isinstance(x, dict) else {} for x in v] if isinstance(v, list) else []


def _ss(obj: Any, key: str) -> list[str]:
    v = obj.get(key) if isinstance(obj, dict) else None
    return [x if isinstance(x, str) else "" for x in v] if isinstance(v, list) else []


def _s(obj: Any, key: str) -> str:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, str) else ""


def _i(obj: Any, key: str) -> int | None:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _b(obj: Any, key: str) -> bool:
    return isinstance(obj, dict) and obj.get(key) is True


def _has(obj: Any, key: str) -> bool:
    return isinstance(obj, dict) and obj.get(key) is not None


def _smap(obj: Any, key: str) -> dict[str, str] | None:
    v = obj.get(key) if isinstance(obj, dict) else None
    return {str(k): x if isinstance(x, str) else "" for k, x in v.items()} if isinstance(v, dict) else None


# ---------------------------------------------------------------- Go value rendering

_ADDR = "0xc000010000"  # Go prints real pointer addresses; any fixed one serves


def go_quote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def go_map(m: dict[str, str] | None) -> str:
    """`%#v` of a map[string]string: keys sorted, nil distinct from empty."""
    if m is None:
        return "map[string]string(nil)"
    return "map[string]string{" + ", ".join(f"{go_quote(k)}:{go_quote(v)}" for k, v in sorted(m.items())) + "}"


def go_strings(xs: list[str] | None, type_name: str = "string") -> str:
    if xs is None:
        return f"[]{type_name}(nil)"
    return f"[]{type_name}{{" + ", ".join(go_quote(x) for x in xs) + "}"


def go_label_selector(sel: dict) -> str:
    """String() of a *metav1.LabelSelector, which field errors print instead of the struct."""
    labels = "".join(f"{k}: {v}," for k, v in sorted((_smap(sel, "matchLabels") or {}).items()))
    exprs = "".join(
        f"LabelSelectorRequirement{{Key:{_s(e, 'key')},Operator:{_s(e, 'operator')},"
        f"Values:[{' '.join(_ss(e, 'values'))}],}},"
        for e in _ds(sel, "matchExpressions")
    )
    return (f"&LabelSelector{{MatchLabels:map[string]string{{{labels}}},"
            f"MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}")


def go_int_or_string(v: Any) -> str:
    """%#v of an intstr.IntOrString nested in a struct."""
    if isinstance(v, str):
        return f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(v)}}}"
    n = v if isinstance(v, int) and not isinstance(v, bool) else 0
    return f'intstr.IntOrString{{Type:0, IntVal:{n}, StrVal:""}}'


def go_pointers(type_name: str, obj: dict, fields: list[tuple[str, str, str]]) -> str:
    """%#v of an internal struct made of pointer fields: (jsonKey, GoName, GoType)."""
    parts = [f"{name}:(*{t})({_ADDR if _has(obj, key) else 'nil'})" for key, name, t in fields]
    return type_name + "{" + ", ".join(parts) + "}"


def _text(fld: str, rendered: str, detail: str) -> FieldError:
    return FieldError("FieldValueInvalid", fld, f"Invalid value: {rendered}: {detail}")


def not_found(fld: str, value: str) -> FieldError:
    return FieldError("FieldValueNotFound", fld, f"Not found: {go_quote(value)}")


def _each(fld: str, value: Any, msgs: list[str]) -> list[FieldError]:
    return [invalid(fld, value, m) for m in msgs]


def _key(base: str, key: str) -> str:
    return f"{base}[{key}]"


# ---------------------------------------------------------------- formats

_DNS1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_SUBDOMAIN_US = re.compile(r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*")
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_PORT_NAME = re.compile(r"[-a-z0-9]+")
_PERCENT = re.compile(r"[0-9]+%")
_HEADER = re.compile(r"[-A-Za-z0-9]+")
_SYSCTL = re.compile(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?")
_RANGE = "must be between {} and {}, inclusive"
NONNEGATIVE = "must be greater than or equal to 0"
IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"


def _chdir_prefix(v: str) -> list[str]:
    if v == ".":
        return ["must not be '.'"]
    if v == "..":
        return ["must not be '..'"]
    return ["must not start with '..'"] if v.startswith("..") else []


def dns1035_label_errors(value: str) -> list[str]:
    """Why `value` is not an RFC 1035 label (the rule for Service names)."""
    errs = ["must be no more than 63 characters"] if len(value) > 63 else []
    if not _DNS1035.fullmatch(value):
        errs.append("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
                    "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
                    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
    return errs


def config_key_errors(value: str) -> list[str]:
    errs = ["must be no more than 253 characters"] if len(value) > 253 else []
    if not _CONFIG_KEY.fullmatch(value):
        errs.append("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                    "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
    return errs + _chdir_prefix(value)


def port_name_errors(port: str) -> list[str]:
    errs = ["must be no more than 15 characters"] if len(port) > 15 else []
    if not _PORT_NAME.fullmatch(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port[:1] == "-" or port[-1:] == "-":
        errs.append("must not begin or end with a hyphen")
    return errs


def percent_errors(v: str) -> list[str]:
    if _PERCENT.fullmatch(v):
        return []
    return ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or "
            "'93%', regex used for validation is '[0-9]+%')"]


def _port_num_errors(n: int) -> list[str]:
    return [] if 1 <= n <= 65535 else [_RANGE.format(1, 65535)]


def parse_ip(s: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Go's ParseIPSloppy: IPv4 parts may have leading zeros; IPv6 zones are refused."""
    if ":" in s:
        if "%" in s:
            return None
        try:
            return ipaddress.IPv6Address(s)
        except ValueError:
            return None
    parts = s.split(".")
    if len(parts) != 4 or not all(p.isascii() and p.isdigit() and int(p) <= 255 for p in parts):
        return None
    return ipaddress.IPv4Address(".".join(str(int(p)) for p in parts))


def is_valid_cidr(s: str) -> bool:
    ip, sep, bits = s.partition("/")
    addr = parse_ip(ip)
    if not sep or addr is None or not (bits.isascii() and bits.isdigit()):
        return False
    return int(bits) <= (32 if addr.version == 4 else 128)


def _ip(fld: str, value: str) -> list[FieldError]:
    return [] if parse_ip(value) is not None else [invalid(fld, value, IP_MSG)]


def _non_special_ip(fld: str, value: str) -> list[FieldError]:
    ip = parse_ip(value)
    if ip is None:
        return [invalid(fld, value, "must be a valid IP address")]
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    errs = []
    if ip.is_unspecified:
        errs.append(invalid(fld, value, f"may not be unspecified ({value})"))
    if ip.is_loopback:
        errs.append(invalid(fld, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if ip.is_link_local:
        errs.append(invalid(fld, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
    multicast = ip in ipaddress.ip_network("224.0.0.0/24") if ip.version == 4 else (
        ip.packed[0] == 0xFF and ip.packed[1] & 0x0F == 0x02)
    if multicast:
        errs.append(invalid(fld, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
    return errs


def _label(fld: str, v: str) -> list[FieldError]:
    return _each(fld, v, dns1123_label_errors(v))


def _subdomain(fld: str, v: str) -> list[FieldError]:
    return _each(fld, v, dns1123_subdomain_errors(v))


def _qualified(fld: str, v: str) -> list[FieldError]:
    return _each(fld, v, qualified_name_errors(v))


def _nonnegative(fld: str, v: int | None) -> list[FieldError]:
    return [invalid(fld, v, NONNEGATIVE)] if v is not None and v < 0 else []


def _enum(fld: str, v: str, supported: list[str]) -> list[FieldError]:
    """A required enumerated value: "Required value" when empty, else one of `supported`."""
    if v == "":
        return [required(fld)]
    return [] if v in supported else [not_supported(fld, v, supported)]


# ---------------------------------------------------------------- quantities


class Quantity(NamedTuple):
    value: Fraction
    fmt: str  # DecimalSI, BinarySI or DecimalExponent

    def __str__(self) -> str:
        return _canonical(self)


_QTY = re.compile(r"([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)")
QTY_MSG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
_DEC = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}


def parse_quantity(raw: Any) -> Quantity | None:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        return None
    m = _QTY.fullmatch(raw if isinstance(raw, str) else repr(raw))
    if not m or m.group(1).count(".") > 1 or not any(c.isdigit() for c in m.group(1)):
        return None
    num, suffix = Fraction(m.group(1)), m.group(2)
    if suffix in _DEC:
        value, fmt = num * Fraction(10) ** _DEC[suffix], "DecimalSI"
    elif suffix in _BIN:
        value, fmt = num * 2 ** _BIN[suffix], "BinarySI"
    elif re.fullmatch(r"[eE][-+]?[0-9]+", suffix):
        value, fmt = num * Fraction(10) ** int(suffix[1:]), "DecimalExponent"
    else:
        return None
    nanos = value * 10**9  # Kubernetes keeps nano precision, rounding up
    return Quantity(Fraction(math.ceil(nanos), 10**9) if nanos.denominator != 1 else value, fmt)


def _canonical(q: Quantity) -> str:
    v, fmt = q
    if fmt == "BinarySI" and (abs(v) < 1024 or v.denominator != 1):
        fmt = "DecimalSI"
    if fmt == "BinarySI":
        n = int(v)
        for suffix, bits in sorted(_BIN.items(), key=lambda kv: -kv[1]):
            if n % (1 << bits) == 0:
                return f"{n // (1 << bits)}{suffix}"
        return str(n)
    if v == 0:
        return "0"
    mantissa, exp = int(v * 10**9), -9
    while mantissa % 1000 == 0 and (exp < 18 or fmt == "DecimalExponent"):
        mantissa, exp = mantissa // 1000, exp + 3
    if fmt == "DecimalExponent":
        return str(mantissa) if exp == 0 else f"{mantissa}e{exp}"
    return f"{mantissa}{next(k for k, e in _DEC.items() if e == exp)}"


# ---------------------------------------------------------------- resources

_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
_STANDARD_RESOURCES = _CONTAINER_RESOURCES | {
    "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
    "limits.ephemeral-storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
    "persistentvolumeclaims", "configmaps", "storage", "requests.storage", "services.nodeports",
    "services.loadbalancers",
}
_INTEGER_RESOURCES = {"pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
                      "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"}


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_extended(name: str) -> bool:
    if _is_native(name) or name.startswith("requests."):
        return False
    return not qualified_name_errors("requests." + name)


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _container_resource_name(name: str, fld: str) -> list[FieldError]:
    errs = _qualified(fld, name)
    if "/" not in name:
        standard = name in _STANDARD_RESOURCES or _is_hugepages(name) or name.startswith("requests.hugepages-")
        if not errs and not standard:
            errs.append(invalid(fld, name, "must be a standard resource type or fully qualified"))
        if name not in _CONTAINER_RESOURCES and not _is_hugepages(name):
            errs.append(invalid(fld, name, "must be a standard resource for containers"))
    elif not _is_native(name) and not _is_extended(name):
        errs.append(invalid(fld, name, "doesn't follow extended resource name standard"))
    return errs


def _quantity_value(name: str, raw: Any, fld: str) -> tuple[Quantity | None, list[FieldError]]:
    q = parse_quantity(raw)
    if q is None:
        return None, [invalid(fld, raw if isinstance(raw, str) else str(raw), QTY_MSG)]
    errs = [invalid(fld, str(q), NONNEGATIVE)] if q.value < 0 else []
    if (name in _INTEGER_RESOURCES or _is_extended(name)) and q.value.denominator != 1:
        errs.append(_text(fld, str(q), "must be an integer"))
    return q, errs


def _hugepage_errors(name: str, q: Quantity, fld: str) -> list[FieldError]:
    page = parse_quantity(name[len("hugepages-"):])
    if page is not None and page.value > 0 and q.value > 0 and int(q.value) % int(page.value) == 0:
        return []
    return [invalid(fld, str(q), f"{q} is not positive integer multiple of {name}")]


def validate_resource_requirements(res: dict, claim_names: set[str], fld: str) -> list[FieldError]:
    """A container's resources: names, quantities, requests within limits, claims."""
    errs: list[FieldError] = []
    lim_path, req_path = path(fld, "limits"), path(fld, "requests")
    limits, requests = _d(res, "limits"), _d(res, "requests")
    parsed_limits: dict[str, Quantity] = {}
    has_cpu_mem = hugepages = False
    for name in sorted(limits):
        p = _key(lim_path, name)
        errs += _container_resource_name(name, p)
        q, qerrs = _quantity_value(name, limits[name], p)
        errs += qerrs
        if q is not None:
            parsed_limits[name] = q
            if _is_hugepages(name):
                hugepages = True
                errs += _hugepage_errors(name, q, p)
        has_cpu_mem |= name in ("cpu", "memory")
    for name in sorted(requests):
        p = _key(req_path, name)
        errs += _container_resource_name(name, p)
        q, qerrs = _quantity_value(name, requests[name], p)
        errs += qerrs
        overcommit = _is_native(name) and not _is_hugepages(name)
        if q is not None and name in parsed_limits:
            lim = parsed_limits[name]
            if q.value != lim.value and not overcommit:
                errs.append(invalid(req_path, str(q), f"must be equal to {name} limit of {lim}"))
            elif q.value > lim.value:
                errs.append(invalid(req_path, str(q), f"must be less than or equal to {name} limit of {lim}"))
        elif name not in limits and not overcommit:
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
        if q is not None and _is_hugepages(name):
            hugepages = True
            errs += _hugepage_errors(name, q, p)
        has_cpu_mem |= name in ("cpu", "memory")
    if hugepages and not has_cpu_mem:
        errs.append(forbidden(fld, "HugePages require cpu or memory"))
    return errs + _claim_refs(_ds(res, "claims"), claim_names, path(fld, "claims"))


def _claim_refs(claims: list[dict], claim_names: set[str], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()  # "claim" or "claim/request"
    for i, claim in enumerate(claims):
        name, request, p = _s(claim, "name"), _s(claim, "request"), path(fld, i)
        if not name:
            errs.append(required(p))
            continue
        if name in seen:
            errs.append(duplicate(p, name))
        else:
            key = name
            if request:
                errs += _label(path(p, "request"), request)
                key += "/" + request
            if key in seen:
                errs.append(duplicate(p, key))
            elif not request:
                errs += [duplicate(p, name) for k in sorted(seen) if k.split("/")[0] == name and "/" in k]
            seen.add(key)
        if name not in claim_names:
            listed = ": " + ", ".join(sorted(claim_names)) if claim_names else " which is empty"
            errs.append(FieldError("FieldValueNotFound", p, f"Not found: {go_quote(name)}: must be one of "
                                   f"the names in pod.spec.resourceClaims{listed}"))
    return errs


# ---------------------------------------------------------------- containers

PROTOCOLS = ["SCTP", "TCP", "UDP"]
PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
_ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                    "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]
_VOLUME_FIELD_PATHS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                       "metadata.uid"]
_RESOURCE_FIELD_PATHS = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
                         "requests.ephemeral-storage", "requests.memory"]


def _container_ports(ports: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        p = path(fld, i)
        name = _s(port, "name")
        if name:
            if msgs := port_name_errors(name):
                errs += _each(path(p, "name"), name, msgs)
            elif name in names:
                errs.append(duplicate(path(p, "name"), name))
            else:
                names.add(name)
        cp, hp = _i(port, "containerPort") or 0, _i(port, "hostPort") or 0
        if cp == 0:
            errs.append(required(path(p, "containerPort")))
        else:
            errs += _each(path(p, "containerPort"), cp, _port_num_errors(cp))
        if hp:
            errs += _each(path(p, "hostPort"), hp, _port_num_errors(hp))
        errs += _enum(path(p, "protocol"), _s(port, "protocol"), PROTOCOLS)
    return errs


def _env_name(fld: str, name: str) -> list[FieldError]:
    # RelaxedEnvironmentVariableValidation is on by default in 1.33.
    if any(ord(c) > 126 or ord(c) < 32 or c == "=" for c in name):
        return [invalid(fld, name, "a valid environment variable name must consist only of printable ASCII "
                                   "characters other than '='")]
    return []


def _field_selector(fs: dict, allowed: list[str], fld: str) -> list[FieldError]:
    if not _s(fs, "apiVersion"):
        return [required(path(fld, "apiVersion"))]
    fp = _s(fs, "fieldPath")
    if not fp:
        return [required(path(fld, "fieldPath"))]
    m = re.fullmatch(r"([^\[]+)\['(.*)'\]", fp)
    if m:
        if m.group(1) == "metadata.annotations":
            return _qualified(fld, m.group(2).lower())
        if m.group(1) == "metadata.labels":
            return _qualified(fld, m.group(2))
        return [invalid(fld, m.group(1), "does not support subscript")]
    return [] if fp in allowed else [not_supported(path(fld, "fieldPath"), fp, allowed)]


def _resource_selector(rs: dict, fld: str, *, volume: bool) -> list[FieldError]:
    res = _s(rs, "resource")
    if volume and not _s(rs, "containerName"):
        return [required(path(fld, "containerName"))]
    if not res:
        return [required(path(fld, "resource"))]
    if res not in _RESOURCE_FIELD_PATHS and not res.startswith(("requests.hugepages-", "limits.hugepages-")):
        return [not_supported(path(fld, "resource"), res, _RESOURCE_FIELD_PATHS)]
    return []


def _key_selector(sel: dict, fld: str) -> list[FieldError]:
    errs = _subdomain(path(fld, "name"), _s(sel, "name"))
    key = _s(sel, "key")
    return errs + ([required(path(fld, "key"))] if not key else _each(path(fld, "key"), key, config_key_errors(key)))


def _env(env: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, ev in enumerate(env):
        p = path(fld, i)
        name = _s(ev, "name")
        errs += [required(path(p, "name"))] if not name else _env_name(path(p, "name"), name)
        if not _has(ev, "valueFrom"):
            continue
        vf, vp = _d(ev, "valueFrom"), path(p, "valueFrom")
        sources = [k for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef") if _has(vf, k)]
        for k in sources:
            if k == "fieldRef":
                errs += _field_selector(_d(vf, k), _ENV_FIELD_PATHS, path(vp, k))
            elif k == "resourceFieldRef":
                errs += _resource_selector(_d(vf, k), path(vp, k), volume=False)
            else:
                errs += _key_selector(_d(vf, k), path(vp, k))
        if not sources:
            errs.append(invalid(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` "
                                        "or `secretKeyRef`"))
        elif _s(ev, "value"):
            errs.append(invalid(vp, "", "may not be specified when `value` is not empty"))
        elif len(sources) > 1:
            errs.append(invalid(vp, "", "may not have more than one field specified at a time"))
    return errs


def _env_from(sources: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, src in enumerate(sources):
        p = path(fld, i)
        if _s(src, "prefix"):
            errs += _env_name(path(p, "prefix"), _s(src, "prefix"))
        refs = [k for k in ("configMapRef", "secretRef") if _has(src, k)]
        for k in refs:
            name = _s(_d(src, k), "name")
            errs += [required(path(p, k, "name"))] if not name else _subdomain(path(p, k, "name"), name)
        if not refs:
            errs.append(invalid(fld, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif len(refs) > 1:
            errs.append(invalid(fld, "", "may not have more than one field specified at a time"))
    return errs


def _no_backsteps(fld: str, target: str) -> list[FieldError]:
    return [invalid(fld, target, "must not contain '..'")] if ".." in target.replace("\\", "/").split("/") else []


def _local_descending(fld: str, target: str) -> list[FieldError]:
    errs = [invalid(fld, target, "must be a relative path")] if target.startswith("/") else []
    return errs + _no_backsteps(fld, target)


def _local_non_reserved(fld: str, target: str) -> list[FieldError]:
    errs = _local_descending(fld, target)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(invalid(fld, target, "must not start with '..'"))
    return errs


def _volume_mounts(mounts: list[dict], devices: dict[str, str], volumes: dict[str, dict], privileged: bool,
                   fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, m in enumerate(mounts):
        p = path(fld, i)
        name, mount_path = _s(m, "name"), _s(m, "mountPath")
        if not name:
            errs.append(required(path(p, "name")))
        if name not in volumes:
            errs.append(not_found(path(p, "name"), name))
        if not mount_path:
            errs.append(required(path(p, "mountPath")))
        if mount_path in seen:
            errs.append(invalid(path(p, "mountPath"), mount_path, "must be unique"))
        seen.add(mount_path)
        if name in devices:
            errs.append(invalid(path(p, "name"), name, "must not already exist in volumeDevices"))
        if mount_path in devices.values():
            errs.append(invalid(path(p, "mountPath"), mount_path, "must not already exist as a path in volumeDevices"))
        sub, sub_expr = _s(m, "subPath"), _s(m, "subPathExpr")
        if "image" in volumes.get(name, {}):
            if sub:
                errs.append(invalid(path(p, "subPath"), sub, "not allowed in image volume sources"))
            if sub_expr:
                errs.append(invalid(path(p, "subPathExpr"), sub_expr, "not allowed in image volume sources"))
        # Kubernetes reports these three under the list's path, without the index.
        if sub:
            errs += _local_descending(path(fld, "subPath"), sub)
        if sub_expr:
            if sub:
                errs.append(invalid(path(p, "subPathExpr"), sub_expr, "subPathExpr and subPath are mutually exclusive"))
            errs += _local_descending(path(fld, "subPathExpr"), sub_expr)
        prop = _s(m, "mountPropagation")
        if _has(m, "mountPropagation"):
            mp = path(fld, "mountPropagation")
            if prop not in ("Bidirectional", "HostToContainer", "None"):
                errs.append(not_supported(mp, prop, ["Bidirectional", "HostToContainer", "None"]))
            if prop == "Bidirectional" and not privileged:
                errs.append(forbidden(mp, "Bidirectional mount propagation is available only to privileged containers"))
        rro = _s(m, "recursiveReadOnly")
        if _has(m, "recursiveReadOnly"):
            rp = path(fld, "recursiveReadOnly")
            if rro in ("Enabled", "IfPossible"):
                if not _b(m, "readOnly"):
                    errs.append(forbidden(rp, "may only be specified when readOnly is true"))
                if prop not in ("", "None"):
                    errs.append(forbidden(rp, "may only be specified when mountPropagation is None or not specified"))
            elif rro != "Disabled":
                errs.append(not_supported(rp, rro, ["Disabled", "Enabled", "IfPossible"]))
    return errs


def _volume_devices(devices: list[dict], mounts: dict[str, str], volumes: dict[str, dict],
                    fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    paths: set[str] = set()
    for i, dev in enumerate(devices):
        p = path(fld, i)
        name, dev_path = _s(dev, "name"), _s(dev, "devicePath")
        source = volumes.get(name)
        if not name:
            errs.append(required(path(p, "name")))
        if name in names:
            errs.append(invalid(path(p, "name"), name, "must be unique"))
        if source is not None and not ({"persistentVolumeClaim", "ephemeral"} & source.keys()):
            errs.append(invalid(path(p, "name"), name,
                                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"))
        if source is None:
            errs.append(not_found(path(p, "name"), name))
        if not dev_path:
            errs.append(required(path(p, "devicePath")))
        if dev_path in paths:
            errs.append(invalid(path(p, "devicePath"), dev_path, "must be unique"))
        if dev_path and _no_backsteps(p, dev_path):
            errs.append(invalid(path(p, "devicePath"), dev_path, "can not contain backsteps ('..')"))
        else:
            paths.add(dev_path)
        if name in mounts:
            errs.append(invalid(path(p, "name"), name, "must not already exist in volumeMounts"))
        if dev_path in mounts.values():
            errs.append(invalid(path(p, "devicePath"), dev_path, "must not already exist as a path in volumeMounts"))
        if name:
            names.add(name)
    return errs


def _resize_policy(policies: list[dict], fld: str, restart_policy: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, pol in enumerate(policies):
        res, rp = _s(pol, "resourceName"), _s(pol, "restartPolicy")
        if res in seen:
            errs.append(duplicate(path(fld, i), res))
        seen.add(res)
        errs += _enum(fld, res, ["cpu", "memory"])
        errs += _enum(fld, rp, ["NotRequired", "RestartContainer"])
        if restart_policy == "Never" and rp != "NotRequired":
            errs.append(invalid(fld, rp, "must be 'NotRequired' when `restartPolicy` is 'Never'"))
    return errs


def _ids(sc: dict, fld: str, keys: tuple[str, ...]) -> list[FieldError]:
    errs: list[FieldError] = []
    for k in keys:
        v = _i(sc, k)
        if v is not None and not 0 <= v <= 0xFFFFFFFF:
            errs.append(invalid(path(fld, k), v, _RANGE.format(0, 4294967295)))
    return errs


def _seccomp(sp: dict | None, fld: str) -> list[FieldError]:
    if sp is None:
        return []
    t = _s(sp, "type")
    errs: list[FieldError] = []
    if t == "":
        errs.append(required(path(fld, "type"), "type is required when seccompProfile is set"))
    elif t not in ("Localhost", "RuntimeDefault", "Unconfined"):
        errs.append(not_supported(path(fld, "type"), t, ["Localhost", "RuntimeDefault", "Unconfined"]))
    if t == "Localhost":
        if not _has(sp, "localhostProfile"):
            errs.append(required(path(fld, "localhostProfile"), "must be set when seccomp type is Localhost"))
        else:
            errs += _local_descending(path(fld, "localhostProfile"), _s(sp, "localhostProfile"))
    elif _has(sp, "localhostProfile"):
        rendered = f"core.SeccompProfile{{Type:{go_quote(t)}, LocalhostProfile:(*string)({_ADDR})}}"
        errs.append(_text(path(fld, "localhostProfile"), rendered, "can only be set when seccomp type is Localhost"))
    return errs


def _apparmor(ap: dict | None, fld: str) -> list[FieldError]:
    if ap is None:
        return []
    t, lp = _s(ap, "type"), _s(ap, "localhostProfile")
    if t == "Localhost":
        lp_path = path(fld, "localhostProfile")
        if not _has(ap, "localhostProfile"):
            return [required(lp_path, "must be set when AppArmor type is Localhost")]
        errs = []
        if lp.strip() != lp:
            errs.append(invalid(lp_path, lp, "must not be padded with whitespace"))
        elif not lp:
            errs.append(required(lp_path, "must be set when AppArmor type is Localhost"))
        return errs + ([too_long(lp_path, 4095)] if len(lp) > 4095 else [])
    if t in ("RuntimeDefault", "Unconfined"):
        return [invalid(path(fld, "localhostProfile"), lp, "can only be set when AppArmor type is Localhost")] \
            if _has(ap, "localhostProfile") else []
    if t == "":
        return [required(path(fld, "type"), "type is required when appArmorProfile is set")]
    return [not_supported(path(fld, "type"), t, ["Localhost", "RuntimeDefault", "Unconfined"])]


_SC_FIELDS = [("capabilities", "Capabilities", "core.Capabilities"), ("privileged", "Privileged", "bool"),
              ("seLinuxOptions", "SELinuxOptions", "core.SELinuxOptions"),
              ("windowsOptions", "WindowsOptions", "core.WindowsSecurityContextOptions"),
              ("runAsUser", "RunAsUser", "int64"), ("runAsGroup", "RunAsGroup", "int64"),
              ("runAsNonRoot", "RunAsNonRoot", "bool"), ("readOnlyRootFilesystem", "ReadOnlyRootFilesystem", "bool"),
              ("allowPrivilegeEscalation", "AllowPrivilegeEscalation", "bool"),
              ("procMount", "ProcMount", "core.ProcMountType"), ("seccompProfile", "SeccompProfile", "core.SeccompProfile"),
              ("appArmorProfile", "AppArmorProfile", "core.AppArmorProfile")]


def _container_security_context(sc: dict | None, fld: str, host_users: bool) -> list[FieldError]:
    if sc is None:
        return []
    errs = _ids(sc, fld, ("runAsUser", "runAsGroup"))
    if _has(sc, "procMount"):
        pm = _s(sc, "procMount")
        if pm not in ("Default", "Unmasked"):
            errs.append(not_supported(path(fld, "procMount"), pm, ["Default", "Unmasked"]))
        if host_users and pm == "Unmasked":
            errs.append(invalid(path(fld, "procMount"), pm, "`hostUsers` must be false to use `Unmasked`"))
    errs += _seccomp(_d(sc, "seccompProfile") if _has(sc, "seccompProfile") else None, path(fld, "seccompProfile"))
    if sc.get("allowPrivilegeEscalation") is False:
        rendered = go_pointers("core.SecurityContext", sc, _SC_FIELDS)
        if _b(sc, "privileged"):
            errs.append(_text(fld, rendered, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
        if "CAP_SYS_ADMIN" in _ss(_d(sc, "capabilities"), "add"):
            errs.append(_text(fld, rendered, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` "
                                             "CAP_SYS_ADMIN"))
    return errs + _apparmor(_d(sc, "appArmorProfile") if _has(sc, "appArmorProfile") else None,
                            path(fld, "appArmorProfile"))


def _port_num_or_name(value: Any, fld: str) -> list[FieldError]:
    if isinstance(value, str):
        return _each(fld, value, port_name_errors(value))
    n = value if isinstance(value, int) and not isinstance(value, bool) else 0
    return _each(fld, n, _port_num_errors(n))


def _handler(h: dict, kinds: tuple[str, ...], grace: int | None, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for kind in kinds:
        if not _has(h, kind):
            continue
        kp, action = path(fld, kind), _d(h, kind)
        if count:
            errs.append(forbidden(kp, "may not specify more than 1 handler type"))
            continue
        count += 1
        if kind == "exec" and not _ss(action, "command"):
            errs.append(required(path(kp, "command")))
        elif kind == "httpGet":
            if not _s(action, "path"):
                errs.append(required(path(kp, "path")))
            errs += _port_num_or_name(action.get("port"), path(kp, "port"))
            if _s(action, "scheme") not in ("HTTP", "HTTPS"):
                errs.append(not_supported(path(kp, "scheme"), _s(action, "scheme"), ["HTTP", "HTTPS"]))
            for header in _ds(action, "httpHeaders"):
                if not _HEADER.fullmatch(_s(header, "name")):
                    errs.append(invalid(path(kp, "httpHeaders"), _s(header, "name"),
                                        "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
                                        "'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"))
        elif kind in ("tcpSocket", "grpc"):
            port = action.get("port")
            errs += _port_num_or_name(port if kind == "tcpSocket" else (_i(action, "port") or 0), path(kp, "port"))
        elif kind == "sleep":
            secs = _i(action, "seconds") or 0
            if grace is not None and not 0 <= secs <= grace:
                errs.append(invalid(kp, secs, "must be non-negative and less than terminationGracePeriodSeconds "
                                              f"({grace})"))
    if count == 0:
        errs.append(required(fld, "must specify a handler type"))
    return errs


def _probe(probe: dict | None, grace: int | None, fld: str, kind: str) -> list[FieldError]:
    if probe is None:
        return []
    errs = _handler(probe, ("exec", "httpGet", "tcpSocket", "grpc"), grace, fld)
    for k in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        errs += _nonnegative(path(fld, k), _i(probe, k))
    tg = _i(probe, "terminationGracePeriodSeconds")
    if tg is not None and tg <= 0:
        errs.append(invalid(path(fld, "terminationGracePeriodSeconds"), tg, "must be greater than 0"))
    if kind in ("liveness", "startup") and (_i(probe, "successThreshold") or 0) != 1:
        errs.append(invalid(path(fld, "successThreshold"), _i(probe, "successThreshold") or 0, "must be 1"))
    if kind == "readiness" and _has(probe, "terminationGracePeriodSeconds"):
        errs.append(invalid(path(fld, "terminationGracePeriodSeconds"), tg, "must not be set for readinessProbes"))
    return errs


def _lifecycle_and_probes(c: dict, grace: int | None, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    lc = _d(c, "lifecycle")
    for hook in ("postStart", "preStop"):
        if _has(lc, hook):
            errs += _handler(_d(lc, hook), ("exec", "httpGet", "tcpSocket", "sleep"), grace, path(fld, "lifecycle", hook))
    for kind in ("liveness", "readiness", "startup"):
        key = kind + "Probe"
        errs += _probe(_d(c, key) if _has(c, key) else None, grace, path(fld, key), kind)
    return errs


def _container_common(c: dict, volumes: dict[str, dict], claim_names: set[str], fld: str, restart_policy: str,
                      host_users: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    name = _s(c, "name")
    errs += [required(path(fld, "name"))] if not name else _label(path(fld, "name"), name)
    if not _s(c, "image"):
        errs.append(required(path(fld, "image")))
    errs += _enum(path(fld, "terminationMessagePolicy"), _s(c, "terminationMessagePolicy"),
                  ["File", "FallbackToLogsOnError"])
    mounts = {_s(m, "name"): _s(m, "mountPath") for m in _ds(c, "volumeMounts")}
    devices = {_s(d, "name"): _s(d, "devicePath") for d in _ds(c, "volumeDevices")}
    errs += _container_ports(_ds(c, "ports"), path(fld, "ports"))
    errs += _env(_ds(c, "env"), path(fld, "env"))
    errs += _env_from(_ds(c, "envFrom"), path(fld, "envFrom"))
    privileged = _b(_d(c, "securityContext"), "privileged")
    errs += _volume_mounts(_ds(c, "volumeMounts"), devices, volumes, privileged, path(fld, "volumeMounts"))
    errs += _volume_devices(_ds(c, "volumeDevices"), mounts, volumes, path(fld, "volumeDevices"))
    errs += _enum(path(fld, "imagePullPolicy"), _s(c, "imagePullPolicy"), PULL_POLICIES)
    errs += validate_resource_requirements(_d(c, "resources"), claim_names, path(fld, "resources"))
    errs += _resize_policy(_ds(c, "resizePolicy"), path(fld, "resizePolicy"), restart_policy)
    return errs + _container_security_context(_d(c, "securityContext") if _has(c, "securityContext") else None,
                                              path(fld, "securityContext"), host_users)


def _host_port_conflicts(containers: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for ci, c in enumerate(containers):
        for pi, port in enumerate(_ds(c, "ports")):
            hp = _i(port, "hostPort") or 0
            if hp:
                key = f"{_s(port, 'protocol')}/{_s(port, 'hostIP')}/{hp}"
                if key in seen:
                    errs.append(duplicate(path(fld, ci, "ports", pi, "hostPort"), key))
                seen.add(key)
    return errs


# ---------------------------------------------------------------- volumes

_MODE_MSG = "must be a number between 0 and 0777 (octal), both inclusive"
HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]


def _mode(fld: str, v: int | None) -> list[FieldError]:
    return [invalid(fld, v, _MODE_MSG)] if v is not None and not 0 <= v <= 0o777 else []


def _key_to_paths(items: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, kp in enumerate(items):
        p = path(fld, i)
        if not _s(kp, "key"):
            errs.append(required(path(p, "key")))
        if not _s(kp, "path"):
            errs.append(required(path(p, "path")))
        errs += _local_non_reserved(path(p, "path"), _s(kp, "path"))
        errs += _mode(path(p, "mode"), _i(kp, "mode"))
    return errs


def _downward_file(f: dict, fld: str) -> list[FieldError]:
    # Kubernetes reports these under the volume source's path, without the item's index.
    errs = [required(path(fld, "path"))] if not _s(f, "path") else []
    errs += _local_non_reserved(path(fld, "path"), _s(f, "path"))
    if _has(f, "fieldRef"):
        errs += _field_selector(_d(f, "fieldRef"), _VOLUME_FIELD_PATHS, path(fld, "fieldRef"))
        if _has(f, "resourceFieldRef"):
            errs.append(invalid(fld, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
    elif _has(f, "resourceFieldRef"):
        errs += _resource_selector(_d(f, "resourceFieldRef"), path(fld, "resourceFieldRef"), volume=True)
    else:
        errs.append(required(fld, "one of fieldRef and resourceFieldRef is required"))
    return errs + _mode(path(fld, "mode"), _i(f, "mode"))


def _projected(src: dict, fld: str) -> list[FieldError]:
    errs = _mode(path(fld, "defaultMode"), _i(src, "defaultMode"))
    paths: set[str] = set()

    def claim(p: str, owner: str) -> None:
        if p in paths:
            errs.append(invalid(fld, owner, "conflicting duplicate paths"))
        paths.add(p)

    for i, source in enumerate(_ds(src, "sources")):
        sp = path(fld, "sources", i)
        kinds = [k for k in ("secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle")
                 if _has(source, k)]
        for kind in kinds:
            s, kp = _d(source, kind), path(sp, kind)
            if kind in ("secret", "configMap"):
                if not _s(s, "name"):
                    errs.append(required(path(kp, "name")))
                errs += _key_to_paths(_ds(s, "items"), path(kp, "items"))
                for item in _ds(s, "items"):
                    if _s(item, "path"):
                        claim(_s(item, "path"), _s(s, "name"))
            elif kind == "downwardAPI":
                for f in _ds(s, "items"):
                    errs += _downward_file(f, kp)
                    if _s(f, "path"):
                        claim(_s(f, "path"), _s(f, "path"))
            elif kind == "serviceAccountToken":
                exp = _i(s, "expirationSeconds") or 0
                if exp < 600:
                    errs.append(invalid(path(kp, "expirationSeconds"), exp, "may not specify a duration less than 10 minutes"))
                if exp > 1 << 32:
                    errs.append(invalid(path(kp, "expirationSeconds"), exp, "may not specify a duration larger than 2^32 seconds"))
                errs += [required(path(fld, "path"))] if not _s(s, "path") else _local_non_reserved(path(fld, "path"), _s(s, "path"))
            else:
                if _has(s, "name") == _has(s, "signerName"):
                    errs.append(required(kp, "either name or signerName must be specified") if not _has(s, "name")
                                else invalid(kp, s, "only one of name and signerName may be used"))
                if not _s(s, "path"):
                    errs.append(required(path(kp, "path")))
                errs += _local_non_reserved(path(kp, "path"), _s(s, "path"))
                claim(_s(s, "path"), _s(s, "path"))
        if len(kinds) > 1:
            errs.append(forbidden(sp, "may not specify more than 1 volume type per source"))
    return errs


def _needs(*keys: str):
    """A source whose listed fields must be non-empty."""
    def check(src: dict, fld: str) -> list[FieldError]:
        return [required(path(fld, k)) for k in keys if not src.get(k)]
    return check


def _partition(src: dict, fld: str) -> list[FieldError]:
    part = _i(src, "partition") or 0
    return [invalid(path(fld, "partition"), part, _RANGE.format(1, 255))] if not 0 <= part <= 255 else []


def _vs_empty_dir(src: dict, fld: str) -> list[FieldError]:
    q = parse_quantity(src.get("sizeLimit")) if _has(src, "sizeLimit") else None
    if q is not None and q.value < 0:
        return [forbidden(path(fld, "sizeLimit"), "SizeLimit field must be a valid resource quantity")]
    return []


def _vs_host_path(src: dict, fld: str) -> list[FieldError]:
    if not _s(src, "path"):
        return [required(path(fld, "path"))]
    errs = _no_backsteps(path(fld, "path"), _s(src, "path"))
    t = _s(src, "type")
    return errs + ([not_supported(path(fld, "type"), t, HOST_PATH_TYPES)] if t not in HOST_PATH_TYPES else [])


def _vs_git_repo(src: dict, fld: str) -> list[FieldError]:
    return _needs("repository")(src, fld) + _local_descending(path(fld, "directory"), _s(src, "directory"))


def _vs_secret(src: dict, fld: str) -> list[FieldError]:
    return (_needs("secretName")(src, fld) + _mode(path(fld, "defaultMode"), _i(src, "defaultMode"))
            + _key_to_paths(_ds(src, "items"), path(fld, "items")))


def _vs_config_map(src: dict, fld: str) -> list[FieldError]:
    return (_needs("name")(src, fld) + _mode(path(fld, "defaultMode"), _i(src, "defaultMode"))
            + _key_to_paths(_ds(src, "items"), path(fld, "items")))


def _vs_nfs(src: dict, fld: str) -> list[FieldError]:
    errs = _needs("server", "path")(src, fld)
    p = _s(src, "path")
    return errs + ([] if p.startswith("/") else [invalid(path(fld, "path"), p, "must be an absolute path")])


def _vs_iscsi(src: dict, fld: str) -> list[FieldError]:
    errs = _needs("targetPortal", "iqn")(src, fld)
    iqn = _s(src, "iqn")
    if iqn and not iqn.startswith(("iqn", "eui", "naa")):
        errs.append(invalid(path(fld, "iqn"), iqn, "must be valid format starting with iqn, eui, or naa"))
    lun = _i(src, "lun") or 0
    if not 0 <= lun <= 255:
        errs.append(invalid(path(fld, "lun"), lun, _RANGE.format(0, 255)))
    if (_b(src, "chapAuthDiscovery") or _b(src, "chapAuthSession")) and not _has(src, "secretRef"):
        errs.append(required(path(fld, "secretRef")))
    return errs


def _vs_flocker(src: dict, fld: str) -> list[FieldError]:
    name, uuid = _s(src, "datasetName"), _s(src, "datasetUUID")
    errs = [required(fld, "one of datasetName and datasetUUID is required")] if not name and not uuid else []
    if name and uuid:
        errs.append(invalid(fld, "resource", "datasetName and datasetUUID can not be specified simultaneously"))
    return errs + ([invalid(path(fld, "datasetName"), name, "must not contain '/'")] if "/" in name else [])


def _vs_downward(src: dict, fld: str) -> list[FieldError]:
    errs = _mode(path(fld, "defaultMode"), _i(src, "defaultMode"))
    for f in _ds(src, "items"):
        errs += _downward_file(f, fld)
    return errs


def _vs_fc(src: dict, fld: str) -> list[FieldError]:
    wwns, wwids = src.get("targetWWNs") or [], src.get("wwids") or []
    errs = [required(path(fld, "targetWWNs"), "must specify either targetWWNs or wwids, but not both")] \
        if not wwns and not wwids else []
    if wwns and wwids:
        errs.append(_text(path(fld, "targetWWNs"), go_strings(_ss(src, "targetWWNs")),
                          "targetWWNs and wwids can not be specified simultaneously"))
    if wwns:
        lun = _i(src, "lun")
        if lun is None:
            errs.append(required(path(fld, "lun"), "lun is required if targetWWNs is specified"))
        elif not 0 <= lun <= 255:
            errs.append(invalid(path(fld, "lun"), lun, _RANGE.format(0, 255)))
    return errs


def _vs_storageos(src: dict, fld: str) -> list[FieldError]:
    name = _s(src, "volumeName")
    errs = [required(path(fld, "volumeName"))] if not name else _label(path(fld, "volumeName"), name)
    if _s(src, "volumeNamespace"):
        errs += _label(path(fld, "volumeNamespace"), _s(src, "volumeNamespace"))
    return errs


def _vs_csi(src: dict, fld: str) -> list[FieldError]:
    driver, dp = _s(src, "driver"), path(fld, "driver")
    errs = [required(dp)] if not driver else []
    if len(driver) > 63:
        errs.append(too_long(dp, 63))
    return errs + _each(dp, driver, dns1123_subdomain_errors(driver.lower()))


def _vs_image(src: dict, fld: str) -> list[FieldError]:
    return _needs("reference")(src, fld) + _enum(path(fld, "pullPolicy"), _s(src, "pullPolicy"), PULL_POLICIES)


# In Kubernetes' order: (JSON key, the name its "more than 1 volume type" error uses, the child
# its own errors are reported under, checks). The odd names are Kubernetes' own.
_VOLUME_SOURCES = [
    ("emptyDir", "emptyDir", "emptyDir", _vs_empty_dir),
    ("hostPath", "hostPath", "hostPath", _vs_host_path),
    ("gitRepo", "gitRepo", "gitRepo", _vs_git_repo),
    ("gcePersistentDisk", "gcePersistentDisk", "persistentDisk", lambda s, f: _needs("pdName")(s, f) + _partition(s, f)),
    ("awsElasticBlockStore", "awsElasticBlockStore", "awsElasticBlockStore",
     lambda s, f: _needs("volumeID")(s, f) + _partition(s, f)),
    ("secret", "secret", "secret", _vs_secret),
    ("nfs", "nfs", "nfs", _vs_nfs),
    ("iscsi", "iscsi", "iscsi", _vs_iscsi),
    ("glusterfs", "glusterfs", "glusterfs", _needs("endpoints", "path")),
    ("flocker", "flocker", "flocker", _vs_flocker),
    ("persistentVolumeClaim", "persistentVolumeClaim", "persistentVolumeClaim", _needs("claimName")),
    ("rbd", "rbd", "rbd", _needs("monitors", "image")),
    ("cinder", "cinder", "cinder", _needs("volumeID")),
    ("cephfs", "cephFS", "cephfs", _needs("monitors")),
    ("quobyte", "quobyte", "quobyte", _needs("registry", "volume")),
    ("downwardAPI", "downwarAPI", "downwardAPI", _vs_downward),
    ("fc", "fc", "fc", _vs_fc),
    ("flexVolume", "flexVolume", "flexVolume", _needs("driver")),
    ("configMap", "configMap", "configMap", _vs_config_map),
    ("azureFile", "azureFile", "azureFile", _needs("secretName", "shareName")),
    ("vsphereVolume", "vsphereVolume", "vsphereVolume", _needs("volumePath")),
    ("photonPersistentDisk", "photonPersistentDisk", "photonPersistentDisk", _needs("pdID")),
    ("portworxVolume", "portworxVolume", "portworxVolume", _needs("volumeID")),
    ("azureDisk", "azureDisk", "azureDisk", _needs("diskName", "diskURI")),
    ("storageos", "storageos", "storageos", _vs_storageos),
    ("projected", "projected", "projected", _projected),
    ("scaleIO", "scaleIO", "scaleIO", _needs("gateway", "system", "volumeName")),
    ("csi", "csi", "csi", _vs_csi),
    ("ephemeral", "ephemeral", "ephemeral", _needs("volumeClaimTemplate")),
    ("image", "image", "image", _vs_image),
]


def _volume_source(vol: dict, fld: str, pod_name: str) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for key, dup_name, child, check in _VOLUME_SOURCES:
        if not _has(vol, key):
            continue
        if count:
            errs.append(forbidden(path(fld, dup_name), "may not specify more than 1 volume type"))
            continue
        count += 1
        errs += check(_d(vol, key), path(fld, child))
        if key == "ephemeral" and pod_name and _s(vol, "name"):
            claim = f"{pod_name}-{_s(vol, 'name')}"
            errs += [invalid(path(fld, "name"), _s(vol, "name"), f"PVC name {go_quote(claim)}: {m}")
                     for m in dns1123_subdomain_errors(claim)]
    if count == 0:
        errs.append(required(fld, "must specify a volume type"))
    return errs


def validate_volumes(volumes: list[dict], fld: str, *, pod_name: str = "") -> tuple[dict[str, dict], list[FieldError]]:
    """Volume names and sources; returns the valid volumes by name, for mounts to refer to."""
    errs: list[FieldError] = []
    valid: dict[str, dict] = {}
    created = {f"{pod_name}-{_s(v, 'name')}" for v in volumes if pod_name and _has(v, "ephemeral")}
    for i, vol in enumerate(volumes):
        p, name = path(fld, i), _s(vol, "name")
        el = _volume_source(vol, p, pod_name)
        el += [required(path(p, "name"))] if not name else _label(path(p, "name"), name)
        if name in valid:
            el.append(duplicate(path(p, "name"), name))
        if not el:
            valid[name] = vol
        errs += el
        claim = _s(_d(vol, "persistentVolumeClaim"), "claimName")
        if _has(vol, "persistentVolumeClaim") and claim in created:
            errs.append(invalid(path(p, "persistentVolumeClaim", "claimName"), claim,
                                "must not reference a PVC that gets created for an ephemeral volume"))
    return valid, errs


# ---------------------------------------------------------------- pod spec

RESTART_POLICIES = ["Always", "OnFailure", "Never"]
DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
_EPHEMERAL_FORBIDDEN = ["ports", "resources", "resizePolicy", "lifecycle", "livenessProbe", "readinessProbe",
                        "startupProbe", "restartPolicy"]


def _containers(containers: list[dict], volumes: dict[str, dict], claims: set[str], grace: int | None, fld: str,
                restart_policy: str, host_users: bool) -> list[FieldError]:
    if not containers:
        return [required(fld)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, c in enumerate(containers):
        p = path(fld, i)
        errs += _container_common(c, volumes, claims, p, restart_policy, host_users)
        if _s(c, "name") in names:
            errs.append(duplicate(path(p, "name"), _s(c, "name")))
        names.add(_s(c, "name"))
        errs += _lifecycle_and_probes(c, grace, p)
        if _has(c, "restartPolicy"):
            errs.append(forbidden(path(p, "restartPolicy"), "may not be set for non-init containers"))
    return errs + _host_port_conflicts(containers, fld)


def _init_containers(inits: list[dict], regular: list[dict], volumes: dict[str, dict], claims: set[str],
                     grace: int | None, fld: str, restart_policy: str, host_users: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    names = {_s(c, "name") for c in regular}
    for i, c in enumerate(inits):
        p = path(fld, i)
        errs += _container_common(c, volumes, claims, p, restart_policy, host_users)
        always = False
        if _has(c, "restartPolicy"):
            rp = _s(c, "restartPolicy")
            always = rp == "Always"
            if not always:
                errs.append(not_supported(path(p, "restartPolicy"), rp, ["Always"]))
        if _s(c, "name") in names:
            errs.append(duplicate(path(p, "name"), _s(c, "name")))
        elif _s(c, "name"):
            names.add(_s(c, "name"))
        errs += _host_port_conflicts([c], fld)
        if always:
            errs += _lifecycle_and_probes(c, grace, p)
        else:
            for k in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if _has(c, k):
                    errs.append(forbidden(path(p, k), "may not be set for init containers without restartPolicy=Always"))
    return errs


def _ephemeral_containers(ephemeral: list[dict], others: list[dict], volumes: dict[str, dict], claims: set[str],
                          fld: str, restart_policy: str, host_users: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    other_names = {_s(c, "name") for c in others}
    names = set(other_names)
    for i, c in enumerate(ephemeral):
        p = path(fld, i)
        errs += _container_common(c, volumes, claims, p, restart_policy, host_users)
        errs += _image_whitespace(c, p)
        if _s(c, "name") in names:
            errs.append(duplicate(path(p, "name"), _s(c, "name")))
        names.add(_s(c, "name"))
        target = _s(c, "targetContainerName")
        if target and target not in other_names:
            errs.append(not_found(path(p, "targetContainerName"), target))
        errs += [forbidden(path(p, k), "cannot be set for an Ephemeral Container")
                 for k in _EPHEMERAL_FORBIDDEN if c.get(k) not in (None, [], {}, "")]
        for j, m in enumerate(_ds(c, "volumeMounts")):
            errs += [forbidden(path(p, "volumeMounts", j, k), "cannot be set for an Ephemeral Container")
                     for k in ("subPath", "subPathExpr") if _s(m, k)]
    return errs


def _image_whitespace(c: dict, fld: str) -> list[FieldError]:
    image = _s(c, "image")
    return [invalid(path(fld, "image"), image, "must not have leading or trailing whitespace")] \
        if image != image.strip() else []


def _node_selector_requirement(rq: dict, fld: str, *, check_values: bool) -> list[FieldError]:
    op, values = _s(rq, "operator"), _ss(rq, "values")
    errs: list[FieldError] = []
    if op in ("In", "NotIn"):
        if not values:
            errs.append(required(path(fld, "values"), "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(forbidden(path(fld, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(required(path(fld, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
    else:
        errs.append(invalid(path(fld, "operator"), op, "not a valid selector operator"))
    errs += _qualified(path(fld, "key"), _s(rq, "key"))
    if check_values:
        for i, v in enumerate(values):
            errs += _each(path(fld, "values", i), v, label_value_errors(v))
    return errs


def _node_selector_term(term: dict, fld: str, *, check_values: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    for j, rq in enumerate(_ds(term, "matchExpressions")):
        errs += _node_selector_requirement(rq, path(fld, "matchExpressions", j), check_values=check_values)
    for j, rq in enumerate(_ds(term, "matchFields")):
        p, values = path(fld, "matchFields", j), _ss(rq, "values")
        if _s(rq, "operator") not in ("In", "NotIn"):
            errs.append(invalid(path(p, "operator"), _s(rq, "operator"), "not a valid selector operator"))
        elif len(values) != 1:
            errs.append(required(path(p, "values"),
                                 "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
        if _s(rq, "key") != "metadata.name":
            errs.append(invalid(path(p, "key"), _s(rq, "key"), "not a valid field selector key"))
        else:
            for k, v in enumerate(values):
                errs += _subdomain(path(p, "values", k), v)
    return errs


def _pod_affinity_term(term: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in ("labelSelector", "namespaceSelector"):
        if _has(term, key):
            errs += validate_label_selector(clean_selector(_d(term, key)), path(fld, key))
    for ns in _ss(term, "namespaces"):
        errs += _label(path(fld, "namespace"), ns)
    selector = _d(term, "labelSelector") if _has(term, "labelSelector") else None
    match_keys, mismatch_keys = _ss(term, "matchLabelKeys"), _ss(term, "mismatchLabelKeys")
    for key, keys in (("matchLabelKeys", match_keys), ("mismatchLabelKeys", mismatch_keys)):
        if keys and selector is None:
            errs.append(forbidden(path(fld, key), "must not be specified when labelSelector is not set"))
        elif keys:
            for i, k in enumerate(keys):
                errs += _qualified(path(fld, key, i), k)
    if selector is not None:
        in_labels = set(_d(selector, "matchLabels"))
        for e in _ds(selector, "matchExpressions"):
            k = _s(e, "key")
            if k in match_keys and k in in_labels:
                errs.append(invalid(path(fld, match_keys.index(k)), k, "exists in both matchLabelKeys and labelSelector"))
            in_labels.add(k)
    for i, k in enumerate(match_keys):
        if k in mismatch_keys:
            errs.append(invalid(path(fld, "matchLabelKeys", i), k, "exists in both matchLabelKeys and mismatchLabelKeys"))
    topology = _s(term, "topologyKey")
    if not topology:
        errs.append(required(path(fld, "topologyKey"), "can not be empty"))
    return errs + _qualified(path(fld, "topologyKey"), topology)


def _affinity(affinity: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    na = _d(affinity, "nodeAffinity")
    req_key, pref_key = "requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"
    if _has(na, req_key):
        rp = path(fld, "nodeAffinity", req_key, "nodeSelectorTerms")
        terms = _ds(_d(na, req_key), "nodeSelectorTerms")
        if not terms:
            errs.append(required(rp, "must have at least one node selector term"))
        for i, term in enumerate(terms):
            errs += _node_selector_term(term, path(rp, i), check_values=True)
    for i, term in enumerate(_ds(na, pref_key)):
        p = path(fld, "nodeAffinity", pref_key, i)
        weight = _i(term, "weight") or 0
        if not 1 <= weight <= 100:
            errs.append(invalid(path(p, "weight"), weight, "must be in the range 1-100"))
        errs += _node_selector_term(_d(term, "preference"), path(p, "preference"), check_values=False)
    for kind in ("podAffinity", "podAntiAffinity"):
        pa = _d(affinity, kind)
        for i, term in enumerate(_ds(pa, req_key)):
            errs += _pod_affinity_term(term, path(fld, kind, req_key, i))
        for i, term in enumerate(_ds(pa, pref_key)):
            p = path(fld, kind, pref_key, i)
            weight = _i(term, "weight") or 0
            if not 1 <= weight <= 100:
                errs.append(invalid(path(p, "weight"), weight, "must be in the range 1-100"))
            errs += _pod_affinity_term(_d(term, "podAffinityTerm"), path(p, "podAffinityTerm"))
    return errs


def validate_tolerations(tolerations: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, t in enumerate(tolerations):
        p = path(fld, i)
        key, op, value, effect = _s(t, "key"), _s(t, "operator"), _s(t, "value"), _s(t, "effect")
        if key:
            errs += _qualified(path(p, "key"), key)
        if not key and op != "Exists":
            errs.append(invalid(path(p, "operator"), op,
                                'operator must be Exists when `key` is empty, which means "match all values and all keys"'))
        if _has(t, "tolerationSeconds") and effect != "NoExecute":
            errs.append(invalid(path(p, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            if msgs := label_value_errors(value):
                errs.append(invalid(path(p, "operator"), value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(invalid(path(p, "operator"), value, "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(not_supported(path(p, "operator"), op, ["Equal", "Exists"]))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(not_supported(path(p, "effect"), effect, TAINT_EFFECTS))
    return errs


def _dns_config(cfg: dict | None, policy: str, fld: str) -> list[FieldError]:
    if policy == "None":
        if cfg is None:
            return [required(fld, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not _ss(cfg, "nameservers"):
            return [required(path(fld, "nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")]
    if cfg is None:
        return []
    errs: list[FieldError] = []
    servers, searches = _ss(cfg, "nameservers"), _ss(cfg, "searches")
    if len(servers) > 3:
        errs.append(_text(path(fld, "nameservers"), go_strings(servers), "must not have more than 3 nameservers"))
    for i, ns in enumerate(servers):
        errs += _ip(path(fld, "nameservers", i), ns)
    if len(searches) > 32:
        errs.append(_text(path(fld, "searches"), go_strings(searches), "must not have more than 32 search paths"))
    if len(" ".join(searches)) > 2048:
        errs.append(_text(path(fld, "searches"), go_strings(searches),
                          "must not have more than 2048 characters (including spaces) in the search list"))
    for i, search in enumerate(searches):
        # RelaxedDNSSearchValidation (on in 1.33) allows "_" and a lone ".".
        if search == ".":
            continue
        search = search.removesuffix(".")
        msgs = ["must be no more than 253 characters"] if len(search) > 253 else []
        if not _SUBDOMAIN_US.fullmatch(search):
            msgs.append("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', "
                        "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                        "regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]"
                        "([-_a-z0-9]*[a-z0-9])?)*')")
        errs += _each(path(fld, "searches", i), search, msgs)
    for i, opt in enumerate(_ds(cfg, "options")):
        if not _s(opt, "name"):
            errs.append(required(path(fld, "options", i), "must not be empty"))
    return errs


def _topology_spread(constraints: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, c in enumerate(constraints):
        p = path(fld, i)
        skew, key, when = _i(c, "maxSkew") or 0, _s(c, "topologyKey"), _s(c, "whenUnsatisfiable")
        if skew <= 0:
            errs.append(invalid(path(p, "maxSkew"), skew, "must be greater than zero"))
        if not key:
            errs.append(required(path(p, "topologyKey"), "can not be empty"))
        if when not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.append(not_supported(path(p, "whenUnsatisfiable"), when, ["DoNotSchedule", "ScheduleAnyway"]))
        if any(_s(o, "topologyKey") == key and _s(o, "whenUnsatisfiable") == when for o in constraints[i + 1:]):
            errs.append(duplicate(path(p, "{topologyKey, whenUnsatisfiable}"), f"{{{key}, {when}}}"))
        if _has(c, "minDomains"):
            md = _i(c, "minDomains") or 0
            if md <= 0:
                errs.append(invalid(path(p, "minDomains"), md, "must be greater than zero"))
            if when != "DoNotSchedule":
                errs.append(invalid(path(p, "minDomains"), md,
                                    f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {when}"))
        for k in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            if _has(c, k) and _s(c, k) not in ("Honor", "Ignore"):
                errs.append(not_supported(path(p, k), _s(c, k), ["Honor", "Ignore"]))
        selector = _d(c, "labelSelector") if _has(c, "labelSelector") else None
        keys = _ss(c, "matchLabelKeys")
        if keys and selector is None:
            errs.append(forbidden(path(p, "matchLabelKeys"), "must not be specified when labelSelector is not set"))
        in_selector = set(_d(selector, "matchLabels")) | {_s(e, "key") for e in _ds(selector, "matchExpressions")}
        for j, k in enumerate(keys):
            errs += _qualified(path(p, "matchLabelKeys", j), k)
            if k in in_selector:
                errs.append(invalid(path(p, "matchLabelKeys", j), k, "exists in both matchLabelKeys and labelSelector"))
        if selector is not None:
            errs += validate_label_selector(clean_selector(selector), path(p, "labelSelector"))
    return errs


def _sysctl_namespace(name: str) -> str:
    name = name.replace("/", ".")
    if name.startswith("net."):
        return "net"
    if name in ("kernel.sem",) or name.startswith(("kernel.shm", "kernel.msg", "fs.mqueue.")):
        return "ipc"
    return ""


def _pod_security_context(spec: dict, fld: str) -> list[FieldError]:
    sc = _d(spec, "securityContext")
    errs = _ids(sc, fld, ("fsGroup", "runAsUser", "runAsGroup"))
    for g, gid in enumerate(sc.get("supplementalGroups") or []):
        if isinstance(gid, int) and not 0 <= gid <= 0xFFFFFFFF:
            errs.append(invalid(path(fld, "supplementalGroups", g), gid, _RANGE.format(0, 4294967295)))
    if _b(spec, "shareProcessNamespace") and _b(spec, "hostPID"):
        errs.append(invalid(path(fld, "shareProcessNamespace"), True, "ShareProcessNamespace and HostPID cannot both be enabled"))
    seen: set[str] = set()
    for i, sysctl in enumerate(_ds(sc, "sysctls")):
        name, p = _s(sysctl, "name"), path(fld, "sysctls", i, "name")
        if not name:
            errs.append(required(p))
        elif len(name) > 253 or not _SYSCTL.fullmatch(name):
            errs.append(invalid(p, name, "must have at most 253 characters and match regex "
                                         "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"))
        elif name in seen:
            errs.append(duplicate(p, name))
        ns = _sysctl_namespace(name)
        if _b(spec, "hostNetwork") and ns == "net":
            errs.append(invalid(p, name, "may not be specified when 'hostNetwork' is true"))
        elif _b(spec, "hostIPC") and ns == "ipc":
            errs.append(invalid(p, name, "may not be specified when 'hostIPC' is true"))
        seen.add(name)
    checks = (("fsGroupChangePolicy", ["Always", "OnRootMismatch"]), ("supplementalGroupsPolicy", ["Merge", "Strict"]),
              ("seLinuxChangePolicy", ["MountOption", "Recursive"]))
    for key, supported in checks:
        if _has(sc, key) and _s(sc, key) not in supported:
            errs.append(not_supported(path(fld, key), _s(sc, key), supported))
    errs += _seccomp(_d(sc, "seccompProfile") if _has(sc, "seccompProfile") else None, path(fld, "seccompProfile"))
    return errs + _apparmor(_d(sc, "appArmorProfile") if _has(sc, "appArmorProfile") else None,
                            path(fld, "appArmorProfile"))


def _os(spec: dict, fld: str) -> list[FieldError]:
    name = _s(_d(spec, "os"), "name")
    if not name:
        return [required(path(fld, "os", "name"), "cannot be empty")]
    if name not in ("linux", "windows"):
        return [not_supported(path(fld, "os"), name, ["linux", "windows"])]
    containers = [(path(fld, kind, i), c) for kind in ("containers", "initContainers", "ephemeralContainers")
                  for i, c in enumerate(_ds(spec, kind))]
    sc = _d(spec, "securityContext")
    if name == "linux":
        errs = [forbidden(path(fld, "securityContext", "windowsOptions"), "windows options cannot be set for a linux pod")] \
            if _has(sc, "windowsOptions") else []
        return errs + [forbidden(path(p, "securityContext", "windowsOptions"), "windows options cannot be set for a linux pod")
                       for p, c in containers if _has(_d(c, "securityContext"), "windowsOptions")]
    msg = "cannot be set for a windows pod"
    errs = [forbidden(path(fld, "securityContext", k), msg) for k in
            ("appArmorProfile", "seLinuxOptions", "seccompProfile", "fsGroup", "fsGroupChangePolicy", "sysctls",
             "runAsUser", "runAsGroup", "supplementalGroups", "supplementalGroupsPolicy", "seLinuxChangePolicy")
            if sc.get(k) not in (None, [])]
    errs += [forbidden(path(fld, k), msg) for k in ("hostUsers", "shareProcessNamespace") if _has(spec, k)]
    errs += [forbidden(path(fld, k), msg) for k in ("hostPID", "hostIPC") if _b(spec, k)]
    for p, c in containers:
        csc = _d(c, "securityContext")
        errs += [forbidden(path(p, "securityContext", k), msg) for k in
                 ("appArmorProfile", "seLinuxOptions", "seccompProfile", "capabilities", "readOnlyRootFilesystem",
                  "privileged", "allowPrivilegeEscalation", "procMount", "runAsUser", "runAsGroup") if _has(csc, k)]
    return errs


def validate_pod_spec(spec: dict, fld: str, *, pod_name: str = "", is_pod: bool = False) -> list[FieldError]:
    """A PodSpec, for pods and for pod templates alike (`is_pod` adds the pod-only hostPort rule)."""
    errs: list[FieldError] = []
    grace = _i(spec, "terminationGracePeriodSeconds")
    if not _has(spec, "terminationGracePeriodSeconds"):
        errs.append(required(path(fld, "terminationGracePeriodSeconds")))
    host_users = spec.get("hostUsers") is not False
    restart = _s(spec, "restartPolicy")
    volumes, verrs = validate_volumes(_ds(spec, "volumes"), path(fld, "volumes"), pod_name=pod_name)
    errs += verrs
    claims: set[str] = set()
    for i, claim in enumerate(_ds(spec, "resourceClaims")):
        p, name = path(fld, "resourceClaims", i), _s(claim, "name")
        if not name:
            errs.append(required(path(p, "name")))
        elif name in claims:
            errs.append(duplicate(path(p, "name"), name))
        else:
            errs += _label(path(p, "name"), name)
        claims.add(name)
        refs = [k for k in ("resourceClaimName", "resourceClaimTemplateName") if _has(claim, k)]
        if len(refs) != 1:
            detail = ("at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified" if refs
                      else "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`")
            rendered = go_pointers("core.PodResourceClaim", claim, [
                ("resourceClaimName", "ResourceClaimName", "string"),
                ("resourceClaimTemplateName", "ResourceClaimTemplateName", "string")])
            errs.append(_text(p, rendered.replace("{", f"{{Name:{go_quote(name)}, ", 1), detail))
        for k in refs:
            errs += _subdomain(path(p, k), _s(claim, k))
    claims.discard("")
    containers, inits = _ds(spec, "containers"), _ds(spec, "initContainers")
    errs += _containers(containers, volumes, claims, grace, path(fld, "containers"), restart, host_users)
    errs += _init_containers(inits, containers, volumes, claims, grace, path(fld, "initContainers"), restart, host_users)
    errs += _ephemeral_containers(_ds(spec, "ephemeralContainers"), containers + inits, volumes, claims,
                                  path(fld, "ephemeralContainers"), restart, host_users)
    if _b(spec, "hostNetwork"):
        for i, c in enumerate(containers):
            for j, port in enumerate(_ds(c, "ports")):
                hp, cp = _i(port, "hostPort") or 0, _i(port, "containerPort") or 0
                if (is_pod or hp != 0) and hp != cp:
                    errs.append(invalid(path(fld, "containers", i, "ports", j, "hostPort"), hp,
                                        "must match `containerPort` when `hostNetwork` is true"))
    errs += _enum(path(fld, "restartPolicy"), restart, RESTART_POLICIES)
    errs += _enum(path(fld, "dnsPolicy"), _s(spec, "dnsPolicy"), DNS_POLICIES)
    if _has(spec, "nodeSelector"):
        errs += validate_labels(_smap(spec, "nodeSelector") or {}, path(fld, "nodeSelector"))
    errs += _pod_security_context(spec, path(fld, "securityContext"))
    for i, ref in enumerate(_ds(spec, "imagePullSecrets")):
        if set(ref) - {"name"}:
            errs.append(_text(path(fld, "imagePullSecrets", i), f"core.LocalObjectReference{{Name:{go_quote(_s(ref, 'name'))}}}",
                              "only name may be set"))
    errs += _affinity(_d(spec, "affinity"), path(fld, "affinity"))
    errs += _dns_config(_d(spec, "dnsConfig") if _has(spec, "dnsConfig") else None, _s(spec, "dnsPolicy"),
                        path(fld, "dnsConfig"))
    for i, gate in enumerate(_ds(spec, "readinessGates")):
        errs += _qualified(path(fld, "readinessGates", i, "conditionType"), _s(gate, "conditionType"))
    gates: set[str] = set()
    for i, gate in enumerate(_ds(spec, "schedulingGates")):
        name = _s(gate, "name")
        errs += _qualified(path(fld, "schedulingGates", i), name)
        if name in gates:
            errs.append(duplicate(path(fld, "schedulingGates", i), name))
        gates.add(name)
    errs += _topology_spread(_ds(spec, "topologySpreadConstraints"), path(fld, "topologySpreadConstraints"))
    if not host_users:
        errs += [forbidden(path(fld, name), "when `pod.Spec.HostUsers` is false")
                 for key, name in (("hostNetwork", "hostNetwork"), ("hostPID", "HostPID"), ("hostIPC", "HostIPC"))
                 if _b(spec, key)]
    for key in ("serviceAccountName", "nodeName", "priorityClassName"):
        if _s(spec, key):
            errs += _subdomain(path(fld, key), _s(spec, key))
    ads = _i(spec, "activeDeadlineSeconds")
    if ads is not None and not 1 <= ads <= 2**31 - 1:
        errs.append(invalid(path(fld, "activeDeadlineSeconds"), ads, _RANGE.format(1, 2147483647)))
    for key in ("hostname", "subdomain"):
        if _s(spec, key):
            errs += _label(path(fld, key), _s(spec, key))
    errs += validate_tolerations(_ds(spec, "tolerations"), path(fld, "tolerations"))
    for i, alias in enumerate(_ds(spec, "hostAliases")):
        errs += _ip(path(fld, "hostAliases", i, "ip"), _s(alias, "ip"))
        for j, host in enumerate(_ss(alias, "hostnames")):
            errs += _subdomain(path(fld, "hostAliases", i, "hostnames", j), host)
    if _has(spec, "runtimeClassName"):
        errs += _subdomain(path(fld, "runtimeClassName"), _s(spec, "runtimeClassName"))
    if _has(spec, "preemptionPolicy"):
        errs += _enum(path(fld, "preemptionPolicy"), _s(spec, "preemptionPolicy"), ["PreemptLowerPriority", "Never"])
    if _has(spec, "overhead"):
        errs += validate_resource_requirements({"limits": _d(spec, "overhead")}, set(), path(fld, "overhead"))
    if _has(spec, "os"):
        errs += _os(spec, fld)
    return errs


def _pod_annotations(annotations: dict[str, str], spec: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    mirror = "kubernetes.io/config.mirror"
    if mirror in annotations and not _s(spec, "nodeName"):
        errs.append(invalid(_key(fld, mirror), annotations[mirror], "must set spec.nodeName if mirror pod annotation is set"))
    cost_key = "controller.kubernetes.io/pod-deletion-cost"
    if cost_key in annotations:
        cost = annotations[cost_key]
        if not re.fullmatch(r"[-+]?[0-9]+", cost) or not -(2**31) <= int(cost) < 2**31:
            errs.append(invalid(_key(fld, cost_key), cost, "must be a 32bit integer"))
    names = {_s(c, "name") for kind in ("containers", "initContainers", "ephemeralContainers") for c in _ds(spec, kind)}
    for key, value in sorted(annotations.items()):
        if key == "seccomp.security.alpha.kubernetes.io/pod" or key.startswith("container.seccomp.security.alpha.kubernetes.io/"):
            if value.startswith("localhost/"):
                errs += _local_descending(path(fld, key), value[len("localhost/"):])
            elif value not in ("runtime/default", "docker/default", "unconfined"):
                errs.append(invalid(path(fld, key), value, "must be a valid seccomp profile"))
        prefix = "container.apparmor.security.beta.kubernetes.io/"
        if key.startswith(prefix):
            if key[len(prefix):] not in names:
                errs.append(invalid(_key(fld, key), key[len(prefix):], "container not found"))
            if value not in ("", "runtime/default", "unconfined") and not value.startswith("localhost/"):
                errs.append(invalid(_key(fld, key), value, f"invalid AppArmor profile name: {go_quote(value)}"))
    return errs


def validate_pod_template(template: dict, fld: str) -> list[FieldError]:
    """A PodTemplateSpec embedded in a workload (e.g. a Deployment's `spec.template`)."""
    meta, spec = _d(template, "metadata"), _d(template, "spec")
    # Kubernetes reports template labels and annotations without the `metadata` segment.
    errs = validate_labels(_smap(meta, "labels") or {}, path(fld, "labels"))
    annotations = _smap(meta, "annotations") or {}
    errs += validate_annotations(annotations, path(fld, "annotations"))
    errs += _pod_annotations(annotations, spec, path(fld, "annotations"))
    errs += validate_pod_spec(spec, path(fld, "spec"))
    if _ds(spec, "ephemeralContainers"):
        errs.append(forbidden(path(fld, "spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"))
    return errs


# ---------------------------------------------------------------- pods

UPDATABLE_POD_FIELDS = ("`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                        "`spec.tolerations` (only additions to existing tolerations),"
                        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")
_GO_NAMES = {"dnsPolicy": "DNSPolicy", "dnsConfig": "DNSConfig", "hostPID": "HostPID", "hostIPC": "HostIPC", "os": "OS"}


def _pod_metadata_and_spec(pod: dict) -> list[FieldError]:
    meta, spec = _d(pod, "metadata"), _d(pod, "spec")
    errs = _pod_annotations(_smap(meta, "annotations") or {}, spec, "metadata.annotations")
    errs += validate_pod_spec(spec, "spec", pod_name=_s(meta, "name"), is_pod=True)
    if not _s(spec, "serviceAccountName"):
        for vi, vol in enumerate(_ds(spec, "volumes")):
            for si, source in enumerate(_ds(_d(vol, "projected"), "sources")):
                if _has(source, "serviceAccountToken"):
                    errs.append(forbidden(path("spec.volumes", vi, "projected", "sources", si, "serviceAccountToken"),
                                          "must not be specified when serviceAccountName is not set"))
    for kind in ("containers", "initContainers"):
        for i, c in enumerate(_ds(spec, kind)):
            errs += _image_whitespace(c, path("spec", kind, i))
    return errs


def validate_pod(obj: dict) -> list[FieldError]:
    errs = _pod_metadata_and_spec(obj)
    spec = _d(obj, "spec")
    if _ds(spec, "ephemeralContainers"):
        errs.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
    if _s(spec, "nodeName") and _ds(spec, "schedulingGates"):
        errs.append(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"))
    return errs


def _normalized(v: Any) -> Any:
    """Kubernetes compares specs semantically: unset, empty and zero are the same."""
    if isinstance(v, dict):
        out = {k: _normalized(x) for k, x in v.items()}
        return {k: x for k, x in out.items() if x not in (None, [], {}, "", False)}  # False == 0
    if isinstance(v, list):
        return [_normalized(x) for x in v]
    return v


def _spec_diff(old: dict, new: dict) -> str:
    """A short rendering of what changed, in the spirit of the cmp.Diff Kubernetes appends."""
    keys = sorted(set(old) | set(new))
    lines = ["  core.PodSpec{"]
    same = sum(1 for k in keys if old.get(k) == new.get(k))
    if same:
        lines.append(f"  \t... // {same} identical fields")
    for k in keys:
        if old.get(k) != new.get(k):
            name = _GO_NAMES.get(k, k[:1].upper() + k[1:])
            for sign, side in (("-", old), ("+", new)):
                if k in side:
                    lines.append(f"{sign} \t{name}: {json.dumps(side[k], separators=(',', ':'))},")
    return "\n".join([*lines, "  }", ""])


def _container_updates(new: list[dict], old: list[dict], fld: str) -> tuple[list[FieldError], bool]:
    if len(new) != len(old):
        return [forbidden(fld, "pod updates may not add or remove containers")], True
    errs: list[FieldError] = []
    for i, c in enumerate(new):
        if not _s(c, "image"):
            errs.append(required(path(fld, i, "image")))
        errs += _image_whitespace(c, path(fld, i))
    return errs, False


def validate_pod_update(new: dict, old: dict) -> list[FieldError]:
    errs = _pod_metadata_and_spec(new)
    mirror = "kubernetes.io/config.mirror"
    new_ann, old_ann = _smap(_d(new, "metadata"), "annotations") or {}, _smap(_d(old, "metadata"), "annotations") or {}
    if mirror in old_ann and new_ann.get(mirror) != old_ann[mirror]:
        errs.append(forbidden(_key("metadata.annotations", mirror), "may not remove or update mirror pod annotation"))
    if mirror in new_ann and mirror not in old_ann:
        errs.append(forbidden(_key("metadata.annotations", mirror), "may not add mirror pod annotation"))
    ns, os_ = _d(new, "spec"), _d(old, "spec")
    for kind in ("containers", "initContainers"):
        cerrs, stop = _container_updates(_ds(ns, kind), _ds(os_, kind), path("spec", kind))
        errs += cerrs
        if stop:
            return errs
    new_ads, old_ads = _i(ns, "activeDeadlineSeconds"), _i(os_, "activeDeadlineSeconds")
    if new_ads is not None:
        if not 0 <= new_ads <= 2**31 - 1:
            return errs + [invalid("spec.activeDeadlineSeconds", new_ads, _RANGE.format(0, 2147483647))]
        if old_ads is not None and old_ads < new_ads:
            return errs + [invalid("spec.activeDeadlineSeconds", new_ads, "must be less than or equal to previous value")]
    elif old_ads is not None:
        errs.append(invalid("spec.activeDeadlineSeconds", None, "must not update from a positive integer to nil value"))
    new_tol, old_tol = _ds(ns, "tolerations"), _ds(os_, "tolerations")
    strip = [{k: v for k, v in t.items() if k != "tolerationSeconds"} for t in new_tol]
    if any({k: v for k, v in t.items() if k != "tolerationSeconds"} not in strip for t in old_tol):
        errs.append(forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"))
    else:
        errs += validate_tolerations(new_tol, "spec.tolerations")
    old_gates = {_s(g, "name") for g in _ds(os_, "schedulingGates")}
    for i, gate in enumerate(_ds(ns, "schedulingGates")):
        if _s(gate, "name") not in old_gates:
            errs.append(forbidden(path("spec.schedulingGates", i, "name"),
                                  f"only deletion is allowed, but found new scheduling gate '{_s(gate, 'name')}'"))
    munged = json.loads(json.dumps(ns))
    for kind in ("containers", "initContainers"):
        for c, o in zip(_ds(munged, kind), _ds(os_, kind), strict=False):
            c["image"] = o.get("image")
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        munged.pop(key, None)
        if key in os_:
            munged[key] = os_[key]
    old_grace = _i(os_, "terminationGracePeriodSeconds")
    if old_grace is not None and old_grace < 0 and _i(munged, "terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    if old_gates:
        new_sel, old_sel = _smap(munged, "nodeSelector") or {}, _smap(os_, "nodeSelector") or {}
        if new_sel != old_sel:
            if any(new_sel.get(k) != v for k, v in old_sel.items()):
                errs.append(_text("spec.nodeSelector", go_map(new_sel),
                                  "only additions to spec.nodeSelector are allowed (no mutations or deletions)"))
            munged.pop("nodeSelector", None)
            if "nodeSelector" in os_:
                munged["nodeSelector"] = os_["nodeSelector"]
    a, b = _normalized(munged), _normalized(os_)
    if a != b:
        errs.append(forbidden("spec", f"pod updates may not change fields other than {UPDATABLE_POD_FIELDS}\n"
                                      + _spec_diff(b, a)))
    return errs


def _terminated(status: dict) -> dict | None:
    state = _d(status, "state")
    return _d(state, "terminated") if _has(state, "terminated") else None


def _state_transitions(new: list[dict], old: list[dict], fld: str, restart_policy: str,
                       restartable: frozenset[str] | set[str] = frozenset()) -> list[FieldError]:
    if restart_policy == "Always":
        return []
    errs: list[FieldError] = []
    for i, o in enumerate(old):
        term = _terminated(o)
        if term is None or (_i(term, "exitCode") or 0) != 0 and restart_policy == "OnFailure":
            continue
        if _s(o, "name") in restartable:
            continue
        errs += [forbidden(path(fld, i, "state"), "may not be transitioned to non-terminated state")
                 for n in new if _s(n, "name") == _s(o, "name") and _terminated(n) is None]
    return errs


def _ip_list(ips: list[dict], fld: str, what: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, ip in enumerate(ips):
        errs += _ip(path(fld, i), _s(ip, "ip"))
    if errs or len(ips) < 2:
        return errs
    values = [_s(ip, "ip") for ip in ips]
    families = {parse_ip(v).version for v in values}  # type: ignore[union-attr]
    if len(families) != 2 or len(values) > 2:
        rendered = "[]core." + what + "{" + ", ".join(f"core.{what}{{IP:{go_quote(v)}}}" for v in values) + "}"
        errs.append(_text(fld, rendered, "may specify no more than one IP for each IP family"))
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            errs.append(FieldError("FieldValueDuplicate", path(fld, i), f"Duplicate value: core.{what}{{IP:{go_quote(v)}}}"))
        seen.add(v)
    return errs


def validate_pod_status_update(new: dict, old: dict) -> list[FieldError]:
    ns, os_, st, ost = _d(new, "spec"), _d(old, "spec"), _d(new, "status"), _d(old, "status")
    errs: list[FieldError] = []
    for i, cond in enumerate(_ds(st, "conditions")):
        if _s(cond, "type") not in ("PodScheduled", "Ready", "Initialized"):
            # Kubernetes reports these under metadata, with a capital T.
            errs += _qualified(path("metadata.conditions", i, "Type"), _s(cond, "type"))
    if _s(ns, "nodeName") != _s(os_, "nodeName"):
        errs.append(forbidden("status.nodeName", "may not be changed directly"))
    nominated = _s(st, "nominatedNodeName")
    if nominated and nominated != _s(ost, "nominatedNodeName"):
        errs += _subdomain("status.nominatedNodeName", nominated)
    if _s(st, "qosClass") != _s(ost, "qosClass"):
        errs.append(invalid("status.qosClass", _s(st, "qosClass"), "field is immutable"))
    restart = _s(os_, "restartPolicy")
    restartable = {_s(c, "name") for c in _ds(os_, "initContainers") if _s(c, "restartPolicy") == "Always"}
    errs += _state_transitions(_ds(st, "containerStatuses"), _ds(ost, "containerStatuses"),
                               "status.containerStatuses", restart)
    errs += _state_transitions(_ds(st, "initContainerStatuses"), _ds(ost, "initContainerStatuses"),
                               "status.initContainerStatuses", restart, restartable)
    errs += _state_transitions(_ds(st, "ephemeralContainerStatuses"), _ds(ost, "ephemeralContainerStatuses"),
                               "status.ephemeralContainerStatuses", "Never")
    errs += _ip_list(_ds(st, "podIPs"), "status.podIPs", "PodIP")
    host_ips = _ds(st, "hostIPs")
    if host_ips and _s(st, "hostIP") != _s(host_ips[0], "ip"):
        errs.append(invalid("status.hostIPs[0].ip", _s(host_ips[0], "ip"), "must be equal to `hostIP`"))
    return errs + _ip_list(host_ips, "status.hostIPs", "HostIP")


# ---------------------------------------------------------------- services

SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]


def _cluster_ips(spec: dict) -> list[str]:
    return _ss(spec, "clusterIPs")


def _headless(spec: dict) -> bool:
    ips = _cluster_ips(spec)
    return len(ips) == 1 and ips[0] == "None"


def _externally_accessible(spec: dict) -> bool:
    t = _s(spec, "type")
    return t in ("LoadBalancer", "NodePort") or t == "ClusterIP" and bool(_ss(spec, "externalIPs"))


def _go_service_port(protocol: str, port: int) -> str:
    return (f'core.ServicePort{{Name:"", Protocol:{go_quote(protocol)}, AppProtocol:(*string)(nil), Port:{port}, '
            f'TargetPort:{go_int_or_string(0)}, NodePort:0}}')


def _cluster_ip_fields(spec: dict) -> list[FieldError]:
    if _s(spec, "type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    ip, ips, families = _s(spec, "clusterIP"), _cluster_ips(spec), _ss(spec, "ipFamilies")
    if ip:
        if not ips:
            errs.append(required("spec.clusterIPs"))
        elif ips[0] != ip:
            errs.append(_text("spec.clusterIPs", go_strings(ips), "first value must match `clusterIP`"))
    elif ips:
        errs.append(_text("spec.clusterIPs", go_strings(ips), "must be empty when `clusterIP` is not specified"))
    seen: set[str] = set()
    for i, fam in enumerate(families):
        if fam not in ("IPv4", "IPv6"):
            errs.append(not_supported(path("spec.ipFamilies", i), fam, ["IPv4", "IPv6"]))
        if fam in seen:
            errs.append(duplicate(path("spec.ipFamilies", i), fam))
        seen.add(fam)
    policies = ["PreferDualStack", "RequireDualStack", "SingleStack"]
    if _has(spec, "ipFamilyPolicy") and _s(spec, "ipFamilyPolicy") not in policies:
        errs.append(not_supported("spec.ipFamilyPolicy", _s(spec, "ipFamilyPolicy"), policies))
    bad = False
    for i, v in enumerate(ips):
        if i == 0 and v == "None":
            if len(ips) > 1:
                bad = True
                errs.append(_text("spec.clusterIPs", go_strings(ips), "'None' must be the first and only value"))
            continue
        ip_errs = _ip(path("spec.clusterIPs", i), v)
        bad = bad or bool(ip_errs)
        errs += ip_errs
    if len(ips) > 2:
        errs.append(_text("spec.clusterIPs", go_strings(ips), "may only hold up to 2 values"))
    if bad:
        return errs
    if len(ips) > 1 and len({parse_ip(v).version for v in ips}) != 2:  # type: ignore[union-attr]
        errs.append(_text("spec.clusterIPs", go_strings(ips), "may specify no more than one IP for each IP family"))
    if not _headless(spec) and ips and families:
        for i, (v, fam) in enumerate(zip(ips, families, strict=False)):
            v6 = parse_ip(v).version == 6  # type: ignore[union-attr]
            if fam == "IPv4" and v6 or fam == "IPv6" and not v6:
                errs.append(invalid(path("spec.clusterIPs", i), v,
                                    f"expected an {fam} value as indicated by `ipFamilies[{i}]`"))
    return errs


def _service_port(sp: dict, require_name: bool, names: set[str], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = _s(sp, "name")
    if require_name and not name:
        errs.append(required(path(fld, "name")))
    elif name:
        errs += _label(path(fld, "name"), name)
        if name in names:
            errs.append(duplicate(path(fld, "name"), name))
        names.add(name)
    port = _i(sp, "port") or 0
    errs += _each(path(fld, "port"), port, _port_num_errors(port))
    errs += _enum(path(fld, "protocol"), _s(sp, "protocol"), PROTOCOLS)
    errs += _port_num_or_name(sp.get("targetPort"), path(fld, "targetPort"))
    if _has(sp, "appProtocol"):
        errs += _qualified(path(fld, "appProtocol"), _s(sp, "appProtocol"))
    return errs


def validate_service(obj: dict) -> list[FieldError]:
    spec, meta = _d(obj, "spec"), _d(obj, "metadata")
    annotations = _smap(meta, "annotations") or {}
    errs: list[FieldError] = []
    hints, mode = "service.kubernetes.io/topology-aware-hints", "service.kubernetes.io/topology-mode"
    if hints in annotations and mode in annotations and annotations[hints] != annotations[mode]:
        errs.append(invalid(_key("metadata.annotations", mode), annotations[mode],
                            f"must match annotations[{hints}] when both are specified"))
    stype, ports, ips = _s(spec, "type"), _ds(spec, "ports"), _cluster_ips(spec)
    if not ports and not _headless(spec) and stype != "ExternalName":
        errs.append(required("spec.ports"))
    if stype in ("LoadBalancer", "NodePort") and _headless(spec):
        errs.append(invalid("spec.clusterIPs[0]", ips[0], f"may not be set to 'None' for {stype} services"))
    elif stype == "ExternalName":
        for key in ("clusterIPs", "ipFamilies"):
            if _ss(spec, key):
                errs.append(forbidden(path("spec", key), "may not be set for ExternalName services"))
        if _has(spec, "ipFamilyPolicy"):
            errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
        cname = _s(spec, "externalName").removesuffix(".")
        errs += _subdomain("spec.externalName", cname) if cname else [required("spec.externalName")]
    names: set[str] = set()
    for i, sp in enumerate(ports):
        errs += _service_port(sp, len(ports) > 1, names, path("spec.ports", i))
    if _has(spec, "selector"):
        errs += validate_labels(_smap(spec, "selector") or {}, "spec.selector")
    affinity = _s(spec, "sessionAffinity")
    errs += _enum("spec.sessionAffinity", affinity, ["ClientIP", "None"])
    if affinity == "ClientIP":
        cfg = _d(spec, "sessionAffinityConfig")
        cp = "spec.sessionAffinityConfig"
        if not _has(spec, "sessionAffinityConfig"):
            errs.append(required(cp, "when session affinity type is ClientIP"))
        elif not _has(cfg, "clientIP"):
            errs.append(required(path(cp, "clientIP"), "when session affinity type is ClientIP"))
        elif not _has(_d(cfg, "clientIP"), "timeoutSeconds"):
            errs.append(required(path(cp, "clientIP", "timeoutSeconds"), "when session affinity type is ClientIP"))
        elif not 0 < (_i(_d(cfg, "clientIP"), "timeoutSeconds") or 0) <= 86400:
            errs.append(invalid(path(cp, "clientIP", "timeoutSeconds"), _i(_d(cfg, "clientIP"), "timeoutSeconds") or 0,
                                "must be greater than 0 and less than 86400"))
    elif affinity == "None" and _has(spec, "sessionAffinityConfig"):
        errs.append(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))
    errs += _cluster_ip_fields(spec)
    for i, ip in enumerate(_ss(spec, "externalIPs")):
        errs += _ip(path("spec.externalIPs", i), ip) or _non_special_ip(path("spec.externalIPs", i), ip)
    errs += _enum("spec.type", stype, SERVICE_TYPES)
    if stype == "ClusterIP":
        errs += [forbidden(path("spec.ports", i, "nodePort"), "may not be used when `type` is 'ClusterIP'")
                 for i, sp in enumerate(ports) if _i(sp, "nodePort")]
    node_ports: set[tuple[str, int]] = set()
    for i, sp in enumerate(ports):
        key = (_s(sp, "protocol"), _i(sp, "nodePort") or 0)
        if key[1] and key in node_ports:
            errs.append(duplicate(path("spec.ports", i, "nodePort"), key[1]))
        node_ports.add(key)
    seen_ports: set[tuple[str, int]] = set()
    for i, sp in enumerate(ports):
        key = (_s(sp, "protocol"), _i(sp, "port") or 0)
        if key in seen_ports:
            errs.append(FieldError("FieldValueDuplicate", path("spec.ports", i),
                                   f"Duplicate value: {_go_service_port(*key)}"))
        seen_ports.add(key)
    ranges = _ss(spec, "loadBalancerSourceRanges")
    ann = "service.beta.kubernetes.io/load-balancer-source-ranges"
    if ranges:
        fp = "spec.LoadBalancerSourceRanges"  # sic
        if stype != "LoadBalancer":
            errs.append(forbidden(fp, "may only be used when `type` is 'LoadBalancer'"))
        for i, r in enumerate(ranges):
            if not is_valid_cidr(r.strip()):
                errs.append(invalid(path(fp, i), r.strip(), CIDR_MSG))
    elif ann in annotations:
        fp = _key("metadata.annotations", ann)
        if stype != "LoadBalancer":
            errs.append(forbidden(fp, "may only be used when `type` is 'LoadBalancer'"))
        val = annotations[ann].strip()
        errs += [invalid(fp, c.strip(), CIDR_MSG) for c in (val.split(",") if val else []) if not is_valid_cidr(c.strip())]
    if _has(spec, "allocateLoadBalancerNodePorts") and stype != "LoadBalancer":
        errs.append(forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
    if stype == "LoadBalancer" and not _has(spec, "allocateLoadBalancerNodePorts"):
        errs.append(required("allocateLoadBalancerNodePorts"))  # sic: no "spec."
    if _has(spec, "loadBalancerClass"):
        lbc = _s(spec, "loadBalancerClass")
        errs += _qualified("spec.loadBalancerClass", lbc) if stype == "LoadBalancer" else [
            forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'")]
    etp = _s(spec, "externalTrafficPolicy")
    if not _externally_accessible(spec):
        if etp:
            errs.append(invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"))
    else:
        errs += _enum("spec.externalTrafficPolicy", etp, ["Cluster", "Local"])
    hc = _i(spec, "healthCheckNodePort") or 0
    if not (stype == "LoadBalancer" and etp == "Local"):
        if hc:
            errs.append(invalid("spec.healthCheckNodePort", hc,
                                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    elif not hc:
        errs.append(required("spec.healthCheckNodePort"))
    else:
        errs += _each("spec.healthCheckNodePort", hc, _port_num_errors(hc))
    if not _has(spec, "internalTrafficPolicy") and stype in ("NodePort", "LoadBalancer", "ClusterIP"):
        errs.append(required("spec.internalTrafficPolicy"))
    if _has(spec, "internalTrafficPolicy") and _s(spec, "internalTrafficPolicy") not in ("Cluster", "Local"):
        errs.append(not_supported("spec.internalTrafficPolicy", _s(spec, "internalTrafficPolicy"), ["Cluster", "Local"]))
    if _has(spec, "trafficDistribution") and _s(spec, "trafficDistribution") != "PreferClose":
        errs.append(not_supported("spec.trafficDistribution", _s(spec, "trafficDistribution"), ["PreferClose"]))
    return errs


def _upgrade_downgrade(new: dict, old: dict, key: str, what: str) -> list[FieldError]:
    """clusterIPs / ipFamilies may grow or shrink by their secondary entry, never change."""
    new_v, old_v = _ss(new, key), _ss(old, key)
    rendered, p0 = go_strings(new_v, "string" if key == "clusterIPs" else "core.IPFamily"), path("spec", key, 0)
    errs: list[FieldError] = []
    if len(old_v) == len(new_v):
        errs += [_text(path("spec", key, i if key == "clusterIPs" else 0), rendered, "may not change once set")
                 for i, v in enumerate(old_v) if v != new_v[i]]
    elif len(old_v) > len(new_v):
        if not (_cluster_ips(new) if key == "ipFamilies" else new_v):
            errs.append(_text(p0, rendered, f"primary {what} can not be unset"))
        if new_v and new_v[0] != old_v[0]:
            errs.append(_text(p0, go_strings(_cluster_ips(new)) if key == "ipFamilies" else rendered,
                              "may not change once set"))
        if len(new_v) == 1 and _s(new, "ipFamilyPolicy") != "SingleStack":
            policy = go_quote(_s(new, "ipFamilyPolicy")) if _has(new, "ipFamilyPolicy") else "null"
            errs.append(_text("spec.ipFamilyPolicy", policy,
                              f"must be set to 'SingleStack' when releasing the secondary {what}"))
    elif old_v and new_v[0] != old_v[0]:
        errs.append(_text(p0, go_strings(_cluster_ips(new)) if key == "ipFamilies" else rendered,
                          "may not change once set"))
    return errs


def _follow_cluster_ip(new: dict, old: dict) -> dict:
    """Kubernetes keeps clusterIP and clusterIPs in step on update before validating:
    whichever of the two the client changed, the other follows."""
    new = json.loads(json.dumps(new))
    ns, os_ = _d(new, "spec"), _d(old, "spec")
    same_ips, same_ip = _cluster_ips(ns) == _cluster_ips(os_), _s(ns, "clusterIP") == _s(os_, "clusterIP")
    if same_ips and not same_ip:
        if not _s(ns, "clusterIP"):
            ns.pop("clusterIPs", None)
        elif _cluster_ips(ns):
            ns["clusterIPs"][0] = ns["clusterIP"]
        else:
            ns["clusterIPs"] = [ns["clusterIP"]]
    elif not same_ips and same_ip:
        ns["clusterIP"] = _cluster_ips(ns)[0] if _cluster_ips(ns) else ""
    return new


def validate_service_update(new: dict, old: dict) -> list[FieldError]:
    new = _follow_cluster_ip(new, old)
    ns, os_ = _d(new, "spec"), _d(old, "spec")
    errs: list[FieldError] = []
    if "ExternalName" not in (_s(ns, "type"), _s(os_, "type")):
        if not (_headless(ns) and _headless(os_)):
            errs += _upgrade_downgrade(ns, os_, "clusterIPs", "clusterIP")
        if _headless(ns) == _headless(os_) and not _headless(ns):
            errs += _upgrade_downgrade(ns, os_, "ipFamilies", "ipFamily")
    if _s(ns, "type") == _s(os_, "type") == "LoadBalancer" and ns.get("loadBalancerClass") != os_.get("loadBalancerClass"):
        lbc = go_quote(_s(ns, "loadBalancerClass")) if _has(ns, "loadBalancerClass") else "null"
        errs.append(_text("spec.loadBalancerClass", lbc, "may not change once set"))
    needs_hc = [_s(s, "type") == "LoadBalancer" and _s(s, "externalTrafficPolicy") == "Local" for s in (os_, ns)]
    if all(needs_hc) and _i(ns, "healthCheckNodePort") != _i(os_, "healthCheckNodePort"):
        errs.append(forbidden("spec.healthCheckNodePort", "field is immutable"))
    return errs + validate_service(new)


def validate_service_status_update(new: dict, old: dict) -> list[FieldError]:
    ingress = _ds(_d(_d(new, "status"), "loadBalancer"), "ingress")
    fld = "status.loadBalancer.ingress"
    if _s(_d(new, "spec"), "type") != "LoadBalancer" and ingress:
        return [forbidden(fld, "may only be used when `spec.type` is 'LoadBalancer'")]
    errs: list[FieldError] = []
    for i, ing in enumerate(ingress):
        p, ip, host = path(fld, i), _s(ing, "ip"), _s(ing, "hostname")
        if ip:
            errs += _ip(path(p, "ip"), ip)
        if ip and not _has(ing, "ipMode"):
            errs.append(required(path(p, "ipMode"), "must be specified when `ip` is set"))
        elif _has(ing, "ipMode") and not ip:
            errs.append(forbidden(path(p, "ipMode"), "may not be specified when `ip` is not set"))
        elif _has(ing, "ipMode") and _s(ing, "ipMode") not in ("Proxy", "VIP"):
            errs.append(not_supported(path(p, "ipMode"), _s(ing, "ipMode"), ["Proxy", "VIP"]))
        if host:
            errs += _subdomain(path(p, "hostname"), host)
            if parse_ip(host) is not None:
                errs.append(invalid(path(p, "hostname"), host, "must be a DNS name, not an IP address"))
    return errs


# ---------------------------------------------------------------- endpoints


def _endpoint_address(addr: dict, fld: str) -> list[FieldError]:
    ip = _s(addr, "ip")
    errs = _ip(path(fld, "ip"), ip)
    if _s(addr, "hostname"):
        errs += _label(path(fld, "hostname"), _s(addr, "hostname"))
    if _has(addr, "nodeName"):
        errs += _subdomain(path(fld, "nodeName"), _s(addr, "nodeName"))
    return errs + _non_special_ip(path(fld, "ip"), ip)


def validate_endpoints(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, ss in enumerate(_ds(obj, "subsets")):
        p = path("subsets", i)
        addrs, not_ready, ports = _ds(ss, "addresses"), _ds(ss, "notReadyAddresses"), _ds(ss, "ports")
        if not addrs and not not_ready:
            errs.append(required(p, "must specify `addresses` or `notReadyAddresses`"))
        for key, items in (("addresses", addrs), ("notReadyAddresses", not_ready)):
            for j, addr in enumerate(items):
                errs += _endpoint_address(addr, path(p, key, j))
        for j, port in enumerate(ports):
            pp, name, num = path(p, "ports", j), _s(port, "name"), _i(port, "port") or 0
            if len(ports) > 1 and not name:
                errs.append(required(path(pp, "name")))
            elif name:
                errs += _label(path(pp, "name"), name)
            errs += _each(path(pp, "port"), num, _port_num_errors(num))
            errs += _enum(path(pp, "protocol"), _s(port, "protocol"), PROTOCOLS)
            if _has(port, "appProtocol"):
                errs += _qualified(path(pp, "appProtocol"), _s(port, "appProtocol"))
    return errs


def validate_endpoints_update(new: dict, old: dict) -> list[FieldError]:
    return validate_endpoints(new)


# ---------------------------------------------------------------- configmaps, secrets, service accounts

MAX_SECRET_SIZE = 1024 * 1024
_IMMUTABLE_SET = "field is immutable when `immutable` is set"


def _decoded_len(value: Any) -> int:
    if not isinstance(value, str):
        return 0
    try:
        return len(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return len(value)


def validate_configmap(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    data, binary = _d(obj, "data"), _d(obj, "binaryData")
    size = 0
    for key in sorted(data):
        errs += _each(_key("data", key), key, config_key_errors(key))
        if key in binary:
            errs.append(invalid(_key("data", key), key, "duplicate of key present in binaryData"))
        size += len(data[key].encode()) if isinstance(data[key], str) else 0
    for key in sorted(binary):
        errs += _each(_key("binaryData", key), key, config_key_errors(key))
        size += _decoded_len(binary[key])
    if size > MAX_SECRET_SIZE:
        errs.append(too_long("", MAX_SECRET_SIZE))
    return errs


def _immutable_data(new: dict, old: dict, keys: tuple[str, ...]) -> list[FieldError]:
    if old.get("immutable") is not True:
        return []
    errs = [forbidden("immutable", _IMMUTABLE_SET)] if new.get("immutable") is not True else []
    return errs + [forbidden(k, _IMMUTABLE_SET) for k in keys if (new.get(k) or {}) != (old.get(k) or {})]


def validate_configmap_update(new: dict, old: dict) -> list[FieldError]:
    return _immutable_data(new, old, ("data", "binaryData")) + validate_configmap(new)


def _json_object_error(raw: Any) -> str | None:
    """Why Go's json.Unmarshal would refuse a docker config as a JSON object, in its words."""
    try:
        text = base64.b64decode(raw if isinstance(raw, str) else "", validate=True).decode()
    except (binascii.Error, ValueError):
        return "invalid character looking for beginning of value"
    stripped = text.strip()
    if not stripped:
        return "unexpected end of JSON input"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        if e.pos >= len(text.rstrip()):
            return "unexpected end of JSON input"
        return f"invalid character {text[e.pos]!r} looking for beginning of value"
    kinds = {list: "array", str: "string", bool: "bool", int: "number", float: "number"}
    if value is None or isinstance(value, dict):
        return None
    return f"json: cannot unmarshal {kinds[type(value)]} into Go value of type map[string]interface {{}}"


def validate_secret(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    data = _d(obj, "data")
    size = 0
    for key in sorted(data):
        errs += _each(_key("data", key), key, config_key_errors(key))
        size += _decoded_len(data[key])
    if size > MAX_SECRET_SIZE:
        errs.append(too_long("data", MAX_SECRET_SIZE))
    stype = _s(obj, "type")
    if stype == "kubernetes.io/service-account-token":
        annotations = _smap(_d(obj, "metadata"), "annotations") or {}
        if not annotations.get("kubernetes.io/service-account.name"):
            errs.append(required(_key("metadata.annotations", "kubernetes.io/service-account.name")))
    elif stype in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if stype == "kubernetes.io/dockercfg" else ".dockerconfigjson"
        if key not in data:
            errs.append(required(_key("data", key)))
        elif (reason := _json_object_error(data[key])) is not None:
            errs.append(invalid(_key("data", key), "<secret contents redacted>", reason))
    elif stype == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs += [required(_key("data", "username")), required(_key("data", "password"))]
    elif stype == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            errs.append(required(_key("data", "ssh-privatekey")))
    elif stype == "kubernetes.io/tls":
        errs += [required(_key("data", k)) for k in ("tls.crt", "tls.key") if k not in data]
    return errs


def validate_secret_update(new: dict, old: dict) -> list[FieldError]:
    errs = [invalid("type", _s(new, "type"), "field is immutable")] if _s(new, "type") != _s(old, "type") else []
    return errs + _immutable_data(new, old, ("data",)) + validate_secret(new)


def validate_serviceaccount(obj: dict) -> list[FieldError]:
    return []  # a ServiceAccount has nothing Kubernetes validates beyond its metadata


def validate_serviceaccount_update(new: dict, old: dict) -> list[FieldError]:
    return validate_serviceaccount(new)


# ---------------------------------------------------------------- namespaces

_STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")


def validate_namespace(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    for name in _ss(_d(obj, "spec"), "finalizers"):
        # Kubernetes reports every spec finalizer at the list's path, without an index.
        errs += _qualified("spec.finalizers", name)
        if "/" not in name and name not in _STANDARD_FINALIZERS:
            errs.append(invalid("spec.finalizers", name,
                                "name is neither a standard finalizer name nor is it fully qualified"))
    return errs


def validate_namespace_update(new: dict, old: dict) -> list[FieldError]:
    return []  # metadata only: spec.finalizers change through the finalize subresource


def validate_namespace_status_update(new: dict, old: dict) -> list[FieldError]:
    phase = _s(_d(new, "status"), "phase")
    if not _has(_d(new, "metadata"), "deletionTimestamp"):
        if phase != "Active":
            return [invalid("status.Phase", phase, "may only be 'Active' if `deletionTimestamp` is empty")]
    elif phase != "Terminating":
        return [invalid("status.Phase", phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")]
    return []


# ---------------------------------------------------------------- nodes


def _node_taints(taints: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for i, t in enumerate(taints):
        p, key, value, effect = path(fld, i), _s(t, "key"), _s(t, "value"), _s(t, "effect")
        errs += _qualified(path(p, "key"), key)
        if msgs := label_value_errors(value):
            errs.append(invalid(path(p, "value"), value, ";".join(msgs)))
        errs += _enum(path(p, "effect"), effect, TAINT_EFFECTS) if effect else [required(path(p, "effect"))]
        if (effect, key) in seen:
            added = f"(*v1.Time)({_ADDR})" if _has(t, "timeAdded") else "(*v1.Time)(nil)"
            rendered = (f"core.Taint{{Key:{go_quote(key)}, Value:{go_quote(value)}, Effect:{go_quote(effect)}, "
                        f"TimeAdded:{added}}}")
            errs.append(FieldError("FieldValueDuplicate", p,
                                   f"Duplicate value: {rendered}: taints must be unique by key and effect pair"))
            continue
        seen.add((effect, key))
    return errs


def _node_resources(node: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    status = _d(node, "status")
    for kind in ("capacity", "allocatable"):
        values = _d(status, kind)
        for name in sorted(values):
            errs += _quantity_value(name, values[name], path("status", kind, name))[1]
    return errs


def _pod_cidrs(spec: dict) -> list[str]:
    return _ss(spec, "podCIDRs") or ([_s(spec, "podCIDR")] if _s(spec, "podCIDR") else [])


def validate_node(obj: dict) -> list[FieldError]:
    spec = _d(obj, "spec")
    # Kubernetes reports taint errors under metadata.taints.
    errs = _node_taints(_ds(spec, "taints"), "metadata.taints") + _node_resources(obj)
    cidrs = _pod_cidrs(spec)
    errs += [invalid(path("spec.podCIDRs", i), c, CIDR_MSG) for i, c in enumerate(cidrs) if not is_valid_cidr(c)]
    if len(cidrs) > 1 and all(is_valid_cidr(c) for c in cidrs):
        families = {parse_ip(c.partition("/")[0]).version for c in cidrs}  # type: ignore[union-attr]
        if len(families) != 2 or len(cidrs) > 2:
            errs.append(_text("spec.podCIDRs", go_strings(cidrs), "may specify no more than one CIDR for each IP family"))
    if len(cidrs) > 1:
        errs += [duplicate(path("spec.podCIDRs", i), c) for i, c in enumerate(cidrs) if c in cidrs[:i]]
    return errs


def validate_node_update(new: dict, old: dict) -> list[FieldError]:
    ns, os_ = _d(new, "spec"), _d(old, "spec")
    errs = _node_resources(new)
    seen: set[tuple[str, str]] = set()
    for i, addr in enumerate(_ds(_d(new, "status"), "addresses")):
        key = (_s(addr, "type"), _s(addr, "address"))
        if key in seen:
            errs.append(FieldError("FieldValueDuplicate", path("status.addresses", i),
                                   f"Duplicate value: core.NodeAddress{{Type:{go_quote(key[0])}, Address:{go_quote(key[1])}}}"))
        seen.add(key)
    old_cidrs, new_cidrs = _pod_cidrs(os_), _pod_cidrs(ns)
    if old_cidrs:
        msg = 'node updates may not change podCIDR except from "" to valid'
        if len(old_cidrs) != len(new_cidrs):
            errs.append(forbidden("spec.podCIDRs", msg))
        else:
            errs += [forbidden("spec.podCIDRs", msg) for a, b in zip(old_cidrs, new_cidrs, strict=True) if a != b]
    if _s(os_, "providerID") and _s(os_, "providerID") != _s(ns, "providerID"):
        errs.append(forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid'))
    errs += _node_taints(_ds(ns, "taints"), "metadata.taints")
    if _s(ns, "externalID") != _s(os_, "externalID"):
        errs.append(forbidden("spec.externalID", "may not be updated"))
    return errs


def validate_node_status_update(new: dict, old: dict) -> list[FieldError]:
    return validate_node_update(new, old)  # Kubernetes applies the same rules to node status writes


# ---------------------------------------------------------------- events (core/v1)


def validate_event(obj: dict) -> list[FieldError]:
    """The rules every Event passes, whichever API wrote it (Kubernetes' "legacy" event validation)."""
    errs: list[FieldError] = []
    ns = _s(_d(obj, "metadata"), "namespace")
    involved = _d(obj, "involvedObject")
    involved_ns = _s(involved, "namespace")
    mismatch = invalid("involvedObject.namespace", involved_ns, "does not match event.namespace")
    if not _s(obj, "eventTime"):
        if (not involved_ns and ns not in ("", "default")) or (involved_ns and ns != involved_ns):
            errs.append(mismatch)
    else:
        if not involved_ns and ns not in ("default", "kube-system"):
            errs.append(mismatch)
        controller = _s(obj, "reportingComponent")
        if not controller:
            errs.append(required("reportingController"))
        errs += _qualified("reportingController", controller)
        for key, limit in (("reportingInstance", 128), ("action", 128), ("reason", 128)):
            if not _s(obj, key):
                errs.append(required(key))
            if len(_s(obj, key)) > limit:
                errs.append(invalid(key, "", f"can have at most {limit} characters"))
        if len(_s(obj, "message")) > 1024:
            errs.append(invalid("message", "", "can have at most 1024 characters"))
    return errs + _subdomain("namespace", ns)


def validate_event_update(new: dict, old: dict) -> list[FieldError]:
    return validate_event(new)  # core/v1 keeps the lenient rules on update too
