"""Validation of certificates.k8s.io/v1 CertificateSigningRequests, as Kubernetes 1.33 does it.

A request must carry a PEM certificate request whose signature verifies, known and unique
usages, a well-formed signer name and at least ten minutes of validity. Status conditions and
the issued certificate are checked on every write, and which of them may change depends on the
path: the main resource changes neither, `approval` the Approved/Denied conditions, `status`
the certificate. Problems already present in the stored object are tolerated, as Kubernetes
does for compatibility with older data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kube_apiserver.apis.certificates import pem
from kube_apiserver.apis.core.formats import go_quote
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    path,
    required,
    too_long,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_int, get_str, get_strs
from kube_apiserver.apis.meta.validation import dns1123_label_errors, dns1123_subdomain_errors

LEGACY_UNKNOWN_SIGNER = "kubernetes.io/legacy-unknown"
USAGES = sorted(
    [
        "signing",
        "digital signature",
        "content commitment",
        "key encipherment",
        "key agreement",
        "data encipherment",
        "cert sign",
        "crl sign",
        "encipher only",
        "decipher only",
        "any",
        "server auth",
        "client auth",
        "code signing",
        "email protection",
        "s/mime",
        "ipsec end system",
        "ipsec tunnel",
        "ipsec user",
        "timestamping",
        "ocsp signing",
        "microsoft sgc",
        "netscape sgc",
    ]
)
APPROVED, DENIED, FAILED = "Approved", "Denied", "Failed"
_TRUE_ONLY = {APPROVED, DENIED, FAILED}
MIN_EXPIRATION_SECONDS = 600
MAX_DOMAIN = 253
MAX_SIGNER_NAME = MAX_DOMAIN + (253 + 63 + 1) + 1


@dataclass(frozen=True)
class Options:
    """What one write may do, and which old problems it may keep."""

    approval_conditions: bool = False  # add Approved/Denied (the approval subresource)
    certificate: bool = False  # set status.certificate (the status subresource)
    both_approved_and_denied: bool = False
    legacy_signer: bool = False
    duplicate_condition_types: bool = False
    empty_condition_type: bool = False
    arbitrary_certificate: bool = False
    unknown_usages: bool = False
    duplicate_usages: bool = False


def go_bytes(data: bytes | None) -> str:
    """%#v of a []byte, the value a bad request is reported with."""
    if data is None:
        return "[]byte(nil)"
    return "[]byte{" + ", ".join(f"0x{b:x}" for b in data) + "}"


def _condition_types(obj: dict) -> list[str]:
    return [get_str(c, "type") for c in get_dicts(get_dict(obj, "status"), "conditions")]


def _certificate(obj: dict) -> bytes:
    return pem.field_bytes(get_dict(obj, "status").get("certificate"))


def options(new: dict, old: dict | None, **allowed: bool) -> Options:
    """The options of a write: `allowed` from its path, tolerances from the stored object."""
    if old is None:
        return Options(**allowed)
    types = _condition_types(old)
    usages = get_strs(get_dict(old, "spec"), "usages")
    old_cert = _certificate(old)
    return Options(
        **allowed,
        both_approved_and_denied=APPROVED in types and DENIED in types,
        legacy_signer=get_str(get_dict(old, "spec"), "signerName") == LEGACY_UNKNOWN_SIGNER,
        duplicate_condition_types=len(set(types)) != len(types),
        empty_condition_type="" in types,
        arbitrary_certificate=_certificate(new) == old_cert
        or pem.certificate_error(old_cert) is not None,
        unknown_usages=any(u not in USAGES for u in usages),
        duplicate_usages=len(set(usages)) != len(usages),
    )


def signer_name_errors(name: str, fld: str) -> list[FieldError]:
    """Kubernetes' ValidateSignerName: `<domain>/<path>`, each within DNS limits."""
    if not name:
        return [required(fld)]
    segments = name.split("/")
    if len(segments) != 2:
        detail = "must be a fully qualified domain and path of the form 'example.com/signer-name'"
        return [invalid(fld, name, detail)]
    domain, signer_path = segments
    errs = [too_long(fld, MAX_DOMAIN)] if len(domain) > MAX_DOMAIN else []
    for label in domain.split("."):
        if msgs := dns1123_label_errors(label):
            errs += [invalid(fld, domain, f"validating label {go_quote(label)}: {m}") for m in msgs]
            break
    if len(domain.split(".")) < 2:
        detail = "should be a domain with at least two segments separated by dots"
        errs.append(invalid(fld, domain, detail))
    for label in signer_path.split("."):
        if msgs := dns1123_subdomain_errors(label):
            errs += [
                invalid(fld, signer_path, f"validating label {go_quote(label)}: {m}") for m in msgs
            ]
            break
    if len(name) > MAX_SIGNER_NAME:
        errs.append(too_long(fld, MAX_SIGNER_NAME))
    return errs


def _conditions(obj: dict, opts: Options) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    approved = denied = False
    for i, c in enumerate(get_dicts(get_dict(obj, "status"), "conditions")):
        at, kind, status = path("status.conditions", i), get_str(c, "type"), get_str(c, "status")
        if not kind and not opts.empty_condition_type:
            errs.append(required(path(at, "type")))
        allowed = ["True"] if kind in _TRUE_ONLY else ["False", "True", "Unknown"]
        if not status:
            errs.append(required(path(at, "status")))
        elif status not in allowed:
            errs.append(not_supported(path(at, "status"), status, allowed))
        if not opts.both_approved_and_denied:
            approved |= kind == APPROVED
            denied |= kind == DENIED
            if kind in (APPROVED, DENIED) and approved and denied:
                detail = "Approved and Denied conditions are mutually exclusive"
                errs.append(invalid(path(at, "type"), kind, detail))
        if not opts.duplicate_condition_types:
            if kind in seen:
                errs.append(duplicate(path(at, "type"), kind))
            seen.add(kind)
    return errs


def _request(obj: dict, opts: Options) -> list[FieldError]:
    spec = get_dict(obj, "spec")
    raw = spec.get("request")
    request = pem.field_bytes(raw)
    errs: list[FieldError] = []
    if (why := pem.request_error(request)) is not None:
        shown = go_bytes(None if raw is None else request)
        errs.append(
            FieldError("FieldValueInvalid", "spec.request", f"Invalid value: {shown}: {why}")
        )
    usages = get_strs(spec, "usages")
    if not usages:
        errs.append(required("spec.usages"))
    if not opts.unknown_usages:
        errs += [
            not_supported(path("spec.usages", i), u, USAGES)
            for i, u in enumerate(usages)
            if u not in USAGES
        ]
    if not opts.duplicate_usages:
        errs += [
            duplicate(path("spec.usages", i), u) for i, u in enumerate(usages) if u in usages[:i]
        ]
    signer = get_str(spec, "signerName")
    if not opts.legacy_signer and signer == LEGACY_UNKNOWN_SIGNER:
        detail = "the legacy signerName is not allowed via this API version"
        errs.append(invalid("spec.signerName", signer, detail))
    else:
        errs += signer_name_errors(signer, "spec.signerName")
    seconds = get_int(spec, "expirationSeconds")
    if seconds is not None and seconds < MIN_EXPIRATION_SECONDS:
        detail = "may not specify a duration less than 600 seconds (10 minutes)"
        errs.append(invalid("spec.expirationSeconds", seconds, detail))
    return errs


def _validate(obj: dict, opts: Options) -> list[FieldError]:
    errs = _request(obj, opts) + _conditions(obj, opts)
    if not opts.arbitrary_certificate:
        if (why := pem.certificate_error(_certificate(obj))) is not None:
            errs.append(invalid("status.certificate", "<certificate data>", why))
    return errs


def validate_csr(obj: dict) -> list[FieldError]:
    return _validate(obj, options(obj, None))


def _count(types: list[str], kind: str) -> int:
    return sum(1 for t in types if t == kind)


def validate_csr_update(new: dict, old: dict, **allowed: Any) -> list[FieldError]:
    """An update through the main resource; `approval_conditions` or `certificate` for the
    subresources that may change them."""
    opts = options(new, old, **allowed)
    errs = _validate(new, opts)
    new_types, old_types = _condition_types(new), _condition_types(old)
    for kind in (APPROVED, DENIED, FAILED):
        if _count(new_types, kind) < _count(old_types, kind):
            detail = f"updates may not remove a condition of type {go_quote(kind)}"
            errs.append(forbidden("status.conditions", detail))
    if not opts.approval_conditions:
        for kind in (APPROVED, DENIED):
            if _count(new_types, kind) > _count(old_types, kind):
                detail = f"updates may not add a condition of type {go_quote(kind)}"
                errs.append(forbidden("status.conditions", detail))
    if _certificate(new) != _certificate(old):
        if not opts.certificate:
            errs.append(forbidden("status.certificate", "updates may not set certificate content"))
        elif _certificate(old):
            detail = "updates may not modify existing certificate content"
            errs.append(forbidden("status.certificate", detail))
    return errs


def validate_csr_status_update(new: dict, old: dict) -> list[FieldError]:
    return validate_csr_update(new, old, certificate=True)


def validate_csr_approval_update(new: dict, old: dict) -> list[FieldError]:
    return validate_csr_update(new, old, approval_conditions=True)
