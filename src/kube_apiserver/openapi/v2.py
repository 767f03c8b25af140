"""The Swagger 2.0 document served at /openapi/v2: the whole API in one document.

Older clients and `kubectl explain --output=plaintext-openapiv2` read it, and kubectl falls back
to it when /openapi/v3 cannot answer. Same paths and operations as the v3 documents (both are
rendered from `builder`), in Swagger's shape: `consumes`/`produces` lists, the request body as an
`in: body` parameter, one schema per response, refs under `#/definitions/` with no allOf wrapping.
client-go fetches it only as gnostic protobuf, so `to_protobuf` encodes the same document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from kube_apiserver.apis.resource import Resource
from kube_apiserver.openapi import builder
from kube_apiserver.openapi.builder import Operation, Param, PathItem
from kube_apiserver.openapi.v3 import SECURITY_SCHEMES, document_keys, paths_for
from kube_apiserver.version import KUBERNETES_VERSION


def document(resources: Sequence[Resource]) -> dict[str, Any]:
    """The Swagger 2.0 document for every served path, with every schema they reference."""
    paths: list[PathItem] = []
    for key in document_keys(resources):
        paths += paths_for(key, resources)
    definitions = {
        name: builder.openapi_schema(name, v3=False)
        for name in builder.closure(builder.refs(paths))
    }
    return {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": KUBERNETES_VERSION},
        "paths": {item.path: _path_item(item) for item in paths},
        "definitions": definitions,
        "securityDefinitions": SECURITY_SCHEMES,
        "security": [{"BearerToken": []}],
    }


def _path_item(item: PathItem) -> dict[str, Any]:
    out: dict[str, Any] = {op.method: _operation(op) for op in item.operations}
    if item.params:
        out["parameters"] = [_parameter(p) for p in item.params]
    return out


def _parameter(param: Param) -> dict[str, Any]:
    out: dict[str, Any] = {
        "description": param.description,
        "in": param.location,
        "name": param.name,
        "type": param.type,
        "uniqueItems": True,
    }
    if param.required:
        out["required"] = True
    return out


def _operation(op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {
        code: {"description": text, "schema": {"$ref": builder.V2_REF + name}}
        for code, text, name in op.responses
    }
    responses["401"] = {"description": "Unauthorized"}
    params = [_parameter(p) for p in op.params]
    if op.body:
        schema = {"$ref": builder.V2_REF + op.body}
        body: dict[str, Any] = {"in": "body", "name": "body", "schema": schema}
        if op.body_required:
            body["required"] = True
        params.insert(0, body)
    out: dict[str, Any] = {
        "consumes": list(op.consumes),
        "description": op.description,
        "operationId": op.operation_id,
        "produces": list(op.produces),
        "responses": responses,
        "schemes": ["https"],
        "tags": [op.tag],
    }
    if params:
        out["parameters"] = params
    out.update(builder.extensions(op))
    return out


# ---- protobuf ------------------------------------------------------------------------------
# client-go asks for /openapi/v2 only as protobuf (gnostic's openapi.v2.Document) and cannot read
# JSON there, so kubectl's v2 paths (explain --output=plaintext-openapiv2, the fallback when v3
# fails) need this encoding. The encoder covers exactly the shapes `document` produces; field
# numbers are those of gnostic's OpenAPIv2.proto. Extension values travel as YAML text, and JSON
# text is valid YAML, so they are written as JSON.

PROTOBUF_MEDIA_TYPE = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"


def _varint(n: int) -> bytes:
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _msg(number: int, payload: bytes) -> bytes:
    """A length-delimited field: a sub-message, string or bytes (written even when empty)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _str(number: int, text: str) -> bytes:
    return _msg(number, text.encode()) if text else b""


def _bool(number: int, value: bool) -> bytes:
    return _varint(number << 3) + b"\x01" if value else b""


def _strings(number: int, texts: Iterable[str]) -> bytes:
    return b"".join(_msg(number, t.encode()) for t in texts)


def _named(number: int, name: str, value: bytes) -> bytes:
    return _msg(number, _str(1, name) + _msg(2, value))


def _extensions(number: int, node: dict[str, Any]) -> bytes:
    return b"".join(
        _named(number, key, _str(2, orjson.dumps(value).decode()))  # Any.yaml
        for key, value in sorted(node.items())
        if key.startswith("x-")
    )


def _schema_pb(s: dict[str, Any]) -> bytes:
    out = _str(1, s.get("$ref", "")) + _str(2, s.get("format", ""))
    out += _str(4, s.get("description", ""))
    out += _strings(19, s.get("required", ()))
    extra = s.get("additionalProperties")
    if isinstance(extra, dict):
        out += _msg(21, _msg(1, _schema_pb(extra)))
    elif isinstance(extra, bool):
        out += _msg(21, _varint(2 << 3) + _varint(int(extra)))  # oneof: written even if false
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        out += _msg(22, _strings(1, types))
    if "items" in s:
        out += _msg(23, _msg(1, _schema_pb(s["items"])))
    if "properties" in s:
        out += _msg(25, b"".join(_named(1, k, _schema_pb(v)) for k, v in s["properties"].items()))
    return out + _extensions(31, s)


def _parameter_pb(p: dict[str, Any]) -> bytes:
    if p["in"] == "body":
        body = _str(2, p["name"]) + _str(3, "body") + _bool(4, p.get("required", False))
        return _msg(1, _msg(1, body + _msg(5, _schema_pb(p["schema"]))))
    head = _bool(1, p.get("required", False)) + _str(2, p["in"]) + _str(3, p["description"])
    head += _str(4, p["name"])
    if p["in"] == "path":  # PathParameterSubSchema
        sub = _msg(4, head + _str(5, p["type"]) + _bool(19, p["uniqueItems"]))
    else:  # QueryParameterSubSchema
        sub = _msg(3, head + _str(6, p["type"]) + _bool(20, p["uniqueItems"]))
    return _msg(1, _msg(2, sub))


def _operation_pb(op: dict[str, Any]) -> bytes:
    out = _strings(1, op["tags"]) + _str(3, op["description"]) + _str(5, op["operationId"])
    out += _strings(6, op["produces"]) + _strings(7, op["consumes"])
    out += b"".join(_msg(8, _parameter_pb(p)) for p in op.get("parameters", ()))
    codes = b""
    for code, response in op["responses"].items():
        body = _str(1, response["description"])
        if "schema" in response:
            body += _msg(2, _msg(1, _schema_pb(response["schema"])))
        codes += _named(1, code, _msg(1, body))
    out += _msg(9, codes) + _strings(10, op["schemes"])
    return out + _extensions(13, op)


_METHOD_FIELDS = {"get": 2, "put": 3, "post": 4, "delete": 5, "patch": 8}


def to_protobuf(doc: dict[str, Any]) -> bytes:
    """The Swagger 2.0 document from `document`, as a gnostic openapi.v2.Document message."""
    paths = b""
    for path, item in doc["paths"].items():
        body = b"".join(
            _msg(_METHOD_FIELDS[m], _operation_pb(item[m])) for m in _METHOD_FIELDS if m in item
        )
        body += b"".join(_msg(9, _parameter_pb(p)) for p in item.get("parameters", ()))
        paths += _named(2, path, body)
    definitions = b"".join(_named(1, k, _schema_pb(v)) for k, v in doc["definitions"].items())
    info = _str(1, doc["info"]["title"]) + _str(2, doc["info"]["version"])
    security = b"".join(
        _msg(12, b"".join(_named(1, name, _strings(1, scopes)) for name, scopes in req.items()))
        for req in doc["security"]
    )
    schemes = b""
    for name, scheme in doc["securityDefinitions"].items():
        key = _str(1, scheme["type"]) + _str(2, scheme["name"]) + _str(3, scheme["in"])
        schemes += _named(1, name, _msg(2, key + _str(4, scheme["description"])))
    return (
        _str(1, doc["swagger"])
        + _msg(2, info)
        + _msg(8, paths)
        + _msg(9, definitions)
        + security
        + _msg(13, schemes)
    )
