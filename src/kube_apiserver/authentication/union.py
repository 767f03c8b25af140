"""The authenticator chain the authentication filter calls: Kubernetes' union, group adder and
anonymous fallback folded into one object.

kube-apiserver builds `FailOnError(GroupAdder(Union(x509, token, ...)), anonymous)`:

- the authenticators are tried in order and the first that recognises the user wins, even if an
  earlier one rejected a credential (a client may send a stale token alongside a good cert);
- every user that authenticated with a credential gains `system:authenticated`, unless it
  already carries it or `system:unauthenticated`;
- if no authenticator succeeded but one rejected a credential, the request fails (401) even when
  anonymous access is on: a bad token is not an anonymous request. A bearer token that no
  authenticator recognised is rejected too ("invalid bearer token", as Kubernetes' bearer-token
  wrapper words it), never taken for the absence of one;
- a request with no credential at all is anonymous if that is enabled, else unauthenticated
  (None, which the filter turns into 401).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from kube_apiserver.authentication.anonymous import ANONYMOUS_USER
from kube_apiserver.authentication.interface import (
    AuthenticationError,
    Authenticator,
    AuthRequest,
)
from kube_apiserver.authentication.token_file import bearer_token
from kube_apiserver.authentication.user import ANONYMOUS, AUTHENTICATED, UNAUTHENTICATED, UserInfo

INVALID_TOKEN = "invalid bearer token"


class UnionAuthenticator:
    def __init__(
        self,
        authenticators: Sequence[Authenticator],
        *,
        anonymous: bool,
        anonymous_paths: frozenset[str] | None = None,
    ) -> None:
        self._authenticators = tuple(authenticators)
        self._anonymous = anonymous
        # When set, anonymous requests are allowed on these exact paths only.
        self._anonymous_paths = anonymous_paths
        # Members that take credentials from headers other than Authorization (front proxies).
        self._header_readers = tuple(
            a for a in self._authenticators if hasattr(a, "carries_credential")
        )

    def attach(self, stores: dict[str, Any]) -> None:
        """Hand the stores to the members that read API objects (service accounts, Secrets)."""
        for authenticator in self._authenticators:
            if hasattr(authenticator, "attach"):
                authenticator.attach(stores)

    def per_connection(self, headers: Mapping[str, str]) -> bool:
        """Whether the request's only possible credential is its connection's client certificate,
        so that its answer holds for every such request on the connection (not so when
        anonymous access depends on the path)."""
        if self._anonymous_paths is not None:
            return False
        return "authorization" not in headers and not any(
            a.carries_credential(headers) for a in self._header_readers
        )

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        reasons: list[str] = []
        for authenticator in self._authenticators:
            try:
                user = await authenticator.authenticate(req)
            except AuthenticationError as err:
                reasons.append(err.reason)
                continue
            if user is not None:
                return _with_authenticated_group(user)
        if reasons:
            # Worded as Kubernetes' error aggregate: distinct reasons, bracketed when several.
            distinct = list(dict.fromkeys(reasons))
            raise AuthenticationError(
                distinct[0] if len(distinct) == 1 else "[" + ", ".join(distinct) + "]"
            )
        if bearer_token(req.headers) is not None:
            raise AuthenticationError(INVALID_TOKEN)
        if self._anonymous_paths is not None and req.path not in self._anonymous_paths:
            return None
        return ANONYMOUS_USER if self._anonymous else None


def _with_authenticated_group(user: UserInfo) -> UserInfo:
    if user.name == ANONYMOUS or AUTHENTICATED in user.groups or UNAUTHENTICATED in user.groups:
        return user
    return dataclasses.replace(user, groups=(*user.groups, AUTHENTICATED))
