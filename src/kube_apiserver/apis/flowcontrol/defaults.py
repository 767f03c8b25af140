"""Defaulting of flowcontrol.apiserver.k8s.io/v1 objects, as kube-apiserver 1.33 applies it.

A FlowSchema without a matching precedence gets 1000. A limited priority level gets 30
nominal concurrency shares and 0 lendable percent when they are unset (an explicit 0 shares
is kept: v1 allows a "jail" level), and a queuing configuration 64 queues, hands of 8 and a
queue length limit of 50. An exempt level's shares and lendable percent default to 0.
"""

from __future__ import annotations

from kube_apiserver.apis.meta.unstructured import find_dict

DEFAULT_MATCHING_PRECEDENCE = 1000
DEFAULT_NOMINAL_CONCURRENCY_SHARES = 30
DEFAULT_QUEUING = {"queues": 64, "handSize": 8, "queueLengthLimit": 50}


def _spec(obj: dict) -> dict:
    spec = find_dict(obj, "spec")
    if spec is None:
        spec = obj["spec"] = {}
    return spec


def default_flow_schema(obj: dict) -> None:
    spec = _spec(obj)
    # A non-pointer int32: zero means unset.
    if not spec.get("matchingPrecedence"):
        spec["matchingPrecedence"] = DEFAULT_MATCHING_PRECEDENCE


def default_priority_level_configuration(obj: dict) -> None:
    spec = _spec(obj)
    exempt = find_dict(spec, "exempt")
    if exempt is not None:
        for key in ("nominalConcurrencyShares", "lendablePercent"):
            if exempt.get(key) is None:
                exempt[key] = 0
    limited = find_dict(spec, "limited")
    if limited is None:
        return
    if limited.get("nominalConcurrencyShares") is None:
        limited["nominalConcurrencyShares"] = DEFAULT_NOMINAL_CONCURRENCY_SHARES
    if limited.get("lendablePercent") is None:
        limited["lendablePercent"] = 0
    queuing = find_dict(find_dict(limited, "limitResponse"), "queuing")
    if queuing is not None:
        for key, value in DEFAULT_QUEUING.items():
            if not queuing.get(key):
                queuing[key] = value
