"""Validation of apiregistration.k8s.io/v1 APIServices, as the aggregator applies it in 1.33.

An APIService is named `<version>.<group>` (`v1.` for the legacy core group). A local one (no
`spec.service`) is served by kube-apiserver itself, so TLS settings make no sense on it; a
remote one needs a complete service reference. Only status conditions' values are checked
on status updates.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from kube_apiserver.apis.core.formats import _port_num_errors, dns1035_label_errors, go_quote
from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.field import FieldError
from kube_apiserver.apis.meta.validation import dns1123_subdomain_errors, path_segment_name_errors

CONDITION_STATUSES = ["True", "False", "Unknown"]
MAX_GROUP_PRIORITY = 20000
MAX_VERSION_PRIORITY = 1000


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _ca_bundle_size(value: Any) -> int:
    if not isinstance(value, str) or not value:
        return 0
    try:
        return len(base64.b64decode(value))
    except (binascii.Error, ValueError):
        return len(value)


def _name(obj: dict[str, Any]) -> list[FieldError]:
    spec = obj.get("spec") or {}
    name = (obj.get("metadata") or {}).get("name") or ""
    required = f"{spec.get('version') or ''}.{spec.get('group') or ''}"
    # The path-segment rule is the strategy's name rule; only a name passing it is compared.
    if not name or path_segment_name_errors(name) or name == required:
        return []
    detail = f'must be `spec.version+"."+spec.group`: {go_quote(required)}'
    return [field.invalid("metadata.name", name, detail)]


def _remote(spec: dict[str, Any], service: dict[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    if not service.get("namespace"):
        errs.append(field.required("spec.service.namespace"))
    if not service.get("name"):
        errs.append(field.required("spec.service.name"))
    port = _int(service.get("port"))
    if _port_num_errors(port):
        detail = "port is not valid: " + ", ".join(_port_num_errors(port))
        errs.append(field.invalid("spec.service.port", port, detail))
    if spec.get("insecureSkipTLSVerify") is True and _ca_bundle_size(spec.get("caBundle")):
        errs.append(
            field.invalid(
                "spec.insecureSkipTLSVerify", True, "may not be true if caBundle is present"
            )
        )
    return errs


def validate_apiservice(obj: dict[str, Any]) -> list[FieldError]:
    spec = obj.get("spec") or {}
    group, version = spec.get("group") or "", spec.get("version") or ""
    errs = _name(obj)
    if not group and version != "v1":
        detail = "only v1 may have an empty group and it better be legacy kube"
        errs.append(field.required("spec.group", detail))
    if group:
        errs += [field.invalid("spec.group", group, m) for m in dns1123_subdomain_errors(group)]
    errs += [field.invalid("spec.version", version, m) for m in dns1035_label_errors(version)]
    group_priority = _int(spec.get("groupPriorityMinimum"))
    if not 0 < group_priority <= MAX_GROUP_PRIORITY:
        detail = f"must be positive and less than {MAX_GROUP_PRIORITY}"
        errs.append(field.invalid("spec.groupPriorityMinimum", group_priority, detail))
    version_priority = _int(spec.get("versionPriority"))
    if not 0 < version_priority <= MAX_VERSION_PRIORITY:
        detail = f"must be positive and less than {MAX_VERSION_PRIORITY}"
        errs.append(field.invalid("spec.versionPriority", version_priority, detail))
    service = spec.get("service")
    if isinstance(service, dict):
        return errs + _remote(spec, service)
    ca_bundle = _ca_bundle_size(spec.get("caBundle"))
    if ca_bundle:
        detail = "local APIServices may not have a caBundle"
        errs.append(field.invalid("spec.caBundle", f"{ca_bundle} bytes", detail))
    if spec.get("insecureSkipTLSVerify") is True:
        detail = "local APIServices may not have insecureSkipTLSVerify"
        errs.append(field.invalid("spec.insecureSkipTLSVerify", True, detail))
    return errs


def validate_apiservice_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    return validate_apiservice(new)


def validate_apiservice_status_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, condition in enumerate((new.get("status") or {}).get("conditions") or []):
        status = (condition or {}).get("status") or ""
        if status not in CONDITION_STATUSES:
            at = field.path("status.conditions", i, "status")
            errs.append(field.not_supported(at, status, CONDITION_STATUSES))
    return errs
