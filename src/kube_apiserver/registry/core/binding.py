"""Binding pods to nodes: `pods/binding` and the older `bindings` collection, as the scheduler
uses them (Kubernetes' BindingREST and LegacyBindingREST).

A binding sets spec.nodeName once — a pod already on a node, being deleted or still gated is a
Conflict on `pods/binding` — merges the binding's annotations into the pod and records the
PodScheduled condition. The binding's uid and resourceVersion, when given, are preconditions
on the pod. The answer is a Success Status.
"""

from __future__ import annotations

from typing import Any

import orjson

from kube_apiserver.admission.interface import CREATE, Attributes
from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.core import podsubresources
from kube_apiserver.apis.resource import Resource
from kube_apiserver.registry.core import podconditions
from kube_apiserver.registry.core.kubelet import unknown_error
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.registry.rest import Obj
from kube_apiserver.storage import interface as storage


def success(code: int = 201) -> Obj:
    """The Status a named create answers with when it made no object (code as the handler sets it)."""
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": code}


def check_namespace(obj: Obj, namespace: str) -> None:
    """A body naming another namespace than the URL is refused; an unnamed one takes the URL's."""
    meta = obj.setdefault("metadata", {})
    if meta.get("namespace") and meta["namespace"] != namespace:
        raise errors.bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    meta["namespace"] = namespace


class _Refused(Exception):
    """The pod cannot take this binding: a Conflict on pods/binding."""


async def bind(store: Store, namespace: str, name: str, binding: Obj, *, dry_run: bool) -> None:
    if not name:
        raise errors.bad_request("Name parameter required.")
    meta = binding.get("metadata") or {}
    target = str((binding.get("target") or {}).get("name", ""))
    annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
    pre = None
    if meta.get("uid") or meta.get("resourceVersion"):
        pre = storage.Preconditions(
            uid=meta.get("uid") or None, resource_version=meta.get("resourceVersion") or None
        )

    def assign(current: storage.StoredObject) -> Obj:
        pod = orjson.loads(current.data)
        pod_meta, spec = pod["metadata"], pod.setdefault("spec", {})
        if pod_meta.get("deletionTimestamp"):
            raise _Refused(f"pod {name} is being deleted, cannot be assigned to a host")
        if spec.get("nodeName"):
            raise _Refused(f'pod {name} is already assigned to node "{spec["nodeName"]}"')
        if spec.get("schedulingGates"):
            raise _Refused(f"pod {name} has non-empty .spec.schedulingGates")
        spec["nodeName"] = target
        if annotations:
            pod_meta["annotations"] = {**(pod_meta.get("annotations") or {}), **annotations}
        podconditions.set_condition(pod, podconditions.condition("PodScheduled", "True"))
        return pod

    key = store.key(namespace, name)
    try:
        if dry_run:
            current = await store.cache.get(key)
            storage.check_preconditions(key, current, pre)
            assign(current)
            return

        async def update(current: storage.StoredObject) -> Obj:
            return assign(current)

        await store.cache.guaranteed_update(key, update, preconditions=pre)
    except storage.KeyNotFoundError:
        raise errors.not_found("pods", "", name) from None
    except storage.ConflictError as exc:
        raise errors.conflict("pods", "", name, str(exc)) from None
    except _Refused as exc:
        raise errors.conflict("pods/binding", "", name, str(exc)) from None


class BindingREST:
    """`pods/binding`: POST a Binding naming the pod."""

    verbs = ("create",)
    group, version, kind = "", "v1", "Binding"

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    async def create(
        self, store: Store, namespace: str, name: str, binding: Obj, *, user: Any, dry_run: bool
    ) -> Obj:
        check_namespace(binding, namespace)
        if name != (binding.get("metadata") or {}).get("name", ""):
            raise errors.bad_request("name in URL does not match name in Binding object")
        attrs = Attributes(
            CREATE, store.resource, namespace, name, binding, None, user, "binding", dry_run
        )
        await store.admission.admit(attrs)
        errs = podsubresources.validate_binding(binding)
        if errs:
            # Kubernetes returns these as a plain error list, hence a 500 without a reason.
            text = str(errs[0]) if len(errs) == 1 else "[" + ", ".join(map(str, errs)) + "]"
            raise unknown_error(text)
        await store.admission.validate(attrs)
        await bind(store, namespace, name, binding, dry_run=dry_run)
        return success()


class BindingsView:
    """The `bindings` collection: a Binding POSTed there binds the pod its metadata names."""

    strategy = None
    subresources: dict[str, Any] = {}

    def __init__(self, resource: Resource, pods: Store) -> None:
        self.resource = resource
        self.pods = pods

    async def create(
        self, namespace: str, binding: Obj, *, user: Any = None, dry_run: bool = False
    ) -> Obj:
        name = (binding.get("metadata") or {}).get("name", "")
        return await BindingREST(None).create(
            self.pods, namespace, name, binding, user=user, dry_run=dry_run
        )
