from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest

from kube_apiserver.apis.apps.resources import RESOURCES as APPS
from kube_apiserver.apis.coordination.resources import RESOURCES as COORDINATION
from kube_apiserver.apis.core.resources import RESOURCES as CORE
from kube_apiserver.apis.events.resources import RESOURCES as EVENTS
from kube_apiserver.openapi.service import OpenAPIService

RESOURCES = CORE + APPS + COORDINATION + EVENTS
DEFINITIONS = "#/definitions/"


@pytest.fixture(scope="module")
def service() -> OpenAPIService:
    return OpenAPIService(RESOURCES)


@pytest.fixture(scope="module")
def swagger(service: OpenAPIService) -> dict[str, Any]:
    return orjson.loads(service.v2_document()[0])


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


def test_the_document_is_swagger_2_with_kubernetes_info_and_bearer_security(swagger):
    assert swagger["swagger"] == "2.0"
    assert swagger["info"] == {"title": "Kubernetes", "version": "v1.33.0"}
    assert swagger["securityDefinitions"]["BearerToken"]["type"] == "apiKey"
    assert swagger["security"] == [{"BearerToken": []}]


def test_its_hash_is_the_upper_case_sha512_of_the_bytes(service):
    data, etag = service.v2_document()
    assert etag == hashlib.sha512(data).hexdigest().upper()


def test_paths_cover_every_served_group_and_discovery(swagger):
    paths = swagger["paths"]
    for path in (
        "/api/",
        "/api/v1/",
        "/apis/",
        "/apis/apps/",
        "/apis/apps/v1/",
        "/version/",
        "/api/v1/namespaces/{namespace}/pods/{name}",
        "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale",
        "/apis/coordination.k8s.io/v1/watch/namespaces/{namespace}/leases",
        "/apis/events.k8s.io/v1/events",
    ):
        assert path in paths, path


def test_every_ref_resolves_to_a_definition_and_none_is_wrapped_in_all_of(swagger):
    definitions = swagger["definitions"]
    for ref in refs_in(swagger):
        assert ref.startswith(DEFINITIONS) and ref[len(DEFINITIONS) :] in definitions, ref
    assert b"allOf" not in orjson.dumps(swagger)
    for name in (
        "io.k8s.api.core.v1.Pod",
        "io.k8s.api.apps.v1.Deployment",
        "io.k8s.api.autoscaling.v1.Scale",
        "io.k8s.api.events.v1.Event",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
    ):
        assert name in definitions


def test_definitions_keep_descriptions_extensions_and_plain_types(swagger):
    pod_spec = swagger["definitions"]["io.k8s.api.core.v1.PodSpec"]
    volumes = pod_spec["properties"]["volumes"]
    assert volumes["x-kubernetes-patch-strategy"] == "merge,retainKeys"
    assert volumes["items"] == {"$ref": DEFINITIONS + "io.k8s.api.core.v1.Volume"}
    node_name = pod_spec["properties"]["nodeName"]
    assert node_name["type"] == "string" and node_name["description"]
    affinity = pod_spec["properties"]["affinity"]
    assert affinity["$ref"] == DEFINITIONS + "io.k8s.api.core.v1.Affinity"
    assert affinity["description"]


def test_int_or_string_and_quantity_are_strings_as_in_kubernetes_swagger(swagger):
    definitions = swagger["definitions"]
    int_or_string = definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
    assert (int_or_string["type"], int_or_string["format"]) == ("string", "int-or-string")
    assert definitions["io.k8s.apimachinery.pkg.api.resource.Quantity"]["type"] == "string"


def test_operations_use_swagger_bodies_and_media_lists(swagger):
    pods = swagger["paths"]["/api/v1/namespaces/{namespace}/pods"]
    create = pods["post"]
    assert create["operationId"] == "createCoreV1NamespacedPod"
    assert create["parameters"][0] == {
        "in": "body",
        "name": "body",
        "required": True,
        "schema": {"$ref": DEFINITIONS + "io.k8s.api.core.v1.Pod"},
    }
    assert create["consumes"] == ["*/*"] and create["schemes"] == ["https"]
    assert create["responses"]["201"]["schema"] == {"$ref": DEFINITIONS + "io.k8s.api.core.v1.Pod"}
    patch = swagger["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert "application/apply-patch+yaml" in patch["consumes"]
    names = {p["name"] for p in patch["parameters"]}
    assert names == {"body", "dryRun", "fieldManager", "fieldValidation", "force"}
    assert patch["x-kubernetes-group-version-kind"] == {
        "group": "apps",
        "kind": "Deployment",
        "version": "v1",
    }
    listing = pods["get"]
    assert "application/json;stream=watch" in listing["produces"]
    assert {"in": "path", "name": "namespace"}.items() <= pods["parameters"][0].items()


# A minimal protobuf wire-format reader: enough to walk the gnostic message.
def fields(buf: bytes) -> list[tuple[int, int | bytes]]:
    out, i = [], 0

    def varint() -> int:
        nonlocal i
        value = shift = 0
        while True:
            byte = buf[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while i < len(buf):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            out.append((number, varint()))
        else:
            assert wire == 2
            size = varint()
            out.append((number, buf[i : i + size]))
            i += size
    return out


def named(buf: bytes, number: int) -> dict[str, bytes]:
    """The (name=1, value=2) entries of a repeated Named* field, by name."""
    entries = {}
    for n, value in fields(buf):
        if n == number:
            parts = dict(fields(value))
            entries[parts[1].decode()] = parts.get(2, b"")
    return entries


def test_the_protobuf_form_is_a_gnostic_document_kubectl_can_query(service):
    data, etag = service.v2_document(protobuf=True)
    assert etag == service.v2_document()[1]
    top = dict(fields(data))
    assert top[1] == b"2.0"
    assert dict(fields(top[2]))[1] == b"Kubernetes"
    paths = named(top[8], 2)
    patch = dict(fields(paths["/api/v1/namespaces/{namespace}/pods/{name}"]))[8]
    op = fields(patch)
    assert (5, b"patchCoreV1NamespacedPod") in op
    extensions = {k: orjson.loads(dict(fields(v))[2]) for k, v in named(patch, 13).items()}
    assert extensions["x-kubernetes-group-version-kind"] == {
        "group": "",
        "kind": "Pod",
        "version": "v1",
    }
    # ParametersItem -> Parameter -> NonBodyParameter -> QueryParameterSubSchema -> name (4)
    query_names = set()
    for n, item in op:
        if n == 8:
            parameter = dict(fields(dict(fields(item))[1]))
            if 2 in parameter:
                sub = dict(fields(parameter[2]))
                query_names.add(dict(fields(sub[3]))[4].decode())
    assert query_names == {"dryRun", "fieldManager", "fieldValidation", "force"}
    definitions = named(top[9], 1)
    pod_properties = named(dict(fields(definitions["io.k8s.api.core.v1.Pod"]))[25], 1)
    assert set(pod_properties) == {"apiVersion", "kind", "metadata", "spec", "status"}
