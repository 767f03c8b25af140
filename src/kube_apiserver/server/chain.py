"""The handler chain, outermost first, in kube-apiserver's order (DefaultBuildHandlerChain)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.server.filters.audit import with_audit
from kube_apiserver.server.filters.authentication import with_authentication
from kube_apiserver.server.filters.authorization import with_authorization
from kube_apiserver.server.filters.impersonation import with_impersonation
from kube_apiserver.server.filters.inflight import with_max_in_flight
from kube_apiserver.server.filters.metrics import with_metrics
from kube_apiserver.server.filters.panic import with_panic_recovery
from kube_apiserver.server.filters.requestinfo import with_request_info
from kube_apiserver.server.filters.timeout import with_timeout
from kube_apiserver.server.metrics import Metrics


@dataclass
class ChainConfig:
    authenticator: UnionAuthenticator
    authorizer: Authorizer
    metrics: Metrics
    max_requests_inflight: int = 400
    max_mutating_requests_inflight: int = 200
    request_timeout_seconds: float = 60.0
    audit_sink: BinaryIO | None = None


def build_handler_chain(handler: Any, c: ChainConfig) -> Any:
    """Wrap `handler`; each line below is one filter, innermost first, so read it bottom-up."""
    handler = with_timeout(handler, seconds=c.request_timeout_seconds)
    handler = with_authorization(handler, authorizer=c.authorizer)
    handler = with_impersonation(handler, authorizer=c.authorizer)
    handler = with_audit(handler, sink=c.audit_sink)
    handler = with_authentication(handler, authenticator=c.authenticator)
    handler = with_max_in_flight(
        handler,
        read_only=c.max_requests_inflight,
        mutating=c.max_mutating_requests_inflight,
        metrics=c.metrics,
    )
    handler = with_metrics(handler, metrics=c.metrics)
    handler = with_request_info(handler)
    handler = with_panic_recovery(handler)
    return handler
