"""Validation of coordination.k8s.io/v1 Leases (everything except metadata), as in Kubernetes 1.33.

A Lease's spec is all optional; only the numbers and the coordinated-election strategy carry
rules. `holderIdentity` is free-form in Kubernetes and stays so here.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.meta.field import FieldError, forbidden, invalid, not_supported
from kube_apiserver.apis.meta.unstructured import get_int
from kube_apiserver.apis.meta.validation import qualified_name_errors

LEASE_STRATEGIES = ["OldestEmulationVersion"]


def _strategy(strategy: str, fld: str) -> list[FieldError]:
    # Kubernetes names the field twice here: spec.strategy.strategy.
    at = fld + ".strategy"
    if "/" not in strategy:
        return (
            [] if strategy in LEASE_STRATEGIES else [not_supported(at, strategy, LEASE_STRATEGIES)]
        )
    return [invalid(at, strategy, m) for m in qualified_name_errors(strategy)]


def _spec(spec: Any) -> list[FieldError]:
    spec = spec if isinstance(spec, dict) else {}
    errs: list[FieldError] = []
    duration, transitions = get_int(spec, "leaseDurationSeconds"), get_int(spec, "leaseTransitions")
    if duration is not None and duration <= 0:
        errs.append(invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"))
    if transitions is not None and transitions < 0:
        errs.append(
            invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0")
        )
    strategy = spec.get("strategy")
    if isinstance(strategy, str):
        errs += _strategy(strategy, "spec.strategy")
    if spec.get("preferredHolder") and not strategy:
        errs.append(
            forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined")
        )
    return errs


def validate_lease(obj: dict) -> list[FieldError]:
    return _spec(obj.get("spec"))


def validate_lease_update(new: dict, old: dict) -> list[FieldError]:
    return _spec(new.get("spec"))
