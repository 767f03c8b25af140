"""PersistentVolumeClaims: defaults, data-source normalisation and validation as in 1.33.

A claim's spec is fixed once created except for its storage request (only while Bound, and
not below what its status reports) and the volume it binds to (set once); the beta
storage-class annotation may be replaced by `storageClassName` naming the same class. Gated
fields that are off in 1.33 (VolumeAttributesClass, cross-namespace data sources) are dropped
on the way in, as kube-apiserver drops disabled fields. `validate_claim_spec` and
`validate_claim_template` also serve ephemeral volumes and workload claim templates.
"""

from __future__ import annotations

import copy
from typing import Any

from kube_apiserver.apis.core.formats import _key, _label, _qualified, _subdomain, clean_selector
from kube_apiserver.apis.core.persistentvolumes import (
    BETA_STORAGE_CLASS,
    VOLUME_MODES,
    access_mode_errors,
    basic_resource_errors,
    class_name_errors,
)
from kube_apiserver.apis.core.quantities import (
    canonical_resource_list,
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
    get_str,
    get_str_map,
    get_strs,
    is_set,
)
from kube_apiserver.apis.meta.validation import (
    validate_annotations,
    validate_label_selector,
    validate_labels,
)

_IMMUTABLE = "field is immutable"
_SNAPSHOTS = "snapshot.storage.k8s.io"
RESIZE_STATUSES = [
    "ControllerResizeInProgress",
    "ControllerResizeInfeasible",
    "NodeResizeInProgress",
    "NodeResizeInfeasible",
    "NodeResizePending",
]

# ---------------------------------------------------------------- defaults


def default_claim_spec(spec: dict) -> None:
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    resources = spec.get("resources")
    if isinstance(resources, dict):
        canonical_resource_list(resources.get("requests"))
        canonical_resource_list(resources.get("limits"))


def default_persistentvolumeclaim(obj: dict) -> None:
    default_claim_spec(ensure_dict(obj, "spec"))
    status = ensure_dict(obj, "status")
    if not status.get("phase"):
        status["phase"] = "Pending"
    canonical_resource_list(status.get("capacity"))
    canonical_resource_list(status.get("allocatedResources"))


def _group(ref: dict) -> str:
    return get_str(ref, "apiGroup")


def prepare_claim_spec(spec: dict, old: dict | None) -> None:
    """What the registry does to a claim's spec before validating it: drop fields of features
    that are off, forget a data source no populator could fill, and mirror dataSource and
    dataSourceRef into each other (on create, when there is no `old` spec)."""
    prior = old or {}
    if "volumeAttributesClassName" not in prior:
        spec.pop("volumeAttributesClassName", None)
    ref = spec.get("dataSourceRef")
    if isinstance(ref, dict) and not get_str(get_dict(prior, "dataSourceRef"), "namespace"):
        ref.pop("namespace", None)
    source = spec.get("dataSource")
    in_use = is_set(prior, "dataSource") or is_set(prior, "dataSourceRef")
    # An old client's dataSource naming what only a populator fills reads as no source at all.
    if isinstance(source, dict) and not in_use and spec.get("dataSourceRef") is None:
        kind, group = get_str(source, "kind"), _group(source)
        if not (kind == "PersistentVolumeClaim" and not group) and not (
            kind == "VolumeSnapshot" and group == _SNAPSHOTS
        ):
            del spec["dataSource"]
    if old is not None:
        return
    source, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    if isinstance(source, dict) and ref is None:
        spec["dataSourceRef"] = {k: source[k] for k in ("apiGroup", "kind", "name") if k in source}
    elif isinstance(ref, dict) and source is None and not get_str(ref, "namespace"):
        spec["dataSource"] = {k: ref[k] for k in ("apiGroup", "kind", "name") if k in ref}


def prepare_claim_status(status: dict, old: dict) -> None:
    """Status fields of the VolumeAttributesClass feature, off in 1.33, are dropped."""
    for key in ("currentVolumeAttributesClassName", "modifyVolumeStatus"):
        if key not in old:
            status.pop(key, None)


# ---------------------------------------------------------------- the spec


def _data_source(ref: dict, fld: str, *, with_namespace: bool) -> list[FieldError]:
    errs = [required(path(fld, "name"))] if not get_str(ref, "name") else []
    if not get_str(ref, "kind"):
        errs.append(required(path(fld, "kind")))
    group = _group(ref)
    if not group and get_str(ref, "kind") != "PersistentVolumeClaim":
        errs.append(
            invalid(
                fld,
                get_str(ref, "kind"),
                "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
            )
        )
    if group:
        errs += _subdomain(path(fld, "apiGroup"), group)
    if with_namespace and get_str(ref, "namespace"):
        errs += _label(path(fld, "namespace"), get_str(ref, "namespace"))
    return errs


def _storage_request(spec: dict, fld: str) -> list[FieldError]:
    requests = get_dict(get_dict(spec, "resources"), "requests")
    at = _key(path(fld, "resources"), "storage")
    if "storage" not in requests:
        return [required(at)]
    q = parse_quantity(requests["storage"])
    if q is not None and q.value <= 0:
        return [invalid(at, str(round_up_milli(q)), "must be greater than zero")]
    return []


def validate_claim_spec(spec: dict, fld: str) -> list[FieldError]:
    """A PersistentVolumeClaimSpec, wherever it appears."""
    modes = get_strs(spec, "accessModes")
    errs = (
        [required(path(fld, "accessModes"), "at least 1 access mode is required")]
        if not modes
        else []
    )
    if isinstance(spec.get("selector"), dict):
        errs += validate_label_selector(clean_selector(spec["selector"]), path(fld, "selector"))
    errs += access_mode_errors(modes, path(fld, "accessModes"))
    errs += _storage_request(spec, fld)
    errs += class_name_errors(path(fld, "storageClassName"), get_str(spec, "storageClassName"))
    if is_set(spec, "volumeMode") and get_str(spec, "volumeMode") not in VOLUME_MODES:
        errs.append(
            not_supported(path(fld, "volumeMode"), get_str(spec, "volumeMode"), VOLUME_MODES)
        )
    source, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    if isinstance(source, dict):
        errs += _data_source(source, path(fld, "dataSource"), with_namespace=False)
    if isinstance(ref, dict):
        errs += _data_source(ref, path(fld, "dataSourceRef"), with_namespace=True)
    if isinstance(ref, dict) and get_str(ref, "namespace"):
        if isinstance(source, dict):
            errs.append(
                invalid_rendered(
                    fld,
                    path(fld, "dataSource"),
                    "may not be specified when dataSourceRef.namespace is specified",
                )
            )
    elif isinstance(source, dict) and isinstance(ref, dict):
        if any(get_str(source, k) != get_str(ref, k) for k in ("apiGroup", "kind", "name")):
            errs.append(invalid_rendered(fld, path(fld, "dataSource"), "must match dataSourceRef"))
    return errs


# Template metadata may carry only labels and annotations; Go names the rest in struct order.
_TEMPLATE_META_FIELDS = {
    "name": "name",
    "generateName": "generateName",
    "namespace": "namespace",
    "selfLink": "selfLink",
    "uid": "uID",
    "resourceVersion": "resourceVersion",
    "generation": "generation",
    "creationTimestamp": "creationTimestamp",
    "deletionTimestamp": "deletionTimestamp",
    "deletionGracePeriodSeconds": "deletionGracePeriodSeconds",
    "ownerReferences": "ownerReferences",
    "finalizers": "finalizers",
    "managedFields": "managedFields",
}


def validate_claim_template(template: dict, fld: str) -> list[FieldError]:
    """A PersistentVolumeClaimTemplate (an ephemeral volume's `volumeClaimTemplate`)."""
    meta, meta_fld = get_dict(template, "metadata"), path(fld, "metadata")
    errs = validate_annotations(
        get_str_map(meta, "annotations") or {}, path(meta_fld, "annotations")
    )
    errs += validate_labels(get_str_map(meta, "labels") or {}, path(meta_fld, "labels"))
    errs += [
        forbidden(path(meta_fld, go_name), "cannot be set")
        for key, go_name in _TEMPLATE_META_FIELDS.items()
        if meta.get(key) not in (None, "", 0, [], {})
    ]
    return errs + validate_claim_spec(get_dict(template, "spec"), path(fld, "spec"))


# ---------------------------------------------------------------- claims


def validate_persistentvolumeclaim(obj: dict) -> list[FieldError]:
    return validate_claim_spec(get_dict(obj, "spec"), "spec")


def _storage(spec: dict) -> Any:
    q = parse_quantity(get_dict(get_dict(spec, "resources"), "requests").get("storage", "0"))
    return q.value if q is not None else 0


def _class_upgrade(new: dict, old: dict) -> tuple[bool, bool]:
    """Whether storageClassName may be set now: (from the beta annotation, from nothing)."""
    new_ann = get_str_map(get_dict(new, "metadata"), "annotations") or {}
    old_ann = get_str_map(get_dict(old, "metadata"), "annotations") or {}
    new_sc, old_sc = (
        get_dict(new, "spec").get("storageClassName"),
        get_dict(old, "spec").get("storageClassName"),
    )
    from_annotation = (
        BETA_STORAGE_CLASS in old_ann
        and old_sc is None
        and new_sc is not None
        and new_sc == old_ann[BETA_STORAGE_CLASS]
        and new_ann.get(BETA_STORAGE_CLASS, old_ann[BETA_STORAGE_CLASS])
        == old_ann[BETA_STORAGE_CLASS]
    )
    from_nil = (
        new_sc is not None
        and old_sc is None
        and (BETA_STORAGE_CLASS not in old_ann or new_sc == old_ann[BETA_STORAGE_CLASS])
    )
    return from_annotation, from_nil


def validate_persistentvolumeclaim_update(new: dict, old: dict) -> list[FieldError]:
    # The strategy and the update check both validate the new claim: its errors come twice.
    errs = validate_persistentvolumeclaim(new) * 2
    ns, os_ = get_dict(new, "spec"), get_dict(old, "spec")
    new_spec, old_spec = copy.deepcopy(ns), copy.deepcopy(os_)
    if not get_str(os_, "volumeName"):
        old_spec.pop("volumeName", None)
        if "volumeName" in new_spec:
            old_spec["volumeName"] = new_spec["volumeName"]
    from_annotation, from_nil = _class_upgrade(new, old)
    if from_annotation:
        new_spec.pop("storageClassName", None)
    else:
        new_ann = get_str_map(get_dict(new, "metadata"), "annotations") or {}
        old_ann = get_str_map(get_dict(old, "metadata"), "annotations") or {}
        if new_ann.get(BETA_STORAGE_CLASS, "") != old_ann.get(BETA_STORAGE_CLASS, ""):
            errs.append(
                invalid(
                    path("metadata.annotations", BETA_STORAGE_CLASS),
                    new_ann.get(BETA_STORAGE_CLASS, ""),
                    _IMMUTABLE,
                )
            )
        if from_nil:
            new_spec.pop("storageClassName", None)
    bound = get_str(get_dict(new, "status"), "phase") == "Bound"
    requests = get_dict(new_spec, "resources").get("requests")
    if bound and isinstance(requests, dict):
        requests["storage"] = get_dict(get_dict(os_, "resources"), "requests").get("storage", "0")
    if _normalized(new_spec) != _normalized(old_spec):
        diff = _spec_diff(old_spec, new_spec, "core.PersistentVolumeClaimSpec", {})
        errs.append(
            forbidden(
                "spec",
                "spec is immutable after creation except resources.requests and "
                "volumeAttributesClassName for bound claims\n" + diff,
            )
        )
    status_capacity = parse_quantity(
        get_dict(get_dict(old, "status"), "capacity").get("storage", "0")
    )
    if _storage(ns) < _storage(os_) and _storage(ns) <= (
        status_capacity.value if status_capacity is not None else 0
    ):
        errs.append(
            forbidden(
                "spec.resources.requests.storage", "field can not be less than status.capacity"
            )
        )
    if ns.get("volumeMode") != os_.get("volumeMode"):
        errs.append(invalid("volumeMode", ns.get("volumeMode"), _IMMUTABLE))
    return errs


def _resource_key(name: str, fld: str) -> list[FieldError]:
    errs = _qualified(fld, name)
    if not errs and ("/" not in name or "kubernetes.io/" in name) and name != "storage":
        errs.append(not_supported(fld, name, ["storage"]))
    return errs


def validate_persistentvolumeclaim_status_update(new: dict, old: dict) -> list[FieldError]:
    status = get_dict(new, "status")
    errs = [] if get_strs(get_dict(new, "spec"), "accessModes") else [required("Spec.accessModes")]
    capacity = get_dict(status, "capacity")
    for name in sorted(capacity):
        errs += basic_resource_errors(capacity[name], _key("status.capacity", name))
    resize_fld = "status.allocatedResourceStatus"
    statuses = get_str_map(status, "allocatedResourceStatuses") or {}
    for name in sorted(statuses):
        errs += _resource_key(name, resize_fld)
        if statuses[name] not in RESIZE_STATUSES:
            errs.append(not_supported(resize_fld, name, RESIZE_STATUSES))
    allocated = get_dict(status, "allocatedResources")
    for name in sorted(allocated):
        key_errs = _resource_key(name, "status.allocatedResources")
        errs += key_errs or basic_resource_errors(
            allocated[name], _key("status.allocatedResources", name)
        )
    return errs
