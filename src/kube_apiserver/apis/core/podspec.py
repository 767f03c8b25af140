"""Validation of a PodSpec and of a pod template, as kube-apiserver 1.33 does it.

`validate_pod_spec` checks a spec as a whole: its containers (containers.py) and volumes
(volumes.py), and what only a spec has — affinity, tolerations, DNS config, topology spread,
the pod security context, OS-specific fields. Pods use it, and workloads such as deployments
through `validate_pod_template`.
"""

from __future__ import annotations

import re

from kube_apiserver.apis.core.containers import (
    _apparmor,
    _containers,
    _ephemeral_containers,
    _ids,
    _init_containers,
    _seccomp,
)
from kube_apiserver.apis.core.formats import (
    _RANGE,
    _SUBDOMAIN_US,
    _SYSCTL,
    _each,
    _enum,
    _ip,
    _key,
    _label,
    _local_descending,
    _qualified,
    _subdomain,
    clean_selector,
    go_pointers,
    go_quote,
    go_strings,
)
from kube_apiserver.apis.core.quantities import validate_resource_requirements
from kube_apiserver.apis.core.volumes import validate_volumes
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
    get_bool,
    get_dict,
    get_dicts,
    get_int,
    get_str,
    get_str_map,
    get_strs,
    is_set,
)
from kube_apiserver.apis.meta.validation import (
    label_value_errors,
    validate_annotations,
    validate_label_selector,
    validate_labels,
)

# ---------------------------------------------------------------- pod spec

RESTART_POLICIES = ["Always", "OnFailure", "Never"]
DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]


def _node_selector_requirement(rq: dict, fld: str, *, check_values: bool) -> list[FieldError]:
    op, values = get_str(rq, "operator"), get_strs(rq, "values")
    errs: list[FieldError] = []
    if op in ("In", "NotIn"):
        if not values:
            errs.append(
                required(
                    path(fld, "values"), "must be specified when `operator` is 'In' or 'NotIn'"
                )
            )
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(
                forbidden(
                    path(fld, "values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )
            )
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(
                required(
                    path(fld, "values"),
                    "must be specified single value when `operator` is 'Lt' or 'Gt'",
                )
            )
    else:
        errs.append(invalid(path(fld, "operator"), op, "not a valid selector operator"))
    errs += _qualified(path(fld, "key"), get_str(rq, "key"))
    if check_values:
        for i, v in enumerate(values):
            errs += _each(path(fld, "values", i), v, label_value_errors(v))
    return errs


def _node_selector_term(term: dict, fld: str, *, check_values: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    for j, rq in enumerate(get_dicts(term, "matchExpressions")):
        errs += _node_selector_requirement(
            rq, path(fld, "matchExpressions", j), check_values=check_values
        )
    for j, rq in enumerate(get_dicts(term, "matchFields")):
        p, values = path(fld, "matchFields", j), get_strs(rq, "values")
        if get_str(rq, "operator") not in ("In", "NotIn"):
            errs.append(
                invalid(
                    path(p, "operator"), get_str(rq, "operator"), "not a valid selector operator"
                )
            )
        elif len(values) != 1:
            errs.append(
                required(
                    path(p, "values"),
                    "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                )
            )
        if get_str(rq, "key") != "metadata.name":
            errs.append(
                invalid(path(p, "key"), get_str(rq, "key"), "not a valid field selector key")
            )
        else:
            for k, v in enumerate(values):
                errs += _subdomain(path(p, "values", k), v)
    return errs


def _pod_affinity_term(term: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in ("labelSelector", "namespaceSelector"):
        if is_set(term, key):
            errs += validate_label_selector(clean_selector(get_dict(term, key)), path(fld, key))
    for ns in get_strs(term, "namespaces"):
        errs += _label(path(fld, "namespace"), ns)
    selector = get_dict(term, "labelSelector") if is_set(term, "labelSelector") else None
    match_keys, mismatch_keys = (
        get_strs(term, "matchLabelKeys"),
        get_strs(term, "mismatchLabelKeys"),
    )
    for key, keys in (("matchLabelKeys", match_keys), ("mismatchLabelKeys", mismatch_keys)):
        if keys and selector is None:
            errs.append(
                forbidden(path(fld, key), "must not be specified when labelSelector is not set")
            )
        elif keys:
            for i, k in enumerate(keys):
                errs += _qualified(path(fld, key, i), k)
    if selector is not None:
        in_labels = set(get_dict(selector, "matchLabels"))
        for e in get_dicts(selector, "matchExpressions"):
            k = get_str(e, "key")
            if k in match_keys and k in in_labels:
                errs.append(
                    invalid(
                        path(fld, match_keys.index(k)),
                        k,
                        "exists in both matchLabelKeys and labelSelector",
                    )
                )
            in_labels.add(k)
    for i, k in enumerate(match_keys):
        if k in mismatch_keys:
            errs.append(
                invalid(
                    path(fld, "matchLabelKeys", i),
                    k,
                    "exists in both matchLabelKeys and mismatchLabelKeys",
                )
            )
    topology = get_str(term, "topologyKey")
    if not topology:
        errs.append(required(path(fld, "topologyKey"), "can not be empty"))
    return errs + _qualified(path(fld, "topologyKey"), topology)


def _affinity(affinity: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    na = get_dict(affinity, "nodeAffinity")
    req_key, pref_key = (
        "requiredDuringSchedulingIgnoredDuringExecution",
        "preferredDuringSchedulingIgnoredDuringExecution",
    )
    if is_set(na, req_key):
        rp = path(fld, "nodeAffinity", req_key, "nodeSelectorTerms")
        terms = get_dicts(get_dict(na, req_key), "nodeSelectorTerms")
        if not terms:
            errs.append(required(rp, "must have at least one node selector term"))
        for i, term in enumerate(terms):
            errs += _node_selector_term(term, path(rp, i), check_values=True)
    for i, term in enumerate(get_dicts(na, pref_key)):
        p = path(fld, "nodeAffinity", pref_key, i)
        weight = get_int(term, "weight") or 0
        if not 1 <= weight <= 100:
            errs.append(invalid(path(p, "weight"), weight, "must be in the range 1-100"))
        errs += _node_selector_term(
            get_dict(term, "preference"), path(p, "preference"), check_values=False
        )
    for kind in ("podAffinity", "podAntiAffinity"):
        pa = get_dict(affinity, kind)
        for i, term in enumerate(get_dicts(pa, req_key)):
            errs += _pod_affinity_term(term, path(fld, kind, req_key, i))
        for i, term in enumerate(get_dicts(pa, pref_key)):
            p = path(fld, kind, pref_key, i)
            weight = get_int(term, "weight") or 0
            if not 1 <= weight <= 100:
                errs.append(invalid(path(p, "weight"), weight, "must be in the range 1-100"))
            errs += _pod_affinity_term(
                get_dict(term, "podAffinityTerm"), path(p, "podAffinityTerm")
            )
    return errs


def validate_tolerations(tolerations: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, t in enumerate(tolerations):
        p = path(fld, i)
        key, op, value, effect = (
            get_str(t, "key"),
            get_str(t, "operator"),
            get_str(t, "value"),
            get_str(t, "effect"),
        )
        if key:
            errs += _qualified(path(p, "key"), key)
        if not key and op != "Exists":
            errs.append(
                invalid(
                    path(p, "operator"),
                    op,
                    'operator must be Exists when `key` is empty, which means "match all values and all keys"',
                )
            )
        if is_set(t, "tolerationSeconds") and effect != "NoExecute":
            errs.append(
                invalid(
                    path(p, "effect"),
                    effect,
                    "effect must be 'NoExecute' when `tolerationSeconds` is set",
                )
            )
        if op in ("Equal", ""):
            if msgs := label_value_errors(value):
                errs.append(invalid(path(p, "operator"), value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(
                    invalid(
                        path(p, "operator"),
                        value,
                        "value must be empty when `operator` is 'Exists'",
                    )
                )
        else:
            errs.append(not_supported(path(p, "operator"), op, ["Equal", "Exists"]))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(not_supported(path(p, "effect"), effect, TAINT_EFFECTS))
    return errs


def _dns_config(cfg: dict | None, policy: str, fld: str) -> list[FieldError]:
    if policy == "None":
        if cfg is None:
            return [required(fld, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not get_strs(cfg, "nameservers"):
            return [
                required(
                    path(fld, "nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                )
            ]
    if cfg is None:
        return []
    errs: list[FieldError] = []
    servers, searches = get_strs(cfg, "nameservers"), get_strs(cfg, "searches")
    if len(servers) > 3:
        errs.append(
            invalid_rendered(
                path(fld, "nameservers"),
                go_strings(servers),
                "must not have more than 3 nameservers",
            )
        )
    for i, ns in enumerate(servers):
        errs += _ip(path(fld, "nameservers", i), ns)
    if len(searches) > 32:
        errs.append(
            invalid_rendered(
                path(fld, "searches"),
                go_strings(searches),
                "must not have more than 32 search paths",
            )
        )
    if len(" ".join(searches)) > 2048:
        errs.append(
            invalid_rendered(
                path(fld, "searches"),
                go_strings(searches),
                "must not have more than 2048 characters (including spaces) in the search list",
            )
        )
    for i, search in enumerate(searches):
        # RelaxedDNSSearchValidation (on in 1.33) allows "_" and a lone ".".
        if search == ".":
            continue
        search = search.removesuffix(".")
        msgs = ["must be no more than 253 characters"] if len(search) > 253 else []
        if not _SUBDOMAIN_US.fullmatch(search):
            msgs.append(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', "
                "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                "regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]"
                "([-_a-z0-9]*[a-z0-9])?)*')"
            )
        errs += _each(path(fld, "searches", i), search, msgs)
    for i, opt in enumerate(get_dicts(cfg, "options")):
        if not get_str(opt, "name"):
            errs.append(required(path(fld, "options", i), "must not be empty"))
    return errs


def _topology_spread(constraints: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, c in enumerate(constraints):
        p = path(fld, i)
        skew, key, when = (
            get_int(c, "maxSkew") or 0,
            get_str(c, "topologyKey"),
            get_str(c, "whenUnsatisfiable"),
        )
        if skew <= 0:
            errs.append(invalid(path(p, "maxSkew"), skew, "must be greater than zero"))
        if not key:
            errs.append(required(path(p, "topologyKey"), "can not be empty"))
        if when not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.append(
                not_supported(
                    path(p, "whenUnsatisfiable"), when, ["DoNotSchedule", "ScheduleAnyway"]
                )
            )
        if any(
            get_str(o, "topologyKey") == key and get_str(o, "whenUnsatisfiable") == when
            for o in constraints[i + 1 :]
        ):
            errs.append(
                duplicate(path(p, "{topologyKey, whenUnsatisfiable}"), f"{{{key}, {when}}}")
            )
        if is_set(c, "minDomains"):
            md = get_int(c, "minDomains") or 0
            if md <= 0:
                errs.append(invalid(path(p, "minDomains"), md, "must be greater than zero"))
            if when != "DoNotSchedule":
                errs.append(
                    invalid(
                        path(p, "minDomains"),
                        md,
                        f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {when}",
                    )
                )
        for k in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            if is_set(c, k) and get_str(c, k) not in ("Honor", "Ignore"):
                errs.append(not_supported(path(p, k), get_str(c, k), ["Honor", "Ignore"]))
        selector = get_dict(c, "labelSelector") if is_set(c, "labelSelector") else None
        keys = get_strs(c, "matchLabelKeys")
        if keys and selector is None:
            errs.append(
                forbidden(
                    path(p, "matchLabelKeys"), "must not be specified when labelSelector is not set"
                )
            )
        in_selector = set(get_dict(selector, "matchLabels")) | {
            get_str(e, "key") for e in get_dicts(selector, "matchExpressions")
        }
        for j, k in enumerate(keys):
            errs += _qualified(path(p, "matchLabelKeys", j), k)
            if k in in_selector:
                errs.append(
                    invalid(
                        path(p, "matchLabelKeys", j),
                        k,
                        "exists in both matchLabelKeys and labelSelector",
                    )
                )
        if selector is not None:
            errs += validate_label_selector(clean_selector(selector), path(p, "labelSelector"))
    return errs


def _sysctl_namespace(name: str) -> str:
    name = name.replace("/", ".")
    if name.startswith("net."):
        return "net"
    if name in ("kernel.sem",) or name.startswith(("kernel.shm", "kernel.msg", "fs.mqueue.")):
        return "ipc"
    return ""


def _pod_security_context(spec: dict, fld: str) -> list[FieldError]:
    sc = get_dict(spec, "securityContext")
    errs = _ids(sc, fld, ("fsGroup", "runAsUser", "runAsGroup"))
    for g, gid in enumerate(sc.get("supplementalGroups") or []):
        if isinstance(gid, int) and not 0 <= gid <= 0xFFFFFFFF:
            errs.append(
                invalid(path(fld, "supplementalGroups", g), gid, _RANGE.format(0, 4294967295))
            )
    if get_bool(spec, "shareProcessNamespace") and get_bool(spec, "hostPID"):
        errs.append(
            invalid(
                path(fld, "shareProcessNamespace"),
                True,
                "ShareProcessNamespace and HostPID cannot both be enabled",
            )
        )
    seen: set[str] = set()
    for i, sysctl in enumerate(get_dicts(sc, "sysctls")):
        name, p = get_str(sysctl, "name"), path(fld, "sysctls", i, "name")
        if not name:
            errs.append(required(p))
        elif len(name) > 253 or not _SYSCTL.fullmatch(name):
            errs.append(
                invalid(
                    p,
                    name,
                    "must have at most 253 characters and match regex "
                    "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$",
                )
            )
        elif name in seen:
            errs.append(duplicate(p, name))
        ns = _sysctl_namespace(name)
        if get_bool(spec, "hostNetwork") and ns == "net":
            errs.append(invalid(p, name, "may not be specified when 'hostNetwork' is true"))
        elif get_bool(spec, "hostIPC") and ns == "ipc":
            errs.append(invalid(p, name, "may not be specified when 'hostIPC' is true"))
        seen.add(name)
    checks = (
        ("fsGroupChangePolicy", ["Always", "OnRootMismatch"]),
        ("supplementalGroupsPolicy", ["Merge", "Strict"]),
        ("seLinuxChangePolicy", ["MountOption", "Recursive"]),
    )
    for key, supported in checks:
        if is_set(sc, key) and get_str(sc, key) not in supported:
            errs.append(not_supported(path(fld, key), get_str(sc, key), supported))
    errs += _seccomp(
        get_dict(sc, "seccompProfile") if is_set(sc, "seccompProfile") else None,
        path(fld, "seccompProfile"),
    )
    return errs + _apparmor(
        get_dict(sc, "appArmorProfile") if is_set(sc, "appArmorProfile") else None,
        path(fld, "appArmorProfile"),
    )


def _os(spec: dict, fld: str) -> list[FieldError]:
    name = get_str(get_dict(spec, "os"), "name")
    if not name:
        return [required(path(fld, "os", "name"), "cannot be empty")]
    if name not in ("linux", "windows"):
        return [not_supported(path(fld, "os"), name, ["linux", "windows"])]
    containers = [
        (path(fld, kind, i), c)
        for kind in ("containers", "initContainers", "ephemeralContainers")
        for i, c in enumerate(get_dicts(spec, kind))
    ]
    sc = get_dict(spec, "securityContext")
    if name == "linux":
        errs = (
            [
                forbidden(
                    path(fld, "securityContext", "windowsOptions"),
                    "windows options cannot be set for a linux pod",
                )
            ]
            if is_set(sc, "windowsOptions")
            else []
        )
        return errs + [
            forbidden(
                path(p, "securityContext", "windowsOptions"),
                "windows options cannot be set for a linux pod",
            )
            for p, c in containers
            if is_set(get_dict(c, "securityContext"), "windowsOptions")
        ]
    msg = "cannot be set for a windows pod"
    errs = [
        forbidden(path(fld, "securityContext", k), msg)
        for k in (
            "appArmorProfile",
            "seLinuxOptions",
            "seccompProfile",
            "fsGroup",
            "fsGroupChangePolicy",
            "sysctls",
            "runAsUser",
            "runAsGroup",
            "supplementalGroups",
            "supplementalGroupsPolicy",
            "seLinuxChangePolicy",
        )
        if sc.get(k) not in (None, [])
    ]
    errs += [
        forbidden(path(fld, k), msg)
        for k in ("hostUsers", "shareProcessNamespace")
        if is_set(spec, k)
    ]
    errs += [forbidden(path(fld, k), msg) for k in ("hostPID", "hostIPC") if get_bool(spec, k)]
    for p, c in containers:
        csc = get_dict(c, "securityContext")
        errs += [
            forbidden(path(p, "securityContext", k), msg)
            for k in (
                "appArmorProfile",
                "seLinuxOptions",
                "seccompProfile",
                "capabilities",
                "readOnlyRootFilesystem",
                "privileged",
                "allowPrivilegeEscalation",
                "procMount",
                "runAsUser",
                "runAsGroup",
            )
            if is_set(csc, k)
        ]
    return errs


def validate_pod_spec(
    spec: dict, fld: str, *, pod_name: str = "", is_pod: bool = False
) -> list[FieldError]:
    """A PodSpec, for pods and for pod templates alike (`is_pod` adds the pod-only hostPort rule)."""
    errs: list[FieldError] = []
    grace = get_int(spec, "terminationGracePeriodSeconds")
    if not is_set(spec, "terminationGracePeriodSeconds"):
        errs.append(required(path(fld, "terminationGracePeriodSeconds")))
    host_users = spec.get("hostUsers") is not False
    restart = get_str(spec, "restartPolicy")
    volumes, verrs = validate_volumes(
        get_dicts(spec, "volumes"), path(fld, "volumes"), pod_name=pod_name
    )
    errs += verrs
    claims: set[str] = set()
    for i, claim in enumerate(get_dicts(spec, "resourceClaims")):
        p, name = path(fld, "resourceClaims", i), get_str(claim, "name")
        if not name:
            errs.append(required(path(p, "name")))
        elif name in claims:
            errs.append(duplicate(path(p, "name"), name))
        else:
            errs += _label(path(p, "name"), name)
        claims.add(name)
        refs = [k for k in ("resourceClaimName", "resourceClaimTemplateName") if is_set(claim, k)]
        if len(refs) != 1:
            detail = (
                "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified"
                if refs
                else "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"
            )
            rendered = go_pointers(
                "core.PodResourceClaim",
                claim,
                [
                    ("resourceClaimName", "ResourceClaimName", "string"),
                    ("resourceClaimTemplateName", "ResourceClaimTemplateName", "string"),
                ],
            )
            errs.append(
                invalid_rendered(p, rendered.replace("{", f"{{Name:{go_quote(name)}, ", 1), detail)
            )
        for k in refs:
            errs += _subdomain(path(p, k), get_str(claim, k))
    claims.discard("")
    containers, inits = get_dicts(spec, "containers"), get_dicts(spec, "initContainers")
    errs += _containers(
        containers, volumes, claims, grace, path(fld, "containers"), restart, host_users
    )
    errs += _init_containers(
        inits, containers, volumes, claims, grace, path(fld, "initContainers"), restart, host_users
    )
    errs += _ephemeral_containers(
        get_dicts(spec, "ephemeralContainers"),
        containers + inits,
        volumes,
        claims,
        path(fld, "ephemeralContainers"),
        restart,
        host_users,
    )
    if get_bool(spec, "hostNetwork"):
        for i, c in enumerate(containers):
            for j, port in enumerate(get_dicts(c, "ports")):
                hp, cp = get_int(port, "hostPort") or 0, get_int(port, "containerPort") or 0
                if (is_pod or hp != 0) and hp != cp:
                    errs.append(
                        invalid(
                            path(fld, "containers", i, "ports", j, "hostPort"),
                            hp,
                            "must match `containerPort` when `hostNetwork` is true",
                        )
                    )
    errs += _enum(path(fld, "restartPolicy"), restart, RESTART_POLICIES)
    errs += _enum(path(fld, "dnsPolicy"), get_str(spec, "dnsPolicy"), DNS_POLICIES)
    if is_set(spec, "nodeSelector"):
        errs += validate_labels(get_str_map(spec, "nodeSelector") or {}, path(fld, "nodeSelector"))
    errs += _pod_security_context(spec, path(fld, "securityContext"))
    for i, ref in enumerate(get_dicts(spec, "imagePullSecrets")):
        if set(ref) - {"name"}:
            errs.append(
                invalid_rendered(
                    path(fld, "imagePullSecrets", i),
                    f"core.LocalObjectReference{{Name:{go_quote(get_str(ref, 'name'))}}}",
                    "only name may be set",
                )
            )
    errs += _affinity(get_dict(spec, "affinity"), path(fld, "affinity"))
    errs += _dns_config(
        get_dict(spec, "dnsConfig") if is_set(spec, "dnsConfig") else None,
        get_str(spec, "dnsPolicy"),
        path(fld, "dnsConfig"),
    )
    for i, gate in enumerate(get_dicts(spec, "readinessGates")):
        errs += _qualified(
            path(fld, "readinessGates", i, "conditionType"), get_str(gate, "conditionType")
        )
    gates: set[str] = set()
    for i, gate in enumerate(get_dicts(spec, "schedulingGates")):
        name = get_str(gate, "name")
        errs += _qualified(path(fld, "schedulingGates", i), name)
        if name in gates:
            errs.append(duplicate(path(fld, "schedulingGates", i), name))
        gates.add(name)
    errs += _topology_spread(
        get_dicts(spec, "topologySpreadConstraints"), path(fld, "topologySpreadConstraints")
    )
    if not host_users:
        errs += [
            forbidden(path(fld, name), "when `pod.Spec.HostUsers` is false")
            for key, name in (
                ("hostNetwork", "hostNetwork"),
                ("hostPID", "HostPID"),
                ("hostIPC", "HostIPC"),
            )
            if get_bool(spec, key)
        ]
    for key in ("serviceAccountName", "nodeName", "priorityClassName"):
        if get_str(spec, key):
            errs += _subdomain(path(fld, key), get_str(spec, key))
    ads = get_int(spec, "activeDeadlineSeconds")
    if ads is not None and not 1 <= ads <= 2**31 - 1:
        errs.append(invalid(path(fld, "activeDeadlineSeconds"), ads, _RANGE.format(1, 2147483647)))
    for key in ("hostname", "subdomain"):
        if get_str(spec, key):
            errs += _label(path(fld, key), get_str(spec, key))
    errs += validate_tolerations(get_dicts(spec, "tolerations"), path(fld, "tolerations"))
    for i, alias in enumerate(get_dicts(spec, "hostAliases")):
        errs += _ip(path(fld, "hostAliases", i, "ip"), get_str(alias, "ip"))
        for j, host in enumerate(get_strs(alias, "hostnames")):
            errs += _subdomain(path(fld, "hostAliases", i, "hostnames", j), host)
    if is_set(spec, "runtimeClassName"):
        errs += _subdomain(path(fld, "runtimeClassName"), get_str(spec, "runtimeClassName"))
    if is_set(spec, "preemptionPolicy"):
        errs += _enum(
            path(fld, "preemptionPolicy"),
            get_str(spec, "preemptionPolicy"),
            ["PreemptLowerPriority", "Never"],
        )
    if is_set(spec, "overhead"):
        errs += validate_resource_requirements(
            {"limits": get_dict(spec, "overhead")}, set(), path(fld, "overhead")
        )
    if is_set(spec, "os"):
        errs += _os(spec, fld)
    return errs


def _pod_annotations(annotations: dict[str, str], spec: dict, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    mirror = "kubernetes.io/config.mirror"
    if mirror in annotations and not get_str(spec, "nodeName"):
        errs.append(
            invalid(
                _key(fld, mirror),
                annotations[mirror],
                "must set spec.nodeName if mirror pod annotation is set",
            )
        )
    cost_key = "controller.kubernetes.io/pod-deletion-cost"
    if cost_key in annotations:
        cost = annotations[cost_key]
        if not re.fullmatch(r"[-+]?[0-9]+", cost) or not -(2**31) <= int(cost) < 2**31:
            errs.append(invalid(_key(fld, cost_key), cost, "must be a 32bit integer"))
    names = {
        get_str(c, "name")
        for kind in ("containers", "initContainers", "ephemeralContainers")
        for c in get_dicts(spec, kind)
    }
    for key, value in sorted(annotations.items()):
        if key == "seccomp.security.alpha.kubernetes.io/pod" or key.startswith(
            "container.seccomp.security.alpha.kubernetes.io/"
        ):
            if value.startswith("localhost/"):
                errs += _local_descending(path(fld, key), value[len("localhost/") :])
            elif value not in ("runtime/default", "docker/default", "unconfined"):
                errs.append(invalid(path(fld, key), value, "must be a valid seccomp profile"))
        prefix = "container.apparmor.security.beta.kubernetes.io/"
        if key.startswith(prefix):
            if key[len(prefix) :] not in names:
                errs.append(invalid(_key(fld, key), key[len(prefix) :], "container not found"))
            if value not in ("", "runtime/default", "unconfined") and not value.startswith(
                "localhost/"
            ):
                errs.append(
                    invalid(
                        _key(fld, key), value, f"invalid AppArmor profile name: {go_quote(value)}"
                    )
                )
    return errs


def validate_pod_template_metadata(template: dict, fld: str) -> list[FieldError]:
    """A PodTemplateSpec's labels and annotations: all a 1.33 StatefulSet checks of its template."""
    meta, spec = get_dict(template, "metadata"), get_dict(template, "spec")
    # Kubernetes reports template labels and annotations without the `metadata` segment.
    errs = validate_labels(get_str_map(meta, "labels") or {}, path(fld, "labels"))
    annotations = get_str_map(meta, "annotations") or {}
    errs += validate_annotations(annotations, path(fld, "annotations"))
    return errs + _pod_annotations(annotations, spec, path(fld, "annotations"))


def validate_pod_template(template: dict, fld: str) -> list[FieldError]:
    """A PodTemplateSpec embedded in a workload (e.g. a Deployment's `spec.template`)."""
    spec = get_dict(template, "spec")
    errs = validate_pod_template_metadata(template, fld)
    errs += validate_pod_spec(spec, path(fld, "spec"))
    if get_dicts(spec, "ephemeralContainers"):
        errs.append(
            forbidden(
                path(fld, "spec", "ephemeralContainers"),
                "ephemeral containers not allowed in pod template",
            )
        )
    return errs
