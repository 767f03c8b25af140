"""Encoding objects and lists for a negotiated `Output`.

JSON is the hot path: a stored object's bytes are sent as they are, and a list is its items'
bytes joined, with no decode or re-encode. Tables, partial metadata and YAML are built on
demand.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta import table as tables
from kube_apiserver.apis.resource import Resource
from kube_apiserver.endpoints.negotiation import JSON, Output, encode
from kube_apiserver.storage.interface import StoredObject

Obj = dict[str, Any]


def partial_metadata(obj: Obj, version: str = "v1") -> Obj:
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": f"meta.k8s.io/{version}",
        "metadata": obj.get("metadata", {}),
    }


def include_object(query: dict[str, list[str]]) -> str:
    values = query.get("includeObject")
    if not values or not values[0]:
        return "Metadata"
    if values[0] not in tables.INCLUDE_OBJECT_VALUES:
        raise errors.bad_request(
            f'includeObject: Unsupported value: "{values[0]}": supported values: "Metadata", "None", "Object"'
        )
    return values[0]


def table_def(strategy: Any) -> tables.TableDef:
    return getattr(strategy, "table", None) or tables.DEFAULT_TABLE


def object_body(
    item: StoredObject | Obj, out: Output, *, strategy: Any, query: dict[str, list[str]]
) -> bytes:
    obj = item.obj if isinstance(item, StoredObject) else item
    if out.as_kind == "Table":
        meta = {"resourceVersion": (obj.get("metadata") or {}).get("resourceVersion", "")}
        table = tables.build_table(
            table_def(strategy),
            [obj],
            datetime.now(UTC),
            include_object=include_object(query),
            list_meta=meta,
        )
        return encode(table, out.media)
    if out.as_kind == "PartialObjectMetadata":
        return encode(partial_metadata(obj, out.as_version), out.media)
    if out.media == JSON and isinstance(item, StoredObject):
        return item.data
    return encode(obj, out.media)


def list_body(
    resource: Resource,
    items: list[StoredObject] | list[Obj],
    revision: int,
    continue_token: str,
    out: Output,
    *,
    strategy: Any,
    query: dict[str, list[str]],
    kind: str = "",
    api_version: str = "",
    remaining: int | None = None,
) -> bytes:
    meta: Obj = {"resourceVersion": str(revision)}
    if continue_token:
        meta["continue"] = continue_token
        if remaining is not None:
            meta["remainingItemCount"] = remaining
    objs = [i.obj if isinstance(i, StoredObject) else i for i in items]
    if out.as_kind == "Table":
        table = tables.build_table(
            table_def(strategy),
            objs,
            datetime.now(UTC),
            include_object=include_object(query),
            list_meta=meta,
        )
        return encode(table, out.media)
    if out.as_kind in ("PartialObjectMetadataList", "PartialObjectMetadata"):
        body = {
            "kind": "PartialObjectMetadataList",
            "apiVersion": f"meta.k8s.io/{out.as_version}",
            "metadata": meta,
            "items": [partial_metadata(o, out.as_version) for o in objs],
        }
        return encode(body, out.media)
    kind = kind or resource.kind + "List"
    api_version = api_version or resource.api_version
    if out.media == JSON and all(isinstance(i, StoredObject) for i in items):
        head = orjson.dumps({"kind": kind, "apiVersion": api_version, "metadata": meta})
        type_meta = (
            b'{"kind":"'
            + resource.kind.encode()
            + b'","apiVersion":"'
            + resource.api_version.encode()
            + b'",'
        )
        return (
            head[:-1]
            + b',"items":['
            + b",".join(_without_type_meta(i, type_meta) for i in items)
            + b"]}"
        )  # type: ignore[arg-type]
    items_out = [{k: v for k, v in o.items() if k not in ("kind", "apiVersion")} for o in objs]
    return encode(
        {"kind": kind, "apiVersion": api_version, "metadata": meta, "items": items_out}, out.media
    )


def _without_type_meta(item: StoredObject, type_meta: bytes) -> bytes:
    """An item's bytes without kind/apiVersion, as list items are served: stored encodings
    begin with them, so this is a slice; anything else is re-encoded."""
    data = item.data
    if data.startswith(type_meta):
        return b"{" + data[len(type_meta) :]
    return orjson.dumps({k: v for k, v in item.obj.items() if k not in ("kind", "apiVersion")})
