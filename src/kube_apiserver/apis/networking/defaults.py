"""Defaults of networking.k8s.io/v1 objects, as Kubernetes' v1 defaulting sets them.

A NetworkPolicy's pod selector is a plain struct in Go, so it reads back as `{}` when left
out. A NetworkPolicy without policyTypes is an Ingress policy, and an Egress one too when it has
egress rules; its ports are TCP unless told otherwise. An IngressClass's parameters are
cluster-scoped unless a scope is given.
"""

from __future__ import annotations

from typing import Any


def _ports(rules: Any) -> list[dict[str, Any]]:
    ports: list[dict[str, Any]] = []
    for rule in rules if isinstance(rules, list) else []:
        if isinstance(rule, dict) and isinstance(rule.get("ports"), list):
            ports += [p for p in rule["ports"] if isinstance(p, dict)]
    return ports


def default_network_policy(obj: dict[str, Any]) -> None:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    if spec.get("podSelector") is None:
        spec["podSelector"] = {}
    for port in _ports(spec.get("ingress")) + _ports(spec.get("egress")):
        if port.get("protocol") is None:
            port["protocol"] = "TCP"
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]


def default_ingress_class(obj: dict[str, Any]) -> None:
    parameters = (obj.get("spec") or {}).get("parameters")
    if isinstance(parameters, dict) and not parameters.get("scope"):
        parameters["scope"] = "Cluster"
