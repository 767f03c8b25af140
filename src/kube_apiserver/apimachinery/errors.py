"""API errors: each failure a client sees is a metav1.Status with Kubernetes' reason and code.

`StatusError` carries the Status body; the constructors below word each case as
kube-apiserver does, because clients (kubectl apply, informers) branch on reason and code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kube_apiserver.apis.meta.field import FieldError


class StatusError(Exception):
    def __init__(
        self, code: int, reason: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details

    def status(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
        }
        if self.reason:  # "" is StatusReasonUnknown, which Kubernetes omits
            body["reason"] = self.reason
        if self.details is not None:
            body["details"] = self.details
        body["code"] = self.code
        return body


def qualified(resource: str, group: str) -> str:
    """`deployments.apps`, or just `configmaps` in the core group."""
    return f"{resource}.{group}" if group else resource


def _details(name: str, group: str, kind: str, **extra: Any) -> dict[str, Any]:
    details: dict[str, Any] = {"name": name} if name else {}
    if group:
        details["group"] = group
    details["kind"] = kind
    details.update(extra)
    return details


def not_found(resource: str, group: str, name: str) -> StatusError:
    return StatusError(
        404,
        "NotFound",
        f'{qualified(resource, group)} "{name}" not found',
        _details(name, group, resource),
    )


def already_exists(resource: str, group: str, name: str) -> StatusError:
    return StatusError(
        409,
        "AlreadyExists",
        f'{qualified(resource, group)} "{name}" already exists',
        _details(name, group, resource),
    )


def conflict(resource: str, group: str, name: str, why: str) -> StatusError:
    return StatusError(
        409,
        "Conflict",
        f'Operation cannot be fulfilled on {qualified(resource, group)} "{name}": {why}',
        _details(name, group, resource),
    )


MODIFIED = (
    "the object has been modified; please apply your changes to the latest version and try again"
)


def invalid(kind: str, group: str, name: str, errors: Sequence[FieldError]) -> StatusError:
    # The message lists each distinct error once (Kubernetes' ToAggregate); causes keep them all.
    texts = list(dict.fromkeys(str(e) for e in errors))
    summary = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    causes = [{"reason": e.reason, "message": e.message(), "field": e.field} for e in errors]
    qualified_kind = f"{kind}.{group}" if group else kind
    return StatusError(
        422,
        "Invalid",
        f'{qualified_kind} "{name}" is invalid: {summary}',
        _details(name, group, kind, causes=causes),
    )


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


def forbidden(resource: str, group: str, name: str, why: str) -> StatusError:
    head = (
        f'{qualified(resource, group)} "{name}" is forbidden'
        if name
        else f"{qualified(resource, group)} is forbidden"
    )
    return StatusError(403, "Forbidden", f"{head}: {why}", _details(name, group, resource))


def method_not_allowed(verb: str, resource: str, group: str) -> StatusError:
    return StatusError(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
        {},
    )


def unauthorized() -> StatusError:
    return StatusError(401, "Unauthorized", "Unauthorized")


def expired(message: str) -> StatusError:
    return StatusError(410, "Expired", message)


def too_large(message: str = "Request entity too large: limit is 3145728") -> StatusError:
    return StatusError(413, "RequestEntityTooLarge", message)


def unsupported_media_type(content_type: str, supported: Sequence[str]) -> StatusError:
    return (
        StatusError(
            415,
            "UnsupportedMediaType",
            f"the body of the request was in an unknown format - accepted media types include: {', '.join(supported)}",
        )
        if content_type
        else StatusError(415, "UnsupportedMediaType", "the request has no Content-Type")
    )


def not_acceptable(supported: Sequence[str]) -> StatusError:
    return StatusError(
        406,
        "NotAcceptable",
        f"only the following media types are accepted: {', '.join(supported)}",
    )


def internal(message: str) -> StatusError:
    return StatusError(
        500,
        "InternalError",
        f"Internal error occurred: {message}",
        {"causes": [{"message": message}]},
    )


def timeout(message: str, retry_after: int = 1) -> StatusError:
    return StatusError(504, "Timeout", message, {"retryAfterSeconds": retry_after})


def server_timeout(resource: str, group: str, operation: str, retry_after: int = 2) -> StatusError:
    """The storage could not be reached: the client should try again (ServerTimeout)."""
    return StatusError(
        500,
        "ServerTimeout",
        f"The {operation} operation against {qualified(resource, group)} could not be completed "
        "at this time, please try again.",
        {"name": operation, "group": group, "kind": resource, "retryAfterSeconds": retry_after},
    )


def too_many_requests() -> StatusError:
    return StatusError(
        429,
        "TooManyRequests",
        "Too many requests, please try again later.",
        {"retryAfterSeconds": 1},
    )


class PlainNotFound(Exception):
    """A path that no API group serves: Go's mux answers a plain-text 404."""


def not_found_path() -> StatusError:
    """What the end of the server chain answers for a path nobody serves."""
    return StatusError(404, "NotFound", "the server could not find the requested resource", {})
