"""The contract between the authentication filter and the authenticators.

The filter builds one `AuthRequest` per request from what the HTTP layer knows (headers and the
TLS peer certificate) and asks an `Authenticator`. Kubernetes authenticators answer with one of
three outcomes, and so do these:

- a `UserInfo`: the request carries a credential this authenticator accepts;
- `None`: the request carries no credential this authenticator understands;
- `AuthenticationError`: it carries one, and it is invalid. The reason is for the server log
  only; clients just see 401 "Unauthorized", as kube-apiserver never says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from kube_apiserver.authentication.user import UserInfo


class AuthenticationError(Exception):
    """A credential was presented and rejected; `reason` goes to the log, never to the client."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class AuthRequest:
    # Header names lower-cased; one value per name (the first, as Go's Header.Get).
    headers: Mapping[str, str]
    # `ssl.SSLSocket.getpeercert()` of a client certificate TLS already verified against the
    # client CA; None (or an empty dict) when the client sent none.
    peer_cert: dict[str, Any] | None = None
    # The same certificate in DER form (`getpeercert(binary_form=True)`), when available: it
    # names the credential in the user's extra, as Kubernetes does.
    peer_cert_der: bytes | None = None
    # The audiences the credential must be valid for (a TokenReview's spec.audiences); empty
    # means the API audiences (`--api-audiences`). Only audience-aware authenticators read it.
    audiences: tuple[str, ...] = ()
    # Every header line as received (the ASGI scope's list: lower-cased names, bytes), for the
    # front-proxy authenticator, which reads repeated headers one by one and removes the ones
    # it trusted, as Kubernetes does.
    raw_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    # The request's URL path: anonymous access may be limited to some paths
    # (the `anonymous.conditions` of `--authentication-config`).
    path: str = ""


class Authenticator(Protocol):
    async def authenticate(self, req: AuthRequest) -> UserInfo | None: ...
