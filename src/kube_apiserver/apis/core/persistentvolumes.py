"""PersistentVolumes: defaults and validation as kube-apiserver 1.33 applies them.

A PV names exactly one volume source (checked in persistentvolume_sources.py) that never
changes, offers storage in `capacity` and may be bound to a claim. Field paths keep
Kubernetes' quirks: a GCE disk is reported under `spec.persistentDisk`, a duplicated CephFS
under `spec.cephFS`, and on update the immutable volume mode under plain `volumeMode`. The VolumeAttributesClass
feature is beta and off in 1.33, so `volumeAttributesClassName` is kept but not validated.
"""

from __future__ import annotations

import posixpath
from typing import Any

from kube_apiserver.apis.core.formats import _key, _subdomain, go_quote
from kube_apiserver.apis.core.persistentvolume_sources import (
    MOUNT_OPTION_SOURCES,
    SOURCE_KEYS,
    validate_sources,
)
from kube_apiserver.apis.core.podspec import _node_selector_term
from kube_apiserver.apis.core.quantities import (
    canonical_resource_list,
    go_quantity,
    go_value,
    parse_quantity,
    round_up_milli,
)
from kube_apiserver.apis.core.validation import _normalized, _spec_diff
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import (
    ensure_dict,
    get_dict,
    get_dicts,
    get_str,
    get_str_map,
    get_strs,
    is_set,
)

ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
VOLUME_MODES = ["Block", "Filesystem"]
RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"]
BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"
MOUNT_OPTIONS = "volume.beta.kubernetes.io/mount-options"
_IMMUTABLE = "field is immutable"

# ---------------------------------------------------------------- defaults

# Source defaults Kubernetes declares on the types themselves (`+default=`).
_SOURCE_DEFAULTS = {
    "rbd": {"pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"},
    "iscsi": {"iscsiInterface": "default"},
    "azureDisk": {
        "cachingMode": "ReadWrite",
        "fsType": "ext4",
        "readOnly": False,
        "kind": "Shared",
    },
    "scaleIO": {"storageMode": "ThinProvisioned", "fsType": "xfs"},
    "hostPath": {"type": ""},
}


def default_persistentvolume(obj: dict) -> None:
    spec = ensure_dict(obj, "spec")
    if not spec.get("persistentVolumeReclaimPolicy"):
        spec["persistentVolumeReclaimPolicy"] = "Retain"
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    for key, values in _SOURCE_DEFAULTS.items():
        source = spec.get(key)
        if isinstance(source, dict):
            for field, value in values.items():
                if source.get(field) in (None, ""):
                    source[field] = value
    status = ensure_dict(obj, "status")
    if not status.get("phase"):
        status["phase"] = "Pending"


def normalize_persistentvolume(obj: dict) -> None:
    """The stored form: the capacity canonical (after validation, which prints the quantities
    as they were written)."""
    canonical_resource_list(get_dict(obj, "spec").get("capacity"))


# ---------------------------------------------------------------- shared with claims


def access_mode_errors(modes: list[str], fld: str) -> list[FieldError]:
    """Known modes, and ReadWriteOncePod only on its own."""
    errs = [not_supported(fld, m, ACCESS_MODES) for m in modes if m not in ACCESS_MODES]
    known = {m for m in modes if m in ACCESS_MODES}
    if "ReadWriteOncePod" in known and len(known) > 1:
        errs.append(forbidden(fld, "may not use ReadWriteOncePod with other access modes"))
    return errs


def go_resource_list(values: Any) -> str:
    """`%#v` of a core.ResourceList."""
    if not isinstance(values, dict):
        return "core.ResourceList(nil)"
    items = ", ".join(f"{go_quote(k)}:{go_quantity(values[k])}" for k in sorted(values))
    return "core.ResourceList{" + items + "}"


def basic_resource_errors(raw: Any, fld: str) -> list[FieldError]:
    """Kubernetes' validateBasicResource: the value rounded away from zero must not be negative."""
    q = parse_quantity(raw)
    if q is None or q.value >= 0:
        return []
    return [invalid(fld, go_value(q), "must be a valid resource quantity")]


def class_name_errors(fld: str, name: str) -> list[FieldError]:
    return _subdomain(fld, name) if name else []


def _node_affinity(spec: dict) -> list[FieldError]:
    fld = "spec.nodeAffinity"
    affinity = get_dict(spec, "nodeAffinity")
    if not is_set(affinity, "required"):
        return [required(path(fld, "required"), "must specify required node constraints")]
    terms_fld = path(fld, "required", "nodeSelectorTerms")
    terms = get_dicts(get_dict(affinity, "required"), "nodeSelectorTerms")
    if not terms:
        return [required(terms_fld, "must have at least one node selector term")]
    errs: list[FieldError] = []
    for i, term in enumerate(terms):
        errs += _node_selector_term(term, path(terms_fld, i), check_values=True)
    return errs


def _capacity(spec: dict) -> list[FieldError]:
    capacity = spec.get("capacity") if isinstance(spec.get("capacity"), dict) else None
    errs = [] if capacity else [required("spec.capacity")]
    if capacity is None or "storage" not in capacity or len(capacity) > 1:
        errs.append(
            FieldError(
                "FieldValueNotSupported",
                "spec.capacity",
                f'Unsupported value: {go_resource_list(capacity)}: supported values: "storage"',
            )
        )
    for name in sorted(capacity or {}):
        fld = _key("spec.capacity", name)
        errs += basic_resource_errors(capacity[name], fld)
        q = parse_quantity(capacity[name])
        if q is not None and q.value <= 0:
            errs.append(invalid(fld, str(round_up_milli(q)), "must be greater than zero"))
    return errs


def validate_persistentvolume(obj: dict) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    modes = get_strs(spec, "accessModes")
    errs = [required("spec.accessModes")] if not modes else []
    errs += access_mode_errors(modes, "spec.accessModes") + _capacity(spec)
    policy = get_str(spec, "persistentVolumeReclaimPolicy")
    if policy and policy not in RECLAIM_POLICIES:
        errs.append(not_supported("spec.persistentVolumeReclaimPolicy", policy, RECLAIM_POLICIES))
    if is_set(spec, "nodeAffinity"):
        errs += _node_affinity(spec)
    errs += validate_sources(
        spec, get_str(get_dict(obj, "metadata"), "name"), is_set(spec, "nodeAffinity")
    )
    host_path = get_str(get_dict(spec, "hostPath"), "path")
    if host_path and posixpath.normpath(host_path) == "/" and policy == "Recycle":
        errs.append(
            forbidden(
                "spec.persistentVolumeReclaimPolicy",
                "may not be 'recycle' for a hostPath mount of '/'",
            )
        )
    errs += class_name_errors("spec.storageClassName", get_str(spec, "storageClassName"))
    mode = get_str(spec, "volumeMode")
    if is_set(spec, "volumeMode") and mode not in VOLUME_MODES:
        errs.append(not_supported("spec.volumeMode", mode, VOLUME_MODES))
    annotations = get_str_map(get_dict(obj, "metadata"), "annotations") or {}
    if MOUNT_OPTIONS in annotations and not any(is_set(spec, k) for k in MOUNT_OPTION_SOURCES):
        errs.append(
            forbidden(
                path("metadata.annotations", MOUNT_OPTIONS),
                "may not specify mount options for this volume type",
            )
        )
    return errs


_SOURCE_GO_NAMES = {
    "awsElasticBlockStore": "AWSElasticBlockStore",
    "gcePersistentDisk": "GCEPersistentDisk",
    "nfs": "NFS",
    "rbd": "RBD",
    "iscsi": "ISCSI",
    "fc": "FC",
    "cephfs": "CephFS",
    "csi": "CSI",
    "scaleIO": "ScaleIO",
    "storageos": "StorageOS",
}


def _source(spec: dict) -> dict:
    return {k: spec[k] for k in SOURCE_KEYS if k in spec}


def _without_added_expand_secret(new: dict, old: dict) -> dict:
    """A CSI volume may gain a controllerExpandSecretRef after creation."""
    source = _source(new)
    old_csi, new_csi = get_dict(old, "csi"), get_dict(new, "csi")
    if old_csi and new_csi and not is_set(old_csi, "controllerExpandSecretRef"):
        source["csi"] = {k: v for k, v in new_csi.items() if k != "controllerExpandSecretRef"}
    return source


_BETA_TO_GA = {
    "failure-domain.beta.kubernetes.io/zone": "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region": "topology.kubernetes.io/region",
    "beta.kubernetes.io/os": "kubernetes.io/os",
    "beta.kubernetes.io/arch": "kubernetes.io/arch",
    "beta.kubernetes.io/instance-type": "node.kubernetes.io/instance-type",
}


def _affinity_in_ga_terms(affinity: Any, towards: Any) -> Any:
    """`affinity` with beta label keys renamed where `towards` uses their GA names."""
    if not isinstance(affinity, dict) or not isinstance(towards, dict):
        return affinity
    old_terms = get_dicts(get_dict(affinity, "required"), "nodeSelectorTerms")
    new_terms = get_dicts(get_dict(towards, "required"), "nodeSelectorTerms")
    terms = []
    for i, term in enumerate(old_terms):
        other = new_terms[i] if i < len(new_terms) else {}
        exprs = []
        for j, expr in enumerate(get_dicts(term, "matchExpressions")):
            theirs = get_dicts(other, "matchExpressions")
            key = get_str(expr, "key")
            if j < len(theirs) and _BETA_TO_GA.get(key) == get_str(theirs[j], "key"):
                expr = {**expr, "key": get_str(theirs[j], "key")}
            exprs.append(expr)
        terms.append({**term, "matchExpressions": exprs} if exprs else term)
    return {**affinity, "required": {**get_dict(affinity, "required"), "nodeSelectorTerms": terms}}


def validate_persistentvolume_update(new: dict, old: dict) -> list[FieldError]:
    # Kubernetes validates the new volume twice (the strategy, then the update check), so each
    # of its errors is reported twice.
    errs = validate_persistentvolume(new) * 2
    ns, os_ = get_dict(new, "spec"), get_dict(old, "spec")
    new_source, old_source = _without_added_expand_secret(ns, os_), _source(os_)
    if _normalized(new_source) != _normalized(old_source):
        diff = _spec_diff(old_source, new_source, "core.PersistentVolumeSource", _SOURCE_GO_NAMES)
        errs.append(
            forbidden(
                "spec.persistentvolumesource",
                "spec.persistentvolumesource is immutable after creation\n" + diff,
            )
        )
    if ns.get("volumeMode") != os_.get("volumeMode"):
        errs.append(invalid("volumeMode", ns.get("volumeMode"), _IMMUTABLE))
    old_affinity = os_.get("nodeAffinity")
    if isinstance(old_affinity, dict):
        new_affinity = ns.get("nodeAffinity")
        if _normalized(_affinity_in_ga_terms(old_affinity, new_affinity)) != _normalized(
            new_affinity
        ):
            rendered = (
                "core.VolumeNodeAffinity{Required:(*core.NodeSelector)(0xc000010000)}"
                if isinstance(new_affinity, dict)
                else "null"
            )
            errs.append(
                invalid_rendered(
                    "nodeAffinity",
                    rendered,
                    _IMMUTABLE + ", except for updating from beta label to GA",
                )
            )
    if ns.get("volumeAttributesClassName") != os_.get("volumeAttributesClassName"):
        errs.append(
            forbidden(
                "spec.volumeAttributesClassName",
                "update is forbidden when the VolumeAttributesClass feature gate is disabled",
            )
        )
    return errs


def validate_persistentvolume_status_update(new: dict, old: dict) -> list[FieldError]:
    return []  # only metadata, which the generic update checks
