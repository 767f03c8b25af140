"""The structured authorization configuration (`--authorization-config`).

An `AuthorizationConfiguration` (`apiserver.config.k8s.io/v1`, also read as `v1beta1` and
`v1alpha1`) lists the authorizer chain in order. Each entry has a `type` (Webhook, RBAC, Node,
AlwaysAllow, AlwaysDeny) and a `name`; a Webhook entry also has its `webhook` settings:

    timeout, subjectAccessReviewVersion, matchConditionSubjectAccessReviewVersion,
    failurePolicy (NoOpinion | Deny), connectionInfo {type: KubeConfigFile | InClusterConfig,
    kubeConfigFile}, authorizedTTL (default 5m), unauthorizedTTL (default 30s),
    cacheAuthorizedRequests, cacheUnauthorizedRequests (default true), matchConditions

The file is decoded leniently, as Kubernetes decodes it (unknown fields are ignored), defaulted,
then validated with Kubernetes' field paths and messages. Two quirks are kept because operators
see them: a webhook's fields are reported without `webhook.` (`authorizers[0].timeout: Required
value`), and every authorizer but a webhook must be named as its type in lower case ("rbac",
"node", ...). Only webhooks may appear more than once.

Every problem is a `ConfigError` whose message is the line the server exits with.
"""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.field import FieldError
from kube_apiserver.apis.meta.validation import dns1123_subdomain_errors
from kube_apiserver.authorization.cel import MAX_CONDITIONS, CompileError, MatchConditions
from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.authorization.webhook import WebhookAuthorizer, WebhookSettings
from kube_apiserver.cmd.options.flags import parse_duration
from kube_apiserver.webhook.client import WebhookClient
from kube_apiserver.webhook.kubeconfig import (
    ClientConfig,
    KubeconfigError,
    in_cluster_config,
    load_kubeconfig,
    yaml_problem,
)

GROUP = "apiserver.config.k8s.io"
VERSIONS = ("v1", "v1beta1", "v1alpha1")
KIND = "AuthorizationConfiguration"
KNOWN_TYPES = ("ABAC", "AlwaysAllow", "AlwaysDeny", "Node", "RBAC", "Webhook")
UNSUPPORTED_TYPES = ("ABAC",)
WEBHOOK = "Webhook"
MAX_TIMEOUT = 30.0
KUBECONFIG_FILE, IN_CLUSTER = "KubeConfigFile", "InClusterConfig"


class ConfigError(ValueError):
    """The configuration cannot be used; the message is what the server reports."""


@dataclass(frozen=True)
class WebhookEntry:
    settings: WebhookSettings
    timeout: float
    connection_type: str
    kubeconfig_file: str

    def client_config(self) -> ClientConfig:
        if self.connection_type == IN_CLUSTER:
            return in_cluster_config()
        return load_kubeconfig(self.kubeconfig_file)


@dataclass(frozen=True)
class AuthorizerEntry:
    type: str
    name: str
    webhook: WebhookEntry | None = None


def load(path: Path) -> list[AuthorizerEntry]:
    """The chain the file describes, decoded, defaulted and validated."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ConfigError(f"open {path}: {(err.strerror or str(err)).lower()}") from err
    doc = _decode(data)
    raw = doc.get("authorizers") or []
    if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
        raise ConfigError(_load_failure("authorizers must be a list of objects"))
    errors = _validate(raw)
    if errors:
        raise ConfigError(_aggregate(list(dict.fromkeys(str(e) for e in errors))))
    mismatches = [
        f"expected name {a['type'].lower()} for authorizer {a['type']} instead of {a['name']}"
        for a in raw
        if a["type"] != WEBHOOK and a["name"] != a["type"].lower()
    ]
    mismatches += [
        f'authorizer type "{a["type"]}" is not supported by this version yet'
        for a in raw
        if a["type"] in UNSUPPORTED_TYPES
    ]
    if mismatches:
        raise ConfigError(_aggregate(mismatches))
    return [_entry(a) for a in raw]


def problems(path: Path) -> list[str]:
    """What stops the file from giving a chain, the webhooks' kubeconfigs included; for the
    options' validation, so the server refuses to start with one `Error:` line."""
    try:
        entries = load(path)
        for entry in entries:
            if entry.webhook is not None:
                _client_config(entry.name, entry.webhook)
    except ConfigError as err:
        return [str(err)]
    return []


def authorizers_from_file(
    path: Path, by_type: dict[str, Callable[[], Authorizer]]
) -> list[Authorizer]:
    """The chain a configuration file describes; `by_type` makes the RBAC, Node, AlwaysAllow
    and AlwaysDeny members, the file's own entries make the webhooks."""
    chain: list[Authorizer] = []
    for entry in load(path):
        if entry.webhook is None:
            chain.append(by_type[entry.type]())
            continue
        client = WebhookClient(
            _client_config(entry.name, entry.webhook), timeout=entry.webhook.timeout
        )
        chain.append(WebhookAuthorizer(client, entry.webhook.settings))
    return chain


def _client_config(name: str, webhook: WebhookEntry) -> ClientConfig:
    try:
        return webhook.client_config()
    except KubeconfigError as err:
        raise ConfigError(f'authorization webhook "{name}": {err}') from err


def _decode(data: bytes) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError as err:
        raise ConfigError(_load_failure(yaml_problem(err))) from err
    if doc is None:
        return {}  # an empty file is the default configuration, which has no authorizers
    if not isinstance(doc, dict):
        raise ConfigError(_load_failure("the file does not hold an object"))
    kind, api_version = doc.get("kind"), doc.get("apiVersion")
    if not kind:
        raise ConfigError(_load_failure("Object 'Kind' is missing"))
    group, _, version = str(api_version or "").rpartition("/")
    if kind != KIND or group != GROUP or version not in VERSIONS:
        raise ConfigError(
            _load_failure(f'no kind "{kind}" is registered for version "{api_version or ""}"')
        )
    return doc


def _validate(authorizers: list[dict[str, Any]]) -> list[FieldError]:
    if not authorizers:
        return [field.required("authorizers", "at least one authorization mode must be defined")]
    errors: list[FieldError] = []
    seen_types: set[str] = set()
    seen_names: set[str] = set()
    for index, authorizer in enumerate(authorizers):
        path = f"authorizers[{index}]"
        kind, name = str(authorizer.get("type") or ""), str(authorizer.get("name") or "")
        authorizer["type"], authorizer["name"] = kind, name
        if not kind:
            errors.append(field.required(f"{path}.type"))
            continue
        if kind not in KNOWN_TYPES:
            errors.append(field.not_supported(f"{path}.type", kind, list(KNOWN_TYPES)))
            continue
        if kind in seen_types and kind != WEBHOOK:
            errors.append(field.duplicate(f"{path}.type", kind))
            continue
        seen_types.add(kind)
        if not name:
            errors.append(field.required(f"{path}.name"))
        elif name in seen_names:
            errors.append(field.duplicate(f"{path}.name", name))
        elif problems := dns1123_subdomain_errors(name):
            errors.append(
                field.invalid(
                    f"{path}.name", name, "authorizer name is invalid: " + ", ".join(problems)
                )
            )
        seen_names.add(name)
        webhook = authorizer.get("webhook")
        if kind == WEBHOOK:
            if not isinstance(webhook, dict):
                errors.append(field.required(f"{path}.webhook", "required when type=Webhook"))
                continue
            # Kubernetes reports a webhook's fields under the authorizer's path.
            errors += _validate_webhook(path, webhook)
        elif webhook is not None:
            errors.append(
                field.invalid(
                    f"{path}.webhook", "non-null", "may only be specified when type=Webhook"
                )
            )
    return errors


def _validate_webhook(path: str, webhook: dict[str, Any]) -> list[FieldError]:
    """Validate (and default, in place) one webhook's settings."""
    errors: list[FieldError] = []
    timeout = webhook["timeout"] = _duration(webhook.get("timeout"))
    if timeout == 0:
        errors.append(field.required(f"{path}.timeout"))
    elif not 0 < timeout <= MAX_TIMEOUT:
        errors.append(
            field.invalid(f"{path}.timeout", go_duration(timeout), "must be > 0s and <= 30s")
        )
    for key, default in (("authorizedTTL", 300.0), ("unauthorizedTTL", 30.0)):
        ttl = _duration(webhook.get(key)) or default
        webhook[key] = ttl
        if ttl < 0:
            errors.append(field.invalid(f"{path}.{key}", go_duration(ttl), "must be > 0s"))
    for key in ("cacheAuthorizedRequests", "cacheUnauthorizedRequests"):
        webhook[key] = webhook.get(key) is not False
    version = webhook.get("subjectAccessReviewVersion") or ""
    if not version:
        errors.append(field.required(f"{path}.subjectAccessReviewVersion"))
    elif version not in ("v1", "v1beta1"):
        errors.append(
            field.not_supported(f"{path}.subjectAccessReviewVersion", version, ["v1", "v1beta1"])
        )
    conditions = webhook.get("matchConditions") or []
    match_version = webhook.get("matchConditionSubjectAccessReviewVersion") or ""
    if not match_version and conditions:
        errors.append(
            field.required(
                f"{path}.matchConditionSubjectAccessReviewVersion",
                "required if match conditions are specified",
            )
        )
    elif match_version and match_version != "v1":
        errors.append(
            field.not_supported(
                f"{path}.matchConditionSubjectAccessReviewVersion", match_version, ["v1"]
            )
        )
    policy = webhook.get("failurePolicy") or ""
    if not policy:
        errors.append(field.required(f"{path}.failurePolicy"))
    elif policy not in ("NoOpinion", "Deny"):
        errors.append(field.not_supported(f"{path}.failurePolicy", policy, ["NoOpinion", "Deny"]))
    errors += _validate_connection(path, webhook.get("connectionInfo") or {})
    errors += _validate_conditions(path, webhook, conditions)
    return errors


def _validate_connection(path: str, info: dict[str, Any]) -> list[FieldError]:
    kind = info.get("type") or ""
    kubeconfig = info.get("kubeConfigFile")
    where = f"{path}.connectionInfo.kubeConfigFile"
    if not kind:
        return [field.required(f"{path}.connectionInfo.type")]
    if kind == IN_CLUSTER:
        if kubeconfig is not None:
            return [field.invalid(where, kubeconfig, "can only be set when type=KubeConfigFile")]
        return []
    if kind != KUBECONFIG_FILE:
        return [
            field.not_supported(f"{path}.connectionInfo.type", kind, [IN_CLUSTER, KUBECONFIG_FILE])
        ]
    if not kubeconfig:
        return [field.required(where)]
    if not os.path.isabs(kubeconfig):
        return [field.invalid(where, kubeconfig, "must be an absolute path")]
    try:
        mode = Path(kubeconfig).stat().st_mode
    except OSError as err:
        reason = (err.strerror or str(err)).lower()
        return [
            field.invalid(where, kubeconfig, f"error loading file: stat {kubeconfig}: {reason}")
        ]
    if not stat.S_ISREG(mode):
        return [field.invalid(where, kubeconfig, "must be a regular file")]
    return []


def _validate_conditions(path: str, webhook: dict[str, Any], conditions: Any) -> list[FieldError]:
    if not isinstance(conditions, list):
        return [field.invalid(f"{path}.matchConditions", "", "must be a list")]
    if len(conditions) > MAX_CONDITIONS:
        return [field.too_many(f"{path}.matchConditions", len(conditions), MAX_CONDITIONS)]
    errors: list[FieldError] = []
    seen: set[str] = set()
    expressions = []
    for index, condition in enumerate(conditions):
        where = f"{path}.matchConditions[{index}].expression"
        expression = str((condition or {}).get("expression") or "")
        if not expression.strip():
            errors.append(field.required(where))
            continue
        if expression in seen:
            errors.append(field.duplicate(where, expression))
            continue
        seen.add(expression)
        try:
            MatchConditions.compile([expression])
        except CompileError as err:
            errors.append(field.invalid(where, expression, str(err)))
            continue
        expressions.append(expression)
    webhook["matchConditions"] = expressions
    return errors


def _entry(authorizer: dict[str, Any]) -> AuthorizerEntry:
    webhook = authorizer.get("webhook")
    if authorizer["type"] != WEBHOOK or not isinstance(webhook, dict):
        return AuthorizerEntry(authorizer["type"], authorizer["name"])
    conditions = webhook["matchConditions"]
    info = webhook.get("connectionInfo") or {}
    settings = WebhookSettings(
        name=authorizer["name"],
        version=webhook["subjectAccessReviewVersion"],
        authorized_ttl=webhook["authorizedTTL"],
        unauthorized_ttl=webhook["unauthorizedTTL"],
        cache_authorized=webhook["cacheAuthorizedRequests"],
        cache_unauthorized=webhook["cacheUnauthorizedRequests"],
        deny_on_failure=webhook["failurePolicy"] == "Deny",
        match=MatchConditions.compile(conditions) if conditions else None,
    )
    entry = WebhookEntry(
        settings, webhook["timeout"], info["type"], info.get("kubeConfigFile") or ""
    )
    return AuthorizerEntry(WEBHOOK, authorizer["name"], entry)


def _duration(value: Any) -> float:
    """A metav1.Duration: a Go duration string such as "3s" or "1m30s"."""
    if value in (None, ""):
        return 0.0
    text = str(value)
    sign = -1.0 if text.startswith("-") else 1.0
    try:
        return sign * parse_duration(text.lstrip("+-"))
    except argparse.ArgumentTypeError as err:
        raise ConfigError(_load_failure(f'time: invalid duration "{text}"')) from err


def go_duration(seconds: float) -> str:
    """A duration as Go's time.Duration.String writes it: "45s", "1m30s", "1h0m0s", "500ms"."""
    if seconds == 0:
        return "0s"
    sign, value = ("-" if seconds < 0 else ""), abs(seconds)
    if value < 1:
        for unit, scale in (("ms", 1e3), ("µs", 1e6), ("ns", 1e9)):
            if value * scale >= 1 or unit == "ns":
                return sign + f"{value * scale:.6f}".rstrip("0").rstrip(".") + unit
    hours, rest = divmod(value, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{secs:.9f}".rstrip("0").rstrip(".") + "s"
    if hours or minutes:
        text = f"{int(minutes)}m" + text
    if hours:
        text = f"{int(hours)}h" + text
    return sign + text


def _load_failure(why: str) -> str:
    return f"failed to load AuthorizationConfiguration from file: {why}"


def _aggregate(messages: list[str]) -> str:
    return messages[0] if len(messages) == 1 else "[" + ", ".join(messages) + "]"
