"""The contract between the authorization filter and the authorizers, and the 403 it leads to.

The filter describes each request as `Attributes` (who, which verb, and either the resource
coordinates or the non-resource path) and asks an `Authorizer`, which answers with a `Decision`
and a reason. As in Kubernetes, an authorizer may allow, deny, or have no opinion; a request that
ends with no opinion is refused like a denied one. The reason of a refusal is appended to the
403 message, which `forbidden_status` builds exactly as kube-apiserver words it (Go's `%q`
quoting included), because kubectl users and tests compare those strings.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from kube_apiserver.authentication.user import UserInfo


@dataclass(frozen=True)
class Attributes:
    user: UserInfo
    verb: str  # "get", "list", "watch", "create", ... for resources; the lower-case HTTP method otherwise
    resource_request: bool
    path: str = ""
    namespace: str = ""
    api_group: str = ""
    api_version: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    # The request's field selector as (field, "=" or "!=", value) terms, for authorizers that
    # allow a list or watch only when it is narrowed (the Node authorizer); () when there is
    # none or it does not parse.
    field_selector: tuple[tuple[str, str, str], ...] = ()


class Decision(enum.Enum):
    ALLOW = "Allow"
    DENY = "Deny"
    NO_OPINION = "NoOpinion"


class AuthorizerError(Exception):
    """An authorizer could not evaluate the request (a webhook that did not answer): it still
    decides (its failure policy), and the error goes with the decision. Kubernetes answers a
    request that no authorizer allowed and that met such an error with 500, not 403, and a
    SubjectAccessReview reports the error as `evaluationError`."""

    def __init__(self, decision: Decision, reason: str, error: str) -> None:
        super().__init__(error)
        self.decision, self.reason, self.error = decision, reason, error


class Authorizer(Protocol):
    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]: ...


async def allowed(authorizer: Authorizer, attrs: Attributes) -> bool:
    """Whether `authorizer` allows `attrs`; an authorizer that cannot decide does not."""
    try:
        decision, _ = await authorizer.authorize(attrs)
    except AuthorizerError as err:
        return err.decision is Decision.ALLOW
    return decision is Decision.ALLOW


@dataclass(frozen=True)
class ResourceRule:
    verbs: tuple[str, ...]
    api_groups: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    resource_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class NonResourceRule:
    verbs: tuple[str, ...]
    non_resource_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    """What a user may do in a namespace, as far as an authorizer can list it (a
    SelfSubjectRulesReview shows it); `incomplete` when it cannot list everything."""

    resource: tuple[ResourceRule, ...] = ()
    non_resource: tuple[NonResourceRule, ...] = ()
    incomplete: bool = False
    error: str = ""


@runtime_checkable
class RuleResolver(Protocol):
    """An authorizer that can also list its rules (Kubernetes' authorizer.RuleResolver)."""

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules: ...


def forbidden_message(attrs: Attributes) -> str:
    """What the user may not do, in kube-apiserver's words (without the resource prefix)."""
    user = go_quote(attrs.user.name)
    if not attrs.resource_request:
        return f"User {user} cannot {attrs.verb} path {go_quote(attrs.path)}"
    resource = f"{attrs.resource}/{attrs.subresource}" if attrs.subresource else attrs.resource
    what = f"User {user} cannot {attrs.verb} resource {go_quote(resource)} in API group {go_quote(attrs.api_group)}"
    if attrs.namespace:
        return f"{what} in the namespace {go_quote(attrs.namespace)}"
    return f"{what} at the cluster scope"


def forbidden_status(attrs: Attributes, reason: str = "") -> dict[str, Any]:
    """The v1 Status kube-apiserver answers a refused request with.

    The message is prefixed with the group-qualified resource and the object name when there
    are any (`pods "web" is forbidden: ...`, `deployments.apps is forbidden: ...`), else with
    `forbidden: `; the authorizers' reason, when there is one, follows after a colon.
    """
    detail = forbidden_message(attrs)
    if reason:
        detail = f"{detail}: {reason}"
    qualified = f"{attrs.resource}.{attrs.api_group}" if attrs.api_group else attrs.resource
    if not attrs.resource and not attrs.api_group:
        message = f"forbidden: {detail}"
    elif attrs.name:
        message = f"{qualified} {go_quote(attrs.name)} is forbidden: {detail}"
    else:
        message = f"{qualified} is forbidden: {detail}"
    details = {"name": attrs.name, "group": attrs.api_group, "kind": attrs.resource}
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": "Forbidden",
        "details": {key: value for key, value in details.items() if value},
        "code": 403,
    }


_ESCAPES = {
    "\a": r"\a",
    "\b": r"\b",
    "\f": r"\f",
    "\n": r"\n",
    "\r": r"\r",
    "\t": r"\t",
    "\v": r"\v",
}


def go_quote(text: str) -> str:
    """`text` as Go's strconv.Quote (the `%q` verb) renders it."""
    out = ['"']
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)
