"""API discovery: the documents clients read to learn which groups and resources exist.

Legacy discovery (`/api`, `/api/v1`, `/apis`, `/apis/<g>`, `/apis/<g>/<v>`) and aggregated
discovery (`/api` and `/apis` with `Accept: ...;as=APIGroupDiscoveryList`, v2 and v2beta1),
all built once from the installed resources and kept as bytes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Any

import orjson

from kube_apiserver.apis.resource import Resource

DISCOVERY_GROUP = "apidiscovery.k8s.io"
AGGREGATED_VERSIONS = ("v2", "v2beta1")


def storage_version_hash(group: str, version: str, kind: str) -> str:
    digest = hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def _resource_entries(resources: Sequence[Resource]) -> list[dict[str, Any]]:
    out = []
    for res in sorted(resources, key=lambda r: r.name):
        entry: dict[str, Any] = {
            "name": res.name,
            "singularName": res.singular,
            "namespaced": res.namespaced,
            "kind": res.kind,
            "verbs": list(res.verbs),
        }
        if res.short_names:
            entry["shortNames"] = list(res.short_names)
        if res.categories:
            entry["categories"] = list(res.categories)
        if res.stored:
            entry["storageVersionHash"] = storage_version_hash(res.group, res.version, res.kind)
        out.append(entry)
        for sub in res.subresources:
            sub_entry: dict[str, Any] = {
                "name": f"{res.name}/{sub.name}",
                "singularName": "",
                "namespaced": res.namespaced,
                "kind": sub.kind,
                "verbs": list(sub.verbs),
            }
            if sub.group:
                sub_entry["group"] = sub.group
                sub_entry["version"] = sub.version
            out.append(sub_entry)
    return out


class Discovery:
    def __init__(self, resources: Sequence[Resource], *, server_address: str) -> None:
        self.groups: dict[str, dict[str, list[Resource]]] = {}
        for res in resources:
            self.groups.setdefault(res.group, {}).setdefault(res.version, []).append(res)
        self._docs: dict[str, bytes] = {}
        core_versions = list(self.groups.get("", {}))
        self._docs["/api"] = orjson.dumps(
            {
                "kind": "APIVersions",
                "versions": core_versions,
                "serverAddressByClientCIDRs": [
                    {"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}
                ],
            }
        )
        for version, items in self.groups.get("", {}).items():
            self._docs[f"/api/{version}"] = orjson.dumps(
                {
                    "kind": "APIResourceList",
                    "groupVersion": version,
                    "resources": _resource_entries(items),
                }
            )
        group_docs = []
        for group, versions in self.groups.items():
            if not group:
                continue
            doc = self._group_doc(group, list(versions))
            group_docs.append(doc)
            self._docs[f"/apis/{group}"] = orjson.dumps(
                {"kind": "APIGroup", "apiVersion": "v1", **doc}
            )
            for version, items in versions.items():
                self._docs[f"/apis/{group}/{version}"] = orjson.dumps(
                    {
                        "kind": "APIResourceList",
                        "apiVersion": "v1",
                        "groupVersion": f"{group}/{version}",
                        "resources": _resource_entries(items),
                    }
                )
        self._docs["/apis"] = orjson.dumps(
            {"kind": "APIGroupList", "apiVersion": "v1", "groups": group_docs}
        )
        for version in AGGREGATED_VERSIONS:
            self._docs[f"aggregated:{version}:/api"] = self._aggregated(version, core=True)
            self._docs[f"aggregated:{version}:/apis"] = self._aggregated(version, core=False)

    @staticmethod
    def _group_doc(group: str, versions: list[str]) -> dict[str, Any]:
        entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
        return {"name": group, "versions": entries, "preferredVersion": entries[0]}

    def _aggregated(self, version: str, *, core: bool) -> bytes:
        items = []
        for group, versions in self.groups.items():
            if bool(group) == core:
                continue
            item: dict[str, Any] = {
                "metadata": {"name": group, "creationTimestamp": None}
                if group
                else {"creationTimestamp": None}
            }
            item["versions"] = [
                {
                    "version": v,
                    "resources": [
                        self._aggregated_resource(r) for r in sorted(rs, key=lambda r: r.name)
                    ],
                    "freshness": "Current",
                }
                for v, rs in versions.items()
            ]
            items.append(item)
        return orjson.dumps(
            {
                "kind": "APIGroupDiscoveryList",
                "apiVersion": f"{DISCOVERY_GROUP}/{version}",
                "metadata": {},
                "items": items,
            }
        )

    @staticmethod
    def _aggregated_resource(res: Resource) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "resource": res.name,
            "responseKind": {"group": res.group, "version": res.version, "kind": res.kind},
            "scope": "Namespaced" if res.namespaced else "Cluster",
            "singularResource": res.singular,
            "verbs": list(res.verbs),
        }
        if res.short_names:
            entry["shortNames"] = list(res.short_names)
        if res.categories:
            entry["categories"] = list(res.categories)
        if res.subresources:
            entry["subresources"] = [
                {
                    "subresource": sub.name,
                    "responseKind": {
                        "group": sub.group if sub.group else res.group,
                        "version": sub.version if sub.version else res.version,
                        "kind": sub.kind,
                    },
                    "verbs": list(sub.verbs),
                }
                for sub in res.subresources
            ]
        return entry

    def document(self, path: str) -> bytes | None:
        return self._docs.get(path.rstrip("/") or "/")

    def aggregated(self, path: str, accept: str) -> tuple[bytes, str] | None:
        """The aggregated document and its content type, if the Accept header asks for one."""
        if path not in ("/api", "/apis") or "apigroupdiscoverylist" not in accept.lower():
            return None
        for part in accept.split(","):
            params = {
                k.strip().lower(): v.strip()
                for k, _, v in (p.partition("=") for p in part.split(";")[1:])
            }
            if params.get("as") == "APIGroupDiscoveryList" and params.get("g") == DISCOVERY_GROUP:
                version = params.get("v", "")
                if version in AGGREGATED_VERSIONS:
                    content_type = (
                        f"application/json;g={DISCOVERY_GROUP};v={version};as=APIGroupDiscoveryList"
                    )
                    return self._docs[f"aggregated:{version}:{path}"], content_type
        return None
