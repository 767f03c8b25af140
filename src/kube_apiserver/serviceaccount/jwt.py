"""Service account JWTs on the wire: signing them, and recognising and verifying them.

Tokens are compact JWS with a header of just `alg` and `kid` and the claims serialised with sorted
keys, as kube-apiserver (go-jose over a Go map) writes them.

Verification follows kube-apiserver's order. A bearer token that is not a compact JWS, or whose
unverified `iss` is not an issuer of the asking authenticator, is not ours: another authenticator
may know it. One that is ours must verify with a key: those with the header's `kid` (all keys
when it names none), each accepting only algorithms of its own kind. Verified claims are kept by
the token's digest for a while (a bounded number of tokens), so a client sending the same token
on every request costs one signature check, not one per request; everything that can change
(time, the objects a token is bound to) is checked on every request by the authenticators.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import jwt as pyjwt
import orjson

from kube_apiserver.authentication.interface import AuthenticationError
from kube_apiserver.serviceaccount import keys as sakeys

Obj = dict[str, Any]

# How many verified tokens are remembered; the oldest is forgotten first.
VERIFIED_CACHE_SIZE = 4096
# go-jose's words, which kube-apiserver passes on (they reach TokenReview's status.error).
BAD_SIGNATURE = "go-jose/go-jose: error in cryptographic primitive"
BAD_ALGORITHM = "go-jose/go-jose: unknown/unsupported algorithm"
NO_KEYS = "invalid signature, no keys found"


class Signer:
    """Signs claims with the issuer's private key (RS256, or ES256/384/512 by curve)."""

    def __init__(self, key: sakeys.PrivateKey) -> None:
        self._key = key
        self.public = sakeys.public_key(key)

    def sign(self, claims: Obj, *, issuer: str) -> str:
        payload = orjson.dumps({**claims, "iss": issuer}, option=orjson.OPT_SORT_KEYS)
        return pyjwt.PyJWS().encode(
            payload,
            self._key,
            algorithm=self.public.alg,
            headers={"kid": self.public.kid, "typ": None},
        )


def _b64decode(segment: str) -> bytes:
    """Unpadded base64url (Go's RawURLEncoding): padding or stray characters are an error."""
    if "=" in segment:
        raise ValueError("padded segment")
    return base64.b64decode(segment + "=" * (-len(segment) % 4), altchars=b"-_", validate=True)


def unverified(token: str) -> tuple[Obj, Obj] | None:
    """(header, claims) of a compact JWS as they read before any check, or None if it is none."""
    parts = token.split(".")
    if len(parts) != 3 or token.lstrip().startswith("{"):
        return None
    try:
        header = orjson.loads(_b64decode(parts[0]))
        claims = orjson.loads(_b64decode(parts[1]))
        _b64decode(parts[2])
    except (ValueError, binascii.Error, orjson.JSONDecodeError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    if not isinstance(header.get("alg"), str) or not isinstance(claims.get("iss", ""), str):
        return None
    return header, claims


class Verifier:
    """Checks service account JWTs against the verification keys, remembering verified ones."""

    def __init__(self, keys: Sequence[sakeys.PublicKey]) -> None:
        self.keys = tuple(keys)
        self._by_kid: dict[str, list[sakeys.PublicKey]] = {}
        for key in self.keys:
            self._by_kid.setdefault(key.kid, []).append(key)
        self._jws = pyjwt.PyJWS()
        self._verified: dict[bytes, Obj] = {}

    def claims(self, token: str, issuers: Iterable[str]) -> Obj | None:
        """The verified claims of a token of one of `issuers`; None when the token is not such a
        JWT; AuthenticationError when it is one and its signature does not verify."""
        digest = hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()
        claims = self._verified.get(digest)
        if claims is not None:
            return claims if claims.get("iss") in issuers else None
        parsed = unverified(token)
        if parsed is None or parsed[1].get("iss") not in issuers:
            return None
        claims = self._verify(token, parsed[0])
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            del self._verified[next(iter(self._verified))]
        self._verified[digest] = claims
        return claims

    def _verify(self, token: str, header: Obj) -> Obj:
        kid = header.get("kid")
        candidates = self._by_kid.get(kid, []) if isinstance(kid, str) and kid else self.keys
        if not candidates:
            raise AuthenticationError(NO_KEYS)
        failures: list[str] = []
        for key in candidates:
            try:
                verified = self._jws.decode_complete(token, key.key, algorithms=key.accepted)
            except pyjwt.InvalidAlgorithmError:
                failures.append(BAD_ALGORITHM)
                continue
            except pyjwt.PyJWTError:
                failures.append(BAD_SIGNATURE)
                continue
            claims = orjson.loads(verified["payload"])
            if isinstance(claims, dict):
                return claims
            failures.append("json: cannot unmarshal claims")
        distinct = list(dict.fromkeys(failures))
        raise AuthenticationError(
            distinct[0] if len(distinct) == 1 else "[" + ", ".join(distinct) + "]"
        )


def token_audiences(claims: Obj) -> tuple[str, ...]:
    """`aud`, which a JWT may write as one string or a list of them."""
    aud = claims.get("aud")
    if isinstance(aud, str):
        return (aud,) if aud else ()
    if isinstance(aud, list):
        return tuple(a for a in aud if isinstance(a, str))
    return ()


def intersect(accepted: Sequence[str], requested: Sequence[str]) -> tuple[str, ...]:
    """The requested audiences that are accepted, in the order they were requested."""
    return tuple(a for a in requested if a in accepted)


def go_quote_list(values: Sequence[str]) -> str:
    """A string list as Go's %q prints it: `["a" "b"]`."""
    return "[" + " ".join(orjson.dumps(v).decode() for v in values) + "]"
