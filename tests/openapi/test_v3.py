from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest

from kube_apiserver.apis.apps.resources import RESOURCES as APPS
from kube_apiserver.apis.coordination.resources import RESOURCES as COORDINATION
from kube_apiserver.apis.core.resources import RESOURCES as CORE
from kube_apiserver.apis.events.resources import RESOURCES as EVENTS
from kube_apiserver.openapi import builder
from kube_apiserver.openapi.service import OpenAPIService

RESOURCES = CORE + APPS + COORDINATION + EVENTS
SCHEMAS = "#/components/schemas/"


@pytest.fixture(scope="module")
def service() -> OpenAPIService:
    return OpenAPIService(RESOURCES)


def doc(service: OpenAPIService, key: str) -> dict[str, Any]:
    found = service.v3_document(key)
    assert found is not None
    return orjson.loads(found[0])


def refs_in(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for key, value in node.items():
            if key != "$ref":
                found |= refs_in(value)
        return found
    if isinstance(node, list):
        return set().union(*map(refs_in, node)) if node else set()
    return set()


def test_the_index_lists_every_served_group_version_and_the_discovery_documents(service):
    paths = orjson.loads(service.v3_index())["paths"]
    group_versions = {key for key in paths if key.startswith("api/") or key.count("/") == 2}
    assert group_versions == {
        "api/v1",
        "apis/apps/v1",
        "apis/coordination.k8s.io/v1",
        "apis/events.k8s.io/v1",
    }
    assert set(paths) - group_versions == {
        "api",
        "apis",
        "version",
        "apis/apps",
        "apis/coordination.k8s.io",
        "apis/events.k8s.io",
    }


def test_index_urls_carry_the_upper_case_sha512_of_the_document_served(service):
    for key, entry in orjson.loads(service.v3_index())["paths"].items():
        data, etag = service.v3_document(key)
        assert etag == hashlib.sha512(data).hexdigest().upper()
        assert entry["serverRelativeURL"] == f"/openapi/v3/{key}?hash={etag}"


def test_documents_not_in_the_index_are_not_served(service):
    assert service.v3_document("apis/batch/v1") is None
    assert service.v3_document("apis/apps/v2") is None
    assert service.v3_document("api/v1/pods") is None


def test_documents_are_built_once_and_kept(service):
    assert service.v3_document("api/v1")[0] is service.v3_document("/api/v1")[0]


def test_the_core_document_holds_the_pod_schema_with_its_group_version_kind(service):
    core = doc(service, "api/v1")
    assert core["openapi"] == "3.0.0"
    assert core["info"] == {"title": "Kubernetes", "version": "v1.33.0"}
    pod = core["components"]["schemas"]["io.k8s.api.core.v1.Pod"]
    assert pod["x-kubernetes-group-version-kind"] == [{"group": "", "kind": "Pod", "version": "v1"}]
    assert pod["type"] == "object"
    assert pod["properties"]["apiVersion"] == {
        "description": pod["properties"]["apiVersion"]["description"],
        "type": "string",
    }


def test_every_ref_in_every_document_resolves_inside_that_document(service):
    for key in orjson.loads(service.v3_index())["paths"]:
        document = doc(service, key)
        schemas = document["components"]["schemas"]
        for ref in refs_in(document):
            assert ref.startswith(SCHEMAS), (key, ref)
            assert ref[len(SCHEMAS) :] in schemas, (key, ref)


def test_each_document_carries_the_meta_types_its_operations_use(service):
    schemas = doc(service, "apis/apps/v1")["components"]["schemas"]
    for name in ("Status", "DeleteOptions", "WatchEvent", "APIResourceList", "Patch", "ObjectMeta"):
        assert "io.k8s.apimachinery.pkg.apis.meta.v1." + name in schemas
    assert "io.k8s.api.autoscaling.v1.Scale" in schemas
    assert "io.k8s.api.core.v1.Node" not in schemas and "io.k8s.api.core.v1.Pod" not in schemas


def test_every_pod_patch_operation_takes_field_validation_as_kubectl_checks(service):
    paths = doc(service, "api/v1")["paths"]
    pod_patches = [
        item["patch"]
        for item in paths.values()
        if "patch" in item and item["patch"]["x-kubernetes-group-version-kind"]["kind"] == "Pod"
    ]
    assert len(pod_patches) == 4  # the pod, status, ephemeralcontainers and resize
    for op in pod_patches:
        assert {p["name"] for p in op["parameters"]} == {
            "dryRun",
            "fieldManager",
            "fieldValidation",
            "force",
        }
        assert "application/strategic-merge-patch+json" in op["requestBody"]["content"]


def gvk(group: str, version: str, kind: str) -> dict[str, str]:
    return {"group": group, "kind": kind, "version": version}


def response_schema(op: dict[str, Any], code: str = "200") -> dict[str, Any]:
    return op["responses"][code]["content"]["application/json"]["schema"]


def test_operations_carry_kubernetes_ids_actions_and_kinds(service):
    core = doc(service, "api/v1")["paths"]
    pod = core["/api/v1/namespaces/{namespace}/pods/{name}"]
    assert pod["get"]["operationId"] == "readCoreV1NamespacedPod"
    assert pod["get"]["x-kubernetes-action"] == "get"
    assert pod["put"]["operationId"] == "replaceCoreV1NamespacedPod"
    assert response_schema(pod["delete"]) == {"$ref": SCHEMAS + "io.k8s.api.core.v1.Pod"}
    assert [p["name"] for p in pod["parameters"]] == ["name", "namespace", "pretty"]
    assert core["/api/v1/pods"]["get"]["operationId"] == "listCoreV1PodForAllNamespaces"
    watch = core["/api/v1/watch/namespaces/{namespace}/pods"]["get"]
    assert watch["operationId"] == "watchCoreV1NamespacedPodList"
    assert watch["x-kubernetes-action"] == "watchlist"
    status = core["/api/v1/namespaces/{namespace}/pods/{name}/status"]
    assert status["get"]["operationId"] == "readCoreV1NamespacedPodStatus"

    apps = doc(service, "apis/apps/v1")["paths"]
    listing = apps["/apis/apps/v1/namespaces/{namespace}/deployments"]
    assert listing["get"]["operationId"] == "listAppsV1NamespacedDeployment"
    assert listing["get"]["x-kubernetes-group-version-kind"] == gvk("apps", "v1", "Deployment")
    assert listing["delete"]["operationId"] == "deleteAppsV1CollectionNamespacedDeployment"
    assert {p["name"] for p in listing["get"]["parameters"]} >= {
        "labelSelector",
        "fieldSelector",
        "limit",
        "continue",
        "resourceVersion",
        "resourceVersionMatch",
        "timeoutSeconds",
        "watch",
        "allowWatchBookmarks",
        "sendInitialEvents",
    }
    create = {p["name"] for p in listing["post"]["parameters"]}
    assert create == {"dryRun", "fieldManager", "fieldValidation"}
    assert "application/json;stream=watch" in listing["get"]["responses"]["200"]["content"]
    leases = doc(service, "apis/coordination.k8s.io/v1")["paths"]
    lease = leases["/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}"]
    assert lease["delete"]["operationId"] == "deleteCoordinationV1NamespacedLease"


def test_single_deletes_take_the_delete_options_as_query_parameters(service):
    paths = doc(service, "api/v1")["paths"]
    op = paths["/api/v1/namespaces/{namespace}/configmaps/{name}"]["delete"]
    assert {p["name"] for p in op["parameters"]} >= {
        "gracePeriodSeconds",
        "propagationPolicy",
        "orphanDependents",
        "dryRun",
    }
    assert op["requestBody"]["content"]["*/*"]["schema"]["$ref"].endswith("meta.v1.DeleteOptions")
    assert response_schema(op)["$ref"].endswith("meta.v1.Status")


def test_cluster_scoped_resources_have_no_namespace_segment(service):
    paths = doc(service, "api/v1")["paths"]
    assert paths["/api/v1/nodes/{name}"]["get"]["operationId"] == "readCoreV1Node"
    assert paths["/api/v1/watch/nodes/{name}"]["get"]["operationId"] == "watchCoreV1Node"
    status = paths["/api/v1/namespaces/{name}/status"]
    assert status["patch"]["operationId"] == "patchCoreV1NamespaceStatus"
    assert [p["name"] for p in paths["/api/v1/nodes/{name}"]["parameters"]] == ["name", "pretty"]
    assert "/api/v1/watch/nodes/{name}/status" not in paths


def test_verbs_a_resource_does_not_serve_have_no_operation(service):
    namespaces = doc(service, "api/v1")["paths"]["/api/v1/namespaces"]
    assert set(namespaces) == {"get", "post", "parameters"}  # no deletecollection


def test_deployment_scale_serves_the_autoscaling_scale_kind(service):
    paths = doc(service, "apis/apps/v1")["paths"]
    scale = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]
    assert scale["get"]["operationId"] == "readAppsV1NamespacedDeploymentScale"
    assert scale["put"]["x-kubernetes-group-version-kind"] == gvk("autoscaling", "v1", "Scale")
    assert response_schema(scale["get"]) == {"$ref": SCHEMAS + "io.k8s.api.autoscaling.v1.Scale"}
    assert scale["parameters"][0]["description"] == "name of the Scale"


def test_int_or_string_and_quantity_take_the_shapes_kubernetes_serves(service):
    schemas = doc(service, "apis/apps/v1")["components"]["schemas"]
    int_or_string = schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
    assert int_or_string["format"] == "int-or-string"
    assert int_or_string["oneOf"] == [{"type": "integer"}, {"type": "string"}]
    quantity = schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]
    assert quantity["oneOf"] == [{"type": "string"}, {"type": "number"}]
    assert quantity["description"]
    surge = schemas["io.k8s.api.apps.v1.RollingUpdateDeployment"]["properties"]["maxSurge"]
    assert surge["allOf"] == [{"$ref": SCHEMAS + "io.k8s.apimachinery.pkg.util.intstr.IntOrString"}]


def test_refs_with_sibling_keywords_are_wrapped_in_all_of_and_bare_refs_are_not(service):
    schemas = doc(service, "api/v1")["components"]["schemas"]
    spec = schemas["io.k8s.api.core.v1.Pod"]["properties"]["spec"]
    assert spec["allOf"] == [{"$ref": SCHEMAS + "io.k8s.api.core.v1.PodSpec"}]
    assert "$ref" not in spec and spec["description"]
    containers = schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]
    assert containers["items"] == {"$ref": SCHEMAS + "io.k8s.api.core.v1.Container"}
    assert containers["type"] == "array"
    assert containers["x-kubernetes-patch-merge-key"] == "name"
    assert containers["x-kubernetes-list-map-keys"] == ["name"]


def test_properties_named_like_keywords_stay_properties():
    package = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."
    props = builder.openapi_schema(package + "JSONSchemaProps", v3=True)["properties"]
    assert props["$ref"] == {"type": "string"}
    assert props["enum"]["items"] == {"$ref": SCHEMAS + package + "JSON"}
    assert props["type"] == {"type": "string"}


def test_the_small_documents_describe_discovery_and_version(service):
    assert doc(service, "api")["paths"]["/api/"]["get"]["operationId"] == "getCoreAPIVersions"
    assert doc(service, "apis")["paths"]["/apis/"]["get"]["operationId"] == "getAPIVersions"
    group = doc(service, "apis/coordination.k8s.io")["paths"]["/apis/coordination.k8s.io/"]["get"]
    assert (group["operationId"], group["tags"]) == ("getCoordinationAPIGroup", ["coordination"])
    version = doc(service, "version")["paths"]["/version/"]["get"]
    assert list(version["responses"]["200"]["content"]) == ["application/json"]
    resources = doc(service, "apis/events.k8s.io/v1")["paths"]["/apis/events.k8s.io/v1/"]["get"]
    assert resources["operationId"] == "getEventsV1APIResources"
    assert resources["tags"] == ["events_v1"]


def test_building_every_document_from_scratch_completes():
    fresh = OpenAPIService(RESOURCES)
    keys = orjson.loads(fresh.v3_index())["paths"]
    assert sum(len(fresh.v3_document(key)[0]) for key in keys) > 500_000
