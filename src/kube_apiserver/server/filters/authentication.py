"""Authentication: who is asking. A failure is 401 Unauthorized; the reason is only logged."""

from __future__ import annotations

import logging
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.endpoints import responses
from kube_apiserver.endpoints.request import headers_of

log = logging.getLogger(__name__)


def with_authentication(app: Any, *, authenticator: UnionAuthenticator) -> Any:
    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        tls = (scope.get("extensions") or {}).get("tls") or {}
        headers = headers_of(scope)
        # A request whose only credential is the connection's certificate gets the same answer
        # each time: work it out once per connection (the tls dict lives as long as it). One
        # with a token or front-proxy headers is answered on its own: a proxy's connection
        # carries many users.
        cert_only = tls and authenticator.per_connection(headers)
        user = tls.get("user") if cert_only else None
        if user is None:
            req = AuthRequest(
                headers,
                tls.get("client_cert"),
                tls.get("client_cert_der"),
                raw_headers=scope["headers"],
                path=scope["path"],
            )
            try:
                user = await authenticator.authenticate(req)
            except AuthenticationError as exc:
                log.info("unable to authenticate the request: %s", exc.reason)
                user = None
            if cert_only and user is not None:
                tls["user"] = user
        if user is None:
            return await responses.send_error(send, errors.unauthorized())
        scope["k8s.user"] = scope["k8s.authenticated_user"] = user
        # Credentials stop here: nothing after authentication needs the bearer token.
        await app(scope, receive, send)

    return handler
