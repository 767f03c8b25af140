"""Validation of admissionregistration.k8s.io/v1 webhook configurations, and the rule shapes
webhooks and admission policies share (rules, match resources, match conditions).

Kubernetes checks the same webhook differently on update: a rule it added later (side effects
must be None or NoneOnDryRun, an accepted AdmissionReview version, unique names, strict
selector values) only applies when the stored object already met it, so old objects stay
updatable. `WebhookOptions` carries those switches. CEL expressions are checked for presence
only; compiling them is left to the admission plugins.

Values Kubernetes prints with Go's `%#v` (string slices, typed slices) are rendered the same
way, since the message is part of the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from kube_apiserver.apis.core.formats import clean_selector, dns1035_label_errors, go_strings
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
    too_many,
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
    dns1123_subdomain_errors,
    path_segment_name_errors,
    qualified_name_errors,
    validate_label_selector,
)

FAILURE_POLICIES = ["Fail", "Ignore"]
MATCH_POLICIES = ["Equivalent", "Exact"]
SCOPES = ["*", "Cluster", "Namespaced"]
OPERATIONS = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"]
REINVOCATION_POLICIES = ["IfNeeded", "Never"]
SIDE_EFFECTS = ["None", "NoneOnDryRun", "Some", "Unknown"]
NO_SIDE_EFFECTS = ["None", "NoneOnDryRun"]
# The AdmissionReview versions the previous kube-apiserver release understands.
ACCEPTED_REVIEW_VERSIONS = ["v1", "v1beta1"]
MAX_MATCH_CONDITIONS = 64
_URL_FORM = "; desired format: https://host[/path]"


def _strings_invalid(
    fld: str, values: list[str], detail: str, type_name: str = "string"
) -> FieldError:
    return invalid_rendered(fld, go_strings(values, type_name), detail)


# ---------------------------------------------------------------- rules


def _resources(resources: list[str], fld: str) -> list[FieldError]:
    """A rule's resources: "x", "x/y", "*", "*/y", "x/*" or "*/*", without overlaps."""
    errs = [] if resources else [required(fld)]
    whole_subresources: set[str] = set()  # x/*
    any_resource: set[str] = set()  # */x
    double = single = plain = False
    for i, item in enumerate(resources):
        if item == "":
            errs.append(required(path(fld, i)))
            continue
        double = double or item == "*/*"
        single = single or item == "*"
        if "/" not in item:
            # Kubernetes keeps only the last such resource's answer here.
            plain = item != "*"
            continue
        res, sub = item.split("/", 1)
        if res in whole_subresources:
            errs.append(
                invalid(path(fld, i), item, f"if '{res}/*' is present, must not specify {item}")
            )
        if sub in any_resource:
            errs.append(
                invalid(path(fld, i), item, f"if '*/{sub}' is present, must not specify {item}")
            )
        if sub == "*":
            whole_subresources.add(res)
        if res == "*":
            any_resource.add(sub)
    if len(resources) > 1 and double:
        detail = "if '*/*' is present, must not specify other resources"
        errs.append(_strings_invalid(fld, resources, detail))
    if single and plain:
        detail = "if '*' is present, must not specify other resources without subresources"
        errs.append(_strings_invalid(fld, resources, detail))
    return errs


def _rule(rule: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key, what in (("apiGroups", "API groups"), ("apiVersions", "API versions")):
        values, at = get_strs(rule, key), path(fld, key)
        if not values:
            errs.append(required(at))
        if len(values) > 1 and "*" in values:
            errs.append(
                _strings_invalid(at, values, f"if '*' is present, must not specify other {what}")
            )
    errs += [
        required(path(fld, "apiVersions", i))
        for i, v in enumerate(get_strs(rule, "apiVersions"))
        if v == ""
    ]
    errs += _resources(get_strs(rule, "resources"), path(fld, "resources"))
    scope = rule.get("scope")
    if isinstance(scope, str) and scope not in SCOPES:
        errs.append(not_supported(path(fld, "scope"), scope, SCOPES))
    return errs


def validate_rule_with_operations(rule: dict, fld: str) -> list[FieldError]:
    operations, at = get_strs(rule, "operations"), path(fld, "operations")
    errs = [] if operations else [required(at)]
    if len(operations) > 1 and "*" in operations:
        detail = "if '*' is present, must not specify other operations"
        errs.append(_strings_invalid(at, operations, detail, "admissionregistration.OperationType"))
    errs += [
        not_supported(path(at, i), op, OPERATIONS)
        for i, op in enumerate(operations)
        if op not in OPERATIONS
    ]
    return errs + _rule(rule, fld)


def _named_rule(rule: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, name in enumerate(get_strs(rule, "resourceNames")):
        at = path(fld, "resourceNames", i)
        errs += [invalid(at, name, m) for m in path_segment_name_errors(name)]
        if name in seen:
            errs.append(duplicate(at, name))
        seen.add(name)
    return errs + validate_rule_with_operations(rule, fld)


def _selector(
    obj: dict, key: str, fld: str, *, allow_invalid_values: bool = False
) -> list[FieldError]:
    return validate_label_selector(
        clean_selector(obj.get(key)), path(fld, key), allow_invalid_label_value=allow_invalid_values
    )


def _enum(obj: dict, key: str, fld: str, supported: list[str], *, needed: bool) -> list[FieldError]:
    if not is_set(obj, key):
        return [required(path(fld, key))] if needed else []
    value = obj[key]
    return [] if value in supported else [not_supported(path(fld, key), value, supported)]


def validate_match_resources(match: dict, fld: str) -> list[FieldError]:
    """A policy's matchConstraints or a binding's matchResources (selectors checked strictly)."""
    errs = _enum(match, "matchPolicy", fld, MATCH_POLICIES, needed=True)
    for key in ("namespaceSelector", "objectSelector"):
        errs += _selector(match, key, fld) if is_set(match, key) else [required(path(fld, key))]
    for key in ("resourceRules", "excludeResourceRules"):
        for i, rule in enumerate(get_dicts(match, key)):
            errs += _named_rule(rule, path(fld, key, i))
    return errs


def validate_match_conditions(conditions: list[dict], fld: str) -> list[FieldError]:
    errs = (
        [too_many(fld, len(conditions), MAX_MATCH_CONDITIONS)]
        if len(conditions) > MAX_MATCH_CONDITIONS
        else []
    )
    names: set[str] = set()
    for i, condition in enumerate(conditions):
        at = path(fld, i)
        if not get_str(condition, "expression").strip():
            errs.append(required(path(at, "expression")))
        name = get_str(condition, "name")
        if not name:
            errs.append(required(path(at, "name")))
        else:
            errs += [invalid(path(at, "name"), name, m) for m in qualified_name_errors(name)]
            if name in names:
                errs.append(duplicate(path(at, "name"), name))
            names.add(name)
    return errs


# ---------------------------------------------------------------- client config


def _url_parse_error(url: str) -> str | None:
    """The reasons Go's url.Parse refuses a URL that this check can meet."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return "net/url: invalid control character in URL"
    if url.startswith(":"):
        return "missing protocol scheme"
    return None


def _webhook_url(url: str, fld: str) -> list[FieldError]:
    reason = _url_parse_error(url)
    if reason is not None:
        return [required(fld, f'url must be a valid URL: parse "{url}": {reason}{_URL_FORM}')]
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    errs = []
    if parts.scheme.lower() != "https":
        errs.append(
            invalid(fld, parts.scheme.lower(), "'https' is the only allowed URL scheme" + _URL_FORM)
        )
    if not host:
        errs.append(invalid(fld, host, "host must be provided" + _URL_FORM))
    if "@" in parts.netloc:
        user = parts.netloc.rpartition("@")[0]
        errs.append(invalid(fld, user, "user information is not permitted in the URL"))
    if parts.fragment:
        errs.append(invalid(fld, parts.fragment, "fragments are not permitted in the URL"))
    if parts.query:
        errs.append(invalid(fld, parts.query, "query parameters are not permitted in the URL"))
    return errs


def _service_path(value: str, fld: str) -> list[FieldError]:
    if value in ("", "/"):
        return []
    if value == "//":
        return [invalid(fld, value, "segment[0] may not be empty")]
    errs = [] if value.startswith("/") else [invalid(fld, value, "must start with a '/'")]
    steps = value[1:].removesuffix("/").split("/")
    for i, step in enumerate(steps):
        if not step:
            errs.append(invalid(fld, value, f"segment[{i}] may not be empty"))
            continue
        errs += [invalid(fld, value, f"segment[{i}]: {m}") for m in dns1123_subdomain_errors(step)]
    return errs


def _service(service: dict, fld: str) -> list[FieldError]:
    errs = []
    if not get_str(service, "name"):
        errs.append(required(path(fld, "name"), "service name is required"))
    if not get_str(service, "namespace"):
        errs.append(required(path(fld, "namespace"), "service namespace is required"))
    port = get_int(service, "port") or 0
    if not 1 <= port <= 65535:
        errs.append(
            invalid(
                path(fld, "port"), port, "port is not valid: must be between 1 and 65535, inclusive"
            )
        )
    if isinstance(service.get("path"), str):
        errs += _service_path(service["path"], path(fld, "path"))
    return errs


def _client_config(config: dict, fld: str) -> list[FieldError]:
    if is_set(config, "url") == is_set(config, "service"):
        return [required(path(fld, "clientConfig"), "exactly one of url or service is required")]
    at = path(fld, "clientConfig")
    if is_set(config, "url"):
        return _webhook_url(get_str(config, "url"), path(at, "url"))
    return _service(get_dict(config, "service"), path(at, "service"))


# ---------------------------------------------------------------- webhooks


@dataclass(frozen=True)
class WebhookOptions:
    require_no_side_effects: bool = True
    require_recognized_review_version: bool = True
    require_unique_names: bool = True
    allow_invalid_label_values: bool = False
    ignore_match_conditions: bool = False


def fully_qualified_name_errors(name: str, fld: str) -> list[FieldError]:
    """A webhook name: a DNS subdomain of at least three labels."""
    if not name:
        return [required(fld)]
    errs = dns1123_subdomain_errors(name)
    if errs:
        return [invalid(fld, name, ",".join(errs))]
    if len(name.split(".")) < 3:
        return [
            invalid(fld, name, "should be a domain with at least three segments separated by dots")
        ]
    return []


def _side_effects(hook: dict, fld: str, opts: WebhookOptions) -> list[FieldError]:
    allowed = NO_SIDE_EFFECTS if opts.require_no_side_effects else SIDE_EFFECTS
    if not is_set(hook, "sideEffects"):
        return [required(path(fld, "sideEffects"), "must specify one of " + ", ".join(allowed))]
    value = hook["sideEffects"]
    return [] if value in allowed else [not_supported(path(fld, "sideEffects"), value, allowed)]


def _webhook(hook: dict, fld: str, opts: WebhookOptions, *, mutating: bool) -> list[FieldError]:
    errs = fully_qualified_name_errors(get_str(hook, "name"), path(fld, "name"))
    for i, rule in enumerate(get_dicts(hook, "rules")):
        errs += validate_rule_with_operations(rule, path(fld, "rules", i))
    errs += _enum(hook, "failurePolicy", fld, FAILURE_POLICIES, needed=False)
    errs += _enum(hook, "matchPolicy", fld, MATCH_POLICIES, needed=False)
    errs += _side_effects(hook, fld, opts)
    timeout = get_int(hook, "timeoutSeconds")
    if timeout is not None and not 1 <= timeout <= 30:
        errs.append(
            invalid(
                path(fld, "timeoutSeconds"),
                timeout,
                "the timeout value must be between 1 and 30 seconds",
            )
        )
    for key in ("namespaceSelector", "objectSelector"):
        if is_set(hook, key):
            errs += _selector(hook, key, fld, allow_invalid_values=opts.allow_invalid_label_values)
    if mutating:
        errs += _enum(hook, "reinvocationPolicy", fld, REINVOCATION_POLICIES, needed=False)
    errs += _client_config(get_dict(hook, "clientConfig"), fld)
    if not opts.ignore_match_conditions:
        errs += validate_match_conditions(
            get_dicts(hook, "matchConditions"), path(fld, "matchConditions")
        )
    return errs


def _review_versions(versions: list[str], fld: str, *, require_accepted: bool) -> list[FieldError]:
    if not versions:
        return [required(fld, "must specify one of " + ", ".join(ACCEPTED_REVIEW_VERSIONS))]
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, version in enumerate(versions):
        if version in seen:
            errs.append(invalid(path(fld, i), version, "duplicate version"))
            continue
        seen.add(version)
        errs += [invalid(path(fld, i), version, m) for m in dns1035_label_errors(version)]
    if require_accepted and not seen & set(ACCEPTED_REVIEW_VERSIONS):
        detail = "must include at least one of " + ", ".join(ACCEPTED_REVIEW_VERSIONS)
        errs.append(_strings_invalid(fld, versions, detail))
    return errs


def _webhook_configuration(obj: dict, opts: WebhookOptions, *, mutating: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, hook in enumerate(get_dicts(obj, "webhooks")):
        at = path("webhooks", i)
        errs += _webhook(hook, at, opts, mutating=mutating)
        errs += _review_versions(
            get_strs(hook, "admissionReviewVersions"),
            path(at, "admissionReviewVersions"),
            require_accepted=opts.require_recognized_review_version,
        )
        name = get_str(hook, "name")
        if opts.require_unique_names and name:
            if name in names:
                errs.append(duplicate(path(at, "name"), name))
            names.add(name)
    return errs


def _update_options(new: dict, old: dict) -> WebhookOptions:
    """Which newer rules the stored configuration already met, and so must keep meeting."""
    old_hooks, new_hooks = get_dicts(old, "webhooks"), get_dicts(new, "webhooks")
    names = [get_str(h, "name") for h in old_hooks]
    return WebhookOptions(
        require_no_side_effects=all(h.get("sideEffects") in NO_SIDE_EFFECTS for h in old_hooks),
        require_recognized_review_version=all(
            not get_strs(h, "admissionReviewVersions")
            or set(get_strs(h, "admissionReviewVersions")) & set(ACCEPTED_REVIEW_VERSIONS)
            for h in old_hooks
        ),
        require_unique_names=len(names) == len(set(names)),
        allow_invalid_label_values=any(
            is_set(h, key) and _selector(h, key, "")
            for h in old_hooks
            for key in ("namespaceSelector", "objectSelector")
        ),
        ignore_match_conditions=len(new_hooks) == len(old_hooks)
        and all(
            n.get("matchConditions") == o.get("matchConditions")
            for n, o in zip(new_hooks, old_hooks, strict=True)
        ),
    )


def validate_mutating_webhook_configuration(obj: dict) -> list[FieldError]:
    return _webhook_configuration(obj, WebhookOptions(), mutating=True)


def validate_mutating_webhook_configuration_update(new: dict, old: dict) -> list[FieldError]:
    return _webhook_configuration(new, _update_options(new, old), mutating=True)


def validate_validating_webhook_configuration(obj: dict) -> list[FieldError]:
    return _webhook_configuration(obj, WebhookOptions(), mutating=False)


def validate_validating_webhook_configuration_update(new: dict, old: dict) -> list[FieldError]:
    return _webhook_configuration(new, _update_options(new, old), mutating=False)
