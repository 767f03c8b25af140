"""Bootstrap tokens (`--enable-bootstrap-token-auth`): the short-lived bearer tokens kubeadm
hands to joining nodes.

A token is `<id>.<secret>` (six and sixteen characters of `[a-z0-9]`), backed by the Secret
`bootstrap-token-<id>` in kube-system of type `bootstrap.kubernetes.io/token`. It authenticates
as `system:bootstrap:<id>` in `system:bootstrappers` plus the Secret's `auth-extra-groups`
(sorted, without duplicates, as Kubernetes lists them) when the Secret's `token-id` and
`token-secret` match, it is not being deleted, its `expiration` (RFC 3339) has not passed and it
is marked `usage-bootstrap-authentication: "true"`.

A bearer token of another shape is not this authenticator's business (None). One of this shape
that fails is refused: Kubernetes logs why, in the words below, and the client hears only
"invalid bearer token" through a 401, so that is the error's reason here too. The log never
carries the presented secret. Secrets are read from the watch cache, never from storage.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hmac
import logging
import re
from typing import Any

from kube_apiserver.authentication.interface import (
    AuthenticationError,
    Authenticator,
    AuthRequest,
)
from kube_apiserver.authentication.token_file import bearer_token
from kube_apiserver.authentication.union import INVALID_TOKEN
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.cmd.options.authentication import AuthenticationOptions

log = logging.getLogger(__name__)

NAMESPACE = "kube-system"
SECRET_TYPE = "bootstrap.kubernetes.io/token"
SECRET_PREFIX = "bootstrap-token-"
USER_PREFIX = "system:bootstrap:"
DEFAULT_GROUP = "system:bootstrappers"

TOKEN_ID_KEY = "token-id"
TOKEN_SECRET_KEY = "token-secret"
EXPIRATION_KEY = "expiration"
USAGE_AUTHENTICATION_KEY = "usage-bootstrap-authentication"
EXTRA_GROUPS_KEY = "auth-extra-groups"

_TOKEN = re.compile(r"([a-z0-9]{6})\.([a-z0-9]{16})")
GROUP_PATTERN = r"\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z"
_GROUP = re.compile(r"system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]")
# Go's time.RFC3339 layout, which accepts fractional seconds but no other ISO 8601 spelling.
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.ASCII)


class BootstrapTokenAuthenticator:
    def __init__(self) -> None:
        self._secrets: Any = None  # the Secrets store, once attached

    def attach(self, stores: dict[str, Any]) -> None:
        self._secrets = stores["secrets"]

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        token = bearer_token(req.headers)
        match = _TOKEN.fullmatch(token) if token is not None else None
        if match is None:
            return None
        token_id, token_secret = match.groups()
        name = SECRET_PREFIX + token_id
        cached = (
            self._secrets.cache.get_cached(self._secrets.key(NAMESPACE, name))
            if self._secrets is not None
            else None
        )
        if cached is None:
            raise _refusal(f"No secret of name {name} to match bootstrap bearer token")
        groups = _groups_or_refusal(cached.obj, token_id, token_secret)
        if isinstance(groups, str):
            raise _refusal(groups)
        return UserInfo(name=USER_PREFIX + token_id, groups=groups)


def _groups_or_refusal(
    secret: dict[str, Any], token_id: str, token_secret: str
) -> tuple[str, ...] | str:
    """The token's groups if the Secret backs it, else why not, worded as Kubernetes logs it."""
    name = f"{NAMESPACE}/{secret['metadata']['name']}"
    matching = f"Bootstrap secret {name} matching bearer token "
    if secret["metadata"].get("deletionTimestamp"):
        return matching + "is deleted and awaiting removal"
    if secret.get("type") != SECRET_TYPE or secret.get("data") is None:
        return matching + f"has invalid type, expected {SECRET_TYPE}."
    # Compared in constant time: how long a comparison takes must not reveal the secret.
    expected = _data(secret, TOKEN_SECRET_KEY).encode("utf-8", "surrogateescape")
    if not hmac.compare_digest(expected, token_secret.encode()):
        return matching + f"has invalid value for key {TOKEN_SECRET_KEY}."
    if _data(secret, TOKEN_ID_KEY) != token_id:
        return matching + f"has invalid value for key {TOKEN_ID_KEY}, expected {token_id}."
    expiration = _data(secret, EXPIRATION_KEY)
    if expiration:
        moment = _parse_rfc3339(expiration)
        if moment is None:
            return (
                f"Unparseable expiration time ({expiration}) in {name} Secret. Treating as expired."
            )
        if moment <= datetime.datetime.now(datetime.UTC):
            return f"Expired bootstrap token in {name} Secret: {expiration}"
    if _data(secret, USAGE_AUTHENTICATION_KEY) != "true":
        return matching + f"not marked {USAGE_AUTHENTICATION_KEY}=true."
    groups = {DEFAULT_GROUP}
    extra_groups = _data(secret, EXTRA_GROUPS_KEY)
    for group in extra_groups.split(",") if extra_groups else ():
        if not _GROUP.fullmatch(group):
            return matching + (
                f"has invalid value for key {EXTRA_GROUPS_KEY}: bootstrap group "
                f"{_go_quote(group)} is invalid (must match {GROUP_PATTERN})."
            )
        groups.add(group)
    return tuple(sorted(groups))


def _parse_rfc3339(text: str) -> datetime.datetime | None:
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    if match.group(1):  # Go keeps nanoseconds; Python reads six digits at most.
        text = text[: match.start(1)] + match.group(1)[:7] + text[match.end(1) :]
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:  # a month 13, a day 32
        return None


def _data(secret: dict[str, Any], key: str) -> str:
    """A Secret's data value as text; "" when absent (Kubernetes' GetData)."""
    value = (secret.get("data") or {}).get(key)
    if not isinstance(value, str):
        return ""
    try:
        return base64.b64decode(value, validate=True).decode("utf-8", "surrogateescape")
    except (binascii.Error, ValueError):
        return ""


def _go_quote(text: str) -> str:
    """Go's %q of a string: double quotes, with backslash and quote escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _refusal(reason: str) -> AuthenticationError:
    """Log why, in Kubernetes' words; the error itself says what Kubernetes tells the client."""
    log.info("%s", reason)
    return AuthenticationError(INVALID_TOKEN)


def from_options(opts: AuthenticationOptions) -> list[Authenticator]:
    if not opts.enable_bootstrap_token_auth:
        return []
    return [BootstrapTokenAuthenticator()]
