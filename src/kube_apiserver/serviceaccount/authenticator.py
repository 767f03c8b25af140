"""The service account token authenticators: legacy (Secret-kept) tokens and bound tokens.

Both follow kube-apiserver's JWT token authenticator: a bearer token that is not a JWT of the
authenticator's issuers is left to the other authenticators (None); one that is must verify with
a verification key, name an accepted audience, and pass its validator, or the request fails
(AuthenticationError, whose reason is only logged).

Audiences: a token's `aud` (legacy tokens have none and stand for the API audiences) must share
one with the audiences the request is for — a TokenReview's `spec.audiences`, else the API
audiences (`--api-audiences`).

The validators read the objects a token names from the watch caches (memory), falling back to a
consistent read when the cache does not hold the object, as kube-apiserver's getter falls back
to a live lookup:
- bound tokens: within a minute of leeway, not before `nbf`, not after `exp`, not issued in the
  future; the service account, and the pod, secret or node the token is bound to, must exist
  with the uid the token names and not have been deleted more than a minute ago;
- legacy tokens (with `--service-account-lookup`): the Secret must exist, not be deleted, hold
  this very token and not carry the `kubernetes.io/legacy-token-invalid-since` label, and the
  service account must exist with the token's uid. A used token's Secret is labelled with the
  day it was last used (`kubernetes.io/legacy-token-last-used`), written at most once a day.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.token_file import bearer_token
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.serviceaccount import claims as saclaims
from kube_apiserver.serviceaccount.jwt import Verifier, go_quote_list, intersect, token_audiences

log = logging.getLogger(__name__)

Obj = dict[str, Any]

LEEWAY_SECONDS = 60  # go-jose's DefaultLeeway, which Kubernetes uses for every time check
INVALIDATED = "service account token has been invalidated"
INVALID_SINCE_LABEL = "kubernetes.io/legacy-token-invalid-since"
LAST_USED_LABEL = "kubernetes.io/legacy-token-last-used"


class ObjectGetter:
    """Service accounts, secrets, pods and nodes by name, as the validators read them."""

    def __init__(self) -> None:
        self._stores: dict[str, Any] = {}
        self._labelling: dict[str, asyncio.Task[None]] = {}  # by Secret uid

    def attach(self, stores: dict[str, Any]) -> None:
        self._stores = stores

    async def get(self, resource: str, namespace: str, name: str) -> Obj:
        """The object, or errors.StatusError (NotFound) as a live get would answer."""
        store = self._stores.get(resource)
        if store is None:
            raise errors.not_found(resource, "", name)
        item = store.cache.get_cached(store.key(namespace, name))
        if item is None:
            item = await store.get(namespace, name)
        return item.obj

    def mark_used(self, secret: Obj) -> None:
        """Label a legacy token's Secret with today's date, in the background, unless it has it
        (or tomorrow's, from a server whose clock runs ahead)."""
        now = datetime.now(UTC)
        today = now.strftime("%Y-%m-%d")
        tomorrow = (now + timedelta(days=1)).strftime("%Y-%m-%d")
        meta = secret.get("metadata") or {}
        uid = meta.get("uid", "")
        store = self._stores.get("secrets")
        if (meta.get("labels") or {}).get(LAST_USED_LABEL) in (today, tomorrow):
            return
        if store is None or uid in self._labelling:
            return
        task = asyncio.get_running_loop().create_task(_label_secret(store, meta, today))
        self._labelling[uid] = task
        task.add_done_callback(lambda _: self._labelling.pop(uid, None))


async def _label_secret(store: Any, meta: Obj, today: str) -> None:
    async def label(current: Obj) -> Obj:
        current_meta = current.setdefault("metadata", {})
        if current_meta.get("uid") != meta.get("uid"):
            raise errors.conflict("secrets", "", meta.get("name", ""), "the Secret was replaced")
        current_meta["labels"] = {**(current_meta.get("labels") or {}), LAST_USED_LABEL: today}
        return current

    namespace, name = meta.get("namespace", ""), meta.get("name", "")
    try:
        await store.update(namespace, name, label)
    except Exception as exc:  # a lost label costs nothing: the next use writes it
        log.warning(
            "failed to label legacy service account token %s/%s with its last-used date: %s",
            namespace,
            name,
            exc,
        )


class _JWTAuthenticator:
    """What both authenticators share: recognising their tokens, the signature, the audiences."""

    def __init__(
        self,
        *,
        issuers: Sequence[str],
        verifier: Verifier,
        api_audiences: Sequence[str],
        getter: ObjectGetter,
    ) -> None:
        self._issuers = frozenset(issuers)
        self._verifier = verifier
        self._api_audiences = tuple(api_audiences)
        self._getter = getter

    def attach(self, stores: dict[str, Any]) -> None:
        self._getter.attach(stores)

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        token = bearer_token(req.headers)
        if token is None:
            return None
        claims = self._verifier.claims(token, self._issuers)
        if claims is None:
            return None
        # A token naming no audience (a legacy token) stands for the API audiences.
        audiences = token_audiences(claims) or self._api_audiences
        requested = tuple(req.audiences) or self._api_audiences
        if self._api_audiences and not intersect(audiences, requested):
            raise AuthenticationError(
                f"token audiences {go_quote_list(audiences)} is invalid for the target "
                f"audiences {go_quote_list(requested)}"
            )
        return await self._validate(token, claims)

    async def _validate(self, token: str, claims: Obj) -> UserInfo:
        raise NotImplementedError

    async def _get(self, resource: str, namespace: str, name: str) -> Obj | None:
        try:
            return await self._getter.get(resource, namespace, name)
        except errors.StatusError as exc:
            if exc.code != 404:
                raise AuthenticationError(exc.message) from None
            return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _ref(private: Obj, key: str) -> tuple[str, str] | None:
    """(name, uid) of a reference in the `kubernetes.io` claim, or None when it is absent."""
    ref = private.get(key)
    if not isinstance(ref, dict):
        return None
    return _text(ref.get("name")), _text(ref.get("uid"))


def _deleted_before(obj: Obj, cutoff: float) -> bool:
    stamp = (obj.get("metadata") or {}).get("deletionTimestamp")
    if not isinstance(stamp, str):
        return False
    try:
        return datetime.fromisoformat(stamp).timestamp() < cutoff
    except ValueError:
        return False


def _uid(obj: Obj) -> str:
    return (obj.get("metadata") or {}).get("uid", "")


def check_times(claims: Obj, now: float) -> None:
    """go-jose's time checks with Kubernetes' leeway; absent claims are not checked."""
    nbf, exp, iat = claims.get("nbf"), claims.get("exp"), claims.get("iat")
    for value in (nbf, exp, iat):
        if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
            raise AuthenticationError(
                "service account token claims could not be validated due to unexpected "
                "validation error"
            )
    if nbf is not None and now + LEEWAY_SECONDS < nbf:
        raise AuthenticationError("service account token is not valid yet")
    if exp is not None and now - LEEWAY_SECONDS > exp:
        raise AuthenticationError("service account token has expired")
    if iat is not None and now + LEEWAY_SECONDS < iat:
        raise AuthenticationError("service account token is issued in the future")


class BoundTokenAuthenticator(_JWTAuthenticator):
    """Tokens of the configured issuers, bound to their service account and maybe an object."""

    async def _validate(self, token: str, claims: Obj) -> UserInfo:
        now = time.time()
        check_times(claims, now)
        deleted_cutoff = now - LEEWAY_SECONDS
        private = claims.get(saclaims.PRIVATE_CLAIM)
        private = private if isinstance(private, dict) else {}
        namespace = _text(private.get("namespace"))
        sa_name, sa_uid = _ref(private, "serviceaccount") or ("", "")
        sa = await self._get("serviceaccounts", namespace, sa_name)
        if sa is None:
            raise AuthenticationError(f'serviceaccounts "{sa_name}" not found')
        if _uid(sa) != sa_uid:
            raise AuthenticationError(
                f"service account UID ({_uid(sa)}) does not match claim ({sa_uid})"
            )
        if _deleted_before(sa, deleted_cutoff):
            raise AuthenticationError(f"service account {namespace}/{sa_name} has been deleted")
        secret_ref, pod_ref, node_ref = (_ref(private, k) for k in ("secret", "pod", "node"))
        if secret_ref is not None:
            await self._check_bound("secrets", namespace, secret_ref, "secret", deleted_cutoff)
        if pod_ref is not None:
            await self._check_bound("pods", namespace, pod_ref, "pod", deleted_cutoff)
        elif node_ref is not None:  # a pod's node is only reported; a node binding is checked
            await self._check_bound("nodes", "", node_ref, "node", deleted_cutoff)
        return saclaims.service_account_user(
            namespace,
            sa_name,
            sa_uid,
            pod=pod_ref,
            node=node_ref,
            jti=_text(claims.get("jti")),
        )

    async def _check_bound(
        self, resource: str, namespace: str, ref: tuple[str, str], what: str, cutoff: float
    ) -> None:
        obj = await self._get(resource, namespace, ref[0])
        if obj is None:
            raise AuthenticationError(INVALIDATED)
        if _uid(obj) != ref[1]:
            raise AuthenticationError(
                f"{what} UID ({_uid(obj)}) does not match service account {what} ref claim "
                f"({ref[1]})"
            )
        if _deleted_before(obj, cutoff):
            raise AuthenticationError(INVALIDATED)


class LegacyTokenAuthenticator(_JWTAuthenticator):
    """Tokens of the `kubernetes/serviceaccount` issuer, valid while their Secret holds them."""

    def __init__(self, *, lookup: bool, **kwargs: Any) -> None:
        super().__init__(issuers=(saclaims.LEGACY_ISSUER,), **kwargs)
        self._lookup = lookup

    async def _validate(self, token: str, claims: Obj) -> UserInfo:
        namespace = _text(claims.get(saclaims.LEGACY_NAMESPACE))
        secret_name = _text(claims.get(saclaims.LEGACY_SECRET_NAME))
        sa_name = _text(claims.get(saclaims.LEGACY_SA_NAME))
        sa_uid = _text(claims.get(saclaims.LEGACY_SA_UID))
        for present, what in (
            (_text(claims.get("sub")), "sub"),
            (namespace, "namespace"),
            (secret_name, "secretName"),
            (sa_name, "serviceAccountName"),
            (sa_uid, "serviceAccountUID"),
        ):
            if not present:
                raise AuthenticationError(f"{what} claim is missing")
        if claims.get("sub") != saclaims.username(namespace, sa_name):
            raise AuthenticationError("sub claim is invalid")
        if self._lookup:
            await self._check_lookup(token, namespace, secret_name, sa_name, sa_uid)
        return saclaims.service_account_user(namespace, sa_name, sa_uid)

    async def _check_lookup(
        self, token: str, namespace: str, secret_name: str, sa_name: str, sa_uid: str
    ) -> None:
        secret = await self._get("secrets", namespace, secret_name)
        if secret is None or (secret.get("metadata") or {}).get("deletionTimestamp"):
            raise AuthenticationError("Token has been invalidated")
        if not hmac.compare_digest(_secret_token(secret), token.encode("utf-8", "surrogateescape")):
            raise AuthenticationError("Token does not match server's copy")
        sa = await self._get("serviceaccounts", namespace, sa_name)
        if sa is None:
            raise AuthenticationError(f'serviceaccounts "{sa_name}" not found')
        if (sa.get("metadata") or {}).get("deletionTimestamp"):
            raise AuthenticationError(f"ServiceAccount {namespace}/{sa_name} has been deleted")
        if _uid(sa) != sa_uid:
            raise AuthenticationError(
                f"ServiceAccount UID ({_uid(sa)}) does not match claim ({sa_uid})"
            )
        if ((secret.get("metadata") or {}).get("labels") or {}).get(INVALID_SINCE_LABEL):
            self._getter.mark_used(secret)
            raise AuthenticationError(
                f"the token in secret {namespace}/{secret_name} for service account "
                f"{namespace}/{sa_name} has been marked invalid. Use tokens from the TokenRequest "
                "API or manually created secret-based tokens, or remove the "
                f"'{INVALID_SINCE_LABEL}' label from the secret to temporarily allow use of this "
                "token"
            )
        self._getter.mark_used(secret)


def _secret_token(secret: Obj) -> bytes:
    encoded = (secret.get("data") or {}).get("token")
    if not isinstance(encoded, str):
        return b""
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return b""
