"""Validation of FlowSchemas and PriorityLevelConfigurations (flowcontrol.apiserver.k8s.io/v1).

Beyond the shapes (subjects as unions by kind, wildcards alone in their list, shuffle-sharding
parameters within the hash's 60 bits), two rules are particular to this group: only `exempt`
may have matching precedence 1 or be of type Exempt, and the mandatory objects keep the spec
kube-apiserver gives them (the exempt level may change only its `exempt` section). The spec
such an error shows is the internal Go struct as `%#v` prints it.
"""

from __future__ import annotations

import math
from typing import Any

from kube_apiserver.apis.core.formats import go_quote, go_strings
from kube_apiserver.apis.flowcontrol import bootstrap
from kube_apiserver.apis.flowcontrol.gospec import go_flow_schema_spec, go_priority_level_spec
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import (
    get_dict,
    get_dicts,
    get_int,
    get_str,
    get_strs,
    is_set,
)
from kube_apiserver.apis.meta.validation import dns1123_label_errors, dns1123_subdomain_errors

MAX_MATCHING_PRECEDENCE = 10000
MAX_QUEUES = 10_000_000
MAX_HASH_BITS = 60
DISTINGUISHER_METHODS = ["ByNamespace", "ByUser"]
SUBJECT_KINDS = ["Group", "ServiceAccount", "User"]
PRIORITY_LEVEL_TYPES = ["Exempt", "Limited"]
LIMIT_RESPONSE_TYPES = ["Queue", "Reject"]
VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"]
# The v1beta3 round-trip marker; it must never reach a stored object.
PRESERVE_ZERO_SHARES_ANNOTATION = "flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares"
_NAMESPACE_INTRO = "each member of this list must be '*' or a DNS-1123 label; "


# ---------------------------------------------------------------- shared checks


def _semantic(value: Any) -> Any:
    """A value as Kubernetes' semantic equality sees it: unset, null, empty lists, "" and false
    all read as the zero value."""
    if isinstance(value, dict):
        return {
            k: _semantic(v)
            for k, v in value.items()
            if not (v is None or v is False or v == [] or v == "")
        }
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


def _verbs(rule: dict, fld: str) -> list[FieldError]:
    verbs, at = get_strs(rule, "verbs"), path(fld, "verbs")
    if not verbs:
        return [required(at, "verbs must contain at least one value")]
    if "*" in verbs:
        return (
            [
                invalid_rendered(
                    at, go_strings(verbs), "if '*' is present, must not specify other verbs"
                )
            ]
            if len(verbs) > 1
            else []
        )
    if not set(verbs) <= set(VERBS):
        supported = ", ".join(go_quote(v) for v in VERBS)
        detail = f"Unsupported value: {go_strings(verbs)}: supported values: {supported}"
        return [FieldError("FieldValueNotSupported", at, detail)]
    return []


def _conditions(status: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    types: set[str] = set()
    for i, condition in enumerate(get_dicts(status, "conditions")):
        kind = get_str(condition, "type")
        if kind in types:
            errs.append(duplicate(path(fld, "conditions", i, "type"), kind))
        types.add(kind)
        if not kind:
            errs.append(required(path(fld, "conditions", i, "type"), "must not be empty"))
    return errs


def _status_update(new: dict, old: dict) -> list[FieldError]:
    return _conditions(get_dict(new, "status"), "status")


validate_flow_schema_status_update = _status_update
validate_priority_level_configuration_status_update = _status_update


# ---------------------------------------------------------------- flow schemas


def _subject(subject: dict, fld: str) -> list[FieldError]:
    kind = get_str(subject, "kind")
    members = {"User": "user", "Group": "group", "ServiceAccount": "serviceAccount"}
    if kind not in members:
        return [not_supported(path(fld, "kind"), kind, SUBJECT_KINDS)]
    own = members[kind]
    errs: list[FieldError] = []
    if not is_set(subject, own):
        errs.append(required(path(fld, own), f"{own} is required when subject kind is '{kind}'"))
    else:
        member, at = get_dict(subject, own), path(fld, own)
        name = get_str(member, "name")
        if not name:
            errs.append(required(path(at, "name")))
        elif kind == "ServiceAccount" and name != "*":
            errs += [invalid(path(at, "name"), name, m) for m in dns1123_subdomain_errors(name)]
        if kind == "ServiceAccount":
            namespace = get_str(member, "namespace")
            if namespace:
                errs += [
                    invalid(path(at, "namespace"), namespace, m)
                    for m in dns1123_label_errors(namespace)
                ]
            else:
                errs.append(
                    required(path(at, "namespace"), "must specify namespace for service account")
                )
    # The other members are reported in Kubernetes' order: serviceAccount, user, group.
    for other_kind, other in (
        ("ServiceAccount", "serviceAccount"),
        ("User", "user"),
        ("Group", "group"),
    ):
        if other != own and is_set(subject, other):
            errs.append(
                forbidden(
                    path(fld, other),
                    f"{other} is forbidden when subject kind is not '{other_kind}'",
                )
            )
    return errs


def _wildcard_list(values: list[str], fld: str, missing: str, what: str) -> list[FieldError]:
    if not values:
        return [required(fld, missing)]
    if len(values) > 1 and "*" in values:
        return [
            invalid_rendered(
                fld, go_strings(values), f"if '*' is present, must not specify other {what}"
            )
        ]
    return []


def _resource_rule(rule: dict, fld: str) -> list[FieldError]:
    errs = _verbs(rule, fld)
    errs += _wildcard_list(
        get_strs(rule, "apiGroups"),
        path(fld, "apiGroups"),
        "resource rules must supply at least one api group",
        "api groups",
    )
    errs += _wildcard_list(
        get_strs(rule, "resources"),
        path(fld, "resources"),
        "resource rules must supply at least one resource",
        "resources",
    )
    namespaces, at = get_strs(rule, "namespaces"), path(fld, "namespaces")
    if not namespaces and rule.get("clusterScope") is not True:
        errs.append(
            required(
                at, "resource rules that are not cluster scoped must supply at least one namespace"
            )
        )
    elif "*" in namespaces:
        if len(namespaces) > 1:
            errs.append(
                invalid_rendered(
                    at,
                    go_strings(namespaces),
                    "if '*' is present, must not specify other namespaces",
                )
            )
    else:
        for i, namespace in enumerate(namespaces):
            errs += [
                invalid(path(at, i), namespace, _NAMESPACE_INTRO + m)
                for m in dns1123_label_errors(namespace)
            ]
    return errs


def non_resource_url_error(url: str, fld: str) -> FieldError | None:
    """A non-resource URL: absolute, no spaces or empty segments, "*" only as the last segment."""
    if not url:
        return invalid(fld, url, "must not be empty")
    if url == "/":
        return None
    if not url.startswith("/"):
        return invalid(fld, url, "must start with slash")
    if " " in url:
        return invalid(fld, url, "must not contain white-space")
    if "//" in url:
        return invalid(fld, url, "must not contain double slash")
    wildcards = url.count("*")
    if wildcards > 1 or (wildcards == 1 and not url.endswith("/*")):
        return invalid(fld, url, "wildcard can only do suffix matching")
    return None


def _non_resource_rule(rule: dict, fld: str) -> list[FieldError]:
    errs = _verbs(rule, fld)
    urls, at = get_strs(rule, "nonResourceURLs"), path(fld, "nonResourceURLs")
    if not urls:
        errs.append(required(at, "nonResourceURLs must contain at least one value"))
    elif "*" in urls:
        if len(urls) > 1:
            errs.append(
                invalid_rendered(
                    at,
                    go_strings(urls),
                    "if '*' is present, must not specify other non-resource URLs",
                )
            )
    else:
        errs += [e for i, url in enumerate(urls) if (e := non_resource_url_error(url, path(at, i)))]
    return errs


def _policy_rules(rule: dict, fld: str) -> list[FieldError]:
    subjects = get_dicts(rule, "subjects")
    errs = (
        []
        if subjects
        else [required(path(fld, "subjects"), "subjects must contain at least one value")]
    )
    for i, subject in enumerate(subjects):
        errs += _subject(subject, path(fld, "subjects", i))
    resource_rules, non_resource_rules = (
        get_dicts(rule, "resourceRules"),
        get_dicts(rule, "nonResourceRules"),
    )
    if not resource_rules and not non_resource_rules:
        errs.append(
            required(fld, "at least one of resourceRules and nonResourceRules has to be non-empty")
        )
    for i, r in enumerate(resource_rules):
        errs += _resource_rule(r, path(fld, "resourceRules", i))
    for i, r in enumerate(non_resource_rules):
        errs += _non_resource_rule(r, path(fld, "nonResourceRules", i))
    return errs


def _flow_schema_spec(name: str, spec: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    precedence, at = get_int(spec, "matchingPrecedence") or 0, path(fld, "matchingPrecedence")
    if precedence <= 0:
        errs.append(invalid(at, precedence, "must be a positive value"))
    if precedence > MAX_MATCHING_PRECEDENCE:
        errs.append(invalid(at, precedence, f"must not be greater than {MAX_MATCHING_PRECEDENCE}"))
    if precedence == 1 and name != "exempt":
        errs.append(
            invalid(at, precedence, "only the schema named 'exempt' may have matchingPrecedence 1")
        )
    if is_set(spec, "distinguisherMethod"):
        method = get_str(get_dict(spec, "distinguisherMethod"), "type")
        if method not in DISTINGUISHER_METHODS:
            supported = ", ".join(go_quote(m) for m in DISTINGUISHER_METHODS)
            detail = (
                f"Unsupported value: flowcontrol.FlowDistinguisherMethod{{Type:{go_quote(method)}}}: "
                f"supported values: {supported}"
            )
            errs.append(
                FieldError(
                    "FieldValueNotSupported", path(fld, "distinguisherMethod", "type"), detail
                )
            )
    level, at = (
        get_str(get_dict(spec, "priorityLevelConfiguration"), "name"),
        path(fld, "priorityLevelConfiguration", "name"),
    )
    if level:
        errs += [invalid(at, level, m) for m in dns1123_subdomain_errors(level)]
    else:
        errs.append(required(at, "must reference a priority level"))
    for i, rule in enumerate(get_dicts(spec, "rules")):
        errs += _policy_rules(rule, path(fld, "rules", i))
    return errs


def validate_flow_schema(obj: dict) -> list[FieldError]:
    name, spec = get_str(get_dict(obj, "metadata"), "name"), get_dict(obj, "spec")
    errs = _flow_schema_spec(name, spec, "spec")
    if name in bootstrap.MANDATORY and _semantic(spec) != _semantic(
        bootstrap.flow_schema_spec(name)
    ):
        errs.append(
            invalid_rendered(
                "spec", go_flow_schema_spec(spec), f"spec of '{name}' must equal the fixed value"
            )
        )
    return errs + _conditions(get_dict(obj, "status"), "status")


def validate_flow_schema_update(new: dict, old: dict) -> list[FieldError]:
    return validate_flow_schema(new)


# ---------------------------------------------------------------- priority levels


def _percent(obj: dict, key: str, fld: str) -> list[FieldError]:
    value = get_int(obj, key)
    if value is not None and not 0 <= value <= 100:
        return [invalid(path(fld, key), value, "must be between 0 and 100, inclusive")]
    return []


def _shares(obj: dict, fld: str) -> list[FieldError]:
    shares = get_int(obj, "nominalConcurrencyShares")
    if shares is not None and shares < 0:
        return [
            invalid(path(fld, "nominalConcurrencyShares"), shares, "must be a non-negative integer")
        ]
    return []


def _queuing(queuing: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    limit = get_int(queuing, "queueLengthLimit") or 0
    if limit <= 0:
        errs.append(invalid(path(fld, "queueLengthLimit"), limit, "must be positive"))
    queues = get_int(queuing, "queues") or 0
    if queues <= 0:
        errs.append(invalid(path(fld, "queues"), queues, "must be positive"))
    elif queues > MAX_QUEUES:
        errs.append(invalid(path(fld, "queues"), queues, f"must not be greater than {MAX_QUEUES}"))
    hand, at = get_int(queuing, "handSize") or 0, path(fld, "handSize")
    if hand <= 0:
        errs.append(invalid(at, hand, "must be positive"))
    elif hand > queues:
        errs.append(invalid(at, hand, f"should not be greater than queues ({queues})"))
    elif math.ceil(math.log2(queues) * hand) > MAX_HASH_BITS:
        detail = f"required entropy bits of deckSize {queues} and handSize {hand} should not be greater than {MAX_HASH_BITS}"
        errs.append(invalid(at, hand, detail))
    return errs


def _limit_response(response: dict, fld: str) -> list[FieldError]:
    kind = get_str(response, "type")
    if kind == "Reject":
        if is_set(response, "queuing"):
            return [
                forbidden(
                    path(fld, "queuing"), "must be nil if limited.limitResponse.type is not Limited"
                )
            ]
        return []
    if kind == "Queue":
        if not is_set(response, "queuing"):
            return [
                required(
                    path(fld, "queuing"),
                    "must not be empty if limited.limitResponse.type is Limited",
                )
            ]
        return _queuing(get_dict(response, "queuing"), path(fld, "queuing"))
    return [not_supported(path(fld, "type"), kind, LIMIT_RESPONSE_TYPES)]


def _limited(limited: dict, fld: str) -> list[FieldError]:
    errs = _shares(limited, fld) + _limit_response(
        get_dict(limited, "limitResponse"), path(fld, "limitResponse")
    )
    errs += _percent(limited, "lendablePercent", fld)
    borrowing = get_int(limited, "borrowingLimitPercent")
    if borrowing is not None and borrowing < 0:
        detail = "if specified, must be a non-negative integer"
        errs.append(invalid(path(fld, "borrowingLimitPercent"), borrowing, detail))
    return errs


def _priority_level_spec(name: str, spec: dict, fld: str) -> list[FieldError]:
    kind = get_str(spec, "type")
    errs: list[FieldError] = []
    if (name == "exempt") != (kind == "Exempt"):
        errs.append(
            invalid(
                path(fld, "type"), kind, "type must be 'Exempt' if and only if name is 'exempt'"
            )
        )
    if kind == "Exempt":
        if is_set(spec, "limited"):
            errs.append(forbidden(path(fld, "limited"), "must be nil if the type is not Limited"))
        if is_set(spec, "exempt"):
            exempt, at = get_dict(spec, "exempt"), path(fld, "exempt")
            errs += _shares(exempt, at) + _percent(exempt, "lendablePercent", at)
    elif kind == "Limited":
        if is_set(spec, "exempt"):
            errs.append(forbidden(path(fld, "exempt"), "must be nil if the type is Limited"))
        if not is_set(spec, "limited"):
            errs.append(required(path(fld, "limited"), "must not be empty when type is Limited"))
        else:
            errs += _limited(get_dict(spec, "limited"), path(fld, "limited"))
    else:
        errs.append(not_supported(path(fld, "type"), kind, PRIORITY_LEVEL_TYPES))
    return errs


def _mandatory_spec_errors(name: str, spec: dict) -> list[FieldError]:
    fixed = bootstrap.priority_level_spec(name)
    compared = dict(spec)
    detail = f"spec of '{name}' must equal the fixed value"
    if name == "exempt":
        # Administrators may tune the exempt level's own settings, nothing else.
        compared["exempt"] = fixed["exempt"]
        detail = f"spec of '{name}' except the 'spec.exempt' field must equal the fixed value"
    if _semantic(compared) == _semantic(fixed):
        return []
    return [invalid_rendered("spec", go_priority_level_spec(spec), detail)]


def validate_priority_level_configuration(obj: dict) -> list[FieldError]:
    meta, spec = get_dict(obj, "metadata"), get_dict(obj, "spec")
    name = get_str(meta, "name")
    errs: list[FieldError] = []
    if PRESERVE_ZERO_SHARES_ANNOTATION in get_dict(meta, "annotations"):
        detail = f"annotation '{PRESERVE_ZERO_SHARES_ANNOTATION}' is forbidden"
        errs.append(forbidden("metadata.annotations", detail))
    errs += _priority_level_spec(name, spec, "spec")
    if name in bootstrap.MANDATORY:
        errs += _mandatory_spec_errors(name, spec)
    return errs + _conditions(get_dict(obj, "status"), "status")


def validate_priority_level_configuration_update(new: dict, old: dict) -> list[FieldError]:
    return validate_priority_level_configuration(new)
