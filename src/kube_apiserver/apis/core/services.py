"""Validation of core/v1 Services and Endpoints (everything except metadata).

Messages and field paths are Kubernetes' own, quirks included (`spec.LoadBalancerSourceRanges`),
because clients and people match on them. Updates follow Kubernetes: clusterIP and clusterIPs are
kept in step before validation, and IP families may only grow or shrink by their secondary entry.
"""

from __future__ import annotations

import json

from kube_apiserver.apis.core.formats import (
    CIDR_MSG,
    PROTOCOLS,
    _each,
    _enum,
    _ip,
    _key,
    _label,
    _non_special_ip,
    _port_num_errors,
    _port_num_or_name,
    _qualified,
    _subdomain,
    go_int_or_string,
    go_quote,
    go_strings,
    is_valid_cidr,
    parse_ip,
)
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import (
    get_dict,
    get_dicts,
    get_int,
    get_str,
    get_str_map,
    get_strs,
    is_set,
)
from kube_apiserver.apis.meta.validation import validate_labels

# ---------------------------------------------------------------- services

SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]


def _cluster_ips(spec: dict) -> list[str]:
    return get_strs(spec, "clusterIPs")


def _headless(spec: dict) -> bool:
    ips = _cluster_ips(spec)
    return len(ips) == 1 and ips[0] == "None"


def _externally_accessible(spec: dict) -> bool:
    t = get_str(spec, "type")
    return (
        t in ("LoadBalancer", "NodePort")
        or t == "ClusterIP"
        and bool(get_strs(spec, "externalIPs"))
    )


def _go_service_port(protocol: str, port: int) -> str:
    return (
        f'core.ServicePort{{Name:"", Protocol:{go_quote(protocol)}, AppProtocol:(*string)(nil), Port:{port}, '
        f"TargetPort:{go_int_or_string(0)}, NodePort:0}}"
    )


def _cluster_ip_fields(spec: dict) -> list[FieldError]:
    if get_str(spec, "type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    ip, ips, families = get_str(spec, "clusterIP"), _cluster_ips(spec), get_strs(spec, "ipFamilies")
    if ip:
        if not ips:
            errs.append(required("spec.clusterIPs"))
        elif ips[0] != ip:
            errs.append(
                invalid_rendered(
                    "spec.clusterIPs", go_strings(ips), "first value must match `clusterIP`"
                )
            )
    elif ips:
        errs.append(
            invalid_rendered(
                "spec.clusterIPs",
                go_strings(ips),
                "must be empty when `clusterIP` is not specified",
            )
        )
    seen: set[str] = set()
    for i, fam in enumerate(families):
        if fam not in ("IPv4", "IPv6"):
            errs.append(not_supported(path("spec.ipFamilies", i), fam, ["IPv4", "IPv6"]))
        if fam in seen:
            errs.append(duplicate(path("spec.ipFamilies", i), fam))
        seen.add(fam)
    policies = ["PreferDualStack", "RequireDualStack", "SingleStack"]
    if is_set(spec, "ipFamilyPolicy") and get_str(spec, "ipFamilyPolicy") not in policies:
        errs.append(not_supported("spec.ipFamilyPolicy", get_str(spec, "ipFamilyPolicy"), policies))
    bad = False
    for i, v in enumerate(ips):
        if i == 0 and v == "None":
            if len(ips) > 1:
                bad = True
                errs.append(
                    invalid_rendered(
                        "spec.clusterIPs",
                        go_strings(ips),
                        "'None' must be the first and only value",
                    )
                )
            continue
        ip_errs = _ip(path("spec.clusterIPs", i), v)
        bad = bad or bool(ip_errs)
        errs += ip_errs
    if len(ips) > 2:
        errs.append(
            invalid_rendered("spec.clusterIPs", go_strings(ips), "may only hold up to 2 values")
        )
    if bad:
        return errs
    if len(ips) > 1 and len({parse_ip(v).version for v in ips}) != 2:  # type: ignore[union-attr]
        errs.append(
            invalid_rendered(
                "spec.clusterIPs",
                go_strings(ips),
                "may specify no more than one IP for each IP family",
            )
        )
    if not _headless(spec) and ips and families:
        for i, (v, fam) in enumerate(zip(ips, families, strict=False)):
            v6 = parse_ip(v).version == 6  # type: ignore[union-attr]
            if fam == "IPv4" and v6 or fam == "IPv6" and not v6:
                errs.append(
                    invalid(
                        path("spec.clusterIPs", i),
                        v,
                        f"expected an {fam} value as indicated by `ipFamilies[{i}]`",
                    )
                )
    return errs


def _service_port(sp: dict, require_name: bool, names: set[str], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = get_str(sp, "name")
    if require_name and not name:
        errs.append(required(path(fld, "name")))
    elif name:
        errs += _label(path(fld, "name"), name)
        if name in names:
            errs.append(duplicate(path(fld, "name"), name))
        names.add(name)
    port = get_int(sp, "port") or 0
    errs += _each(path(fld, "port"), port, _port_num_errors(port))
    errs += _enum(path(fld, "protocol"), get_str(sp, "protocol"), PROTOCOLS)
    errs += _port_num_or_name(sp.get("targetPort"), path(fld, "targetPort"))
    if is_set(sp, "appProtocol"):
        errs += _qualified(path(fld, "appProtocol"), get_str(sp, "appProtocol"))
    return errs


def validate_service(obj: dict) -> list[FieldError]:
    spec, meta = get_dict(obj, "spec"), get_dict(obj, "metadata")
    annotations = get_str_map(meta, "annotations") or {}
    errs: list[FieldError] = []
    hints, mode = (
        "service.kubernetes.io/topology-aware-hints",
        "service.kubernetes.io/topology-mode",
    )
    if hints in annotations and mode in annotations and annotations[hints] != annotations[mode]:
        errs.append(
            invalid(
                _key("metadata.annotations", mode),
                annotations[mode],
                f"must match annotations[{hints}] when both are specified",
            )
        )
    stype, ports, ips = get_str(spec, "type"), get_dicts(spec, "ports"), _cluster_ips(spec)
    if not ports and not _headless(spec) and stype != "ExternalName":
        errs.append(required("spec.ports"))
    if stype in ("LoadBalancer", "NodePort") and _headless(spec):
        errs.append(
            invalid("spec.clusterIPs[0]", ips[0], f"may not be set to 'None' for {stype} services")
        )
    elif stype == "ExternalName":
        for key in ("clusterIPs", "ipFamilies"):
            if get_strs(spec, key):
                errs.append(
                    forbidden(path("spec", key), "may not be set for ExternalName services")
                )
        if is_set(spec, "ipFamilyPolicy"):
            errs.append(
                forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services")
            )
        cname = get_str(spec, "externalName").removesuffix(".")
        errs += _subdomain("spec.externalName", cname) if cname else [required("spec.externalName")]
    names: set[str] = set()
    for i, sp in enumerate(ports):
        errs += _service_port(sp, len(ports) > 1, names, path("spec.ports", i))
    if is_set(spec, "selector"):
        errs += validate_labels(get_str_map(spec, "selector") or {}, "spec.selector")
    affinity = get_str(spec, "sessionAffinity")
    errs += _enum("spec.sessionAffinity", affinity, ["ClientIP", "None"])
    if affinity == "ClientIP":
        cfg = get_dict(spec, "sessionAffinityConfig")
        cp = "spec.sessionAffinityConfig"
        if not is_set(spec, "sessionAffinityConfig"):
            errs.append(required(cp, "when session affinity type is ClientIP"))
        elif not is_set(cfg, "clientIP"):
            errs.append(required(path(cp, "clientIP"), "when session affinity type is ClientIP"))
        elif not is_set(get_dict(cfg, "clientIP"), "timeoutSeconds"):
            errs.append(
                required(
                    path(cp, "clientIP", "timeoutSeconds"), "when session affinity type is ClientIP"
                )
            )
        elif not 0 < (get_int(get_dict(cfg, "clientIP"), "timeoutSeconds") or 0) <= 86400:
            errs.append(
                invalid(
                    path(cp, "clientIP", "timeoutSeconds"),
                    get_int(get_dict(cfg, "clientIP"), "timeoutSeconds") or 0,
                    "must be greater than 0 and less than 86400",
                )
            )
    elif affinity == "None" and is_set(spec, "sessionAffinityConfig"):
        errs.append(
            forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None")
        )
    errs += _cluster_ip_fields(spec)
    for i, ip in enumerate(get_strs(spec, "externalIPs")):
        errs += _ip(path("spec.externalIPs", i), ip) or _non_special_ip(
            path("spec.externalIPs", i), ip
        )
    errs += _enum("spec.type", stype, SERVICE_TYPES)
    if stype == "ClusterIP":
        errs += [
            forbidden(
                path("spec.ports", i, "nodePort"), "may not be used when `type` is 'ClusterIP'"
            )
            for i, sp in enumerate(ports)
            if get_int(sp, "nodePort")
        ]
    node_ports: set[tuple[str, int]] = set()
    for i, sp in enumerate(ports):
        key = (get_str(sp, "protocol"), get_int(sp, "nodePort") or 0)
        if key[1] and key in node_ports:
            errs.append(duplicate(path("spec.ports", i, "nodePort"), key[1]))
        node_ports.add(key)
    seen_ports: set[tuple[str, int]] = set()
    for i, sp in enumerate(ports):
        key = (get_str(sp, "protocol"), get_int(sp, "port") or 0)
        if key in seen_ports:
            errs.append(
                FieldError(
                    "FieldValueDuplicate",
                    path("spec.ports", i),
                    f"Duplicate value: {_go_service_port(*key)}",
                )
            )
        seen_ports.add(key)
    ranges = get_strs(spec, "loadBalancerSourceRanges")
    ann = "service.beta.kubernetes.io/load-balancer-source-ranges"
    if ranges:
        fp = "spec.LoadBalancerSourceRanges"  # sic
        if stype != "LoadBalancer":
            errs.append(forbidden(fp, "may only be used when `type` is 'LoadBalancer'"))
        for i, r in enumerate(ranges):
            if not is_valid_cidr(r.strip()):
                errs.append(invalid(path(fp, i), r.strip(), CIDR_MSG))
    elif ann in annotations:
        fp = _key("metadata.annotations", ann)
        if stype != "LoadBalancer":
            errs.append(forbidden(fp, "may only be used when `type` is 'LoadBalancer'"))
        val = annotations[ann].strip()
        errs += [
            invalid(fp, c.strip(), CIDR_MSG)
            for c in (val.split(",") if val else [])
            if not is_valid_cidr(c.strip())
        ]
    if is_set(spec, "allocateLoadBalancerNodePorts") and stype != "LoadBalancer":
        errs.append(
            forbidden(
                "spec.allocateLoadBalancerNodePorts",
                "may only be used when `type` is 'LoadBalancer'",
            )
        )
    if stype == "LoadBalancer" and not is_set(spec, "allocateLoadBalancerNodePorts"):
        errs.append(required("allocateLoadBalancerNodePorts"))  # sic: no "spec."
    if is_set(spec, "loadBalancerClass"):
        lbc = get_str(spec, "loadBalancerClass")
        errs += (
            _qualified("spec.loadBalancerClass", lbc)
            if stype == "LoadBalancer"
            else [
                forbidden(
                    "spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'"
                )
            ]
        )
    etp = get_str(spec, "externalTrafficPolicy")
    if not _externally_accessible(spec):
        if etp:
            errs.append(
                invalid(
                    "spec.externalTrafficPolicy",
                    etp,
                    "may only be set for externally-accessible services",
                )
            )
    else:
        errs += _enum("spec.externalTrafficPolicy", etp, ["Cluster", "Local"])
    hc = get_int(spec, "healthCheckNodePort") or 0
    if not (stype == "LoadBalancer" and etp == "Local"):
        if hc:
            errs.append(
                invalid(
                    "spec.healthCheckNodePort",
                    hc,
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
                )
            )
    elif not hc:
        errs.append(required("spec.healthCheckNodePort"))
    else:
        errs += _each("spec.healthCheckNodePort", hc, _port_num_errors(hc))
    if not is_set(spec, "internalTrafficPolicy") and stype in (
        "NodePort",
        "LoadBalancer",
        "ClusterIP",
    ):
        errs.append(required("spec.internalTrafficPolicy"))
    if is_set(spec, "internalTrafficPolicy") and get_str(spec, "internalTrafficPolicy") not in (
        "Cluster",
        "Local",
    ):
        errs.append(
            not_supported(
                "spec.internalTrafficPolicy",
                get_str(spec, "internalTrafficPolicy"),
                ["Cluster", "Local"],
            )
        )
    if (
        is_set(spec, "trafficDistribution")
        and get_str(spec, "trafficDistribution") != "PreferClose"
    ):
        errs.append(
            not_supported(
                "spec.trafficDistribution", get_str(spec, "trafficDistribution"), ["PreferClose"]
            )
        )
    return errs


def _upgrade_downgrade(new: dict, old: dict, key: str, what: str) -> list[FieldError]:
    """clusterIPs / ipFamilies may grow or shrink by their secondary entry, never change."""
    new_v, old_v = get_strs(new, key), get_strs(old, key)
    rendered, p0 = (
        go_strings(new_v, "string" if key == "clusterIPs" else "core.IPFamily"),
        path("spec", key, 0),
    )
    errs: list[FieldError] = []
    if len(old_v) == len(new_v):
        errs += [
            invalid_rendered(
                path("spec", key, i if key == "clusterIPs" else 0),
                rendered,
                "may not change once set",
            )
            for i, v in enumerate(old_v)
            if v != new_v[i]
        ]
    elif len(old_v) > len(new_v):
        if not (_cluster_ips(new) if key == "ipFamilies" else new_v):
            errs.append(invalid_rendered(p0, rendered, f"primary {what} can not be unset"))
        if new_v and new_v[0] != old_v[0]:
            errs.append(
                invalid_rendered(
                    p0,
                    go_strings(_cluster_ips(new)) if key == "ipFamilies" else rendered,
                    "may not change once set",
                )
            )
        if len(new_v) == 1 and get_str(new, "ipFamilyPolicy") != "SingleStack":
            policy = (
                go_quote(get_str(new, "ipFamilyPolicy"))
                if is_set(new, "ipFamilyPolicy")
                else "null"
            )
            errs.append(
                invalid_rendered(
                    "spec.ipFamilyPolicy",
                    policy,
                    f"must be set to 'SingleStack' when releasing the secondary {what}",
                )
            )
    elif old_v and new_v[0] != old_v[0]:
        errs.append(
            invalid_rendered(
                p0,
                go_strings(_cluster_ips(new)) if key == "ipFamilies" else rendered,
                "may not change once set",
            )
        )
    return errs


def _follow_cluster_ip(new: dict, old: dict) -> dict:
    """Kubernetes keeps clusterIP and clusterIPs in step on update before validating:
    whichever of the two the client changed, the other follows."""
    new = json.loads(json.dumps(new))
    ns, os_ = get_dict(new, "spec"), get_dict(old, "spec")
    same_ips, same_ip = (
        _cluster_ips(ns) == _cluster_ips(os_),
        get_str(ns, "clusterIP") == get_str(os_, "clusterIP"),
    )
    if same_ips and not same_ip:
        if not get_str(ns, "clusterIP"):
            ns.pop("clusterIPs", None)
        elif _cluster_ips(ns):
            ns["clusterIPs"][0] = ns["clusterIP"]
        else:
            ns["clusterIPs"] = [ns["clusterIP"]]
    elif not same_ips and same_ip:
        ns["clusterIP"] = _cluster_ips(ns)[0] if _cluster_ips(ns) else ""
    return new


def validate_service_update(new: dict, old: dict) -> list[FieldError]:
    new = _follow_cluster_ip(new, old)
    ns, os_ = get_dict(new, "spec"), get_dict(old, "spec")
    errs: list[FieldError] = []
    if "ExternalName" not in (get_str(ns, "type"), get_str(os_, "type")):
        if not (_headless(ns) and _headless(os_)):
            errs += _upgrade_downgrade(ns, os_, "clusterIPs", "clusterIP")
        if _headless(ns) == _headless(os_) and not _headless(ns):
            errs += _upgrade_downgrade(ns, os_, "ipFamilies", "ipFamily")
    if get_str(ns, "type") == get_str(os_, "type") == "LoadBalancer" and ns.get(
        "loadBalancerClass"
    ) != os_.get("loadBalancerClass"):
        lbc = (
            go_quote(get_str(ns, "loadBalancerClass"))
            if is_set(ns, "loadBalancerClass")
            else "null"
        )
        errs.append(invalid_rendered("spec.loadBalancerClass", lbc, "may not change once set"))
    needs_hc = [
        get_str(s, "type") == "LoadBalancer" and get_str(s, "externalTrafficPolicy") == "Local"
        for s in (os_, ns)
    ]
    if all(needs_hc) and get_int(ns, "healthCheckNodePort") != get_int(os_, "healthCheckNodePort"):
        errs.append(forbidden("spec.healthCheckNodePort", "field is immutable"))
    return errs + validate_service(new)


def validate_service_status_update(new: dict, old: dict) -> list[FieldError]:
    ingress = get_dicts(get_dict(get_dict(new, "status"), "loadBalancer"), "ingress")
    fld = "status.loadBalancer.ingress"
    if get_str(get_dict(new, "spec"), "type") != "LoadBalancer" and ingress:
        return [forbidden(fld, "may only be used when `spec.type` is 'LoadBalancer'")]
    errs: list[FieldError] = []
    for i, ing in enumerate(ingress):
        p, ip, host = path(fld, i), get_str(ing, "ip"), get_str(ing, "hostname")
        if ip:
            errs += _ip(path(p, "ip"), ip)
        if ip and not is_set(ing, "ipMode"):
            errs.append(required(path(p, "ipMode"), "must be specified when `ip` is set"))
        elif is_set(ing, "ipMode") and not ip:
            errs.append(forbidden(path(p, "ipMode"), "may not be specified when `ip` is not set"))
        elif is_set(ing, "ipMode") and get_str(ing, "ipMode") not in ("Proxy", "VIP"):
            errs.append(not_supported(path(p, "ipMode"), get_str(ing, "ipMode"), ["Proxy", "VIP"]))
        if host:
            errs += _subdomain(path(p, "hostname"), host)
            if parse_ip(host) is not None:
                errs.append(
                    invalid(path(p, "hostname"), host, "must be a DNS name, not an IP address")
                )
    return errs


# ---------------------------------------------------------------- endpoints


def _endpoint_address(addr: dict, fld: str) -> list[FieldError]:
    ip = get_str(addr, "ip")
    errs = _ip(path(fld, "ip"), ip)
    if get_str(addr, "hostname"):
        errs += _label(path(fld, "hostname"), get_str(addr, "hostname"))
    if is_set(addr, "nodeName"):
        errs += _subdomain(path(fld, "nodeName"), get_str(addr, "nodeName"))
    return errs + _non_special_ip(path(fld, "ip"), ip)


def validate_endpoints(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, ss in enumerate(get_dicts(obj, "subsets")):
        p = path("subsets", i)
        addrs, not_ready, ports = (
            get_dicts(ss, "addresses"),
            get_dicts(ss, "notReadyAddresses"),
            get_dicts(ss, "ports"),
        )
        if not addrs and not not_ready:
            errs.append(required(p, "must specify `addresses` or `notReadyAddresses`"))
        for key, items in (("addresses", addrs), ("notReadyAddresses", not_ready)):
            for j, addr in enumerate(items):
                errs += _endpoint_address(addr, path(p, key, j))
        for j, port in enumerate(ports):
            pp, name, num = path(p, "ports", j), get_str(port, "name"), get_int(port, "port") or 0
            if len(ports) > 1 and not name:
                errs.append(required(path(pp, "name")))
            elif name:
                errs += _label(path(pp, "name"), name)
            errs += _each(path(pp, "port"), num, _port_num_errors(num))
            errs += _enum(path(pp, "protocol"), get_str(port, "protocol"), PROTOCOLS)
            if is_set(port, "appProtocol"):
                errs += _qualified(path(pp, "appProtocol"), get_str(port, "appProtocol"))
    return errs


def validate_endpoints_update(new: dict, old: dict) -> list[FieldError]:
    return validate_endpoints(new)
