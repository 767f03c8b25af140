"""Validation of storage.k8s.io/v1 objects (everything except metadata), as Kubernetes 1.33 does it.

StorageClasses and VolumeAttachments here, the CSI kinds in `csi.py`. Where Kubernetes reports
a whole internal struct as the bad value (an attachment's immutable spec) the message shows it
as Go's `%#v` prints it, pointers included, since kubectl shows that text verbatim.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import _qualified, _subdomain, go_pointers, go_quote
from kube_apiserver.apis.core.volumes import validate_csi_driver_name
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    immutable,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
    too_long,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_int, get_str, get_strs

RECLAIM_POLICIES = ["Delete", "Retain"]
BINDING_MODES = ["Immediate", "WaitForFirstConsumer"]
MAX_PARAMETERS = 512
MAX_PARAMETERS_SIZE = 256 * 1024
MAX_ATTACHMENT_METADATA_SIZE = 256 * 1024
MAX_VOLUME_ERROR_MESSAGE = 1024
MAX_INT32 = 2**31 - 1


def _byte_len(value: Any) -> int:
    return len(value.encode()) if isinstance(value, str) else 0


# ---------------------------------------------------------------- StorageClass


def validate_provisioner(provisioner: str, fld: str) -> list[FieldError]:
    """A provisioner (or driver) name: required, a qualified name compared in lower case."""
    if not provisioner:
        return [required(fld)]
    return _qualified(fld, provisioner.lower())


def validate_parameters(params: Any, fld: str, *, allow_empty: bool = True) -> list[FieldError]:
    params = params if isinstance(params, dict) else {}
    if len(params) > MAX_PARAMETERS:
        return [too_long(fld, MAX_PARAMETERS)]
    errs = [invalid(fld, key, "field can not be empty.") for key in params if not key]
    if sum(_byte_len(k) + _byte_len(v) for k, v in params.items()) > MAX_PARAMETERS_SIZE:
        errs.append(too_long(fld, MAX_PARAMETERS_SIZE))
    if not allow_empty and not params:
        errs.append(required(fld, "must contain at least one key/value pair"))
    return errs


def _topology_term(term: dict, fld: str) -> tuple[dict[str, frozenset[str]], list[FieldError]]:
    """One TopologySelectorTerm: its keys mapped to their value sets, and its errors."""
    errs: list[FieldError] = []
    expressions: dict[str, frozenset[str]] = {}
    for i, req in enumerate(get_dicts(term, "matchLabelExpressions")):
        at, key, values = (
            path(fld, "matchLabelExpressions", i),
            get_str(req, "key"),
            get_strs(req, "values"),
        )
        values_at = path(at, "values")
        if not values:
            errs.append(required(values_at))
        errs += [duplicate(path(values_at, j), v) for j, v in enumerate(values) if v in values[:j]]
        errs += _qualified(path(at, "key"), key)
        if key in expressions:
            errs.append(duplicate(path(at, "key"), key))
        expressions[key] = frozenset(values)
    return expressions, errs


def _allowed_topologies(terms: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    # Kubernetes compares each term with a list pre-filled with as many empty terms as there
    # are terms, so an empty term is always reported as a duplicate; kept for the same answer.
    seen: list[dict[str, frozenset[str]]] = [{} for _ in terms]
    for i, term in enumerate(terms):
        expressions, term_errs = _topology_term(term, path(fld, i))
        errs += term_errs
        errs += [
            duplicate(path(fld, i, "matchLabelExpressions"), "")
            for other in seen
            if other == expressions
        ]
        seen.append(expressions)
    return errs


def validate_storage_class(obj: dict) -> list[FieldError]:
    errs = validate_provisioner(get_str(obj, "provisioner"), "provisioner")
    errs += validate_parameters(obj.get("parameters"), "parameters")
    reclaim = get_str(obj, "reclaimPolicy")
    if reclaim and reclaim not in RECLAIM_POLICIES:
        errs.append(not_supported("reclaimPolicy", reclaim, RECLAIM_POLICIES))
    if obj.get("volumeBindingMode") is None:
        errs.append(required("volumeBindingMode"))
    elif get_str(obj, "volumeBindingMode") not in BINDING_MODES:
        errs.append(
            not_supported("volumeBindingMode", get_str(obj, "volumeBindingMode"), BINDING_MODES)
        )
    return errs + _allowed_topologies(get_dicts(obj, "allowedTopologies"), "allowedTopologies")


def validate_storage_class_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_storage_class(new)
    if (new.get("parameters") or {}) != (old.get("parameters") or {}):
        errs.append(forbidden("parameters", "updates to parameters are forbidden."))
    if get_str(new, "provisioner") != get_str(old, "provisioner"):
        errs.append(forbidden("provisioner", "updates to provisioner are forbidden."))
    if get_str(new, "reclaimPolicy") != get_str(old, "reclaimPolicy"):
        errs.append(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."))
    if get_str(new, "volumeBindingMode") != get_str(old, "volumeBindingMode"):
        errs.append(immutable("volumeBindingMode", get_str(new, "volumeBindingMode")))
    return errs


# ---------------------------------------------------------------- VolumeAttachment


def _go_attachment_spec(spec: dict) -> str:
    """%#v of the internal VolumeAttachmentSpec, the value an immutable spec is reported with."""
    source = go_pointers(
        "storage.VolumeAttachmentSource",
        get_dict(spec, "source"),
        [
            ("persistentVolumeName", "PersistentVolumeName", "string"),
            ("inlineVolumeSpec", "InlineVolumeSpec", "core.PersistentVolumeSpec"),
        ],
    )
    return (
        f"storage.VolumeAttachmentSpec{{Attacher:{go_quote(get_str(spec, 'attacher'))}, "
        f"Source:{source}, NodeName:{go_quote(get_str(spec, 'nodeName'))}}}"
    )


def _attachment_source(source: dict, fld: str) -> list[FieldError]:
    has_pv, has_inline = (
        source.get("persistentVolumeName") is not None,
        source.get("inlineVolumeSpec") is not None,
    )
    both = "must specify exactly one of inlineVolumeSpec and persistentVolumeName"
    if not has_pv and not has_inline:
        return [required(fld, both)]
    if has_pv and has_inline:
        return [forbidden(fld, both)]
    if has_pv and not get_str(source, "persistentVolumeName"):
        return [
            required(
                path(fld, "persistentVolumeName"), "must specify non empty persistentVolumeName"
            )
        ]
    return []


def _volume_error(err: Any, fld: str) -> list[FieldError]:
    if not isinstance(err, dict):
        return []
    errs: list[FieldError] = []
    if _byte_len(err.get("message")) > MAX_VOLUME_ERROR_MESSAGE:
        # Kubernetes reports the attachment-metadata limit here, not the message one.
        errs.append(too_long(path(fld, "message"), MAX_ATTACHMENT_METADATA_SIZE))
    code = get_int(err, "errorCode")
    if code is not None and code < 0:
        errs.append(
            invalid(path(fld, "errorCode"), code, f"must be between 0 and {MAX_INT32}, inclusive")
        )
    return errs


def _attachment_status(status: dict) -> list[FieldError]:
    metadata = get_dict(status, "attachmentMetadata")
    size = sum(_byte_len(k) + _byte_len(v) for k, v in metadata.items())
    errs = (
        [too_long("status.attachmentMetadata", MAX_ATTACHMENT_METADATA_SIZE)]
        if size > MAX_ATTACHMENT_METADATA_SIZE
        else []
    )
    errs += _volume_error(status.get("attachError"), "status.attachError")
    return errs + _volume_error(status.get("detachError"), "status.detachError")


def _attachment(obj: dict) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    errs = [] if get_str(spec, "attacher") else [required("spec.attacher")]
    errs += _attachment_source(get_dict(spec, "source"), "spec.source")
    errs += _subdomain("spec.nodeName", get_str(spec, "nodeName"))
    return errs + _attachment_status(get_dict(obj, "status"))


def validate_volume_attachment(obj: dict) -> list[FieldError]:
    """A new attachment: the rules every version shares, then v1's stricter names."""
    spec = get_dict(obj, "spec")
    errs = _attachment(obj) + validate_csi_driver_name(get_str(spec, "attacher"), "spec.attacher")
    pv_name = get_dict(spec, "source").get("persistentVolumeName")
    if isinstance(pv_name, str):
        errs += _subdomain("spec.source.persistentVolumeName", pv_name)
    return errs


def validate_volume_attachment_update(new: dict, old: dict) -> list[FieldError]:
    """Updates (of the object or its status): the spec never changes."""
    errs = _attachment(new)
    if get_dict(new, "spec") != get_dict(old, "spec"):
        errs.append(
            invalid_rendered(
                "spec", _go_attachment_spec(get_dict(new, "spec")), "field is immutable"
            )
        )
    return errs
