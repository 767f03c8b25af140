"""Service account tokens: the server's token issuer (STUB: filled by the service-account work).

One object, built from the options at start, holds the signing key, the verification keys,
the issuers and the API audiences. The authenticators, the TokenRequest subresource, the legacy
token controller and the issuer discovery documents all use it.
"""

from __future__ import annotations

from pathlib import Path

from kube_apiserver.authentication.interface import Authenticator
from kube_apiserver.cmd.options.authentication import AuthenticationOptions


class ServiceAccountTokens:
    @classmethod
    def from_options(cls, opts: AuthenticationOptions, data_dir: Path) -> ServiceAccountTokens:
        return cls()

    def authenticators(self) -> list[Authenticator]:
        """The legacy and bound token authenticators, in kube-apiserver's order."""
        return []

    def discovery_documents(self) -> dict[str, bytes]:
        """Non-resource path -> JSON body (`/.well-known/openid-configuration`, `/openid/v1/jwks`)."""
        return {}
