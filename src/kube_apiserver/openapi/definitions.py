"""The Kubernetes OpenAPI schema definitions, from the `kubernetes-validate` data package.

The package ships JSON Schema converted from Kubernetes' OpenAPI, with the `x-kubernetes-*`
extensions kept (group-version-kind, patch strategy and merge key, list type and map keys).
We load one version's `_definitions.json` once and index it by group/version/kind.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import kubernetes_validate
import orjson

SCHEMA_VERSION = "v1.33.0"
REF_PREFIX = "#/$defs/"


@functools.cache
def definitions() -> dict[str, dict[str, Any]]:
    """All definitions by their Kubernetes name, e.g. `io.k8s.api.core.v1.Pod`."""
    root = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    data = orjson.loads((root / f"{SCHEMA_VERSION}-local" / "_definitions.json").read_bytes())
    return data["$defs"]


@functools.cache
def _by_gvk() -> dict[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for name, schema in definitions().items():
        for gvk in schema.get("x-kubernetes-group-version-kind", ()):
            # Shared kinds (DeleteOptions, WatchEvent) list every group; the first wins.
            index.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    return index


def name_for_gvk(group: str, version: str, kind: str) -> str | None:
    """The definition name of a kind, or None when the schema data does not know it."""
    return _by_gvk().get((group, version, kind))


def schema_for_gvk(group: str, version: str, kind: str) -> dict[str, Any] | None:
    name = name_for_gvk(group, version, kind)
    return definitions()[name] if name else None


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a `$ref` (one level, as the data never chains them) to the schema it names."""
    ref = schema.get("$ref")
    if ref and ref.startswith(REF_PREFIX):
        return definitions()[ref[len(REF_PREFIX) :]]
    return schema
