"""Validation of storage.k8s.io/v1 objects (everything except metadata), as Kubernetes 1.33 does it.

StorageClasses and VolumeAttachments here, the CSI kinds in `csi.py`. Where Kubernetes reports
a whole internal struct as the bad value (an attachment's immutable spec) the message shows it
as Go's `%#v` prints it, pointers included, since kubectl shows that text verbatim.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import (
    _d,
    _ds,
    _i,
    _qualified,
    _s,
    _ss,
    _subdomain,
    _text,
    go_pointers,
    go_quote,
)
from kube_apiserver.apis.core.volumes import validate_csi_driver_name
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    immutable,
    invalid,
    not_supported,
    path,
    required,
    too_long,
)

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
    for i, req in enumerate(_ds(term, "matchLabelExpressions")):
        at, key, values = path(fld, "matchLabelExpressions", i), _s(req, "key"), _ss(req, "values")
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
    errs = validate_provisioner(_s(obj, "provisioner"), "provisioner")
    errs += validate_parameters(obj.get("parameters"), "parameters")
    reclaim = _s(obj, "reclaimPolicy")
    if reclaim and reclaim not in RECLAIM_POLICIES:
        errs.append(not_supported("reclaimPolicy", reclaim, RECLAIM_POLICIES))
    if obj.get("volumeBindingMode") is None:
        errs.append(required("volumeBindingMode"))
    elif _s(obj, "volumeBindingMode") not in BINDING_MODES:
        errs.append(not_supported("volumeBindingMode", _s(obj, "volumeBindingMode"), BINDING_MODES))
    return errs + _allowed_topologies(_ds(obj, "allowedTopologies"), "allowedTopologies")


def validate_storage_class_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_storage_class(new)
    if (new.get("parameters") or {}) != (old.get("parameters") or {}):
        errs.append(forbidden("parameters", "updates to parameters are forbidden."))
    if _s(new, "provisioner") != _s(old, "provisioner"):
        errs.append(forbidden("provisioner", "updates to provisioner are forbidden."))
    if _s(new, "reclaimPolicy") != _s(old, "reclaimPolicy"):
        errs.append(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."))
    if _s(new, "volumeBindingMode") != _s(old, "volumeBindingMode"):
        errs.append(immutable("volumeBindingMode", _s(new, "volumeBindingMode")))
    return errs


# ---------------------------------------------------------------- VolumeAttachment


def _go_attachment_spec(spec: dict) -> str:
    """%#v of the internal VolumeAttachmentSpec, the value an immutable spec is reported with."""
    source = go_pointers(
        "storage.VolumeAttachmentSource",
        _d(spec, "source"),
        [
            ("persistentVolumeName", "PersistentVolumeName", "string"),
            ("inlineVolumeSpec", "InlineVolumeSpec", "core.PersistentVolumeSpec"),
        ],
    )
    return (
        f"storage.VolumeAttachmentSpec{{Attacher:{go_quote(_s(spec, 'attacher'))}, "
        f"Source:{source}, NodeName:{go_quote(_s(spec, 'nodeName'))}}}"
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
    if has_pv and not _s(source, "persistentVolumeName"):
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
    code = _i(err, "errorCode")
    if code is not None and code < 0:
        errs.append(
            invalid(path(fld, "errorCode"), code, f"must be between 0 and {MAX_INT32}, inclusive")
        )
    return errs


def _attachment_status(status: dict) -> list[FieldError]:
    metadata = _d(status, "attachmentMetadata")
    size = sum(_byte_len(k) + _byte_len(v) for k, v in metadata.items())
    errs = (
        [too_long("status.attachmentMetadata", MAX_ATTACHMENT_METADATA_SIZE)]
        if size > MAX_ATTACHMENT_METADATA_SIZE
        else []
    )
    errs += _volume_error(status.get("attachError"), "status.attachError")
    return errs + _volume_error(status.get("detachError"), "status.detachError")


def _attachment(obj: dict) -> list[FieldError]:
    spec = _d(obj, "spec")
    errs = [] if _s(spec, "attacher") else [required("spec.attacher")]
    errs += _attachment_source(_d(spec, "source"), "spec.source")
    errs += _subdomain("spec.nodeName", _s(spec, "nodeName"))
    return errs + _attachment_status(_d(obj, "status"))


def validate_volume_attachment(obj: dict) -> list[FieldError]:
    """A new attachment: the rules every version shares, then v1's stricter names."""
    spec = _d(obj, "spec")
    errs = _attachment(obj) + validate_csi_driver_name(_s(spec, "attacher"), "spec.attacher")
    pv_name = _d(spec, "source").get("persistentVolumeName")
    if isinstance(pv_name, str):
        errs += _subdomain("spec.source.persistentVolumeName", pv_name)
    return errs


def validate_volume_attachment_update(new: dict, old: dict) -> list[FieldError]:
    """Updates (of the object or its status): the spec never changes."""
    errs = _attachment(new)
    if _d(new, "spec") != _d(old, "spec"):
        errs.append(_text("spec", _go_attachment_spec(_d(new, "spec")), "field is immutable"))
    return errs
