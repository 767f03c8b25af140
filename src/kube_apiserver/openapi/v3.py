"""The OpenAPI 3.0 documents served under /openapi/v3, one per discovery path.

kube-apiserver splits its OpenAPI 3 description by path: one document per group-version
("api/v1", "apis/apps/v1") holding that group-version's paths and exactly the schemas they reach,
plus small documents for "api", "apis", each "apis/<group>" and "version". kubectl reads the
group-version documents to learn whether PATCH takes `fieldValidation` (deciding between server-
and client-side validation), to find patch merge keys for client-side apply, and for `explain`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kube_apiserver.apis.resource import Resource
from kube_apiserver.openapi import builder
from kube_apiserver.openapi.builder import Operation, Param, PathItem
from kube_apiserver.version import KUBERNETES_VERSION

SECURITY_SCHEMES = {
    "BearerToken": {
        "description": "Bearer Token authentication",
        "in": "header",
        "name": "authorization",
        "type": "apiKey",
    }
}


def document_keys(resources: Iterable[Resource]) -> list[str]:
    """The index keys served for these resources: every group-version, every group, and the
    fixed "api", "apis" and "version" documents; sorted."""
    keys = {"api", "apis", "version"}
    for r in resources:
        if r.group:
            keys.update((f"apis/{r.group}", f"apis/{r.group}/{r.version}"))
        else:
            keys.add(f"api/{r.version}")
    return sorted(keys)


def paths_for(key: str, resources: Sequence[Resource]) -> list[PathItem]:
    """The paths one document describes, by its index key."""
    parts = key.split("/")
    if key in ("api", "apis", "version") or (parts[0] == "apis" and len(parts) == 2):
        return builder.root_paths(key)
    group, version = ("", parts[1]) if parts[0] == "api" else (parts[1], parts[2])
    paths = builder.discovery_paths(group, version)
    for r in resources:
        if r.group == group and r.version == version:
            paths += builder.resource_paths(r)
    return paths


def document(paths: Sequence[PathItem]) -> dict[str, Any]:
    """An OpenAPI 3.0 document for the paths, with every schema they reference."""
    schemas = {
        name: builder.openapi_schema(name, v3=True) for name in builder.closure(builder.refs(paths))
    }
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": KUBERNETES_VERSION},
        "paths": {item.path: _path_item(item) for item in paths},
        "components": {"schemas": schemas, "securitySchemes": SECURITY_SCHEMES},
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
        "schema": {"type": param.type, "uniqueItems": True},
    }
    if param.required:
        out["required"] = True
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": builder.V3_REF + name}


def _operation(op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {
        code: {
            "content": {media: {"schema": _ref(name)} for media in op.produces},
            "description": text,
        }
        for code, text, name in op.responses
    }
    responses["401"] = {"description": "Unauthorized"}
    out: dict[str, Any] = {
        "description": op.description,
        "operationId": op.operation_id,
        "responses": responses,
        "tags": [op.tag],
    }
    if op.params:
        out["parameters"] = [_parameter(p) for p in op.params]
    if op.body:
        content = {media: {"schema": _ref(op.body)} for media in op.consumes}
        body: dict[str, Any] = {"content": content}
        if op.body_required:
            body["required"] = True
        out["requestBody"] = body
    out.update(builder.extensions(op))
    return out
