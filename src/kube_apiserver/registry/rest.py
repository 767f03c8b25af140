"""Strategies: what differs between resources, and the one place that orders it.

A resource adds a `Strategy` (defaulting, preparation, validation, selectable fields, table);
`before_create` and `before_update` run those hooks in Kubernetes' order, with the metadata
rules every resource shares, so no resource can get the order wrong.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kube_apiserver.admission.interface import Attributes as WriteAttributes
from kube_apiserver.apimachinery import errors, warning
from kube_apiserver.apis.meta import validation as meta_validation
from kube_apiserver.apis.meta.field import FieldError
from kube_apiserver.apis.meta.table import DEFAULT_TABLE, TableDef
from kube_apiserver.apis.resource import Resource
from kube_apiserver.authentication.user import UserInfo

Obj = dict[str, Any]
NameRule = Callable[[str], list[str]]

# Kubernetes' generated-name alphabet: no vowels, no look-alike characters.
_NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789"
_SYSTEM_META = (
    "uid",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "generation",
)
# ObjectMeta collections Kubernetes omits when empty (omitempty), so they never read back as {} or [].
_OMIT_EMPTY_META = ("labels", "annotations", "finalizers", "ownerReferences", "managedFields")


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Validator = Callable[[Obj], list[FieldError]]
UpdateValidator = Callable[[Obj, Obj], list[FieldError]]


class Strategy:
    """The hooks of one resource. Subclasses set the functions from apis/<group>/ that apply
    (as staticmethods) and override only what differs beyond them."""

    name_rule: NameRule = staticmethod(meta_validation.dns1123_subdomain_errors)
    defaulter: Callable[[Obj], None] | None = None
    validator: Validator | None = None
    update_validator: UpdateValidator | None = None
    status_update_validator: UpdateValidator | None = None
    # Accepted but questionable content, told to the client as warnings (duplicate ports).
    warner: Callable[[Obj], list[str]] | None = None
    # Status changes only through the status subresource: updates keep the stored status.
    status_subresource = False
    tracks_generation = False  # metadata.generation counts spec changes
    allow_create_on_update = False
    allow_unconditional_update = True
    return_deleted_object = False  # DELETE answers with the object rather than a Status
    # What a DELETE naming no propagationPolicy does to dependents (ReplicationControllers orphan).
    default_propagation_policy: str | None = None
    table: TableDef = DEFAULT_TABLE
    selectable_fields: tuple[str, ...] = ()

    def __init__(self, resource: Resource) -> None:
        self.resource = resource

    def attach(self, stores: dict[str, Any]) -> None:
        """Called once every store exists, keyed by `provider.store_key`, for strategies (or
        their subresources) that read other resources: evictions read PodDisruptionBudgets."""

    def attach_auth(self, authorizer: Any, tokens: Any) -> None:
        """Called once with the server's authorizer and service account token issuer, for
        strategies that check the requester's rights (RBAC escalation) or issue tokens."""

    async def authorize_write(self, attrs: WriteAttributes) -> None:
        """Raise a StatusError to refuse a create or update that authorization let through but
        the object itself forbids the requester (RBAC escalation prevention). Runs after
        mutating admission and before the object is prepared, as Kubernetes' policy-based
        storage wraps the store."""

    def default(self, obj: Obj) -> None:
        """Fill defaults in place (as decoding does in Kubernetes)."""
        if self.defaulter is not None:
            self.defaulter(obj)

    def prepare_for_create(self, obj: Obj) -> None:
        """Clear what a client may not set on create (status for most resources)."""

    def normalize(self, obj: Obj) -> None:
        """Rewrite a valid object into the form it is stored in, after validation (Kubernetes'
        Canonicalize): quantities a LimitRange or ResourceQuota was written with."""

    def record_user(self, obj: Obj, user: UserInfo | None) -> None:
        """Record the requesting user in objects that keep it (a CSR's requestor)."""

    def check_delete(self, name: str) -> None:
        """Raise to refuse deleting an object outright (the system PriorityClasses)."""

    def settle(self, namespace: str, name: str, revision: int | None) -> None:
        """A create or update of the object has ended, stored at `revision` or not at all
        (None: refused, failed or a dry run). Strategies that take values from a shared pool
        while preparing a write (a Service's cluster IPs and node ports) keep or give them back."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        """Carry over what a client may not change here (status on the main resource)."""
        if self.status_subresource:
            new["status"] = old.get("status", {})

    def validate(self, obj: Obj) -> list[FieldError]:
        return self.validator(obj) if self.validator is not None else []

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        if self.update_validator is not None:
            return self.update_validator(new, old)
        return self.validate(new)

    def validate_status_update(self, new: Obj, old: Obj) -> list[FieldError]:
        if self.status_update_validator is not None:
            return self.status_update_validator(new, old)
        return []

    def fields(self, obj: Obj) -> dict[str, str]:
        """The object's selectable fields for field selectors."""
        meta = obj.get("metadata") or {}
        out = {"metadata.name": meta.get("name", "")}
        if self.resource.namespaced:
            out["metadata.namespace"] = meta.get("namespace", "")
        return out

    def grace_period(self, obj: Obj, requested: int | None) -> int:
        """Seconds a deleted object lingers before it goes (pods on a node); 0 for most."""
        return 0

    def mark_terminating(self, obj: Obj) -> None:
        """Reflect a pending deletion in the object itself (a namespace's phase)."""

    def blocks_deletion(self, obj: Obj) -> bool:
        """Whether something besides metadata.finalizers holds a deleted object (namespaces)."""
        return False

    def allowed_fields(self) -> set[str]:
        base = (
            {"metadata.name", "metadata.namespace"}
            if self.resource.namespaced
            else {"metadata.name"}
        )
        return base | set(self.selectable_fields)


class StatusStrategy(Strategy):
    """The `status` subresource: only status (and some metadata) may change."""

    def __init__(self, parent: Strategy) -> None:
        super().__init__(parent.resource)
        self.parent = parent
        self.name_rule = parent.name_rule
        self.table = parent.table

    def default(self, obj: Obj) -> None:
        self.parent.default(obj)

    def normalize(self, obj: Obj) -> None:
        self.parent.normalize(obj)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        for key, value in old.items():
            if key not in ("status", "metadata"):
                new[key] = value
        for key in list(new):
            if key not in old and key not in ("status", "metadata", "apiVersion", "kind"):
                del new[key]
        # Labels, annotations and the rest of metadata stay as the main resource set them.
        new["metadata"] = {
            **old.get("metadata", {}),
            "resourceVersion": new.get("metadata", {}).get("resourceVersion"),
        }

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return self.parent.validate_status_update(new, old)


def generate_name(prefix: str) -> str:
    """`prefix` and five random characters, as Kubernetes' SimpleNameGenerator."""
    return prefix + "".join(secrets.choice(_NAME_CHARS) for _ in range(5))


def _meta(obj: Obj) -> Obj:
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = {}
        obj["metadata"] = meta
    return meta


def validate_meta(strategy: Strategy, obj: Obj) -> list[FieldError]:
    return meta_validation.validate_object_meta(
        obj.get("metadata") or {},
        namespaced=strategy.resource.namespaced,
        name_errors=strategy.name_rule,
    )


def raise_invalid(strategy: Strategy, obj: Obj, errs: list[FieldError]) -> None:
    if errs:
        name = (obj.get("metadata") or {}).get("name") or (obj.get("metadata") or {}).get(
            "generateName", ""
        )
        raise errors.invalid(strategy.resource.kind, strategy.resource.group, name, errs)


def canonicalize(strategy: Strategy, obj: Obj) -> None:
    """The stored form, in place: empty metadata collections dropped (as Kubernetes' encoding
    omits them) and kind and apiVersion first, so stored encodings start with them (list
    responses slice them off; see endpoints/encoding.py)."""
    strategy.normalize(obj)
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        for key in _OMIT_EMPTY_META:
            if key in meta and not meta[key]:
                del meta[key]
    res = strategy.resource
    rest = {k: v for k, v in obj.items() if k not in ("kind", "apiVersion")}
    obj.clear()
    obj["kind"] = res.kind
    obj["apiVersion"] = res.api_version
    obj.update(rest)


def before_create(
    strategy: Strategy, obj: Obj, *, namespace: str, user: UserInfo | None = None
) -> None:
    """Prepare and validate a new object in place; raises StatusError when it is invalid."""
    meta = _meta(obj)
    if meta.get("resourceVersion"):
        raise errors.internal("resourceVersion should not be set on objects to be created")
    if strategy.resource.namespaced:
        if meta.get("namespace") and namespace and meta["namespace"] != namespace:
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        if namespace:
            meta["namespace"] = namespace
    else:
        meta.pop("namespace", None)
    if not meta.get("name") and meta.get("generateName"):
        meta["name"] = generate_name(meta["generateName"])
    for key in _SYSTEM_META:
        meta.pop(key, None)
    meta["uid"] = str(uuid.uuid4())
    meta["creationTimestamp"] = now_rfc3339()
    strategy.default(obj)
    strategy.prepare_for_create(obj)
    strategy.record_user(obj, user)
    if strategy.tracks_generation:
        meta["generation"] = 1
    errs = validate_meta(strategy, obj) + strategy.validate(obj)
    raise_invalid(strategy, obj, errs)
    if strategy.warner is not None:
        for text in strategy.warner(obj):
            warning.add(text)
    canonicalize(strategy, obj)


def before_update(strategy: Strategy, new: Obj, old: Obj) -> None:
    """Prepare and validate an update in place; raises StatusError when it is invalid."""
    meta = _meta(new)
    old_meta = old.get("metadata") or {}
    if strategy.resource.namespaced and not meta.get("namespace"):
        meta["namespace"] = old_meta.get("namespace", "")
    # System fields are the server's: a client's copy of them is ignored, not an error.
    for key in _SYSTEM_META:
        if key in old_meta:
            meta[key] = old_meta[key]
        else:
            meta.pop(key, None)
    strategy.default(new)
    strategy.prepare_for_update(new, old)
    meta = new["metadata"]
    if strategy.tracks_generation and _spec_changed(new, old):
        meta["generation"] = old_meta.get("generation", 0) + 1
    errs = meta_validation.validate_object_meta_update(meta, old_meta) + strategy.validate_update(
        new, old
    )
    raise_invalid(strategy, new, errs)
    if strategy.warner is not None:
        known = set(strategy.warner(old))  # as Kubernetes: warn only of what the update brings
        for text in strategy.warner(new):
            if text not in known:
                warning.add(text)
    canonicalize(strategy, new)


def _spec_changed(new: Obj, old: Obj) -> bool:
    ignore = ("metadata", "status", "apiVersion", "kind")
    return {k: v for k, v in new.items() if k not in ignore} != {
        k: v for k, v in old.items() if k not in ignore
    }
