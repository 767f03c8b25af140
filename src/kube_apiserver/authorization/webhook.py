"""The webhook authorizer: a remote service decides, by SubjectAccessReview.

Each request is described as a SubjectAccessReview (`authorization.k8s.io/v1beta1` by default,
or `v1`): the user (name, uid, groups, extra) and either the resource attributes (namespace,
verb, group, version, resource, subresource, name, field selector) or the non-resource ones (path,
verb), filled as Kubernetes fills them. The answer's status decides:

- `allowed` allows, `denied` denies (both at once denies), neither is no opinion, so the next
  authorizer in the chain is asked; the `reason` travels with the decision into the 403 message;
- a webhook that cannot be called or gives no usable answer yields the failure policy's
  decision: no opinion (the flag-configured webhook, and `failurePolicy: NoOpinion`) or deny;
- `matchConditions` (CEL over the review's spec) are checked first: a request they do not match
  never reaches the webhook (no opinion), one they cannot evaluate gets the failure policy.

Answers are cached by the review's spec: allowed ones for the authorized TTL (5 minutes by
default), the others for the unauthorized TTL (30 s), unless caching that kind of answer is off;
failures are never cached. A request whose attributes are very large (10,000 bytes or more) is
not cached, so a client cannot flood the cache.

A failed call is reported as Kubernetes reports it: the failure policy's decision with the error
beside it (`AuthorizerError`), which the authorization filter turns into a 500 when nothing else
allows the request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.cel import EvalError, MatchConditions
from kube_apiserver.authorization.interface import Attributes, AuthorizerError, Decision, Rules
from kube_apiserver.cmd.options.authorization import AuthorizationOptions
from kube_apiserver.webhook.cache import ExpiringLRUCache
from kube_apiserver.webhook.client import WebhookClient, WebhookError
from kube_apiserver.webhook.kubeconfig import load_kubeconfig

log = logging.getLogger(__name__)

GROUP = "authorization.k8s.io"
CACHE_SIZE = 8192
MAX_CACHED_ATTRIBUTES = 10000
LEGACY_NAME = "webhook"  # the name Kubernetes gives the webhook `--authorization-mode` configures
NO_RULES = "webhook authorizer does not support user rule resolution"

_SELECTOR_OPERATORS = {"=": "In", "==": "In", "!=": "NotIn"}


@dataclass(frozen=True)
class WebhookSettings:
    name: str = LEGACY_NAME
    version: str = "v1beta1"  # of the SubjectAccessReview sent and expected
    authorized_ttl: float = 300.0
    unauthorized_ttl: float = 30.0
    cache_authorized: bool = True
    cache_unauthorized: bool = True
    deny_on_failure: bool = False  # failurePolicy Deny; NoOpinion otherwise
    match: MatchConditions | None = None


# A cached answer: allowed, denied, reason.
_Status = tuple[bool, bool, str]


class WebhookAuthorizer:
    def __init__(
        self,
        client: WebhookClient,
        settings: WebhookSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._settings = settings
        self._api_version = f"{GROUP}/{settings.version}"
        self._cache: ExpiringLRUCache[_Status] = ExpiringLRUCache(CACHE_SIZE, clock=clock)
        self._failure_decision = Decision.DENY if settings.deny_on_failure else Decision.NO_OPINION

    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        spec = review_spec(attrs)
        if self._settings.match is not None:
            try:
                if not self._settings.match.matches(spec):
                    return Decision.NO_OPINION, ""
            except EvalError as err:
                log.error("authorization webhook %r match conditions: %s", self._settings.name, err)
                raise AuthorizerError(self._failure_decision, "", str(err)) from None
        key = orjson.dumps(spec, option=orjson.OPT_SORT_KEYS)
        status = self._cache.get(key)
        if status is None:
            try:
                status = await self._ask(spec)
            except WebhookError as err:
                log.error("Failed to make webhook authorizer request: %s", err)
                raise AuthorizerError(self._failure_decision, "", str(err)) from None
            self._remember(key, status, attrs)
        allowed, denied, reason = status
        if denied:
            if allowed:
                log.error("webhook subject access review returned both allow and deny response")
            return Decision.DENY, reason
        return (Decision.ALLOW if allowed else Decision.NO_OPINION), reason

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        return Rules(incomplete=True, error=NO_RULES)

    async def close(self) -> None:
        await self._client.close()

    async def _ask(self, spec: dict[str, Any]) -> _Status:
        sent = spec
        if self._settings.version == "v1beta1" and "groups" in spec:
            # v1beta1 calls the groups field `group`.
            sent = {("group" if k == "groups" else k): v for k, v in spec.items()}
        answer = await self._client.post(
            {
                "apiVersion": self._api_version,
                "kind": "SubjectAccessReview",
                "metadata": {"creationTimestamp": None},
                "spec": sent,
                "status": {"allowed": False},
            }
        )
        status = answer.get("status")
        if not isinstance(status, dict):
            raise WebhookError("the authorization webhook answered without a status")
        if status.get("evaluationError"):
            log.info(
                "authorization webhook %r reported an evaluation error: %s",
                self._settings.name,
                status["evaluationError"],
            )
        return (
            status.get("allowed") is True,
            status.get("denied") is True,
            str(status.get("reason") or ""),
        )

    def _remember(self, key: bytes, status: _Status, attrs: Attributes) -> None:
        settings = self._settings
        if not _cacheable(attrs):
            return
        if status[0] and settings.cache_authorized:
            self._cache.add(key, status, settings.authorized_ttl)
        elif not status[0] and settings.cache_unauthorized:
            self._cache.add(key, status, settings.unauthorized_ttl)


def review_spec(attrs: Attributes) -> dict[str, Any]:
    """The SubjectAccessReview spec (v1) for a request, empty fields left out as Go's JSON does."""
    user = attrs.user
    spec: dict[str, Any] = {}
    if attrs.resource_request:
        resource = {
            "namespace": attrs.namespace,
            "verb": attrs.verb,
            "group": attrs.api_group,
            "version": attrs.api_version,
            "resource": attrs.resource,
            "subresource": attrs.subresource,
            "name": attrs.name,
        }
        spec["resourceAttributes"] = {k: v for k, v in resource.items() if v}
        if attrs.field_selector:
            spec["resourceAttributes"]["fieldSelector"] = {
                "requirements": [
                    {"key": key, "operator": _SELECTOR_OPERATORS.get(op, op), "values": [value]}
                    for key, op, value in attrs.field_selector
                ]
            }
    else:
        non_resource = {"path": attrs.path, "verb": attrs.verb}
        spec["nonResourceAttributes"] = {k: v for k, v in non_resource.items() if v}
    if user.name:
        spec["user"] = user.name
    if user.groups:
        spec["groups"] = list(user.groups)
    if user.extra:
        spec["extra"] = {key: list(values) for key, values in user.extra.items()}
    if user.uid:
        spec["uid"] = user.uid
    return spec


def _cacheable(attrs: Attributes) -> bool:
    size = sum(
        len(part)
        for part in (
            attrs.namespace,
            attrs.verb,
            attrs.api_group,
            attrs.api_version,
            attrs.resource,
            attrs.subresource,
            attrs.name,
            attrs.path,
        )
    )
    return size < MAX_CACHED_ATTRIBUTES


def from_options(opts: AuthorizationOptions) -> WebhookAuthorizer:
    """The webhook `--authorization-mode=Webhook` and the `--authorization-webhook-*` flags
    describe: 30 s timeout, no opinion on failure, a TTL of 0 turning that cache off."""
    client = WebhookClient(load_kubeconfig(Path(opts.authorization_webhook_config_file)))
    return WebhookAuthorizer(
        client,
        WebhookSettings(
            version=opts.authorization_webhook_version,
            authorized_ttl=opts.authorization_webhook_cache_authorized_ttl,
            unauthorized_ttl=opts.authorization_webhook_cache_unauthorized_ttl,
            cache_authorized=opts.authorization_webhook_cache_authorized_ttl > 0,
            cache_unauthorized=opts.authorization_webhook_cache_unauthorized_ttl > 0,
        ),
    )
