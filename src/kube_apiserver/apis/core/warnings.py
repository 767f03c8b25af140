"""Warnings about pod specs that are valid but probably wrong, worded as Kubernetes words them
(kubectl prints each as `Warning: <text>`). Pods warn at `spec`, workloads at their template.

Ports: two ports of a pod's long-running containers (its containers and its sidecars, the
init containers that keep running) with the same number and protocol clash inside the pod's
network namespace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]


def _long_running(spec: Obj, fld: str) -> list[tuple[str, Obj]]:
    out = [
        (f"{fld}.initContainers[{i}]", c)
        for i, c in enumerate(spec.get("initContainers") or [])
        if isinstance(c, dict) and c.get("restartPolicy") == "Always"
    ]
    out += [
        (f"{fld}.containers[{i}]", c)
        for i, c in enumerate(spec.get("containers") or [])
        if isinstance(c, dict)
    ]
    return out


def _port_warnings(spec: Obj, fld: str) -> list[str]:
    warnings: list[str] = []
    seen: dict[tuple[Any, Any], list[tuple[str, Obj]]] = {}
    for path, container in _long_running(spec, fld):
        for i, port in enumerate(container.get("ports") or []):
            if not isinstance(port, dict):
                continue
            at = f"{path}.ports[{i}]"
            host_ip, host_port = port.get("hostIP") or "", port.get("hostPort") or 0
            if host_ip and not host_port:
                warnings.append(f"{at}: hostIP set without hostPort")
            key = (port.get("containerPort"), port.get("protocol") or "TCP")
            for other_at, other in seen.get(key, []):
                other_ip, other_port = other.get("hostIP") or "", other.get("hostPort") or 0
                if (host_ip, host_port) == (other_ip, other_port):
                    warnings.append(f"{at}: duplicate port definition with {other_at}")
                elif not host_port or not other_port:
                    warnings.append(f"{at}: overlapping port definition with {other_at}")
                elif host_port == other_port and bool(host_ip) != bool(other_ip):
                    warnings.append(f"{at}: dangerously ambiguous port definition with {other_at}")
            seen.setdefault(key, []).append((at, port))
    return warnings


def pod_spec_warnings(spec: Any, fld: str) -> list[str]:
    return _port_warnings(spec, fld) if isinstance(spec, dict) else []


def at(*keys: str) -> Callable[[Obj], list[str]]:
    """A strategy's warner for the pod spec at these keys (spec.template.spec for workloads)."""
    path = ".".join(keys)

    def warner(obj: Obj) -> list[str]:
        node: Any = obj
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        return pod_spec_warnings(node, path)

    return warner


POD = at("spec")
POD_TEMPLATE = at("template", "spec")
WORKLOAD = at("spec", "template", "spec")
CRONJOB = at("spec", "jobTemplate", "spec", "template", "spec")
