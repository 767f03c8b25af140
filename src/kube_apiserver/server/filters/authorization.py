"""Authorization: may this user do this verb on this resource (or path)? If not, 403."""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta import fields as field_selectors
from kube_apiserver.authorization.interface import (
    Attributes,
    Authorizer,
    AuthorizerError,
    Decision,
    forbidden_status,
)
from kube_apiserver.endpoints import responses


def _field_selector(query: dict[str, list[str]]) -> tuple[tuple[str, str, str], ...]:
    raw = query.get("fieldSelector", [""])[0]
    if not raw:
        return ()
    try:
        return tuple(field_selectors.parse_field_selector(raw).requirements)
    except field_selectors.SelectorError:
        return ()  # as Kubernetes: authorizers see no selector; the list handler reports it


def attributes_of(scope: dict) -> Attributes:
    info = scope["k8s.info"]
    return Attributes(
        user=scope["k8s.user"],
        verb=info.verb,
        resource_request=info.is_resource_request,
        path=info.path,
        namespace=info.namespace,
        api_group=info.api_group,
        api_version=info.api_version,
        resource=info.resource,
        subresource=info.subresource,
        name=info.name,
        field_selector=_field_selector(scope.get("k8s.query") or {}),
    )


async def refuse_unless_allowed(
    attrs: Attributes, authorizer: Authorizer, scope: dict, send: Any
) -> bool:
    """Ask the authorizer; unless it allows, send kube-apiserver's answer (403, or 500 when an
    authorizer could not decide) and return True."""
    try:
        decision, reason = await authorizer.authorize(attrs)
    except AuthorizerError as err:
        if err.decision is not Decision.ALLOW:
            await responses.send_internal_error(send, scope, err.error)
            return True
        decision, reason = err.decision, err.reason
    if decision == Decision.ALLOW:
        return False
    status = forbidden_status(attrs, reason)
    await responses.send_error(
        send, errors.StatusError(403, "Forbidden", status["message"], status.get("details"))
    )
    return True


def with_authorization(app: Any, *, authorizer: Authorizer) -> Any:
    async def handler(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        if await refuse_unless_allowed(attributes_of(scope), authorizer, scope, send):
            return None
        await app(scope, receive, send)

    return handler
