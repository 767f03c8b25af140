"""Namespaces: cluster-scoped, named as DNS labels, deleted in two steps.

Deleting a namespace marks it Terminating; it goes away once its spec.finalizers are
emptied (through `namespaces/finalize`, by the namespace controller) and no
metadata.finalizers remain.
"""

from __future__ import annotations

from kube_apiserver.apis.core import defaults, printers, validation
from kube_apiserver.apis.meta import validation as meta_validation
from kube_apiserver.registry import rest
from kube_apiserver.registry.core.simple import CoreStrategy
from kube_apiserver.registry.rest import Obj
from kube_apiserver.registry.subresources import StatusREST


class NamespaceStrategy(CoreStrategy):
    name_rule = staticmethod(meta_validation.dns1123_label_errors)
    table = printers.TABLES["namespaces"]
    defaulter = staticmethod(defaults.default_namespace)
    validator = staticmethod(validation.validate_namespace)
    update_validator = staticmethod(validation.validate_namespace_update)
    status_update_validator = staticmethod(validation.validate_namespace_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"phase": "Active"}

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        new["status"] = old.get("status", {})
        # spec.finalizers change only through /finalize.
        new["spec"] = {
            **new.get("spec", {}),
            "finalizers": (old.get("spec") or {}).get("finalizers", []),
        }
        if "finalizers" not in (old.get("spec") or {}):
            new["spec"].pop("finalizers")

    def mark_terminating(self, obj: Obj) -> None:
        obj.setdefault("status", {})["phase"] = "Terminating"

    def blocks_deletion(self, obj: Obj) -> bool:
        return bool((obj.get("spec") or {}).get("finalizers"))


class FinalizeStrategy(rest.StatusStrategy):
    """`namespaces/finalize`: only spec.finalizers may change."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        finalizers = (new.get("spec") or {}).get("finalizers", [])
        for key in list(new):
            if key not in ("metadata", "apiVersion", "kind"):
                del new[key]
        new.update({k: v for k, v in old.items() if k not in ("metadata", "apiVersion", "kind")})
        new["spec"] = {**(old.get("spec") or {}), "finalizers": finalizers}
        new["metadata"] = {
            **old.get("metadata", {}),
            "resourceVersion": new.get("metadata", {}).get("resourceVersion"),
        }

    def validate_update(self, new: Obj, old: Obj):
        return []


class FinalizeREST(StatusREST):
    """`namespaces/finalize`: PUT only, and only spec.finalizers change."""

    verbs = ("update",)
    subresource = "finalize"

    def __init__(self, parent: NamespaceStrategy) -> None:
        super().__init__(parent, FinalizeStrategy(parent))
