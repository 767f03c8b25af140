"""Impersonation: act as another user when the Impersonate-* headers say so and the
authorizer grants the `impersonate` verb on each impersonated attribute."""

from __future__ import annotations

from typing import Any

from kube_apiserver.authentication.user import ANONYMOUS, AUTHENTICATED, UNAUTHENTICATED, UserInfo
from kube_apiserver.authorization.interface import Attributes, Authorizer
from kube_apiserver.endpoints import responses
from kube_apiserver.endpoints.request import headers_of
from kube_apiserver.server.filters.authorization import refuse_unless_allowed

_SA_PREFIX = "system:serviceaccount:"
_EXTRA_PREFIX = "impersonate-extra-"


def _checks(
    user: str, groups: list[str], uid: str, extra: dict[str, list[str]]
) -> list[dict[str, str]]:
    out = []
    if user.startswith(_SA_PREFIX) and user.count(":") == 3:
        _, _, namespace, name = user.split(":")
        out.append({"resource": "serviceaccounts", "namespace": namespace, "name": name})
    else:
        out.append({"resource": "users", "name": user})
    out += [{"resource": "groups", "name": g} for g in groups]
    if uid:
        out.append({"resource": "uids", "name": uid, "api_group": "authentication.k8s.io"})
    for key, values in extra.items():
        out += [
            {
                "resource": "userextras",
                "subresource": key,
                "name": v,
                "api_group": "authentication.k8s.io",
            }
            for v in values
        ]
    return out


def with_impersonation(app: Any, *, authorizer: Authorizer) -> Any:
    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        headers = headers_of(scope)
        user = headers.get("impersonate-user", "")
        # Each Impersonate-Group header is one group (commas included), so read them raw.
        groups = [
            v.decode("latin-1")
            for k, v in scope.get("headers", ())
            if k.lower() == b"impersonate-group"
        ]
        uid = headers.get("impersonate-uid", "")
        extra: dict[str, list[str]] = {}
        for name, value in headers.items():
            if name.startswith(_EXTRA_PREFIX):
                extra[name[len(_EXTRA_PREFIX) :]] = [v.strip() for v in value.split(",")]
        if not (user or groups or uid or extra):
            return await app(scope, receive, send)
        if not user:
            # kube-apiserver answers this with a plain-text internal error, not a Status.
            wanted = " ".join(f"{{Group {g}}}" for g in groups)
            error = f"requested [{wanted}] without impersonating a user"
            return await responses.send_internal_error(send, scope, error)
        requester: UserInfo = scope["k8s.user"]
        for check in _checks(user, groups, uid, extra):
            attrs = Attributes(
                user=requester,
                verb="impersonate",
                resource_request=True,
                namespace=check.get("namespace", ""),
                api_group=check.get("api_group", ""),
                resource=check["resource"],
                subresource=check.get("subresource", ""),
                name=check["name"],
            )
            if await refuse_unless_allowed(attrs, authorizer, scope, send):
                return None
        if user.startswith(_SA_PREFIX) and user.count(":") == 3 and not groups:
            # A service account's groups follow from its name, unless the caller named some.
            namespace = user.split(":")[2]
            groups = ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"]
        if user == ANONYMOUS:
            if UNAUTHENTICATED not in groups:
                groups.append(UNAUTHENTICATED)
        elif AUTHENTICATED not in groups and UNAUTHENTICATED not in groups:
            groups.append(AUTHENTICATED)
        scope["k8s.user"] = UserInfo(
            user, uid, tuple(groups), {k: tuple(v) for k, v in extra.items()}
        )
        await app(scope, receive, send)

    return handler
