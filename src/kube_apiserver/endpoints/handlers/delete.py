"""DELETE of one object, and of a collection (deletecollection)."""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.endpoints import encoding, negotiation, responses
from kube_apiserver.endpoints.handlers.common import Binding, dry_run, int_param, list_options
from kube_apiserver.endpoints.request import Request
from kube_apiserver.registry.generic.store import DeleteOptions
from kube_apiserver.storage.interface import Preconditions


async def delete_options(req: Request) -> DeleteOptions:
    opts = DeleteOptions(dry_run=dry_run(req))
    body = await req.body()
    if body.strip():
        data = negotiation.decode(body, req.headers.get("content-type"))
        if not isinstance(data, dict):
            raise errors.bad_request("DeleteOptions must be an object")
        opts.grace_period_seconds = data.get("gracePeriodSeconds")
        opts.propagation_policy = data.get("propagationPolicy")
        if data.get("orphanDependents") is True and opts.propagation_policy is None:
            opts.propagation_policy = "Orphan"
        pre = data.get("preconditions") or {}
        if pre:
            opts.preconditions = Preconditions(
                uid=pre.get("uid"), resource_version=pre.get("resourceVersion")
            )
        if "All" in (data.get("dryRun") or []):
            opts.dry_run = True
    grace = int_param(req, "gracePeriodSeconds")
    if grace is not None:
        opts.grace_period_seconds = grace
    if req.param("propagationPolicy"):
        opts.propagation_policy = req.param("propagationPolicy")
    return opts


def success_status(binding: Binding, obj: dict) -> dict:
    meta = obj.get("metadata") or {}
    details: dict[str, Any] = {"name": meta.get("name", "")}
    if binding.resource.group:
        details["group"] = binding.resource.group
    details["kind"] = binding.resource.name
    details["uid"] = meta.get("uid", "")
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": details,
    }


async def delete(req: Request, send: Any, binding: Binding, out: negotiation.Output) -> None:
    opts = await delete_options(req)
    result = await binding.store.delete(req.info.namespace, req.info.name, opts, user=req.user)
    # 200 whether the object is gone or now waits for finalizers or its grace period, as
    # kube-apiserver answers (202 only for the long-deprecated orphanDependents=false).
    code = 200
    if result.deleted and not binding.store.strategy.return_deleted_object:
        await responses.send_bytes(
            send,
            code,
            negotiation.encode(success_status(binding, result.obj), out.media),
            out.media,
        )
        return
    body = encoding.object_body(result.obj, out, strategy=binding.store.strategy, query=req.query)
    await responses.send_bytes(send, code, body, out.media)


async def delete_collection(
    req: Request, send: Any, binding: Binding, out: negotiation.Output
) -> None:
    opts = await delete_options(req)
    store = binding.store
    page = await store.list(req.info.namespace, list_options(req))
    deleted = []
    for item in page.items:
        meta = item.obj["metadata"]
        try:
            result = await store.delete(
                meta.get("namespace", ""), meta["name"], opts, user=req.user
            )
        except errors.StatusError as exc:
            if exc.code == 404:
                continue
            raise
        deleted.append(result.obj)
    body = encoding.list_body(
        binding.resource,
        deleted,
        page.resource_version,
        "",
        out,
        strategy=store.strategy,
        query=req.query,
    )
    await responses.send_bytes(send, 200, body, out.media)
