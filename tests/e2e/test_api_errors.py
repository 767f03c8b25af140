"""Every failing request answers with a Kubernetes `Status`: code, reason, message, details.

Raw HTTP against the real server; Kubernetes 1.33 is the specification (the messages below are
the ones kube-apiserver writes, produced by k8s.io/apimachinery's errors package and the
apiserver's handlers).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

MERGE = {"Content-Type": "application/merge-patch+json"}

RFC1123_SUBDOMAIN_MESSAGE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def configmap(name: str, **data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def deployment(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }


def failure(resp: Any, code: int, reason: str) -> dict[str, Any]:
    """The response is a JSON `Status` failure with this code and reason; returns its body."""
    assert resp.status == code, resp.body
    assert resp.headers["content-type"] == "application/json", resp.headers
    body = resp.json()
    assert body["kind"] == "Status", body
    assert body["apiVersion"] == "v1", body
    assert body["metadata"] == {}, body
    assert body["status"] == "Failure", body
    assert body["code"] == code, body
    assert body["reason"] == reason, body
    return body


def create_configmap(server: Any, ns: str, name: str, **data: str) -> dict[str, Any]:
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap(name, **data))
    assert resp.status == 201, resp.body
    return resp.json()


def configmap_names(server: Any, ns: str) -> list[str]:
    """The configmaps the test wrote: kube-root-ca.crt, kept in every namespace, aside."""
    resp = server.request("GET", f"/api/v1/namespaces/{ns}/configmaps")
    assert resp.status == 200, resp.body
    names = [item["metadata"]["name"] for item in resp.json()["items"]]
    return [name for name in names if name != "kube-root-ca.crt"]


# -- NotFound / AlreadyExists / Conflict ------------------------------------------------------


def test_getting_a_missing_configmap_is_not_found_with_name_and_kind(server, ns):
    resp = server.request("GET", f"/api/v1/namespaces/{ns}/configmaps/x")
    body = failure(resp, 404, "NotFound")
    assert body["message"] == 'configmaps "x" not found'
    assert body["details"] == {"name": "x", "kind": "configmaps"}


def test_a_missing_deployment_is_not_found_with_the_apps_group(server, ns):
    resp = server.request("GET", f"/apis/apps/v1/namespaces/{ns}/deployments/x")
    body = failure(resp, 404, "NotFound")
    assert body["message"] == 'deployments.apps "x" not found'
    assert body["details"] == {"name": "x", "group": "apps", "kind": "deployments"}


def test_updating_deleting_and_patching_a_missing_object_are_not_found(server, ns):
    path = f"/api/v1/namespaces/{ns}/configmaps/x"
    for resp in (
        server.request("PUT", path, configmap("x")),
        server.request("DELETE", path),
        server.request("PATCH", path, {"data": {"a": "b"}}, headers=MERGE),
    ):
        body = failure(resp, 404, "NotFound")
        assert body["message"] == 'configmaps "x" not found'
        assert body["details"] == {"name": "x", "kind": "configmaps"}


def test_creating_an_existing_name_is_already_exists(server, ns):
    create_configmap(server, ns, "x")
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap("x"))
    body = failure(resp, 409, "AlreadyExists")
    assert body["message"] == 'configmaps "x" already exists'
    assert body["details"] == {"name": "x", "kind": "configmaps"}


def test_creating_an_existing_deployment_is_already_exists_in_the_apps_group(server, ns):
    path = f"/apis/apps/v1/namespaces/{ns}/deployments"
    assert server.request("POST", path, deployment("web")).status == 201
    body = failure(server.request("POST", path, deployment("web")), 409, "AlreadyExists")
    assert body["message"] == 'deployments.apps "web" already exists'
    assert body["details"] == {"name": "web", "group": "apps", "kind": "deployments"}


CONFLICT_MESSAGE = (
    'Operation cannot be fulfilled on configmaps "x": the object has been modified; '
    "please apply your changes to the latest version and try again"
)


def test_an_update_with_a_stale_resource_version_is_a_conflict(server, ns):
    first = create_configmap(server, ns, "x", v="1")
    path = f"/api/v1/namespaces/{ns}/configmaps/x"
    fresh = dict(first, data={"v": "2"})
    assert server.request("PUT", path, fresh).status == 200
    stale = dict(first, data={"v": "3"})  # still carries the first resourceVersion
    body = failure(server.request("PUT", path, stale), 409, "Conflict")
    assert body["message"] == CONFLICT_MESSAGE
    assert body["details"] == {"name": "x", "kind": "configmaps"}
    assert server.request("GET", path).json()["data"] == {"v": "2"}


def test_a_patch_with_a_stale_resource_version_is_a_conflict(server, ns):
    first = create_configmap(server, ns, "x", v="1")
    path = f"/api/v1/namespaces/{ns}/configmaps/x"
    assert server.request("PATCH", path, {"data": {"v": "2"}}, headers=MERGE).status == 200
    patch = {
        "metadata": {"resourceVersion": first["metadata"]["resourceVersion"]},
        "data": {"v": "3"},
    }
    body = failure(server.request("PATCH", path, patch, headers=MERGE), 409, "Conflict")
    assert body["message"] == CONFLICT_MESSAGE
    assert body["details"] == {"name": "x", "kind": "configmaps"}
    assert server.request("GET", path).json()["data"] == {"v": "2"}


# -- Invalid -----------------------------------------------------------------------------------


def test_a_bad_configmap_name_is_invalid_at_metadata_name(server, ns):
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap("Foo_bar"))
    body = failure(resp, 422, "Invalid")
    detail = f'Invalid value: "Foo_bar": {RFC1123_SUBDOMAIN_MESSAGE}'
    assert body["message"] == f'ConfigMap "Foo_bar" is invalid: metadata.name: {detail}'
    assert body["details"] == {
        "name": "Foo_bar",
        "kind": "ConfigMap",
        "causes": [{"reason": "FieldValueInvalid", "message": detail, "field": "metadata.name"}],
    }


def test_a_pod_without_containers_is_invalid_at_spec_containers(server, ns):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}
    body = failure(server.request("POST", f"/api/v1/namespaces/{ns}/pods", pod), 422, "Invalid")
    assert body["message"] == 'Pod "p" is invalid: spec.containers: Required value'
    assert body["details"] == {
        "name": "p",
        "kind": "Pod",
        "causes": [
            {
                "reason": "FieldValueRequired",
                "message": "Required value",
                "field": "spec.containers",
            }
        ],
    }


def test_an_invalid_deployment_names_the_apps_group_in_its_details(server, ns):
    bad = deployment("web")
    bad["spec"]["replicas"] = -1
    resp = server.request("POST", f"/apis/apps/v1/namespaces/{ns}/deployments", bad)
    body = failure(resp, 422, "Invalid")
    assert body["message"].startswith(
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: '
    )
    assert body["details"]["name"] == "web"
    assert body["details"]["group"] == "apps"
    assert body["details"]["kind"] == "Deployment"
    assert [c["field"] for c in body["details"]["causes"]] == ["spec.replicas"]
    assert body["details"]["causes"][0]["reason"] == "FieldValueInvalid"


# -- BadRequest: bodies the server cannot decode --------------------------------------------------


def test_malformed_json_is_a_bad_request(server, ns):
    resp = server.request(
        "POST",
        f"/api/v1/namespaces/{ns}/configmaps",
        '{"apiVersion":',
        headers={"Content-Type": "application/json"},
    )
    body = failure(resp, 400, "BadRequest")
    # transformDecodeError: no kind could be read from the data
    assert body["message"].startswith(
        "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: "
    ), body["message"]
    assert "details" not in body


def test_malformed_yaml_is_a_bad_request(server, ns):
    resp = server.request(
        "POST",
        f"/api/v1/namespaces/{ns}/configmaps",
        "metadata: [name\n  x: :\n",
        headers={"Content-Type": "application/yaml"},
    )
    body = failure(resp, 400, "BadRequest")
    assert body["message"].startswith(
        "the object provided is unrecognized (must be of type ConfigMap): yaml: "
    ), body["message"]


def test_a_body_of_another_kind_than_the_url_is_a_bad_request(server, ns):
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {}}
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps", secret)
    body = failure(resp, 400, "BadRequest")
    assert body["message"].startswith(
        'Secret in version "v1" cannot be handled as a ConfigMap: '
    ), body["message"]
    assert configmap_names(server, ns) == []


def test_a_body_of_an_unregistered_group_version_is_a_bad_request(server, ns):
    cm = dict(configmap("x"), apiVersion="apps/v1")
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps", cm)
    body = failure(resp, 400, "BadRequest")
    assert body["message"].startswith(
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "apps/v1"'
    ), body["message"]
    assert configmap_names(server, ns) == []


def test_a_body_of_another_version_of_the_same_group_is_a_bad_request(server, ns):
    old = dict(deployment("web"), apiVersion="apps/v1beta1")
    resp = server.request("POST", f"/apis/apps/v1/namespaces/{ns}/deployments", old)
    body = failure(resp, 400, "BadRequest")
    assert (
        body["message"]
        == "the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)"
    )


# -- routing: 404 and 405 -------------------------------------------------------------------------

METHOD_NOT_ALLOWED = "the server does not allow this method on the requested resource"


def test_deletecollection_on_namespaces_is_method_not_allowed(server):
    body = failure(server.request("DELETE", "/api/v1/namespaces"), 405, "MethodNotAllowed")
    assert body["message"] == METHOD_NOT_ALLOWED
    assert body["details"] == {}
    assert server.request("GET", "/api/v1/namespaces/default").status == 200


def test_post_to_a_named_object_path_is_method_not_allowed(server, ns):
    create_configmap(server, ns, "x")
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps/y", configmap("y"))
    body = failure(resp, 405, "MethodNotAllowed")
    assert body["message"] == METHOD_NOT_ALLOWED
    assert body["details"] == {}
    assert configmap_names(server, ns) == ["x"]


def test_put_and_patch_on_a_collection_path_are_method_not_allowed(server, ns):
    path = f"/api/v1/namespaces/{ns}/configmaps"
    for resp in (
        server.request("PUT", path, configmap("x")),
        server.request("PATCH", path, {"data": {}}, headers=MERGE),
    ):
        body = failure(resp, 405, "MethodNotAllowed")
        assert body["message"] == METHOD_NOT_ALLOWED
    assert configmap_names(server, ns) == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/namespaces/default/foos",
        "/api/v1/foos",
        "/apis/apps/v1/namespaces/default/foos",
        "/api/v1/namespaces/default/nodes",
    ],
)
def test_an_unknown_resource_in_a_served_group_version_is_a_not_found_status(server, path):
    body = failure(server.request("GET", path), 404, "NotFound")
    assert body["message"] == "the server could not find the requested resource"
    assert body["details"] == {}


@pytest.mark.parametrize("path", ["/foo/bar", "/apis/nope.example.com/v1/namespaces/default/foos"])
def test_a_path_no_api_serves_is_a_plain_404_page_not_found(server, path):
    # The request falls through every handler to the final NotFound handler (http.NotFound).
    resp = server.request("GET", path)
    assert resp.status == 404
    assert resp.headers["content-type"] == "text/plain; charset=utf-8"
    assert resp.body == b"404 page not found\n"


# -- media types ----------------------------------------------------------------------------------


def test_a_patch_with_a_text_plain_content_type_is_unsupported_media_type(server, ns):
    create_configmap(server, ns, "x", a="b")
    resp = server.request(
        "PATCH",
        f"/api/v1/namespaces/{ns}/configmaps/x",
        '{"data":{"a":"c"}}',
        headers={"Content-Type": "text/plain"},
    )
    body = failure(resp, 415, "UnsupportedMediaType")
    assert body["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/strategic-merge-patch+json, application/apply-patch+yaml"
    )
    assert server.request("GET", f"/api/v1/namespaces/{ns}/configmaps/x").json()["data"] == {
        "a": "b"
    }


def test_a_post_with_a_bogus_content_type_is_unsupported_media_type(server, ns):
    resp = server.request(
        "POST",
        f"/api/v1/namespaces/{ns}/configmaps",
        json.dumps(configmap("x")),
        headers={"Content-Type": "application/bogus"},
    )
    body = failure(resp, 415, "UnsupportedMediaType")
    assert body["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json, application/yaml, application/vnd.kubernetes.protobuf"
    )
    assert configmap_names(server, ns) == []


def test_an_unacceptable_accept_header_is_not_acceptable(server, ns):
    create_configmap(server, ns, "x")
    resp = server.request(
        "GET", f"/api/v1/namespaces/{ns}/configmaps/x", headers={"Accept": "application/foo"}
    )
    body = failure(resp, 406, "NotAcceptable")
    assert body["message"] == (
        "only the following media types are accepted: "
        "application/json, application/yaml, application/vnd.kubernetes.protobuf"
    )


# -- size, authentication ---------------------------------------------------------------------------


def test_a_body_over_three_mebibytes_is_request_entity_too_large(server, ns):
    big = configmap("big", a="x" * (3 * 1024 * 1024 + 100))
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps", big)
    body = failure(resp, 413, "RequestEntityTooLarge")
    assert body["message"] == "Request entity too large: limit is 3145728"
    assert configmap_names(server, ns) == []


def test_a_request_without_a_client_certificate_is_unauthorized(server, ns):
    resp = server.request("GET", f"/api/v1/namespaces/{ns}/configmaps", client_cert=False)
    body = failure(resp, 401, "Unauthorized")
    assert body["message"] == "Unauthorized"
    assert "details" not in body


def test_an_unauthenticated_write_writes_nothing(server, ns):
    resp = server.request(
        "POST", f"/api/v1/namespaces/{ns}/configmaps", configmap("x"), client_cert=False
    )
    failure(resp, 401, "Unauthorized")
    assert configmap_names(server, ns) == []


# -- field validation ---------------------------------------------------------------------------------


def test_strict_field_validation_rejects_an_unknown_field(server, ns):
    cm = dict(configmap("x"), foo="bar")
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Strict", cm)
    body = failure(resp, 400, "BadRequest")
    # kube-apiserver passes the strict decoding error through transformDecodeError (as kubectl shows it)
    assert body["message"] == (
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"'
    )
    assert configmap_names(server, ns) == []


def test_strict_field_validation_names_a_nested_unknown_field_by_its_path(server, ns):
    cm = configmap("x")
    cm["metadata"]["bogus"] = 1
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Strict", cm)
    body = failure(resp, 400, "BadRequest")
    assert body["message"] == (
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.bogus"'
    )


def test_strict_field_validation_applies_to_updates_too(server, ns):
    current = create_configmap(server, ns, "x", a="b")
    changed = dict(current, data={"a": "c"}, foo="bar")
    resp = server.request(
        "PUT", f"/api/v1/namespaces/{ns}/configmaps/x?fieldValidation=Strict", changed
    )
    body = failure(resp, 400, "BadRequest")
    assert body["message"] == (
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"'
    )
    assert server.request("GET", f"/api/v1/namespaces/{ns}/configmaps/x").json()["data"] == {
        "a": "b"
    }


def test_strict_field_validation_rejects_a_patch_that_adds_an_unknown_field(server, ns):
    create_configmap(server, ns, "x", a="b")
    path = f"/api/v1/namespaces/{ns}/configmaps/x"
    resp = server.request(
        "PATCH", path + "?fieldValidation=Strict", {"foo": "bar", "data": {"a": "c"}}, headers=MERGE
    )
    body = failure(resp, 400, "BadRequest")
    assert body["message"] == 'strict decoding error: unknown field "foo"'
    assert server.request("GET", path).json()["data"] == {"a": "b"}


def test_warn_field_validation_creates_and_warns_about_the_unknown_field(server, ns):
    cm = dict(configmap("x", a="b"), foo="bar")
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Warn", cm)
    assert resp.status == 201, resp.body
    assert resp.headers["warning"] == '299 - "unknown field \\"foo\\""'
    created = resp.json()
    assert "foo" not in created
    assert created["data"] == {"a": "b"}
    assert configmap_names(server, ns) == ["x"]


def test_ignore_field_validation_creates_without_a_warning(server, ns):
    cm = dict(configmap("x"), foo="bar")
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Ignore", cm)
    assert resp.status == 201, resp.body
    assert "warning" not in resp.headers


def test_an_unknown_field_validation_directive_is_invalid_create_options(server, ns):
    resp = server.request(
        "POST", f"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Loud", configmap("x")
    )
    body = failure(resp, 422, "Invalid")
    detail = 'Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"'
    assert body["message"] == f'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: {detail}'
    assert body["details"] == {
        "group": "meta.k8s.io",
        "kind": "CreateOptions",
        "causes": [
            {"reason": "FieldValueNotSupported", "message": detail, "field": "fieldValidation"}
        ],
    }
    assert configmap_names(server, ns) == []


# -- the body must name the object of the URL ----------------------------------------------------


def test_an_update_whose_body_names_another_object_is_a_bad_request(server, ns):
    current = create_configmap(server, ns, "x")
    other = dict(current, metadata=dict(current["metadata"], name="y"))
    resp = server.request("PUT", f"/api/v1/namespaces/{ns}/configmaps/x", other)
    body = failure(resp, 400, "BadRequest")
    assert body["message"] == "the name of the object (y) does not match the name on the URL (x)"
    assert configmap_names(server, ns) == ["x"]


def test_a_create_whose_body_names_another_namespace_is_a_bad_request(server, ns):
    cm = configmap("x")
    cm["metadata"]["namespace"] = "default"
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps", cm)
    body = failure(resp, 400, "BadRequest")
    assert (
        body["message"]
        == "the namespace of the provided object does not match the namespace sent on the request"
    )
    assert configmap_names(server, ns) == []


# -- a failed request writes nothing --------------------------------------------------------------------


def test_failed_requests_leave_the_namespace_unchanged(server, ns):
    path = f"/api/v1/namespaces/{ns}/configmaps"
    kept = create_configmap(server, ns, "kept", v="1")
    rv = kept["metadata"]["resourceVersion"]
    failures = [
        server.request("POST", path, configmap("Bad_Name")),
        server.request("POST", path, configmap("kept", v="2")),
        server.request("POST", path + "?fieldValidation=Strict", dict(configmap("strict"), foo=1)),
        server.request("POST", path, '{"kind":', headers={"Content-Type": "application/json"}),
        server.request(
            "POST", path, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}
        ),
        server.request(
            "PUT",
            path + "/kept",
            dict(kept, data={"v": "3"}, metadata=dict(kept["metadata"], resourceVersion="1")),
        ),
        server.request("PATCH", path + "/kept", '{"data":', headers=MERGE),
        server.request(
            "PATCH", path + "/kept", {"data": {"v": "4"}}, headers={"Content-Type": "text/plain"}
        ),
        server.request(
            "PUT", path + "/kept", dict(kept, metadata=dict(kept["metadata"], name="Other_Name"))
        ),
    ]
    assert [r.status for r in failures] == [422, 409, 400, 400, 400, 409, 400, 415, 400]
    assert configmap_names(server, ns) == ["kept"]
    now = server.request("GET", path + "/kept").json()
    assert now["data"] == {"v": "1"}
    assert now["metadata"]["resourceVersion"] == rv
