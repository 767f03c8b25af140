"""What kube-apiserver's service REST layer does to a Service before its strategy sees it
(pkg/registry/core/service/storage: patchAllocatedValues, normalizeClusterIPs,
initIPFamilyFields and the allocators' transactions): keep allocated values a client left out,
keep clusterIP and clusterIPs in step, settle ipFamilyPolicy and ipFamilies against the
cluster's families, and take cluster IPs and node ports.

Errors are Kubernetes' own: Invalid causes for requests that cannot be met, InternalError
when a range is full.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.core import services as service_validation
from kube_apiserver.apis.core.formats import go_quote, go_strings
from kube_apiserver.apis.meta.field import FieldError, invalid_rendered, path
from kube_apiserver.registry.core import ipallocator, portallocator

Obj = dict[str, Any]


def _invalid(service: Obj, errs: list[FieldError]) -> errors.StatusError:
    return errors.invalid("Service", "", (service.get("metadata") or {}).get("name", ""), errs)


def _needs_cluster_ip(spec: Obj) -> bool:
    return spec.get("type") != "ExternalName"


def _needs_node_port(spec: Obj) -> bool:
    return spec.get("type") in ("NodePort", "LoadBalancer")


def needs_health_check(spec: Obj) -> bool:
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def _should_allocate_node_ports(spec: Obj) -> bool:
    if spec.get("type") == "NodePort":
        return True
    return (
        spec.get("type") == "LoadBalancer"
        and spec.get("allocateLoadBalancerNodePorts") is not False
    )


def _ports(spec: Obj) -> list[Obj]:
    return [p for p in spec.get("ports") or [] if isinstance(p, dict)]


def _node_ports(spec: Obj) -> set[int]:
    return {
        p["nodePort"] for p in _ports(spec) if isinstance(p.get("nodePort"), int) and p["nodePort"]
    }


def _same(new: Obj, old: Obj, key: str) -> bool:
    return (new.get(key) or None) == (old.get(key) or None)


def patch_allocated_values(new: Obj, old: Obj) -> None:
    """Fill in what was allocated before and the client left out (for idempotent updates)."""
    if _needs_cluster_ip(old) and _needs_cluster_ip(new):
        if not new.get("clusterIP") and old.get("clusterIP"):
            new["clusterIP"] = old["clusterIP"]
        if not new.get("clusterIPs") and old.get("clusterIPs"):
            new["clusterIPs"] = list(old["clusterIPs"])
    if _needs_node_port(old) and _needs_node_port(new):
        used = _node_ports(old) & _node_ports(new)
        by_name = {p.get("name", ""): p.get("nodePort", 0) for p in _ports(old)}
        for port in _ports(new):
            if not port.get("nodePort"):
                previous = by_name.get(port.get("name", ""), 0)
                if previous and previous not in used:
                    port["nodePort"] = previous
    if needs_health_check(old) and needs_health_check(new) and not new.get("healthCheckNodePort"):
        if old.get("healthCheckNodePort"):
            new["healthCheckNodePort"] = old["healthCheckNodePort"]


def normalize_cluster_ips(new: Obj, old: Obj | None) -> None:
    """Infer clusterIPs from clusterIP for clients that only know the singular field."""
    if old is None:
        if new.get("clusterIP") and not new.get("clusterIPs"):
            new["clusterIPs"] = [new["clusterIP"]]
        return
    if (
        old.get("clusterIPs")
        and not new.get("clusterIPs")
        and old.get("clusterIP") == new.get("clusterIP")
    ):
        new["clusterIPs"] = list(old["clusterIPs"])
    if old.get("clusterIP") != new.get("clusterIP"):
        if old.get("clusterIP") and not new.get("clusterIP") and _same(new, old, "clusterIPs"):
            new.pop("clusterIPs", None)
        if new.get("clusterIP") and _same(new, old, "clusterIPs"):
            new["clusterIPs"] = [new["clusterIP"]]


def drop_type_dependent_fields(new: Obj, old: Obj, status: Obj) -> None:
    """Clear what the old type had allocated or defaulted and the new type does not use, when
    the client left it as it was (dropTypeDependentFields)."""
    if _needs_cluster_ip(old) and not _needs_cluster_ip(new):
        if _same(new, old, "clusterIPs"):
            new.pop("clusterIP", None)
            new.pop("clusterIPs", None)
        for key in ("ipFamilies", "ipFamilyPolicy"):
            if _same(new, old, key):
                new.pop(key, None)
    if _needs_node_port(old) and not _needs_node_port(new):
        if [p.get("nodePort", 0) for p in _ports(new)] == [
            p.get("nodePort", 0) for p in _ports(old)
        ]:
            for port in _ports(new):
                port.pop("nodePort", None)
        if new.get("healthCheckNodePort") == old.get("healthCheckNodePort"):
            new.pop("healthCheckNodePort", None)
    if old.get("type") == "LoadBalancer" and new.get("type") != "LoadBalancer":
        for key in ("allocateLoadBalancerNodePorts", "loadBalancerClass"):
            if key in new and new.get(key) == old.get(key):
                new.pop(key)
    accessible = service_validation._externally_accessible
    if accessible(old) and not accessible(new) and _same(new, old, "externalTrafficPolicy"):
        new.pop("externalTrafficPolicy", None)
    if new.get("type") != "LoadBalancer":
        status["loadBalancer"] = {}


def _policy_error(spec: Obj, detail: str) -> FieldError:
    return invalid_rendered("spec.ipFamilyPolicy", go_quote(spec.get("ipFamilyPolicy", "")), detail)


def _matching_prefer_dual_stack(new: Obj, old: Obj | None) -> bool:
    return (
        old is not None
        and new.get("type") == old.get("type")
        and new.get("ipFamilyPolicy") == "PreferDualStack"
        and old.get("ipFamilyPolicy", "PreferDualStack") == "PreferDualStack"
        and _same(new, old, "clusterIPs")
        and _same(new, old, "ipFamilies")
    )


def init_ip_families(service: Obj, old: Obj | None, families: list[str]) -> None:
    """Settle spec.ipFamilyPolicy and spec.ipFamilies for the cluster's families (initIPFamilyFields)."""
    spec = service["spec"]
    old_spec = (old or {}).get("spec") or {}
    if not _needs_cluster_ip(spec) or _matching_prefer_dual_stack(spec, old_spec if old else None):
        return
    headless_selectorless = spec.get("clusterIP") == "None" and not spec.get("selector")
    if spec.get("ipFamilyPolicy") is None:
        if old is not None and old_spec.get("ipFamilyPolicy"):
            spec["ipFamilyPolicy"] = old_spec["ipFamilyPolicy"]
        else:
            spec["ipFamilyPolicy"] = "RequireDualStack" if headless_selectorless else "SingleStack"
    errs = service_validation._cluster_ip_fields(spec)
    if errs:
        raise _invalid(service, errs)
    policy = spec["ipFamilyPolicy"]
    ips = [ip for ip in spec.get("clusterIPs") or [] if isinstance(ip, str)]
    spec_families = [f for f in spec.get("ipFamilies") or [] if isinstance(f, str)]
    if old is not None:
        if policy == "SingleStack":
            if _same(spec, old_spec, "clusterIPs") and len(ips) > 1:
                ips = spec["clusterIPs"] = ips[:1]
            if _same(spec, old_spec, "ipFamilies") and len(spec_families) > 1:
                spec_families = spec["ipFamilies"] = spec_families[:1]
        else:
            if len(ips) < len(old_spec.get("clusterIPs") or []):
                errs.append(
                    _policy_error(spec, "must be 'SingleStack' to release the secondary cluster IP")
                )
            if len(spec_families) < len(old_spec.get("ipFamilies") or []):
                errs.append(
                    _policy_error(spec, "must be 'SingleStack' to release the secondary IP family")
                )
    if policy == "SingleStack":
        if len(ips) == 2:
            errs.append(
                _policy_error(
                    spec,
                    "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
                )
            )
        if len(spec_families) == 2:
            errs.append(
                _policy_error(
                    spec,
                    "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
                )
            )
    for i, ip in enumerate(ips):
        if ip == "None":
            break
        family = ipallocator.family_of(ip)
        if i >= len(spec_families):
            if family not in families:
                errs.append(
                    invalid_rendered(
                        path("spec.clusterIPs", i),
                        go_strings(ips),
                        f"{family} is not configured on this cluster",
                    )
                )
            else:
                spec_families.append(family)
    if errs:
        raise _invalid(service, errs)
    if headless_selectorless:
        spec_families = spec_families or [families[0]]
        if len(spec_families) < 2 and policy != "SingleStack":
            spec_families.append("IPv6" if spec_families[0] == "IPv4" else "IPv4")
        spec["ipFamilies"] = spec_families
        return
    if policy == "RequireDualStack" and len(families) < 2:
        errs.append(_policy_error(spec, "this cluster is not configured for dual-stack services"))
    for i, family in enumerate(spec_families):
        if family not in families:
            errs.append(
                invalid_rendered(
                    path("spec.ipFamilies", i), go_quote(family), "not configured on this cluster"
                )
            )
    if errs:
        raise _invalid(service, errs)
    spec_families = spec_families or [families[0]]
    if policy != "SingleStack" and len(spec_families) == 1 and len(families) == 2:
        spec_families.append("IPv6" if spec_families[0] == "IPv4" else "IPv4")
    spec["ipFamilies"] = spec_families


def allocate_cluster_ips(
    service: Obj, ips: ipallocator.ClusterIPAllocator, write: str, *, first: int = 0
) -> None:
    """Give the service an address for each of its families from index `first` on (all of them
    on create, the secondary one when it becomes dual-stack)."""
    spec = service["spec"]
    if not _needs_cluster_ip(spec) or (spec.get("clusterIPs") or [None])[0] == "None":
        return
    cluster_ips = list(spec.get("clusterIPs") or [])
    families = spec.get("ipFamilies") or []
    cluster_ips += [""] * (len(families) - len(cluster_ips))
    for i in range(first, len(families)):
        try:
            cluster_ips[i] = ips.allocate(write, families[i], cluster_ips[i])
        except ipallocator.AllocationError as exc:
            if cluster_ips[i]:
                err = invalid_rendered(
                    "spec.clusterIPs",
                    go_strings(spec.get("clusterIPs") or []),
                    f"failed to allocate IP {cluster_ips[i]}: {exc}",
                )
                raise _invalid(service, [err]) from None
            raise errors.internal(f"failed to allocate a serviceIP: {exc}") from None
    spec["clusterIPs"] = cluster_ips
    spec["clusterIP"] = cluster_ips[0]


def _take_port(
    service: Obj, ports: portallocator.NodePortAllocator, write: str, port: int, fld: str
) -> int:
    try:
        return ports.allocate(write, port)
    except portallocator.AllocationError as exc:
        if port:
            raise _invalid(service, [invalid_rendered(fld, str(port), str(exc))]) from None
        raise errors.internal(f"failed to allocate a nodePort: {exc}") from None


def allocate_node_ports(
    service: Obj, ports: portallocator.NodePortAllocator, write: str, old: Obj | None
) -> None:
    """Node ports for a NodePort or LoadBalancer service: requested ones checked, the missing
    ones allocated; ports of one number share a node port (TCP and UDP 53)."""
    spec = service["spec"]
    if not _needs_node_port(spec):
        return
    kept = _node_ports((old or {}).get("spec") or {}) if old is not None else set()
    by_number: dict[int, int] = {}
    for i, port in enumerate(_ports(spec)):
        fld = path("spec.ports", i, "nodePort")
        requested = port.get("nodePort") if isinstance(port.get("nodePort"), int) else 0
        if not requested and not _should_allocate_node_ports(spec):
            continue
        number = port.get("port", 0)
        if old is None and number in by_number:
            if not requested:
                port["nodePort"] = by_number[number]
            elif requested != by_number[number]:
                _take_port(service, ports, write, requested, fld)
            continue
        if requested:
            if requested not in kept and requested not in by_number.values():
                _take_port(service, ports, write, requested, fld)
            by_number.setdefault(number, requested)
        else:
            port["nodePort"] = by_number[number] = _take_port(service, ports, write, 0, fld)


def allocate_health_check_port(
    service: Obj, ports: portallocator.NodePortAllocator, write: str, old: Obj | None
) -> None:
    spec = service["spec"]
    old_spec = (old or {}).get("spec") or {}
    if not needs_health_check(spec) or (old is not None and needs_health_check(old_spec)):
        return
    requested = (
        spec.get("healthCheckNodePort") if isinstance(spec.get("healthCheckNodePort"), int) else 0
    )
    try:
        spec["healthCheckNodePort"] = ports.allocate(write, requested or 0)
    except portallocator.AllocationError as exc:
        if requested:
            raise errors.internal(
                f"failed to allocate requested HealthCheck NodePort {requested}: {exc}"
            ) from None
        raise errors.internal(f"failed to allocate a HealthCheck NodePort 0: {exc}") from None
