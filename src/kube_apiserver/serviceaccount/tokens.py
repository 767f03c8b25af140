"""Service account tokens: the server's token issuer.

One object, built from the options at start, holds the signing key, the verification keys,
the issuers and the API audiences. The authenticators, the TokenRequest subresource, the legacy
token controller, TokenReview and the issuer discovery documents all use it.

- Signing: `--service-account-signing-key-file` (RSA signs RS256; ECDSA ES256, ES384 or ES512 by
  curve), or a key made once in `<data-dir>/pki/sa.key`. Bound tokens are issued by the first
  `--service-account-issuer`; legacy ones by `kubernetes/serviceaccount`.
- Verification: every key of every `--service-account-key-file` (so keys can be rotated: sign
  with the new one while the old one still verifies), by default the signing key's public half.
  Every configured issuer is accepted.
- `--api-audiences` are the audiences of tokens meant for this API server (defaulting to the
  issuers): what a TokenRequest that names none gets, and what requests authenticate against.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kube_apiserver.authentication.interface import Authenticator
from kube_apiserver.cmd.options.authentication import AuthenticationOptions
from kube_apiserver.serviceaccount import claims as saclaims
from kube_apiserver.serviceaccount import discovery
from kube_apiserver.serviceaccount import keys as sakeys
from kube_apiserver.serviceaccount.authenticator import (
    BoundTokenAuthenticator,
    LegacyTokenAuthenticator,
    ObjectGetter,
)
from kube_apiserver.serviceaccount.jwt import (
    Signer,
    Verifier,
    intersect,
    token_audiences,
    unverified,
)

log = logging.getLogger(__name__)

Obj = dict[str, Any]


class ServiceAccountTokens:
    def __init__(
        self,
        *,
        signing_key: sakeys.PrivateKey | None = None,
        verification_keys: Sequence[sakeys.PublicKey] = (),
        issuers: Sequence[str] = (),
        api_audiences: Sequence[str] = (),
        jwks_uri: str = "",
        lookup: bool = True,
        max_expiration_seconds: int = 0,
        extend_expiration: bool = True,
    ) -> None:
        """Without a signing key and an issuer no token is issued; without verification keys
        none authenticates."""
        self.signer = Signer(signing_key) if signing_key is not None else None
        self.issuers = tuple(issuers)
        self.api_audiences = tuple(api_audiences)
        self.jwks_uri = jwks_uri
        self.max_expiration_seconds = max_expiration_seconds
        self.extend_expiration = extend_expiration
        self._verifier = Verifier(verification_keys)
        getter = ObjectGetter()
        common = {"verifier": self._verifier, "api_audiences": api_audiences, "getter": getter}
        self._authenticators: list[Authenticator] = []
        if verification_keys:
            # kube-apiserver's order: the legacy authenticator first.
            self._authenticators.append(LegacyTokenAuthenticator(lookup=lookup, **common))
            if self.issuers:
                self._authenticators.append(BoundTokenAuthenticator(issuers=issuers, **common))

    @classmethod
    def from_options(cls, opts: AuthenticationOptions, data_dir: Path) -> ServiceAccountTokens:
        """The issuer the flags describe; ValueError (Kubernetes' words) for unusable key files."""
        if opts.service_account_signing_key_file:
            signing_key = sakeys.load_signing_key(Path(opts.service_account_signing_key_file))
        else:
            signing_key = sakeys.ensure_signing_key(data_dir)
        verification_keys = [
            key
            for path in opts.service_account_key_file
            for key in sakeys.load_public_keys(Path(path))
        ] or [sakeys.public_key(signing_key)]
        signing_kid = sakeys.public_key(signing_key).kid
        if all(key.kid != signing_kid for key in verification_keys):
            log.warning(
                "the service account signing key is not among the --service-account-key-file "
                "keys: tokens this server issues will not authenticate here"
            )
        max_expiration = int(opts.service_account_max_token_expiration)
        if max_expiration and opts.service_account_extend_token_expiration:
            if max_expiration < saclaims.WARN_ONLY_EXPIRATION_SECONDS:
                log.warning(
                    "service-account-extend-token-expiration is true, in order to correctly "
                    "trigger safe transition logic, service-account-max-token-expiration must be "
                    "set longer than %d seconds (currently %ds)",
                    saclaims.WARN_ONLY_EXPIRATION_SECONDS,
                    max_expiration,
                )
            if max_expiration < saclaims.EXPIRATION_EXTENSION_SECONDS:
                log.warning(
                    "service-account-extend-token-expiration is true, enabling tokens valid up "
                    "to %d seconds, which is longer than service-account-max-token-expiration "
                    "set to %d seconds",
                    saclaims.EXPIRATION_EXTENSION_SECONDS,
                    max_expiration,
                )
        return cls(
            signing_key=signing_key,
            verification_keys=verification_keys,
            issuers=opts.service_account_issuer,
            api_audiences=opts.api_audiences,
            jwks_uri=opts.service_account_jwks_uri,
            lookup=opts.service_account_lookup,
            max_expiration_seconds=max_expiration,
            extend_expiration=opts.service_account_extend_token_expiration,
        )

    def authenticators(self) -> list[Authenticator]:
        """The legacy and bound token authenticators, in kube-apiserver's order."""
        return list(self._authenticators)

    def discovery_documents(self, external_url: str = "") -> dict[str, bytes]:
        """Non-resource path -> JSON body (`/.well-known/openid-configuration`, `/openid/v1/jwks`).

        `external_url` (`https://host:port`) is where the server is reached, for the default
        `jwks_uri`."""
        if not self.issuers:
            return {}
        return discovery.documents(
            self.issuers[0],
            jwks_uri=self.jwks_uri,
            external_url=external_url,
            keys=self._verifier.keys,
        )

    @property
    def can_issue(self) -> bool:
        return self.signer is not None and bool(self.issuers)

    def issue(self, claims: Obj) -> str:
        """A bound token with these claims (see claims.bound_claims), from the first issuer."""
        assert self.signer is not None, "no service account signing key"
        return self.signer.sign(claims, issuer=self.issuers[0])

    def legacy_token(self, sa: Obj, secret_name: str) -> str:
        """The never-expiring token kept in the Secret `secret_name` for `sa`."""
        assert self.signer is not None, "no service account signing key"
        return self.signer.sign(
            saclaims.legacy_claims(sa, secret_name), issuer=saclaims.LEGACY_ISSUER
        )

    def audiences_of(self, token: str, requested: Sequence[str]) -> tuple[str, ...] | None:
        """For a token these authenticators accepted, the requested audiences it is valid for
        (a legacy token is valid for the API audiences); None when it is no token of ours."""
        parsed = unverified(token)
        if parsed is None:
            return None
        claims = parsed[1]
        if claims.get("iss") == saclaims.LEGACY_ISSUER:
            return intersect(self.api_audiences, requested)
        if claims.get("iss") not in self.issuers:
            return None
        return intersect(token_audiences(claims) or self.api_audiences, requested)
