"""Resource quantities and resource requirements, as core/v1 validation checks them.

`parse_quantity` reads a Kubernetes quantity ("100m", "1Gi", "1e3") exactly, with the canonical
form Kubernetes prints in messages. `validate_resource_requirements` checks the requests, limits
and claims of a container or a pod: resource names, quantities, hugepages, requests within limits.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any, NamedTuple

from kube_apiserver.apis.core.formats import _ADDR, NONNEGATIVE, _key, _label, _qualified, go_quote
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    invalid_rendered,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_str
from kube_apiserver.apis.meta.validation import qualified_name_errors

# ---------------------------------------------------------------- quantities


class Quantity(NamedTuple):
    value: Fraction
    fmt: str  # DecimalSI, BinarySI or DecimalExponent

    def __str__(self) -> str:
        return _canonical(self)


_QTY = re.compile(r"([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)")
QTY_MSG = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
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


# ---------------------------------------------------------------- resource names and requirements

_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
_STANDARD_RESOURCES = _CONTAINER_RESOURCES | {
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "persistentvolumeclaims",
    "configmaps",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
}
_INTEGER_RESOURCES = {
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
}


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
        standard = (
            name in _STANDARD_RESOURCES
            or _is_hugepages(name)
            or name.startswith("requests.hugepages-")
        )
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
        errs.append(invalid_rendered(fld, str(q), "must be an integer"))
    return q, errs


def _hugepage_errors(name: str, q: Quantity, fld: str) -> list[FieldError]:
    page = parse_quantity(name[len("hugepages-") :])
    if page is not None and page.value > 0 and q.value > 0 and int(q.value) % int(page.value) == 0:
        return []
    return [invalid(fld, str(q), f"{q} is not positive integer multiple of {name}")]


def validate_resource_requirements(res: dict, claim_names: set[str], fld: str) -> list[FieldError]:
    """A container's resources: names, quantities, requests within limits, claims."""
    errs: list[FieldError] = []
    lim_path, req_path = path(fld, "limits"), path(fld, "requests")
    limits, requests = get_dict(res, "limits"), get_dict(res, "requests")
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
                errs.append(
                    invalid(
                        req_path, str(q), f"must be less than or equal to {name} limit of {lim}"
                    )
                )
        elif name not in limits and not overcommit:
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
        if q is not None and _is_hugepages(name):
            hugepages = True
            errs += _hugepage_errors(name, q, p)
        has_cpu_mem |= name in ("cpu", "memory")
    if hugepages and not has_cpu_mem:
        errs.append(forbidden(fld, "HugePages require cpu or memory"))
    return errs + _claim_refs(get_dicts(res, "claims"), claim_names, path(fld, "claims"))


def _claim_refs(claims: list[dict], claim_names: set[str], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()  # "claim" or "claim/request"
    for i, claim in enumerate(claims):
        name, request, p = get_str(claim, "name"), get_str(claim, "request"), path(fld, i)
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
                errs += [
                    duplicate(p, name) for k in sorted(seen) if k.split("/")[0] == name and "/" in k
                ]
            seen.add(key)
        if name not in claim_names:
            listed = ": " + ", ".join(sorted(claim_names)) if claim_names else " which is empty"
            errs.append(
                FieldError(
                    "FieldValueNotFound",
                    p,
                    f"Not found: {go_quote(name)}: must be one of "
                    f"the names in pod.spec.resourceClaims{listed}",
                )
            )
    return errs


# ---------------------------------------------------------------- stored form and Go rendering


def round_up_milli(q: Quantity) -> Quantity:
    """The value rounded up to whole milli-units, as SetDefaults_ResourceList leaves it."""
    return Quantity(Fraction(math.ceil(q.value * 1000), 1000), q.fmt)


def go_value(q: Quantity) -> int:
    """Quantity.Value(): the whole value, rounded up away from zero."""
    return math.ceil(q.value) if q.value >= 0 else -math.ceil(-q.value)


def canonical_resource_list(values: Any) -> None:
    """A ResourceList as Kubernetes stores it, in place: every quantity rounded up to milli
    units and written in canonical form ("0.5" -> "500m", "1.5Gi" -> "1536Mi"). Values that
    do not parse are left alone, for decoding or validation to refuse."""
    if not isinstance(values, dict):
        return
    for name, raw in values.items():
        q = parse_quantity(raw)
        if q is not None:
            values[name] = str(round_up_milli(q))


_GO_QTY = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)")


def go_quantity(raw: Any, *, milli: bool = True) -> str:
    """`%#v` of a resource.Quantity: the bad value some field errors print (a Quantity is no
    Stringer by value). Mirrors how Go's parser fills the struct: small values in `i` (value,
    scale), the rest in an inf.Dec; `s` keeps the text only when it was already canonical.
    `milli`: the quantity went through a ResourceList's rounding to milli-units."""
    text = raw.strip() if isinstance(raw, str) else repr(raw)
    q = parse_quantity(text)
    m = _GO_QTY.fullmatch(text)
    fmt = q.fmt if q is not None else "DecimalSI"
    value, scale, canonical, fast = 0, 0, "", False
    if q is not None and m is not None:
        sign, num, denom, suffix = m[1], m[2].lstrip("0") or "0", m[3] or "", m[4]
        shifted = num + denom
        if fmt == "BinarySI":
            bits = _BIN[suffix]
            fast = not denom and 15 - len(num) - int(bits * 3 / 10) - 1 >= 0
            if fast:
                value = int(shifted) << bits
                if bits % 10 == 0 and int(shifted) & 7:
                    canonical = text
        else:
            exponent = _DEC[suffix] if suffix in _DEC else int(suffix[1:])
            scale = exponent - len(denom)
            fast = 18 - len(shifted) >= 0 and scale >= -9
            if fast:
                value = int(shifted)
                if scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                    canonical = text
        value = -value if sign == "-" else value
        if fast and milli and scale < -3:
            value, scale, canonical = math.ceil(Fraction(value, 10 ** (-3 - scale))), -3, ""
    if not fast:
        value, scale, canonical = 0, 0, ""
    dec = f"(*inf.Dec)({'nil' if fast or q is None else _ADDR})"
    return (
        f"resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, "
        f"d:resource.infDecAmount{{Dec:{dec}}}, s:{go_quote(canonical)}, Format:{go_quote(fmt)}}}"
    )
