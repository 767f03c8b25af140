"""LimitRanges and ResourceQuotas: per-namespace constraints on compute and object counts.

Their defaults (a Container limit's default limit from its max, default request from its
default limit or min), validation, and stored form (every quantity rounded to milli-units and
written canonically), as kube-apiserver 1.33 applies them. Where Kubernetes reports a quantity
as the bad value it prints the Go struct (`resource.Quantity{i:...}`), so these messages do too.
"""

from __future__ import annotations

import math
from typing import Any

from kube_apiserver.apis.core.formats import NONNEGATIVE, _qualified, go_quote, go_strings
from kube_apiserver.apis.core.quantities import (
    _INTEGER_RESOURCES,
    _STANDARD_RESOURCES,
    Quantity,
    _container_resource_name,
    _is_extended,
    _is_hugepages,
    _is_native,
    canonical_resource_list,
    go_quantity,
    go_value,
    parse_quantity,
    round_up_milli,
)
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    invalid_rendered,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import (
    dict_items,
    ensure_dict,
    get_dict,
    get_dicts,
    get_str,
    get_strs,
)

LIMIT_TYPES = ("Pod", "Container", "PersistentVolumeClaim")
_LIMIT_LISTS = ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")
_QUOTA_RESOURCES = _STANDARD_RESOURCES - {"storage"}
SCOPES = ("Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass")
_POD_COMPUTE = {"cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"}
_CONFLICTS = ({"BestEffort", "NotBestEffort"}, {"Terminating", "NotTerminating"})
_EXISTS_ONLY = (
    "BestEffort",
    "NotBestEffort",
    "Terminating",
    "NotTerminating",
    "CrossNamespacePodAffinity",
)

# ---------------------------------------------------------------- quantities and names


def _rounded(raw: Any) -> Quantity | None:
    q = parse_quantity(raw)
    return round_up_milli(q) if q is not None else None


def _resource_name(name: str, fld: str) -> list[FieldError]:
    """Kubernetes' validateResourceName: qualified, and standard when not prefixed."""
    errs = _qualified(fld, name)
    standard = name in _STANDARD_RESOURCES or name.startswith(("hugepages-", "requests.hugepages-"))
    if not errs and "/" not in name and not standard:
        errs.append(invalid(fld, name, "must be a standard resource type or fully qualified"))
    return errs


def quantity_value_errors(name: str, raw: Any, fld: str) -> list[FieldError]:
    """Kubernetes' ValidateResourceQuantityValue: not negative; whole for counted resources."""
    q = _rounded(raw)
    if q is None:
        return []
    errs = [invalid(fld, str(q), NONNEGATIVE)] if q.value < 0 else []
    if (name in _INTEGER_RESOURCES or _is_extended(name)) and q.value.denominator != 1:
        errs.append(invalid_rendered(fld, go_quantity(raw), "must be an integer"))
    return errs


# ---------------------------------------------------------------- limit ranges


def default_limitrange(obj: dict) -> None:
    for item in dict_items(ensure_dict(obj, "spec"), "limits"):
        if item.get("type") == "Container":
            defaults, requests = ensure_dict(item, "default"), ensure_dict(item, "defaultRequest")
            for source, target in (
                ("max", defaults),
                ("default", requests),
                ("min", requests),
            ):
                for name, value in (item.get(source) or {}).items():
                    target.setdefault(name, value)
            for key in ("default", "defaultRequest"):
                if not item[key]:
                    del item[key]  # an empty map is omitted, as Go's encoding omits it


def normalize_limitrange(obj: dict) -> None:
    """The stored form: quantities canonical. Done after validation, whose messages print
    quantities as they were parsed from the request."""
    for item in dict_items(ensure_dict(obj, "spec"), "limits"):
        for key in _LIMIT_LISTS:
            canonical_resource_list(item.get(key))


def _limit_resource_name(kind: str, name: str, fld: str) -> list[FieldError]:
    if kind in ("Pod", "Container"):
        return _container_resource_name(name, fld)
    return _resource_name(name, fld)


def _ratio_limit(ratio: Quantity, low: Quantity, high: Quantity) -> tuple[float, float]:
    """(ratio, max/min) as Kubernetes compares them: in milli-units while they fit int64."""
    max_milli = (2**63 - 1) // 1000
    if all(go_value(q) < max_milli for q in (ratio, low, high)):
        ratio_value = math.ceil(ratio.value * 1000) / 1000
        low_value, high_value = math.ceil(low.value * 1000), math.ceil(high.value * 1000)
    else:
        ratio_value, low_value, high_value = go_value(ratio), go_value(low), go_value(high)
    limit = high_value / low_value if low_value else math.inf
    return float(ratio_value), limit


def _go_float(x: float) -> str:
    return "+Inf" if x == math.inf else f"{x:f}"


def _compare(item: dict, kind: str, name: str, fld: str) -> list[FieldError]:
    # A Pod limit has no defaults to compare (they are refused above).
    lists = {
        key: get_dict(item, key)
        for key in _LIMIT_LISTS
        if kind != "Pod" or key not in ("default", "defaultRequest")
    }
    q = {key: _rounded(values[name]) for key, values in lists.items() if name in values}
    raw = {key: values[name] for key, values in lists.items() if name in values}
    high, low, default, request, ratio = (q.get(k) for k in _LIMIT_LISTS)
    at = {key: path(fld, f"{key}[{name}]") for key in _LIMIT_LISTS}
    errs: list[FieldError] = []

    def fail(key: str, bad: str, detail: str) -> None:
        errs.append(invalid_rendered(at[key], go_quantity(raw[bad]), detail))

    if low is not None and high is not None and low.value > high.value:
        fail("min", "min", f"min value {low} is greater than max value {high}")
    if request is not None and low is not None and low.value > request.value:
        fail(
            "defaultRequest",
            "defaultRequest",
            f"min value {low} is greater than default request value {request}",
        )
    if request is not None and high is not None and request.value > high.value:
        fail(
            "defaultRequest",
            "defaultRequest",
            f"default request value {request} is greater than max value {high}",
        )
    if request is not None and default is not None and request.value > default.value:
        fail(
            "defaultRequest",
            "defaultRequest",
            f"default request value {request} is greater than default limit value {default}",
        )
    if default is not None and low is not None and low.value > default.value:
        fail("default", "min", f"min value {low} is greater than default value {default}")
    if default is not None and high is not None and default.value > high.value:
        fail("default", "max", f"default value {default} is greater than max value {high}")
    if ratio is not None and ratio.value < 1:
        fail("maxLimitRequestRatio", "maxLimitRequestRatio", f"ratio {ratio} is less than 1")
    if ratio is not None and low is not None and high is not None:
        value, limit = _ratio_limit(ratio, low, high)
        if value > limit:
            fail(
                "maxLimitRequestRatio",
                "maxLimitRequestRatio",
                f"ratio {ratio} is greater than max/min = {_go_float(limit)}",
            )
    overcommit = _is_native(name) and not _is_hugepages(name)
    if (
        not overcommit
        and default is not None
        and request is not None
        and default.value != request.value
    ):
        fail(
            "defaultRequest",
            "defaultRequest",
            f"default value {default} must equal to defaultRequest value {request} in {name}",
        )
    return errs


def _limit_item(item: dict, fld: str, seen: set[str]) -> list[FieldError]:
    kind = get_str(item, "type")
    errs = _qualified(path(fld, "type"), kind)
    if not errs and "/" not in kind and kind not in LIMIT_TYPES:
        errs.append(
            invalid(path(fld, "type"), kind, "must be a standard limit type or fully qualified")
        )
    if kind in seen:
        errs.append(duplicate(path(fld, "type"), kind))
    seen.add(kind)
    names: set[str] = set()
    checked = ("max", "min") + (() if kind == "Pod" else ("default", "defaultRequest"))
    for key in checked:
        for name in sorted(get_dict(item, key)):
            errs += _limit_resource_name(kind, name, path(fld, f"{key}[{name}]"))
            names.add(name)
    if kind == "Pod":
        errs += [
            forbidden(path(fld, key), "may not be specified when `type` is 'Pod'")
            for key in ("default", "defaultRequest")
            if get_dict(item, key)
        ]
    if kind == "PersistentVolumeClaim" and not (
        "storage" in get_dict(item, "min") or "storage" in get_dict(item, "max")
    ):
        errs.append(
            required(
                path(fld, "limits"),
                "either minimum or maximum storage value is required, but neither was provided",
            )
        )
    for name in sorted(get_dict(item, "maxLimitRequestRatio")):
        errs += _limit_resource_name(kind, name, path(fld, f"maxLimitRequestRatio[{name}]"))
        names.add(name)
    for name in sorted(names):
        errs += _compare(item, kind, name, fld)
    return errs


def validate_limitrange(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, item in enumerate(get_dicts(get_dict(obj, "spec"), "limits")):
        errs += _limit_item(item, path("spec.limits", i), seen)
    return errs


def validate_limitrange_update(new: dict, old: dict) -> list[FieldError]:
    return validate_limitrange(new)


# ---------------------------------------------------------------- resource quotas


def normalize_resourcequota(obj: dict) -> None:
    """The stored form: quantities canonical (after validation, as for LimitRanges)."""
    canonical_resource_list(get_dict(obj, "spec").get("hard"))
    status = get_dict(obj, "status")
    canonical_resource_list(status.get("hard"))
    canonical_resource_list(status.get("used"))


def _quota_resource_name(name: str, fld: str) -> list[FieldError]:
    errs = _resource_name(name, fld)
    standard = name in _QUOTA_RESOURCES or name.startswith(("hugepages-", "requests.hugepages-"))
    if "/" not in name and not standard:
        errs.append(invalid(fld, name, "must be a standard resource for quota"))
    return errs


def _quota_list(values: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for name in sorted(values):
        at = f"{fld}[{name}]"
        errs += _quota_resource_name(name, at) + quantity_value_errors(name, values[name], at)
    return errs


def _scope_applies(scope: str, resource: str) -> bool:
    if scope == "BestEffort":
        return resource == "pods"
    if scope in (
        "Terminating",
        "NotTerminating",
        "NotBestEffort",
        "PriorityClass",
        "CrossNamespacePodAffinity",
    ):
        return resource == "pods" or resource in _POD_COMPUTE
    return True


def _standard_scope(scope: str) -> bool:
    return scope in SCOPES or scope == "CrossNamespacePodAffinity"


def _scopes(spec: dict) -> list[FieldError]:
    scopes = get_strs(spec, "scopes")
    if not scopes:
        return []
    rendered = go_strings(scopes, "core.ResourceQuotaScope")
    hard = sorted(get_dict(spec, "hard"))
    errs: list[FieldError] = []
    for scope in scopes:
        if not _standard_scope(scope):
            errs.append(invalid_rendered("spec.scopes", rendered, "unsupported scope"))
        errs += [
            invalid_rendered("spec.scopes", rendered, "unsupported scope applied to resource")
            for name in hard
            if name in _QUOTA_RESOURCES and not _scope_applies(scope, name)
        ]
    return errs + [
        invalid_rendered("spec.scopes", rendered, "conflicting scopes")
        for pair in _CONFLICTS
        if pair <= set(scopes)
    ]


def _go_scope_selector(selector: dict) -> str:
    reqs = ", ".join(
        "core.ScopedResourceSelectorRequirement{"
        f"ScopeName:{go_quote(get_str(r, 'scopeName'))}, Operator:{go_quote(get_str(r, 'operator'))}, "
        f"Values:{go_strings(r['values'] if isinstance(r.get('values'), list) else None)}}}"
        for r in get_dicts(selector, "matchExpressions")
    )
    return (
        "core.ScopeSelector{MatchExpressions:[]core.ScopedResourceSelectorRequirement{"
        + reqs
        + "}}"
    )


def _scope_selector(spec: dict) -> list[FieldError]:
    if not isinstance(spec.get("scopeSelector"), dict):
        return []
    selector, fld = spec["scopeSelector"], "spec.scopeSelector.matchExpressions"
    hard = sorted(get_dict(spec, "hard"))
    errs: list[FieldError] = []
    names: set[str] = set()
    for req in get_dicts(selector, "matchExpressions"):
        scope, op, values = (
            get_str(req, "scopeName"),
            get_str(req, "operator"),
            get_strs(req, "values"),
        )
        if not _standard_scope(scope):
            errs.append(invalid(path(fld, "scopeName"), scope, "unsupported scope"))
        errs += [
            invalid_rendered(
                fld, _go_scope_selector(selector), "unsupported scope applied to resource"
            )
            for name in hard
            if name in _QUOTA_RESOURCES and not _scope_applies(scope, name)
        ]
        if scope in _EXISTS_ONLY and op != "Exists":
            errs.append(
                invalid(
                    path(fld, "operator"),
                    op,
                    "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, "
                    "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
                    "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
                )
            )
        if op in ("In", "NotIn"):
            if not values:
                errs.append(
                    required(
                        path(fld, "values"),
                        "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
                    )
                )
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(
                    invalid_rendered(
                        path(fld, "values"),
                        go_strings(values),
                        "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
                    )
                )
        else:
            errs.append(invalid(path(fld, "operator"), op, "not a valid selector operator"))
        names.add(scope)
    scopes = spec.get("scopes") if isinstance(spec.get("scopes"), list) else None
    return errs + [
        invalid_rendered(
            fld,
            go_strings(scopes and get_strs(spec, "scopes"), "core.ResourceQuotaScope"),
            "conflicting scopes",
        )
        for pair in _CONFLICTS
        if pair <= names
    ]


def _quota_spec(spec: dict) -> list[FieldError]:
    return _quota_list(get_dict(spec, "hard"), "spec.hard") + _scopes(spec) + _scope_selector(spec)


def _quota_status(status: dict) -> list[FieldError]:
    return _quota_list(get_dict(status, "hard"), "status.hard") + _quota_list(
        get_dict(status, "used"), "status.used"
    )


def validate_resourcequota(obj: dict) -> list[FieldError]:
    return _quota_spec(get_dict(obj, "spec")) + _quota_status(get_dict(obj, "status"))


def validate_resourcequota_update(new: dict, old: dict) -> list[FieldError]:
    errs = _quota_spec(get_dict(new, "spec"))
    new_scopes, old_scopes = (
        get_strs(get_dict(new, "spec"), "scopes"),
        get_strs(get_dict(old, "spec"), "scopes"),
    )
    if set(new_scopes) != set(old_scopes):
        raw = get_dict(new, "spec").get("scopes")
        rendered = go_strings(
            new_scopes if isinstance(raw, list) else None, "core.ResourceQuotaScope"
        )
        errs.append(invalid_rendered("spec.scopes", rendered, "field is immutable"))
    return errs


def validate_resourcequota_status_update(new: dict, old: dict) -> list[FieldError]:
    return _quota_status(get_dict(new, "status"))
