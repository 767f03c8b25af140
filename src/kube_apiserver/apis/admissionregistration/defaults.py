"""Defaulting of admissionregistration.k8s.io/v1 objects, as kube-apiserver 1.33 applies it.

Webhooks get their failure and match policies, empty (match-everything) selectors and a
10 second timeout; mutating ones also `reinvocationPolicy: Never`. Every rule's `scope`
defaults to "*" and a service reference's port to 443. Policies default `failurePolicy`, and
their match constraints (like a binding's match resources) the match policy and selectors.
`sideEffects` and `admissionReviewVersions` have no default in v1: validation requires them.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.meta.unstructured import dict_items, find_dict


def _default(obj: dict, key: str, value: Any) -> None:
    # An explicit null decodes to a nil pointer, which is defaulted like an absent field.
    if obj.get(key) is None:
        obj[key] = value


def _rules(rules: list[dict]) -> None:
    for rule in rules:
        _default(rule, "scope", "*")


def _match_policy_and_selectors(obj: dict) -> None:
    _default(obj, "matchPolicy", "Equivalent")
    _default(obj, "namespaceSelector", {})
    _default(obj, "objectSelector", {})


def _webhook(hook: dict, *, mutating: bool) -> None:
    _default(hook, "failurePolicy", "Fail")
    _match_policy_and_selectors(hook)
    _default(hook, "timeoutSeconds", 10)
    if mutating:
        _default(hook, "reinvocationPolicy", "Never")
    _rules(dict_items(hook, "rules"))
    service = find_dict(find_dict(hook, "clientConfig"), "service")
    if service is not None:
        _default(service, "port", 443)


def default_mutating_webhook_configuration(obj: dict) -> None:
    for hook in dict_items(obj, "webhooks"):
        _webhook(hook, mutating=True)


def default_validating_webhook_configuration(obj: dict) -> None:
    for hook in dict_items(obj, "webhooks"):
        _webhook(hook, mutating=False)


def _match_resources(match: dict | None) -> None:
    if match is None:
        return
    _match_policy_and_selectors(match)
    _rules(dict_items(match, "resourceRules") + dict_items(match, "excludeResourceRules"))


def default_validating_admission_policy(obj: dict) -> None:
    spec = find_dict(obj, "spec")
    if spec is None:
        spec = obj["spec"] = {}
    _default(spec, "failurePolicy", "Fail")
    _match_resources(find_dict(spec, "matchConstraints"))


def default_validating_admission_policy_binding(obj: dict) -> None:
    _match_resources(find_dict(find_dict(obj, "spec"), "matchResources"))
