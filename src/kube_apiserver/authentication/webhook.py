"""Webhook token authentication (`--authentication-token-webhook-config-file`).

A bearer token no earlier authenticator accepted is sent to a remote service as a TokenReview
(`authentication.k8s.io/v1beta1` by default, or `v1` with `--authentication-token-webhook-version`)
carrying the token and the API audiences; the service answers whether it is authenticated and
as whom. As Kubernetes does:

- the user the webhook names (username, uid, groups, extra) becomes the request's user;
- the audiences wanted are the request's (a TokenReview may name some), else the API audiences;
  when the webhook lists audiences in its answer, one of them must be wanted; when it lists
  none, the API audiences are taken as the token's;
- answers are cached for `--authentication-token-webhook-cache-ttl` (2 minutes), successes and
  refusals alike, keyed by a keyed hash of the audiences and the token, so the cache never holds
  a token; a failed call (webhook down, bad answer) and an answer carrying `status.error` are
  errors and are not cached, so the next request asks again;
- concurrent requests with the same token share one call.

A refused token, an error, a failed call: each is an `AuthenticationError` (401), the reason
logged only.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kube_apiserver.authentication.interface import AuthenticationError, Authenticator, AuthRequest
from kube_apiserver.authentication.token_file import bearer_token
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.cmd.options.authentication import AuthenticationOptions
from kube_apiserver.webhook.cache import ExpiringLRUCache
from kube_apiserver.webhook.client import WebhookClient, WebhookError
from kube_apiserver.webhook.kubeconfig import load_kubeconfig

log = logging.getLogger(__name__)

GROUP = "authentication.k8s.io"
CACHE_SIZE = 4096
INVALID_TOKEN = "invalid bearer token"

# A cached answer: the user, or the reason the token was refused.
_Outcome = UserInfo | str


class WebhookTokenAuthenticator:
    def __init__(
        self,
        client: WebhookClient,
        *,
        version: str = "v1beta1",
        api_audiences: Sequence[str] = (),
        cache_ttl: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._api_version = f"{GROUP}/{version}"
        self._audiences = tuple(api_audiences)
        self._ttl = cache_ttl
        self._cache: ExpiringLRUCache[_Outcome] = ExpiringLRUCache(CACHE_SIZE, clock=clock)
        self._hash_key = secrets.token_bytes(32)
        self._in_flight: dict[bytes, asyncio.Future[_Outcome]] = {}

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        token = bearer_token(req.headers)
        if token is None:
            return None
        # A TokenReview may ask about other audiences; a request means the API's.
        wanted = req.audiences or self._audiences
        key = self._key(wanted, token)
        outcome = self._cache.get(key)
        if outcome is None:
            outcome = await self._shared_review(key, token, wanted)
        if isinstance(outcome, str):
            raise AuthenticationError(outcome)
        return outcome

    async def close(self) -> None:
        await self._client.close()

    def _key(self, audiences: tuple[str, ...], token: str) -> bytes:
        """A keyed hash of the audiences and the token; each part length-prefixed so no two
        different inputs run together into the same bytes."""
        digest = hmac.new(self._hash_key, digestmod=hashlib.sha256)
        for part in (*audiences, token):
            data = part.encode("utf-8", "surrogateescape")
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.digest()

    async def _shared_review(self, key: bytes, token: str, wanted: tuple[str, ...]) -> _Outcome:
        future = self._in_flight.get(key)
        if future is None:
            future = asyncio.ensure_future(self._review(key, token, wanted))
            self._in_flight[key] = future
            future.add_done_callback(lambda _: self._in_flight.pop(key, None))
        # Shielded: one caller giving up must not cancel the call the others wait for.
        return await asyncio.shield(future)

    async def _review(self, key: bytes, token: str, wanted: tuple[str, ...]) -> _Outcome:
        review = {
            "apiVersion": self._api_version,
            "kind": "TokenReview",
            "metadata": {"creationTimestamp": None},
            "spec": {"token": token, "audiences": list(wanted)},
            "status": {"user": {}},
        }
        try:
            answer = await self._client.post(review)
        except WebhookError as err:
            log.error("Failed to make webhook authenticator request: %s", err)
            raise AuthenticationError(f"webhook token authentication failed: {err}") from err
        status = answer.get("status")
        if not isinstance(status, dict):
            raise AuthenticationError("the token webhook answered without a status")
        outcome = self._outcome(status, wanted)
        if self._ttl > 0:
            self._cache.add(key, outcome, self._ttl)
        return outcome

    def _outcome(self, status: dict[str, Any], wanted: tuple[str, ...]) -> _Outcome:
        """The user a TokenReview status names, or why it refuses the token; raises for an
        error the webhook reports (which is not cached). The answer's audiences (the API
        audiences when it names none) must include a wanted one."""
        answered = status.get("audiences") or []
        if wanted and not set(wanted) & set(answered or self._audiences):
            return (
                f"token audiences {answered or list(self._audiences)} do not include {list(wanted)}"
            )
        if status.get("authenticated") is not True:
            if status.get("error"):
                raise AuthenticationError(str(status["error"]))
            return INVALID_TOKEN
        try:
            return _user(status.get("user") or {})
        except (TypeError, ValueError) as err:
            raise AuthenticationError(
                f"the token webhook answered a malformed user: {err}"
            ) from err


def _user(user: dict[str, Any]) -> UserInfo:
    groups = user.get("groups") or []
    extra = user.get("extra") or {}
    if not isinstance(groups, list) or not isinstance(extra, dict):
        raise TypeError("groups must be a list and extra a mapping")
    for values in extra.values():
        if not isinstance(values, list):
            raise TypeError("each extra value must be a list")
    return UserInfo(
        name=str(user.get("username") or ""),
        uid=str(user.get("uid") or ""),
        groups=tuple(str(g) for g in groups),
        extra={str(k): tuple(str(v) for v in values) for k, values in extra.items()},
    )


def from_options(opts: AuthenticationOptions) -> list[Authenticator]:
    if not opts.authentication_token_webhook_config_file:
        return []
    client = WebhookClient(load_kubeconfig(Path(opts.authentication_token_webhook_config_file)))
    return [
        WebhookTokenAuthenticator(
            client,
            version=opts.authentication_token_webhook_version,
            api_audiences=opts.api_audiences,
            cache_ttl=opts.authentication_token_webhook_cache_ttl,
        )
    ]
