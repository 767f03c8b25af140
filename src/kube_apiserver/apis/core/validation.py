"""Validation of core/v1 objects (everything except metadata), as kube-apiserver 1.33 does it.

Each `validate_<resource>` takes an object in its JSON (v1) form and returns the `FieldError`s
Kubernetes reports, with its messages and field paths — quirks included (node taints reported
under `metadata.taints`, `spec.LoadBalancerSourceRanges`, ...) because clients and people match
on them. Objects arrive already defaulted (defaults.py), as in kube-apiserver, so "required"
checks on defaulted fields only fire for explicitly empty values. Values of the wrong JSON type
are read as absent instead of crashing: decoding, not validation, is where Kubernetes refuses
them.

This module holds the per-resource entry points; the rules they share live beside it:
formats.py (JSON reading, Go value rendering, value formats), quantities.py, volumes.py,
containers.py, podspec.py (`validate_pod_spec`, `validate_pod_template`, which deployments
reuse) and services.py (Services and Endpoints). The names other modules have imported from
here are re-exported (`__all__`).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from kube_apiserver.apis.core.containers import _image_whitespace
from kube_apiserver.apis.core.formats import (
    _ADDR,
    _RANGE,
    CIDR_MSG,
    NONNEGATIVE,
    _each,
    _enum,
    _ip,
    _key,
    _qualified,
    _subdomain,
    clean_selector,
    config_key_errors,
    dns1035_label_errors,
    go_label_selector,
    go_map,
    go_quote,
    go_strings,
    is_valid_cidr,
    parse_ip,
    percent_errors,
)
from kube_apiserver.apis.core.podspec import (
    TAINT_EFFECTS,
    _pod_annotations,
    validate_pod_spec,
    validate_pod_template,
    validate_tolerations,
)
from kube_apiserver.apis.core.quantities import _quantity_value, parse_quantity
from kube_apiserver.apis.core.services import (
    validate_endpoints,
    validate_endpoints_update,
    validate_service,
    validate_service_status_update,
    validate_service_update,
)
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    invalid_rendered,
    path,
    required,
    too_long,
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
from kube_apiserver.apis.meta.validation import dns1123_label_errors, label_value_errors

__all__ = [
    # the per-resource entry points
    "validate_configmap",
    "validate_configmap_update",
    "validate_endpoints",
    "validate_endpoints_update",
    "validate_event",
    "validate_event_update",
    "validate_namespace",
    "validate_namespace_update",
    "validate_namespace_status_update",
    "validate_node",
    "validate_node_update",
    "validate_node_status_update",
    "validate_pod",
    "validate_pod_update",
    "validate_pod_status_update",
    "validate_secret",
    "validate_secret_update",
    "validate_service",
    "validate_service_update",
    "validate_service_status_update",
    "validate_serviceaccount",
    "validate_serviceaccount_update",
    # re-exported from their new homes, for the modules that imported them from here
    "NONNEGATIVE",
    "clean_selector",
    "dns1035_label_errors",
    "dns1123_label_errors",
    "go_label_selector",
    "go_map",
    "go_quote",
    "parse_quantity",
    "percent_errors",
    "validate_pod_spec",
    "validate_pod_template",
]


# ---------------------------------------------------------------- pods

UPDATABLE_POD_FIELDS = (
    "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
)
_GO_NAMES = {
    "dnsPolicy": "DNSPolicy",
    "dnsConfig": "DNSConfig",
    "hostPID": "HostPID",
    "hostIPC": "HostIPC",
    "os": "OS",
}


def _pod_metadata_and_spec(pod: dict) -> list[FieldError]:
    meta, spec = get_dict(pod, "metadata"), get_dict(pod, "spec")
    errs = _pod_annotations(get_str_map(meta, "annotations") or {}, spec, "metadata.annotations")
    errs += validate_pod_spec(spec, "spec", pod_name=get_str(meta, "name"), is_pod=True)
    if not get_str(spec, "serviceAccountName"):
        for vi, vol in enumerate(get_dicts(spec, "volumes")):
            for si, source in enumerate(get_dicts(get_dict(vol, "projected"), "sources")):
                if is_set(source, "serviceAccountToken"):
                    errs.append(
                        forbidden(
                            path(
                                "spec.volumes",
                                vi,
                                "projected",
                                "sources",
                                si,
                                "serviceAccountToken",
                            ),
                            "must not be specified when serviceAccountName is not set",
                        )
                    )
    for kind in ("containers", "initContainers"):
        for i, c in enumerate(get_dicts(spec, kind)):
            errs += _image_whitespace(c, path("spec", kind, i))
    return errs


def validate_pod(obj: dict) -> list[FieldError]:
    errs = _pod_metadata_and_spec(obj)
    spec = get_dict(obj, "spec")
    if get_dicts(spec, "ephemeralContainers"):
        errs.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
    if get_str(spec, "nodeName") and get_dicts(spec, "schedulingGates"):
        errs.append(
            forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared")
        )
    return errs


def _normalized(v: Any) -> Any:
    """Kubernetes compares specs semantically: unset, empty and zero are the same."""
    if isinstance(v, dict):
        out = {k: _normalized(x) for k, x in v.items()}
        return {k: x for k, x in out.items() if x not in (None, [], {}, "", False)}  # False == 0
    if isinstance(v, list):
        return [_normalized(x) for x in v]
    return v


def _spec_diff(
    old: dict, new: dict, type_name: str = "core.PodSpec", go_names: dict[str, str] = _GO_NAMES
) -> str:
    """A short rendering of what changed, in the spirit of the cmp.Diff Kubernetes appends."""
    keys = sorted(set(old) | set(new))
    lines = [f"  {type_name}{{"]
    same = sum(1 for k in keys if old.get(k) == new.get(k))
    if same:
        lines.append(f"  \t... // {same} identical fields")
    for k in keys:
        if old.get(k) != new.get(k):
            name = go_names.get(k, k[:1].upper() + k[1:])
            for sign, side in (("-", old), ("+", new)):
                if k in side:
                    lines.append(f"{sign} \t{name}: {json.dumps(side[k], separators=(',', ':'))},")
    return "\n".join([*lines, "  }", ""])


def _container_updates(new: list[dict], old: list[dict], fld: str) -> tuple[list[FieldError], bool]:
    if len(new) != len(old):
        return [forbidden(fld, "pod updates may not add or remove containers")], True
    errs: list[FieldError] = []
    for i, c in enumerate(new):
        if not get_str(c, "image"):
            errs.append(required(path(fld, i, "image")))
        errs += _image_whitespace(c, path(fld, i))
    return errs, False


def validate_pod_update(new: dict, old: dict) -> list[FieldError]:
    errs = _pod_metadata_and_spec(new)
    mirror = "kubernetes.io/config.mirror"
    new_ann, old_ann = (
        get_str_map(get_dict(new, "metadata"), "annotations") or {},
        get_str_map(get_dict(old, "metadata"), "annotations") or {},
    )
    if mirror in old_ann and new_ann.get(mirror) != old_ann[mirror]:
        errs.append(
            forbidden(
                _key("metadata.annotations", mirror),
                "may not remove or update mirror pod annotation",
            )
        )
    if mirror in new_ann and mirror not in old_ann:
        errs.append(
            forbidden(_key("metadata.annotations", mirror), "may not add mirror pod annotation")
        )
    ns, os_ = get_dict(new, "spec"), get_dict(old, "spec")
    for kind in ("containers", "initContainers"):
        cerrs, stop = _container_updates(
            get_dicts(ns, kind), get_dicts(os_, kind), path("spec", kind)
        )
        errs += cerrs
        if stop:
            return errs
    new_ads, old_ads = get_int(ns, "activeDeadlineSeconds"), get_int(os_, "activeDeadlineSeconds")
    if new_ads is not None:
        if not 0 <= new_ads <= 2**31 - 1:
            return errs + [
                invalid("spec.activeDeadlineSeconds", new_ads, _RANGE.format(0, 2147483647))
            ]
        if old_ads is not None and old_ads < new_ads:
            return errs + [
                invalid(
                    "spec.activeDeadlineSeconds",
                    new_ads,
                    "must be less than or equal to previous value",
                )
            ]
    elif old_ads is not None:
        errs.append(
            invalid(
                "spec.activeDeadlineSeconds",
                None,
                "must not update from a positive integer to nil value",
            )
        )
    new_tol, old_tol = get_dicts(ns, "tolerations"), get_dicts(os_, "tolerations")
    strip = [{k: v for k, v in t.items() if k != "tolerationSeconds"} for t in new_tol]
    if any({k: v for k, v in t.items() if k != "tolerationSeconds"} not in strip for t in old_tol):
        errs.append(
            forbidden(
                "spec.tolerations",
                "existing toleration can not be modified except its tolerationSeconds",
            )
        )
    else:
        errs += validate_tolerations(new_tol, "spec.tolerations")
    old_gates = {get_str(g, "name") for g in get_dicts(os_, "schedulingGates")}
    for i, gate in enumerate(get_dicts(ns, "schedulingGates")):
        if get_str(gate, "name") not in old_gates:
            errs.append(
                forbidden(
                    path("spec.schedulingGates", i, "name"),
                    f"only deletion is allowed, but found new scheduling gate '{get_str(gate, 'name')}'",
                )
            )
    munged = json.loads(json.dumps(ns))
    for kind in ("containers", "initContainers"):
        for c, o in zip(get_dicts(munged, kind), get_dicts(os_, kind), strict=False):
            c["image"] = o.get("image")
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        munged.pop(key, None)
        if key in os_:
            munged[key] = os_[key]
    old_grace = get_int(os_, "terminationGracePeriodSeconds")
    if (
        old_grace is not None
        and old_grace < 0
        and get_int(munged, "terminationGracePeriodSeconds") == 1
    ):
        munged["terminationGracePeriodSeconds"] = old_grace
    if old_gates:
        new_sel, old_sel = (
            get_str_map(munged, "nodeSelector") or {},
            get_str_map(os_, "nodeSelector") or {},
        )
        if new_sel != old_sel:
            if any(new_sel.get(k) != v for k, v in old_sel.items()):
                errs.append(
                    invalid_rendered(
                        "spec.nodeSelector",
                        go_map(new_sel),
                        "only additions to spec.nodeSelector are allowed (no mutations or deletions)",
                    )
                )
            munged.pop("nodeSelector", None)
            if "nodeSelector" in os_:
                munged["nodeSelector"] = os_["nodeSelector"]
    a, b = _normalized(munged), _normalized(os_)
    if a != b:
        errs.append(
            forbidden(
                "spec",
                f"pod updates may not change fields other than {UPDATABLE_POD_FIELDS}\n"
                + _spec_diff(b, a),
            )
        )
    return errs


def _terminated(status: dict) -> dict | None:
    state = get_dict(status, "state")
    return get_dict(state, "terminated") if is_set(state, "terminated") else None


def _state_transitions(
    new: list[dict],
    old: list[dict],
    fld: str,
    restart_policy: str,
    restartable: frozenset[str] | set[str] = frozenset(),
) -> list[FieldError]:
    if restart_policy == "Always":
        return []
    errs: list[FieldError] = []
    for i, o in enumerate(old):
        term = _terminated(o)
        if term is None or (get_int(term, "exitCode") or 0) != 0 and restart_policy == "OnFailure":
            continue
        if get_str(o, "name") in restartable:
            continue
        errs += [
            forbidden(path(fld, i, "state"), "may not be transitioned to non-terminated state")
            for n in new
            if get_str(n, "name") == get_str(o, "name") and _terminated(n) is None
        ]
    return errs


def _ip_list(ips: list[dict], fld: str, what: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, ip in enumerate(ips):
        errs += _ip(path(fld, i), get_str(ip, "ip"))
    if errs or len(ips) < 2:
        return errs
    values = [get_str(ip, "ip") for ip in ips]
    families = {parse_ip(v).version for v in values}  # type: ignore[union-attr]
    if len(families) != 2 or len(values) > 2:
        rendered = (
            "[]core."
            + what
            + "{"
            + ", ".join(f"core.{what}{{IP:{go_quote(v)}}}" for v in values)
            + "}"
        )
        errs.append(
            invalid_rendered(fld, rendered, "may specify no more than one IP for each IP family")
        )
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            errs.append(
                FieldError(
                    "FieldValueDuplicate",
                    path(fld, i),
                    f"Duplicate value: core.{what}{{IP:{go_quote(v)}}}",
                )
            )
        seen.add(v)
    return errs


def validate_pod_status_update(new: dict, old: dict) -> list[FieldError]:
    ns, os_, st, ost = (
        get_dict(new, "spec"),
        get_dict(old, "spec"),
        get_dict(new, "status"),
        get_dict(old, "status"),
    )
    errs: list[FieldError] = []
    for i, cond in enumerate(get_dicts(st, "conditions")):
        if get_str(cond, "type") not in ("PodScheduled", "Ready", "Initialized"):
            # Kubernetes reports these under metadata, with a capital T.
            errs += _qualified(path("metadata.conditions", i, "Type"), get_str(cond, "type"))
    if get_str(ns, "nodeName") != get_str(os_, "nodeName"):
        errs.append(forbidden("status.nodeName", "may not be changed directly"))
    nominated = get_str(st, "nominatedNodeName")
    if nominated and nominated != get_str(ost, "nominatedNodeName"):
        errs += _subdomain("status.nominatedNodeName", nominated)
    if get_str(st, "qosClass") != get_str(ost, "qosClass"):
        errs.append(invalid("status.qosClass", get_str(st, "qosClass"), "field is immutable"))
    restart = get_str(os_, "restartPolicy")
    restartable = {
        get_str(c, "name")
        for c in get_dicts(os_, "initContainers")
        if get_str(c, "restartPolicy") == "Always"
    }
    errs += _state_transitions(
        get_dicts(st, "containerStatuses"),
        get_dicts(ost, "containerStatuses"),
        "status.containerStatuses",
        restart,
    )
    errs += _state_transitions(
        get_dicts(st, "initContainerStatuses"),
        get_dicts(ost, "initContainerStatuses"),
        "status.initContainerStatuses",
        restart,
        restartable,
    )
    errs += _state_transitions(
        get_dicts(st, "ephemeralContainerStatuses"),
        get_dicts(ost, "ephemeralContainerStatuses"),
        "status.ephemeralContainerStatuses",
        "Never",
    )
    errs += _ip_list(get_dicts(st, "podIPs"), "status.podIPs", "PodIP")
    host_ips = get_dicts(st, "hostIPs")
    if host_ips and get_str(st, "hostIP") != get_str(host_ips[0], "ip"):
        errs.append(
            invalid("status.hostIPs[0].ip", get_str(host_ips[0], "ip"), "must be equal to `hostIP`")
        )
    return errs + _ip_list(host_ips, "status.hostIPs", "HostIP")


# ---------------------------------------------------------------- configmaps, secrets, service accounts

MAX_SECRET_SIZE = 1024 * 1024
_IMMUTABLE_SET = "field is immutable when `immutable` is set"


def _decoded_len(value: Any) -> int:
    if not isinstance(value, str):
        return 0
    try:
        return len(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return len(value)


def validate_configmap(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    data, binary = get_dict(obj, "data"), get_dict(obj, "binaryData")
    size = 0
    for key in sorted(data):
        errs += _each(_key("data", key), key, config_key_errors(key))
        if key in binary:
            errs.append(invalid(_key("data", key), key, "duplicate of key present in binaryData"))
        size += len(data[key].encode()) if isinstance(data[key], str) else 0
    for key in sorted(binary):
        errs += _each(_key("binaryData", key), key, config_key_errors(key))
        size += _decoded_len(binary[key])
    if size > MAX_SECRET_SIZE:
        errs.append(too_long("", MAX_SECRET_SIZE))
    return errs


def _immutable_data(new: dict, old: dict, keys: tuple[str, ...]) -> list[FieldError]:
    if old.get("immutable") is not True:
        return []
    errs = [forbidden("immutable", _IMMUTABLE_SET)] if new.get("immutable") is not True else []
    return errs + [
        forbidden(k, _IMMUTABLE_SET) for k in keys if (new.get(k) or {}) != (old.get(k) or {})
    ]


def validate_configmap_update(new: dict, old: dict) -> list[FieldError]:
    return _immutable_data(new, old, ("data", "binaryData")) + validate_configmap(new)


def _json_object_error(raw: Any) -> str | None:
    """Why Go's json.Unmarshal would refuse a docker config as a JSON object, in its words."""
    try:
        text = base64.b64decode(raw if isinstance(raw, str) else "", validate=True).decode()
    except (binascii.Error, ValueError):
        return "invalid character looking for beginning of value"
    stripped = text.strip()
    if not stripped:
        return "unexpected end of JSON input"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        if e.pos >= len(text.rstrip()):
            return "unexpected end of JSON input"
        return f"invalid character {text[e.pos]!r} looking for beginning of value"
    kinds = {list: "array", str: "string", bool: "bool", int: "number", float: "number"}
    if value is None or isinstance(value, dict):
        return None
    return f"json: cannot unmarshal {kinds[type(value)]} into Go value of type map[string]interface {{}}"


def validate_secret(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    data = get_dict(obj, "data")
    size = 0
    for key in sorted(data):
        errs += _each(_key("data", key), key, config_key_errors(key))
        size += _decoded_len(data[key])
    if size > MAX_SECRET_SIZE:
        errs.append(too_long("data", MAX_SECRET_SIZE))
    stype = get_str(obj, "type")
    if stype == "kubernetes.io/service-account-token":
        annotations = get_str_map(get_dict(obj, "metadata"), "annotations") or {}
        if not annotations.get("kubernetes.io/service-account.name"):
            errs.append(
                required(_key("metadata.annotations", "kubernetes.io/service-account.name"))
            )
    elif stype in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if stype == "kubernetes.io/dockercfg" else ".dockerconfigjson"
        if key not in data:
            errs.append(required(_key("data", key)))
        elif (reason := _json_object_error(data[key])) is not None:
            errs.append(invalid(_key("data", key), "<secret contents redacted>", reason))
    elif stype == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs += [required(_key("data", "username")), required(_key("data", "password"))]
    elif stype == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            errs.append(required(_key("data", "ssh-privatekey")))
    elif stype == "kubernetes.io/tls":
        errs += [required(_key("data", k)) for k in ("tls.crt", "tls.key") if k not in data]
    return errs


def validate_secret_update(new: dict, old: dict) -> list[FieldError]:
    errs = (
        [invalid("type", get_str(new, "type"), "field is immutable")]
        if get_str(new, "type") != get_str(old, "type")
        else []
    )
    return errs + _immutable_data(new, old, ("data",)) + validate_secret(new)


def validate_serviceaccount(obj: dict) -> list[FieldError]:
    return []  # a ServiceAccount has nothing Kubernetes validates beyond its metadata


def validate_serviceaccount_update(new: dict, old: dict) -> list[FieldError]:
    return validate_serviceaccount(new)


# ---------------------------------------------------------------- namespaces

_STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")


def validate_namespace(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    for name in get_strs(get_dict(obj, "spec"), "finalizers"):
        # Kubernetes reports every spec finalizer at the list's path, without an index.
        errs += _qualified("spec.finalizers", name)
        if "/" not in name and name not in _STANDARD_FINALIZERS:
            errs.append(
                invalid(
                    "spec.finalizers",
                    name,
                    "name is neither a standard finalizer name nor is it fully qualified",
                )
            )
    return errs


def validate_namespace_update(new: dict, old: dict) -> list[FieldError]:
    return []  # metadata only: spec.finalizers change through the finalize subresource


def validate_namespace_status_update(new: dict, old: dict) -> list[FieldError]:
    phase = get_str(get_dict(new, "status"), "phase")
    if not is_set(get_dict(new, "metadata"), "deletionTimestamp"):
        if phase != "Active":
            return [
                invalid(
                    "status.Phase", phase, "may only be 'Active' if `deletionTimestamp` is empty"
                )
            ]
    elif phase != "Terminating":
        return [
            invalid(
                "status.Phase",
                phase,
                "may only be 'Terminating' if `deletionTimestamp` is not empty",
            )
        ]
    return []


# ---------------------------------------------------------------- nodes


def _node_taints(taints: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for i, t in enumerate(taints):
        p, key, value, effect = (
            path(fld, i),
            get_str(t, "key"),
            get_str(t, "value"),
            get_str(t, "effect"),
        )
        errs += _qualified(path(p, "key"), key)
        if msgs := label_value_errors(value):
            errs.append(invalid(path(p, "value"), value, ";".join(msgs)))
        errs += (
            _enum(path(p, "effect"), effect, TAINT_EFFECTS)
            if effect
            else [required(path(p, "effect"))]
        )
        if (effect, key) in seen:
            added = f"(*v1.Time)({_ADDR})" if is_set(t, "timeAdded") else "(*v1.Time)(nil)"
            rendered = (
                f"core.Taint{{Key:{go_quote(key)}, Value:{go_quote(value)}, Effect:{go_quote(effect)}, "
                f"TimeAdded:{added}}}"
            )
            errs.append(
                FieldError(
                    "FieldValueDuplicate",
                    p,
                    f"Duplicate value: {rendered}: taints must be unique by key and effect pair",
                )
            )
            continue
        seen.add((effect, key))
    return errs


def _node_resources(node: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    status = get_dict(node, "status")
    for kind in ("capacity", "allocatable"):
        values = get_dict(status, kind)
        for name in sorted(values):
            errs += _quantity_value(name, values[name], path("status", kind, name))[1]
    return errs


def _pod_cidrs(spec: dict) -> list[str]:
    return get_strs(spec, "podCIDRs") or (
        [get_str(spec, "podCIDR")] if get_str(spec, "podCIDR") else []
    )


def validate_node(obj: dict) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    # Kubernetes reports taint errors under metadata.taints.
    errs = _node_taints(get_dicts(spec, "taints"), "metadata.taints") + _node_resources(obj)
    cidrs = _pod_cidrs(spec)
    errs += [
        invalid(path("spec.podCIDRs", i), c, CIDR_MSG)
        for i, c in enumerate(cidrs)
        if not is_valid_cidr(c)
    ]
    if len(cidrs) > 1 and all(is_valid_cidr(c) for c in cidrs):
        families = {parse_ip(c.partition("/")[0]).version for c in cidrs}  # type: ignore[union-attr]
        if len(families) != 2 or len(cidrs) > 2:
            errs.append(
                invalid_rendered(
                    "spec.podCIDRs",
                    go_strings(cidrs),
                    "may specify no more than one CIDR for each IP family",
                )
            )
    if len(cidrs) > 1:
        errs += [
            duplicate(path("spec.podCIDRs", i), c) for i, c in enumerate(cidrs) if c in cidrs[:i]
        ]
    return errs


def validate_node_update(new: dict, old: dict) -> list[FieldError]:
    ns, os_ = get_dict(new, "spec"), get_dict(old, "spec")
    errs = _node_resources(new)
    seen: set[tuple[str, str]] = set()
    for i, addr in enumerate(get_dicts(get_dict(new, "status"), "addresses")):
        key = (get_str(addr, "type"), get_str(addr, "address"))
        if key in seen:
            errs.append(
                FieldError(
                    "FieldValueDuplicate",
                    path("status.addresses", i),
                    f"Duplicate value: core.NodeAddress{{Type:{go_quote(key[0])}, Address:{go_quote(key[1])}}}",
                )
            )
        seen.add(key)
    old_cidrs, new_cidrs = _pod_cidrs(os_), _pod_cidrs(ns)
    if old_cidrs:
        msg = 'node updates may not change podCIDR except from "" to valid'
        if len(old_cidrs) != len(new_cidrs):
            errs.append(forbidden("spec.podCIDRs", msg))
        else:
            errs += [
                forbidden("spec.podCIDRs", msg)
                for a, b in zip(old_cidrs, new_cidrs, strict=True)
                if a != b
            ]
    if get_str(os_, "providerID") and get_str(os_, "providerID") != get_str(ns, "providerID"):
        errs.append(
            forbidden(
                "spec.providerID", 'node updates may not change providerID except from "" to valid'
            )
        )
    errs += _node_taints(get_dicts(ns, "taints"), "metadata.taints")
    if get_str(ns, "externalID") != get_str(os_, "externalID"):
        errs.append(forbidden("spec.externalID", "may not be updated"))
    return errs


def validate_node_status_update(new: dict, old: dict) -> list[FieldError]:
    return validate_node_update(new, old)  # Kubernetes applies the same rules to node status writes


# ---------------------------------------------------------------- events (core/v1)


def validate_event(obj: dict) -> list[FieldError]:
    """The rules every Event passes, whichever API wrote it (Kubernetes' "legacy" event validation)."""
    errs: list[FieldError] = []
    ns = get_str(get_dict(obj, "metadata"), "namespace")
    involved = get_dict(obj, "involvedObject")
    involved_ns = get_str(involved, "namespace")
    mismatch = invalid("involvedObject.namespace", involved_ns, "does not match event.namespace")
    if not get_str(obj, "eventTime"):
        if (not involved_ns and ns not in ("", "default")) or (involved_ns and ns != involved_ns):
            errs.append(mismatch)
    else:
        if not involved_ns and ns not in ("default", "kube-system"):
            errs.append(mismatch)
        controller = get_str(obj, "reportingComponent")
        if not controller:
            errs.append(required("reportingController"))
        errs += _qualified("reportingController", controller)
        for key, limit in (("reportingInstance", 128), ("action", 128), ("reason", 128)):
            if not get_str(obj, key):
                errs.append(required(key))
            if len(get_str(obj, key)) > limit:
                errs.append(invalid(key, "", f"can have at most {limit} characters"))
        if len(get_str(obj, "message")) > 1024:
            errs.append(invalid("message", "", "can have at most 1024 characters"))
    return errs + _subdomain("namespace", ns)


def validate_event_update(new: dict, old: dict) -> list[FieldError]:
    return validate_event(new)  # core/v1 keeps the lenient rules on update too
