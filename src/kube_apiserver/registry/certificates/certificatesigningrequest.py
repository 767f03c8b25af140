"""CertificateSigningRequests: who asked, what was decided, what was issued.

On create the requesting user is recorded in the spec (whatever the client wrote there) and the
status starts empty. Afterwards the spec never changes: the main resource may change only
metadata, `approval` only the conditions (adding Approved or Denied), and `status` the
conditions other than Approved/Denied and the issued certificate. Signing itself is a
controller's job, not the API server's.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.certificates import printers, validation
from kube_apiserver.apis.certificates.fields import csr_fields
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.registry import rest
from kube_apiserver.registry.rest import Obj, Strategy
from kube_apiserver.registry.subresources import StatusREST

_REQUESTOR = ("username", "uid", "groups", "extra")
_OWN_KEYS = ("metadata", "status", "apiVersion", "kind")


def _any_name(name: str) -> list[str]:
    """Kubernetes does not care what a certificate request is called."""
    return []


def _conditions(obj: Obj) -> list[dict[str, Any]]:
    status = obj.get("status")
    conditions = status.get("conditions") if isinstance(status, dict) else None
    return [c for c in conditions if isinstance(c, dict)] if isinstance(conditions, list) else []


def _keep_all_but_status(new: Obj, old: Obj) -> None:
    """Everything except metadata and status stays as stored (the spec, above all)."""
    for key in [k for k in new if k not in _OWN_KEYS and k not in old]:
        del new[key]
    new.update({k: v for k, v in old.items() if k not in _OWN_KEYS})


def _stamp_conditions(new: Obj, old: Obj) -> None:
    """Fill unset condition times: now, or a transition time already stored for the same state."""
    now = rest.now_rfc3339()
    for condition in _conditions(new):
        condition.setdefault("lastUpdateTime", now)
        if condition.get("lastTransitionTime"):
            continue
        condition["lastTransitionTime"] = next(
            (
                c["lastTransitionTime"]
                for c in _conditions(old)
                if c.get("type") == condition.get("type")
                and c.get("status") == condition.get("status")
                and c.get("lastTransitionTime")
            ),
            now,
        )


class CSRStrategy(Strategy):
    name_rule = staticmethod(_any_name)
    table = printers.TABLES["certificatesigningrequests"]
    validator = staticmethod(validation.validate_csr)
    update_validator = staticmethod(validation.validate_csr_update)
    selectable_fields = ("spec.signerName",)

    def prepare_for_create(self, obj: Obj) -> None:
        # Users cannot create pre-approved (or pre-issued) requests.
        obj["status"] = {}

    def record_user(self, obj: Obj, user: UserInfo | None) -> None:
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            spec = obj["spec"] = {}
        for key in _REQUESTOR:
            spec.pop(key, None)
        if user is None:
            return
        spec["username"] = user.name
        if user.uid:
            spec["uid"] = user.uid
        if user.groups:
            spec["groups"] = list(user.groups)
        if user.extra:
            spec["extra"] = {key: list(values) for key, values in user.extra.items()}

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        _keep_all_but_status(new, old)
        new["status"] = old.get("status", {})

    def fields(self, obj: Obj) -> dict[str, str]:
        return csr_fields(obj)


class CSRStatusStrategy(rest.StatusStrategy):
    """`status`: conditions and the certificate; Approved/Denied stay as they were."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        _keep_all_but_status(new, old)
        new_conditions, old_conditions = _conditions(new), _conditions(old)
        for kind in (validation.APPROVED, validation.DENIED):
            new_at = [i for i, c in enumerate(new_conditions) if c.get("type") == kind]
            old_at = [i for i, c in enumerate(old_conditions) if c.get("type") == kind]
            # Added or removed ones are left for validation to refuse.
            if len(new_at) == len(old_at):
                for i, j in zip(new_at, old_at, strict=True):
                    new_conditions[i].clear()
                    new_conditions[i].update(old_conditions[j])
        _stamp_conditions(new, old)

    def validate_update(self, new: Obj, old: Obj) -> list:
        return validation.validate_csr_status_update(new, old)


class CSRApprovalStrategy(rest.StatusStrategy):
    """`approval`: only the conditions change."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        _stamp_conditions(new, old)
        status = new.get("status")
        conditions = status.get("conditions") if isinstance(status, dict) else None
        _keep_all_but_status(new, old)
        new["status"] = {k: v for k, v in (old.get("status") or {}).items() if k != "conditions"}
        if conditions:
            new["status"]["conditions"] = conditions

    def validate_update(self, new: Obj, old: Obj) -> list:
        return validation.validate_csr_approval_update(new, old)


class ApprovalREST(StatusREST):
    """`certificatesigningrequests/approval`: where requests are approved or denied."""

    subresource = "approval"

    def __init__(self, parent: Strategy) -> None:
        super().__init__(parent, CSRApprovalStrategy(parent))


def status_rest(parent: Strategy) -> StatusREST:
    return StatusREST(parent, CSRStatusStrategy(parent))
