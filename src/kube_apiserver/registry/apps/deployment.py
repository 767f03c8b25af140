"""Deployments: generation counts spec changes; `status` and `scale` subresources."""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.apps import defaults, printers, validation
from kube_apiserver.apis.meta import field as fe
from kube_apiserver.apis.meta.table import selector_string
from kube_apiserver.registry.generic.store import NewObjectFunc, Store
from kube_apiserver.registry.rest import Obj, Strategy


class DeploymentStrategy(Strategy):
    table = printers.TABLES["deployments"]
    tracks_generation = True
    status_subresource = True
    defaulter = staticmethod(defaults.default_deployment)
    validator = staticmethod(validation.validate_deployment)
    update_validator = staticmethod(validation.validate_deployment_update)
    status_update_validator = staticmethod(validation.validate_deployment_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {}


def to_scale(obj: Obj) -> Obj:
    """The autoscaling/v1 Scale view of a workload."""
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            k: meta[k]
            for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if k in meta
        },
        "spec": {"replicas": spec.get("replicas", 0)},
        "status": {
            "replicas": status.get("replicas", 0),
            "selector": selector_string(spec.get("selector")),
        },
    }


class ScaleREST:
    """`<workload>/scale`: read and set spec.replicas through an autoscaling/v1 Scale."""

    verbs = ("get", "patch", "update")
    group, version, kind = "autoscaling", "v1", "Scale"

    async def get(self, store: Store, namespace: str, name: str) -> Obj:
        return to_scale((await store.get(namespace, name)).obj)

    async def update(
        self,
        store: Store,
        namespace: str,
        name: str,
        new_object: NewObjectFunc,
        *,
        user: Any,
        dry_run: bool,
    ) -> Obj:
        async def apply(current: Obj) -> Obj:
            scale = await new_object(to_scale(current))
            replicas = (scale.get("spec") or {}).get("replicas", 0)
            if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
                raise errors.invalid(
                    "Scale",
                    "autoscaling",
                    name,
                    [fe.invalid("spec.replicas", replicas, "must be greater than or equal to 0")],
                )
            current.setdefault("spec", {})["replicas"] = replicas
            rv = (scale.get("metadata") or {}).get("resourceVersion")
            current["metadata"]["resourceVersion"] = rv or current["metadata"].get(
                "resourceVersion"
            )
            return current

        result, _ = await store.update(
            namespace, name, apply, user=user, dry_run=dry_run, allow_create=False
        )
        return to_scale(result.obj if hasattr(result, "obj") else result)
