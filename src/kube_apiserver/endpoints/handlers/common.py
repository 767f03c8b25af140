"""What every verb handler shares: query options, dry run, the decode pipeline, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kube_apiserver.apimachinery import decode as schema_decode
from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta import field as fe
from kube_apiserver.apis.meta import fields as field_selectors
from kube_apiserver.apis.meta import labels as label_selectors
from kube_apiserver.apis.resource import Resource
from kube_apiserver.endpoints import negotiation
from kube_apiserver.endpoints.request import Request
from kube_apiserver.openapi import definitions
from kube_apiserver.registry.generic.store import ListOptions, Store

Obj = dict[str, Any]
FIELD_VALIDATION = ("Ignore", "Warn", "Strict")


@dataclass
class Binding:
    """A served resource: its store, and the subresources hanging off it."""

    resource: Resource
    store: Store
    subresources: dict[str, Any] = field(default_factory=dict)


def dry_run(req: Request) -> bool:
    values = req.query.get("dryRun", [])
    for value in values:
        if value != "All":
            raise errors.bad_request(f'Invalid dry run value: "{value}": supported values: "All"')
    return bool(values)


def int_param(req: Request, name: str) -> int | None:
    raw = req.param(name)
    if raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise errors.bad_request(f'invalid value for {name}: "{raw}"') from None


def list_options(req: Request) -> ListOptions:
    opts = ListOptions()
    try:
        if req.param("labelSelector"):
            opts.label_selector = label_selectors.parse_label_selector(req.param("labelSelector"))
        if req.param("fieldSelector"):
            opts.field_selector = field_selectors.parse_field_selector(req.param("fieldSelector"))
    except label_selectors.SelectorError as exc:
        raise errors.bad_request(str(exc)) from None
    except field_selectors.SelectorError as exc:
        raise errors.bad_request(str(exc)) from None
    if req.has("resourceVersion"):
        opts.resource_version = req.param("resourceVersion")
    opts.resource_version_match = req.param("resourceVersionMatch")
    opts.limit = max(int_param(req, "limit") or 0, 0)
    opts.continue_token = req.param("continue")
    if req.has("sendInitialEvents"):
        opts.send_initial_events = req.flag("sendInitialEvents")
    return opts


_OPTIONS_KIND = {"POST": "CreateOptions", "PUT": "UpdateOptions", "PATCH": "PatchOptions"}


def field_validation(req: Request) -> str:
    mode = req.param("fieldValidation") or "Warn"
    if mode not in FIELD_VALIDATION:
        raise errors.invalid(
            _OPTIONS_KIND.get(req.method, "CreateOptions"),
            "meta.k8s.io",
            "",
            [fe.not_supported("fieldValidation", mode, ["", *sorted(FIELD_VALIDATION)])],
        )
    return mode


def check_kind(obj: Any, *, group: str, version: str, kind: str) -> Obj:
    """Fill a missing apiVersion/kind from the URL; refuse a body of another kind."""
    if not isinstance(obj, dict):
        raise errors.bad_request(
            f"Object 'Kind' is missing in '{negotiation.encode(obj, negotiation.JSON).decode()}'"
        )
    expected = f"{group}/{version}" if group else version
    api_version = obj.get("apiVersion") or expected
    body_kind = obj.get("kind") or kind
    if api_version != expected and api_version.rpartition("/")[0] == group:
        # Another version of the same group: Kubernetes knows it, and says so.
        raise errors.bad_request(
            f"the API version in the data ({api_version}) does not match the expected API version ({expected})"
        )
    if api_version != expected:
        raise errors.bad_request(
            f'{kind} in version "{version}" cannot be handled as a {kind}: '
            f'no kind "{body_kind}" is registered for version "{api_version}"'
        )
    if body_kind != kind:
        raise errors.bad_request(
            f'{body_kind} in version "{version}" cannot be handled as a {kind}: '
            f"converting ({body_kind}) to ({kind}): unknown conversion"
        )
    # kind and apiVersion lead the object, so that stored encodings start with them.
    obj.pop("kind", None)
    obj.pop("apiVersion", None)
    return {"kind": kind, "apiVersion": expected, **obj}


def schema_check(
    obj: Obj,
    mode: str,
    *,
    group: str,
    version: str,
    kind: str,
    warnings: list[str],
    body: bool = False,
) -> Obj:
    """Drop unknown fields (reporting them per fieldValidation) and refuse wrong types.

    `body` marks a request body being decoded, whose errors Kubernetes words as
    `<Kind> in version "<v>" cannot be handled as a <Kind>: ...`.
    """
    schema = definitions.schema_for_gvk(group, version, kind)
    if schema is None:
        return obj
    result = schema_decode.decode_object(obj, schema)
    prefix = f'{kind} in version "{version}" cannot be handled as a {kind}: ' if body else ""
    if result.errors:
        raise errors.bad_request(
            prefix + (result.errors[0] if len(result.errors) == 1 else "; ".join(result.errors))
        )
    if result.unknown:
        if mode == "Strict":
            raise errors.bad_request(prefix + schema_decode.unknown_fields_message(result.unknown))
        if mode == "Warn":
            warnings.extend(schema_decode.warning_header_values(result.unknown))
    return result.obj


async def read_object(
    req: Request, *, group: str, version: str, kind: str, warnings: list[str]
) -> Obj:
    body = await req.body()
    obj = negotiation.decode(body, req.headers.get("content-type"), kind)
    obj = check_kind(obj, group=group, version=version, kind=kind)
    return schema_check(
        obj,
        field_validation(req),
        group=group,
        version=version,
        kind=kind,
        warnings=warnings,
        body=True,
    )


def warning_headers(warnings: list[str]) -> list[tuple[bytes, bytes]]:
    return [(b"warning", w.encode()) for w in warnings]
