"""The token cache in front of the bearer-token authenticators, as kube-apiserver keeps one.

kube-apiserver remembers who a bearer token authenticated as for 10 seconds (its
TokenSuccessCacheTTL) and does not remember failures, so a request that repeats a token skips
signature checks, object lookups and webhook calls. The price, the same as in Kubernetes: a
token revoked by deleting its Secret or bound Pod still works for up to 10 seconds. Entries are
keyed by a digest of the token and the audiences asked for; the cache holds a bounded number of them and
drops the oldest first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kube_apiserver.authentication.interface import Authenticator, AuthRequest
from kube_apiserver.authentication.token_file import bearer_token, token_digest
from kube_apiserver.authentication.user import UserInfo

SUCCESS_TTL_SECONDS = 10.0
MAX_ENTRIES = 4096


class CachedTokenAuthenticator:
    def __init__(
        self,
        inner: Authenticator,
        *,
        ttl: float = SUCCESS_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[tuple[bytes, tuple[str, ...]], tuple[UserInfo, float]] = {}

    def attach(self, stores: dict[str, Any]) -> None:
        if hasattr(self._inner, "attach"):
            self._inner.attach(stores)

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        token = bearer_token(req.headers)
        if token is None:
            return None
        key = (token_digest(token), tuple(req.audiences))
        now = self._clock()
        hit = self._entries.get(key)
        if hit is not None and hit[1] > now:
            return hit[0]
        user = await self._inner.authenticate(req)  # errors are not cached
        if user is not None:
            if len(self._entries) >= MAX_ENTRIES:
                # Dicts keep insertion order: the first entry is the oldest.
                del self._entries[next(iter(self._entries))]
            self._entries.pop(key, None)
            self._entries[key] = (user, now + self._ttl)
        return user
