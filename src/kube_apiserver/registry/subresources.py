"""Subresources served by every resource that has them: `status`, and `scale` for workloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.autoscaling import printers as autoscaling_printers
from kube_apiserver.apis.meta import field as fe
from kube_apiserver.apis.meta.table import selector_string
from kube_apiserver.registry import rest
from kube_apiserver.registry.generic.store import NewObjectFunc, Store
from kube_apiserver.storage.interface import StoredObject


class StatusREST:
    """GET returns the whole object; PUT/PATCH change only its status."""

    verbs = ("get", "patch", "update")
    subresource = "status"  # subclasses serving another part of the object rename it

    def __init__(self, parent: rest.Strategy, status_strategy: rest.Strategy | None = None) -> None:
        self.strategy = status_strategy or rest.StatusStrategy(parent)
        res = parent.resource
        self.group, self.version, self.kind = res.group, res.version, res.kind

    async def get(self, store: Store, namespace: str, name: str) -> StoredObject:
        return await store.get(namespace, name)

    async def update(
        self,
        store: Store,
        namespace: str,
        name: str,
        new_object: NewObjectFunc,
        *,
        user: Any,
        dry_run: bool,
    ) -> StoredObject | dict:
        result, _ = await store.update(
            namespace,
            name,
            new_object,
            strategy=self.strategy,
            subresource=self.subresource,
            user=user,
            dry_run=dry_run,
            allow_create=False,
        )
        return result


Obj = dict[str, Any]


def label_selector(obj: Obj) -> str:
    """A workload's spec.selector (a LabelSelector) as its Scale's status.selector."""
    return selector_string((obj.get("spec") or {}).get("selector"))


def to_scale(obj: Obj, selector: str) -> Obj:
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
        "status": {"replicas": status.get("replicas", 0), "selector": selector},
    }


class _ScaleStrategy:
    """What the handlers need of the scale subresource's strategy: the Scale table."""

    table = autoscaling_printers.SCALE


class ScaleREST:
    """`<workload>/scale`: read and set spec.replicas through an autoscaling/v1 Scale.

    `selector` renders the workload's selector as the Scale reports it: a LabelSelector for
    the apps kinds, a plain label map for ReplicationControllers."""

    verbs = ("get", "patch", "update")
    group, version, kind = "autoscaling", "v1", "Scale"
    strategy = _ScaleStrategy()

    def __init__(self, selector: Callable[[Obj], str] = label_selector) -> None:
        self.selector = selector

    def scale(self, obj: Obj) -> Obj:
        return to_scale(obj, self.selector(obj))

    async def get(self, store: Store, namespace: str, name: str) -> Obj:
        return self.scale((await store.get(namespace, name)).obj)

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
            scale = await new_object(self.scale(current))
            replicas = (scale.get("spec") or {}).get("replicas", 0)
            if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
                raise errors.invalid(
                    "Scale",
                    "autoscaling",
                    name,
                    [fe.invalid("spec.replicas", replicas, "must be greater than or equal to 0")],
                )
            current.setdefault("spec", {})["replicas"] = replicas
            # The Scale's resourceVersion is the workload's: a precondition for this write.
            rv = (scale.get("metadata") or {}).get("resourceVersion")
            current["metadata"]["resourceVersion"] = rv or current["metadata"].get(
                "resourceVersion"
            )
            return current

        result, _ = await store.update(
            namespace,
            name,
            apply,
            subresource="scale",
            user=user,
            dry_run=dry_run,
            allow_create=False,
        )
        return self.scale(result.obj if isinstance(result, StoredObject) else result)
