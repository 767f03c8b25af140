"""The shared vocabulary of core/v1 validation: Go value rendering and value formats.

Fields are read with apis/meta/unstructured.py, which reads values of the wrong JSON type as
absent instead of crashing. Where Kubernetes prints a Go value (`%#v` of an internal struct or
map, or a pointer's String()) the `go_*` helpers render the same text, since the message is
part of the API. The format checks (DNS-1035 labels, config keys, port names and numbers,
percents, IPs and CIDRs, relative paths) give Kubernetes' messages, and the small helpers
that turn them into `FieldError`s are shared by every module of this package.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any

from kube_apiserver.apis.meta.field import (
    FieldError,
    invalid,
    not_supported,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dicts, get_str, get_str_map, get_strs, is_set
from kube_apiserver.apis.meta.validation import (
    dns1123_label_errors,
    dns1123_subdomain_errors,
    qualified_name_errors,
)

# ---------------------------------------------------------------- selectors


def clean_selector(sel: Any) -> dict:
    """A LabelSelector with every part of the type the selector checks expect."""
    exprs = [
        {
            "key": get_str(e, "key"),
            "operator": get_str(e, "operator"),
            "values": get_strs(e, "values"),
        }
        for e in get_dicts(sel, "matchExpressions")
    ]
    return {"matchLabels": get_str_map(sel, "matchLabels") or {}, "matchExpressions": exprs}


# ---------------------------------------------------------------- Go value rendering

_ADDR = "0xc000010000"  # Go prints real pointer addresses; any fixed one serves


def go_quote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def go_map(m: dict[str, str] | None) -> str:
    """`%#v` of a map[string]string: keys sorted, nil distinct from empty."""
    if m is None:
        return "map[string]string(nil)"
    return (
        "map[string]string{"
        + ", ".join(f"{go_quote(k)}:{go_quote(v)}" for k, v in sorted(m.items()))
        + "}"
    )


def go_strings(xs: list[str] | None, type_name: str = "string") -> str:
    if xs is None:
        return f"[]{type_name}(nil)"
    return f"[]{type_name}{{" + ", ".join(go_quote(x) for x in xs) + "}"


def go_label_selector(sel: dict) -> str:
    """String() of a *metav1.LabelSelector, which field errors print instead of the struct."""
    labels = "".join(
        f"{k}: {v}," for k, v in sorted((get_str_map(sel, "matchLabels") or {}).items())
    )
    exprs = "".join(
        f"LabelSelectorRequirement{{Key:{get_str(e, 'key')},Operator:{get_str(e, 'operator')},"
        f"Values:[{' '.join(get_strs(e, 'values'))}],}},"
        for e in get_dicts(sel, "matchExpressions")
    )
    return (
        f"&LabelSelector{{MatchLabels:map[string]string{{{labels}}},"
        f"MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}"
    )


def go_label_selector_value(sel: Any) -> str:
    """%#v of a metav1.LabelSelector value: field errors dereference a *LabelSelector before
    printing it, and the value, unlike the pointer, has no String() method."""
    if not isinstance(sel, dict):
        return "null"
    exprs = "[]v1.LabelSelectorRequirement(nil)"
    if isinstance(sel.get("matchExpressions"), list):
        exprs = (
            "[]v1.LabelSelectorRequirement{"
            + ", ".join(
                f"v1.LabelSelectorRequirement{{Key:{go_quote(get_str(e, 'key'))}, "
                f"Operator:{go_quote(get_str(e, 'operator'))}, "
                f"Values:{go_strings(get_strs(e, 'values') if is_set(e, 'values') else None)}}}"
                for e in get_dicts(sel, "matchExpressions")
            )
            + "}"
        )
    labels = go_map(get_str_map(sel, "matchLabels"))
    return f"v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}"


def go_int_or_string(v: Any) -> str:
    """%#v of an intstr.IntOrString nested in a struct."""
    if isinstance(v, str):
        return f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(v)}}}"
    n = v if isinstance(v, int) and not isinstance(v, bool) else 0
    return f'intstr.IntOrString{{Type:0, IntVal:{n}, StrVal:""}}'


def go_pointers(type_name: str, obj: dict, fields: list[tuple[str, str, str]]) -> str:
    """%#v of an internal struct made of pointer fields: (jsonKey, GoName, GoType)."""
    parts = [f"{name}:(*{t})({_ADDR if is_set(obj, key) else 'nil'})" for key, name, t in fields]
    return type_name + "{" + ", ".join(parts) + "}"


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
PROTOCOLS = ["SCTP", "TCP", "UDP"]
PULL_POLICIES = ["Always", "IfNotPresent", "Never"]


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
        errs.append(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
            "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
            "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        )
    return errs


def config_key_errors(value: str) -> list[str]:
    errs = ["must be no more than 253 characters"] if len(value) > 253 else []
    if not _CONFIG_KEY.fullmatch(value):
        errs.append(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
            "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
        )
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
    return [
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or "
        "'93%', regex used for validation is '[0-9]+%')"
    ]


def _port_num_errors(n: int) -> list[str]:
    return [] if 1 <= n <= 65535 else [_RANGE.format(1, 65535)]


def _port_num_or_name(value: Any, fld: str) -> list[FieldError]:
    if isinstance(value, str):
        return _each(fld, value, port_name_errors(value))
    n = value if isinstance(value, int) and not isinstance(value, bool) else 0
    return _each(fld, n, _port_num_errors(n))


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
        errs.append(
            invalid(fld, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)")
        )
    multicast = (
        ip in ipaddress.ip_network("224.0.0.0/24")
        if ip.version == 4
        else (ip.packed[0] == 0xFF and ip.packed[1] & 0x0F == 0x02)
    )
    if multicast:
        errs.append(
            invalid(
                fld, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"
            )
        )
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


def _no_backsteps(fld: str, target: str) -> list[FieldError]:
    return (
        [invalid(fld, target, "must not contain '..'")]
        if ".." in target.replace("\\", "/").split("/")
        else []
    )


def _local_descending(fld: str, target: str) -> list[FieldError]:
    errs = [invalid(fld, target, "must be a relative path")] if target.startswith("/") else []
    return errs + _no_backsteps(fld, target)


def _local_non_reserved(fld: str, target: str) -> list[FieldError]:
    errs = _local_descending(fld, target)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(invalid(fld, target, "must not start with '..'"))
    return errs
