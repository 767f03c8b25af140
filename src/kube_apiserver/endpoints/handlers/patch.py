"""PATCH: JSON patch, merge patch or strategic merge patch, applied to the current object."""

from __future__ import annotations

import logging
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apimachinery import patch as patching
from kube_apiserver.endpoints import encoding, negotiation, responses
from kube_apiserver.endpoints.handlers.common import (
    Binding,
    check_kind,
    dry_run,
    field_validation,
    schema_check,
    warning_headers,
)
from kube_apiserver.endpoints.request import Request
from kube_apiserver.openapi import definitions

log = logging.getLogger(__name__)


async def patch(req: Request, send: Any, binding: Binding, out: negotiation.Output) -> None:
    info = req.info
    content_type = (req.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type not in patching.PATCH_TYPES or content_type == "application/apply-patch+yaml":
        raise errors.unsupported_media_type(content_type, patching.PATCH_TYPES)
    body = await req.body()
    mode = field_validation(req)
    is_dry_run = dry_run(req)
    warnings: list[str] = []
    sub = binding.subresources.get(info.subresource) if info.subresource else None
    group, version, kind = (
        (sub.group, sub.version, sub.kind)
        if sub
        else (binding.resource.group, binding.resource.version, binding.resource.kind)
    )
    schema = definitions.schema_for_gvk(group, version, kind)

    async def patched(current: dict) -> dict:
        try:
            new = patching.apply_patch(content_type, current, body, schema)
        except patching.PatchError as exc:
            raise _patch_status(exc) from None
        new = check_kind(new, group=group, version=version, kind=kind)
        warnings.clear()
        return schema_check(new, mode, group=group, version=version, kind=kind, warnings=warnings)

    if sub is not None:
        result = await sub.update(
            binding.store, info.namespace, info.name, patched, user=req.user, dry_run=is_dry_run
        )
        strategy = getattr(sub, "strategy", binding.store.strategy)
    else:
        result, _ = await binding.store.update(
            info.namespace,
            info.name,
            patched,
            user=req.user,
            dry_run=is_dry_run,
            allow_create=False,
        )
        strategy = binding.store.strategy
    data = encoding.object_body(result, out, strategy=strategy, query=req.query)
    await responses.send_bytes(send, 200, data, out.media, warning_headers(warnings))


_REASONS = {
    400: "BadRequest",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "Invalid",
}


def _patch_status(exc: patching.PatchError) -> errors.StatusError:
    """Patch failures carry kube-apiserver's code: 400, 413, 415, 422, or 500 for the rest."""
    if exc.code == 500:
        return errors.internal(exc.message)
    if exc.code == 422:
        # Kubernetes answers these with only its generic 422 text; the detail is logged.
        log.info("patch refused: %s", exc.message)
        return errors.StatusError(
            422, "Invalid", "the server rejected our request due to an error in our request"
        )
    return errors.StatusError(exc.code, _REASONS.get(exc.code, "BadRequest"), exc.message)
