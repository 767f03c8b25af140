"""Discovery (legacy and aggregated) and OpenAPI (v2 JSON and protobuf, v3), as clients read them.

The expected facts below are those Kubernetes 1.33 serves for the resources this server has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Server

ALL = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
STATUS_VERBS = ("get", "patch", "update")


@dataclass(frozen=True)
class Expected:
    group: str
    resource: str
    kind: str
    singular: str
    namespaced: bool
    verbs: tuple[str, ...] = ALL
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def group_version(self) -> str:
        return f"{self.group}/v1" if self.group else "v1"

    def __str__(self) -> str:
        return f"{self.group_version}/{self.resource}"


EXPECTED = [
    Expected(
        "",
        "namespaces",
        "Namespace",
        "namespace",
        False,
        verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
        short_names=("ns",),
    ),
    Expected("", "configmaps", "ConfigMap", "configmap", True, short_names=("cm",)),
    Expected("", "secrets", "Secret", "secret", True),
    Expected("", "serviceaccounts", "ServiceAccount", "serviceaccount", True, short_names=("sa",)),
    Expected("", "pods", "Pod", "pod", True, short_names=("po",), categories=("all",)),
    Expected("", "services", "Service", "service", True, short_names=("svc",), categories=("all",)),
    Expected("", "endpoints", "Endpoints", "endpoints", True, short_names=("ep",)),
    Expected("", "events", "Event", "event", True, short_names=("ev",)),
    Expected("", "nodes", "Node", "node", False, short_names=("no",)),
    Expected(
        "apps",
        "deployments",
        "Deployment",
        "deployment",
        True,
        short_names=("deploy",),
        categories=("all",),
    ),
    Expected("coordination.k8s.io", "leases", "Lease", "lease", True),
    Expected("events.k8s.io", "events", "Event", "event", True, short_names=("ev",)),
]

# (group, parent resource, subresource, kind, kind's group, kind's version)
EXPECTED_SUBRESOURCES = [
    ("", "namespaces", "status", "Namespace", "", "v1"),
    ("", "pods", "status", "Pod", "", "v1"),
    ("", "services", "status", "Service", "", "v1"),
    ("", "nodes", "status", "Node", "", "v1"),
    ("apps", "deployments", "status", "Deployment", "apps", "v1"),
    ("apps", "deployments", "scale", "Scale", "autoscaling", "v1"),
]


def resource_list(server: Server, group: str) -> dict[str, Any]:
    path = f"/apis/{group}/v1" if group else "/api/v1"
    resp = server.request("GET", path)
    assert resp.status == 200, resp.body
    assert resp.headers["content-type"].startswith("application/json")
    return resp.json()


def aggregated_accept(version: str) -> str:
    return f"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList"


def media_params(content_type: str) -> tuple[str, dict[str, str]]:
    media, *params = [p.strip() for p in content_type.split(";")]
    return media, dict(p.split("=", 1) for p in params)


# --- legacy discovery ----------------------------------------------------------------------


def test_api_lists_the_core_version_v1(server: Server) -> None:
    resp = server.request("GET", "/api")
    assert resp.status == 200
    doc = resp.json()
    assert doc["kind"] == "APIVersions"
    assert doc["versions"] == ["v1"]
    assert doc["serverAddressByClientCIDRs"] == [
        {"clientCIDR": "0.0.0.0/0", "serverAddress": f"127.0.0.1:{server.port}"}
    ]


def test_api_v1_is_a_resource_list_with_the_facts_of_each_resource(server: Server) -> None:
    doc = resource_list(server, "")
    assert doc["kind"] == "APIResourceList"
    assert doc["groupVersion"] == "v1"
    for entry in doc["resources"]:
        for key in ("name", "singularName", "namespaced", "kind", "verbs"):
            assert key in entry, (entry, key)
        if "/" not in entry["name"]:
            assert entry["singularName"], entry
            assert entry["storageVersionHash"], entry


def test_apis_lists_the_groups_with_their_preferred_version(server: Server) -> None:
    resp = server.request("GET", "/apis")
    assert resp.status == 200
    doc = resp.json()
    assert doc["kind"] == "APIGroupList"
    assert doc["apiVersion"] == "v1"
    groups = {g["name"]: g for g in doc["groups"]}
    for name in ("apps", "coordination.k8s.io", "events.k8s.io"):
        assert name in groups, name
        version = {"groupVersion": f"{name}/v1", "version": "v1"}
        assert groups[name]["versions"] == [version]
        assert groups[name]["preferredVersion"] == version
    assert "" not in groups


def test_apis_apps_describes_the_apps_group(server: Server) -> None:
    resp = server.request("GET", "/apis/apps")
    assert resp.status == 200
    assert resp.json() == {
        "kind": "APIGroup",
        "apiVersion": "v1",
        "name": "apps",
        "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"},
    }


def test_apis_apps_v1_lists_deployments_and_their_subresources(server: Server) -> None:
    doc = resource_list(server, "apps")
    assert doc["kind"] == "APIResourceList"
    assert doc["apiVersion"] == "v1"
    assert doc["groupVersion"] == "apps/v1"
    by_name = {r["name"]: r for r in doc["resources"]}
    assert by_name["deployments"]["kind"] == "Deployment"
    scale = by_name["deployments/scale"]
    assert scale["kind"] == "Scale"
    assert scale["group"] == "autoscaling"
    assert scale["version"] == "v1"
    assert scale["namespaced"] is True
    assert sorted(scale["verbs"]) == list(STATUS_VERBS)
    status = by_name["deployments/status"]
    assert status["kind"] == "Deployment"
    assert "group" not in status


def test_an_unknown_group_or_version_is_not_found(server: Server) -> None:
    assert server.request("GET", "/apis/no.such.group").status == 404
    assert server.request("GET", "/apis/apps/v1beta9").status == 404
    assert server.request("GET", "/api/v2").status == 404


@pytest.mark.parametrize("expected", EXPECTED, ids=str)
def test_legacy_discovery_serves_the_kubernetes_facts_of_each_resource(
    server: Server, expected: Expected
) -> None:
    doc = resource_list(server, expected.group)
    by_name = {r["name"]: r for r in doc["resources"]}
    assert expected.resource in by_name, sorted(by_name)
    entry = by_name[expected.resource]
    assert entry["kind"] == expected.kind
    assert entry["singularName"] == expected.singular
    assert entry["namespaced"] is expected.namespaced
    assert sorted(entry["verbs"]) == sorted(expected.verbs)
    assert entry.get("shortNames", []) == list(expected.short_names)
    assert entry.get("categories", []) == list(expected.categories)


@pytest.mark.parametrize(
    ("group", "parent", "sub", "kind", "kind_group", "kind_version"),
    EXPECTED_SUBRESOURCES,
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_legacy_discovery_lists_each_subresource(
    server: Server,
    group: str,
    parent: str,
    sub: str,
    kind: str,
    kind_group: str,
    kind_version: str,
) -> None:
    doc = resource_list(server, group)
    by_name = {r["name"]: r for r in doc["resources"]}
    entry = by_name[f"{parent}/{sub}"]
    assert entry["kind"] == kind
    assert entry["singularName"] == ""
    assert entry["namespaced"] is by_name[parent]["namespaced"]
    assert sorted(entry["verbs"]) == list(STATUS_VERBS)
    if kind_group != group:
        assert (entry["group"], entry["version"]) == (kind_group, kind_version)


# --- aggregated discovery ------------------------------------------------------------------


@pytest.mark.parametrize("version", ["v2", "v2beta1"])
@pytest.mark.parametrize("path", ["/api", "/apis"])
def test_aggregated_discovery_answers_in_the_media_type_asked_for(
    server: Server, version: str, path: str
) -> None:
    resp = server.request("GET", path, headers={"Accept": aggregated_accept(version)})
    assert resp.status == 200, resp.body
    media, params = media_params(resp.headers["content-type"])
    assert media == "application/json"
    assert params == {"g": "apidiscovery.k8s.io", "v": version, "as": "APIGroupDiscoveryList"}
    assert "Accept" in resp.headers.get("vary", "")
    doc = resp.json()
    assert doc["kind"] == "APIGroupDiscoveryList"
    assert doc["apiVersion"] == f"apidiscovery.k8s.io/{version}"
    assert doc["items"]


def test_aggregated_discovery_falls_back_to_legacy_documents_when_also_accepted(
    server: Server,
) -> None:
    accept = "application/json;g=apidiscovery.k8s.io;v=v9;as=APIGroupDiscoveryList,application/json"
    resp = server.request("GET", "/apis", headers={"Accept": accept})
    assert resp.status == 200
    assert resp.headers["content-type"].split(";")[0] == "application/json"
    assert resp.json()["kind"] == "APIGroupList"


def aggregated(server: Server, path: str, version: str = "v2") -> dict[str, Any]:
    resp = server.request("GET", path, headers={"Accept": aggregated_accept(version)})
    assert resp.status == 200, resp.body
    return resp.json()


def test_aggregated_core_discovery_has_one_unnamed_group_with_v1(server: Server) -> None:
    doc = aggregated(server, "/api")
    assert len(doc["items"]) == 1
    item = doc["items"][0]
    assert "name" not in item["metadata"]
    assert [v["version"] for v in item["versions"]] == ["v1"]
    assert item["versions"][0]["freshness"] == "Current"


def test_aggregated_group_discovery_lists_the_groups_by_name(server: Server) -> None:
    doc = aggregated(server, "/apis")
    names = [item["metadata"]["name"] for item in doc["items"]]
    for name in ("apps", "coordination.k8s.io", "events.k8s.io"):
        assert name in names
    preferred = {"autoscaling": "v2"}  # groups whose preferred version is not v1 in 1.33
    for item in doc["items"]:
        # The preferred version comes first.
        assert item["versions"][0]["version"] == preferred.get(item["metadata"]["name"], "v1")


def aggregated_resources(
    server: Server, group: str, version: str = "v2"
) -> dict[str, dict[str, Any]]:
    doc = aggregated(server, "/apis" if group else "/api", version)
    [item] = [i for i in doc["items"] if i["metadata"].get("name", "") == group]
    [v1] = [v for v in item["versions"] if v["version"] == "v1"]
    return {r["resource"]: r for r in v1["resources"]}


@pytest.mark.parametrize("version", ["v2", "v2beta1"])
@pytest.mark.parametrize("expected", EXPECTED, ids=str)
def test_aggregated_discovery_serves_the_kubernetes_facts_of_each_resource(
    server: Server,
    expected: Expected,
    version: str,
) -> None:
    resources = aggregated_resources(server, expected.group, version)
    entry = resources[expected.resource]
    assert entry["responseKind"] == {
        "group": expected.group,
        "version": "v1",
        "kind": expected.kind,
    }
    assert entry["scope"] == ("Namespaced" if expected.namespaced else "Cluster")
    assert entry["singularResource"] == expected.singular
    assert sorted(entry["verbs"]) == sorted(expected.verbs)
    assert entry.get("shortNames", []) == list(expected.short_names)
    assert entry.get("categories", []) == list(expected.categories)


@pytest.mark.parametrize(
    ("group", "parent", "sub", "kind", "kind_group", "kind_version"),
    EXPECTED_SUBRESOURCES,
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_aggregated_discovery_lists_each_subresource(
    server: Server,
    group: str,
    parent: str,
    sub: str,
    kind: str,
    kind_group: str,
    kind_version: str,
) -> None:
    resources = aggregated_resources(server, group)
    subs = {s["subresource"]: s for s in resources[parent].get("subresources", [])}
    assert sub in subs, sorted(subs)
    assert subs[sub]["responseKind"] == {"group": kind_group, "version": kind_version, "kind": kind}
    assert sorted(subs[sub]["verbs"]) == list(STATUS_VERBS)


def test_kubectl_api_resources_shows_the_resources_from_discovery(server: Server) -> None:
    out = server.kubectl("api-resources", "--no-headers").stdout
    rows = {tuple(line.split()) for line in out.splitlines()}
    assert ("deployments", "deploy", "apps/v1", "true", "Deployment") in rows
    assert ("pods", "po", "v1", "true", "Pod") in rows
    assert ("namespaces", "ns", "v1", "false", "Namespace") in rows
    assert ("leases", "coordination.k8s.io/v1", "true", "Lease") in rows
    assert ("secrets", "v1", "true", "Secret") in rows


OBJECTS = """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: b}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
"""


def test_kubectl_resolves_short_names_and_the_all_category(server: Server, ns: str) -> None:
    server.kubectl("apply", "-n", ns, "-f", "-", input=OBJECTS)
    out = server.kubectl("get", "cm,svc,deploy", "-n", ns, "-o", "name").stdout.split()
    assert sorted(out) == [
        "configmap/kube-root-ca.crt",  # kept in every namespace by the server
        "configmap/settings",
        "deployment.apps/web",
        "service/web",
    ]
    out = server.kubectl("get", "all", "-n", ns, "-o", "name").stdout.split()
    assert "service/web" in out
    assert "deployment.apps/web" in out
    assert "configmap/settings" not in out


# --- OpenAPI v3 ----------------------------------------------------------------------------


def v3_index(server: Server) -> dict[str, Any]:
    resp = server.request("GET", "/openapi/v3")
    assert resp.status == 200
    assert resp.headers["content-type"].startswith("application/json")
    return resp.json()["paths"]


def test_openapi_v3_index_lists_each_group_version_with_a_hashed_url(server: Server) -> None:
    paths = v3_index(server)
    for key in ("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1", "apis/events.k8s.io/v1"):
        assert key in paths, key
        url = paths[key]["serverRelativeURL"]
        assert url.startswith(f"/openapi/v3/{key}?hash=")
        assert len(url.split("hash=", 1)[1]) >= 32


def test_openapi_v3_core_document_has_the_pod_schema_with_its_group_version_kind(
    server: Server,
) -> None:
    url = v3_index(server)["api/v1"]["serverRelativeURL"]
    resp = server.request("GET", url)
    assert resp.status == 200
    assert resp.headers["content-type"].startswith("application/json")
    doc = resp.json()
    assert doc["openapi"].startswith("3.0")
    assert doc["info"]["title"] == "Kubernetes"
    pod = doc["components"]["schemas"]["io.k8s.api.core.v1.Pod"]
    assert pod["x-kubernetes-group-version-kind"] == [{"group": "", "kind": "Pod", "version": "v1"}]
    assert "spec" in pod["properties"]
    assert "/api/v1/namespaces/{namespace}/pods" in doc["paths"]
    assert "/api/v1/namespaces/{namespace}/pods/{name}/status" in doc["paths"]


def test_openapi_v3_apps_document_has_the_deployment_schema(server: Server) -> None:
    url = v3_index(server)["apis/apps/v1"]["serverRelativeURL"]
    doc = server.request("GET", url).json()
    deployment = doc["components"]["schemas"]["io.k8s.api.apps.v1.Deployment"]
    assert deployment["x-kubernetes-group-version-kind"] == [
        {"group": "apps", "kind": "Deployment", "version": "v1"}
    ]
    assert "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale" in doc["paths"]


def test_openapi_v3_with_the_current_hash_is_cacheable_forever(server: Server) -> None:
    url = v3_index(server)["api/v1"]["serverRelativeURL"]
    resp = server.request("GET", url)
    assert resp.headers["cache-control"] == "public, immutable"
    assert resp.headers["etag"].strip('"') == url.split("hash=", 1)[1]


def test_openapi_v3_with_a_stale_hash_redirects_to_the_current_one(server: Server) -> None:
    url = v3_index(server)["api/v1"]["serverRelativeURL"]
    resp = server.request("GET", "/openapi/v3/api/v1?hash=0000")
    assert resp.status == 301
    assert resp.headers["location"] == url


def test_openapi_v3_for_an_unknown_group_version_is_not_found(server: Server) -> None:
    assert server.request("GET", "/openapi/v3/apis/no.such.group/v1").status == 404


# --- OpenAPI v2 ----------------------------------------------------------------------------


def test_openapi_v2_json_is_the_whole_api_in_one_swagger_document(server: Server) -> None:
    resp = server.request("GET", "/openapi/v2", headers={"Accept": "application/json"})
    assert resp.status == 200
    assert resp.headers["content-type"].startswith("application/json")
    doc = resp.json()
    assert doc["swagger"] == "2.0"
    assert doc["info"]["title"] == "Kubernetes"
    assert doc["info"]["version"].startswith("v1.33")
    pod = doc["definitions"]["io.k8s.api.core.v1.Pod"]
    assert pod["x-kubernetes-group-version-kind"] == [{"group": "", "kind": "Pod", "version": "v1"}]
    assert "/api/v1/namespaces/{namespace}/configmaps" in doc["paths"]
    assert "/apis/apps/v1/namespaces/{namespace}/deployments" in doc["paths"]
    assert resp.headers.get("etag")


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def read_fields(data: bytes) -> list[tuple[int, Any]]:
    """The (field number, value) pairs of one protobuf message; nested messages stay bytes."""
    out, pos = [], 0
    while pos < len(data):
        key, pos = read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = read_varint(data, pos)
        elif wire == 2:
            length, pos = read_varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        elif wire == 1:
            value, pos = data[pos : pos + 8], pos + 8
        elif wire == 5:
            value, pos = data[pos : pos + 4], pos + 4
        else:
            raise AssertionError(f"unexpected wire type {wire}")
        out.append((number, value))
    return out


def named_entries(message: bytes, field: int) -> list[str]:
    """Names of gnostic's Named* entries (name = 1) in repeated field `field` of `message`."""
    return [
        dict(read_fields(entry))[1].decode()
        for number, entry in read_fields(message)
        if number == field
    ]


def test_openapi_v2_protobuf_is_the_same_document_in_gnostic_form(server: Server) -> None:
    resp = server.request(
        "GET",
        "/openapi/v2",
        headers={"Accept": "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"},
    )
    assert resp.status == 200
    assert (
        resp.headers["content-type"] == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
    )
    document = dict(read_fields(resp.body))
    assert document[1] == b"2.0"  # swagger
    info = dict(read_fields(document[2]))
    assert info[1] == b"Kubernetes"
    assert info[2].decode().startswith("v1.33")
    paths = named_entries(document[8], 2)  # Paths.path: repeated NamedPathItem
    assert "/api/v1/namespaces/{namespace}/pods" in paths
    definitions = named_entries(document[9], 1)  # Definitions.additional_properties: NamedSchema
    assert "io.k8s.api.core.v1.Pod" in definitions
    assert "io.k8s.api.apps.v1.Deployment" in definitions
    json_doc = server.request("GET", "/openapi/v2", headers={"Accept": "application/json"}).json()
    assert sorted(paths) == sorted(json_doc["paths"])
    assert sorted(definitions) == sorted(json_doc["definitions"])


# --- kubectl explain -----------------------------------------------------------------------


def test_kubectl_explain_pod_spec_describes_the_field(server: Server) -> None:
    out = server.kubectl("explain", "pod.spec").stdout
    assert "KIND:       Pod" in out
    assert "VERSION:    v1" in out
    assert "FIELD: spec <PodSpec>" in out
    assert "containers\t<[]Container> -required-" in out


def test_kubectl_explain_deployment_replicas_describes_a_nested_field(server: Server) -> None:
    out = server.kubectl("explain", "deployments.spec.replicas").stdout
    assert "GROUP:      apps" in out
    assert "KIND:       Deployment" in out
    assert "FIELD: replicas <integer>" in out


def test_kubectl_explain_works_from_openapi_v2_too(server: Server) -> None:
    out = server.kubectl("explain", "pod.spec", "--output=plaintext-openapiv2").stdout
    assert "KIND:     Pod" in out
    assert "VERSION:  v1" in out
    assert "RESOURCE: spec <Object>" in out
    assert "containers\t<[]Object> -required-" in out


def test_kubectl_explain_an_unknown_field_is_an_error(server: Server) -> None:
    result = server.kubectl("explain", "pod.spec.nosuchfield", check=False)
    assert result.returncode != 0
    assert 'field "nosuchfield" does not exist' in result.stderr
