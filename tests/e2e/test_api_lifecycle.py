"""Object lifecycle over raw HTTP: metadata, names, dry runs, deletion, namespaces, subresources,
and the alternative representations (Table, PartialObjectMetadata, YAML).

Kubernetes 1.33 (kube-apiserver alone, with its default --enable-garbage-collector) is the
specification.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml

MERGE = {"Content-Type": "application/merge-patch+json"}
TABLE = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}
PARTIAL = {"Accept": "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"}
PARTIAL_LIST = {"Accept": "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"}
GENERATED_SUFFIX = re.compile(r"^[bcdfghjklmnpqrstvwxz2456789]{5}$")  # utilrand.String's alphabet


# -- helpers ------------------------------------------------------------------------------------


def cm_path(ns: str, name: str = "") -> str:
    return f"/api/v1/namespaces/{ns}/configmaps" + (f"/{name}" if name else "")


def deploy_path(ns: str, name: str = "") -> str:
    return f"/apis/apps/v1/namespaces/{ns}/deployments" + (f"/{name}" if name else "")


def pod_path(ns: str, name: str = "") -> str:
    return f"/api/v1/namespaces/{ns}/pods" + (f"/{name}" if name else "")


def configmap(name: str, labels: dict[str, str] | None = None, **data: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


def deployment(name: str, replicas: int = 1) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": {"team": "a"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }


def pod(name: str, node: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"containers": [{"name": "c", "image": "nginx"}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def created(server: Any, path: str, body: Any, **kw: Any) -> dict[str, Any]:
    resp = server.request("POST", path, body, **kw)
    assert resp.status == 201, resp.body
    return resp.json()


def ok(resp: Any, status: int = 200) -> dict[str, Any]:
    assert resp.status == status, resp.body
    return resp.json()


def get(server: Any, path: str) -> dict[str, Any]:
    return ok(server.request("GET", path))


def missing(server: Any, path: str) -> bool:
    resp = server.request("GET", path)
    assert resp.status in (200, 404), resp.body
    return resp.status == 404


def failure(resp: Any, code: int, reason: str) -> dict[str, Any]:
    assert resp.status == code, resp.body
    body = resp.json()
    assert body["kind"] == "Status", body
    assert body["apiVersion"] == "v1", body
    assert body["status"] == "Failure", body
    assert body["code"] == code, body
    assert body["reason"] == reason, body
    return body


def parse_time(value: str) -> datetime:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value), value
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


# -- metadata set by the server --------------------------------------------------------------------


def test_create_sets_uid_creation_timestamp_and_resource_version(server, ns):
    before = datetime.now(UTC).replace(microsecond=0)
    obj = created(server, cm_path(ns), configmap("x", a="b"))
    meta = obj["metadata"]
    assert str(uuid.UUID(meta["uid"])) == meta["uid"]
    stamp = parse_time(meta["creationTimestamp"])
    assert before - timedelta(seconds=5) <= stamp <= datetime.now(UTC) + timedelta(seconds=5)
    assert meta["resourceVersion"].isdigit()
    assert meta["namespace"] == ns
    assert "generation" not in meta  # configmaps have no spec to track
    assert "deletionTimestamp" not in meta
    assert get(server, cm_path(ns, "x"))["metadata"] == meta


def test_create_ignores_a_client_supplied_uid_and_creation_timestamp(server, ns):
    body = configmap("x")
    body["metadata"]["uid"] = "00000000-0000-0000-0000-000000000001"
    body["metadata"]["creationTimestamp"] = "2001-01-01T00:00:00Z"
    meta = created(server, cm_path(ns), body)["metadata"]
    assert meta["uid"] != "00000000-0000-0000-0000-000000000001"
    assert parse_time(meta["creationTimestamp"]).year >= 2024


def test_update_keeps_uid_and_creation_timestamp_and_advances_resource_version(server, ns):
    first = created(server, cm_path(ns), configmap("x", v="1"))
    changed = dict(first, data={"v": "2"})
    changed["metadata"] = dict(
        first["metadata"],
        uid="00000000-0000-0000-0000-000000000001",
        creationTimestamp="2001-01-01T00:00:00Z",
    )
    second = ok(server.request("PUT", cm_path(ns, "x"), changed))
    assert second["metadata"]["uid"] == first["metadata"]["uid"]
    assert second["metadata"]["creationTimestamp"] == first["metadata"]["creationTimestamp"]
    assert int(second["metadata"]["resourceVersion"]) > int(first["metadata"]["resourceVersion"])
    assert second["data"] == {"v": "2"}


def test_a_no_op_update_keeps_the_resource_version(server, ns):
    first = created(server, cm_path(ns), configmap("x", v="1"))
    again = ok(server.request("PUT", cm_path(ns, "x"), first))
    assert again["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    patched = ok(server.request("PATCH", cm_path(ns, "x"), {"data": {"v": "1"}}, headers=MERGE))
    assert patched["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]


def test_deployment_generation_starts_at_one_and_moves_only_with_the_spec(server, ns):
    path = deploy_path(ns, "web")
    obj = created(server, deploy_path(ns), deployment("web"))
    assert obj["metadata"]["generation"] == 1
    obj = ok(server.request("PATCH", path, {"metadata": {"labels": {"extra": "1"}}}, headers=MERGE))
    assert obj["metadata"]["generation"] == 1
    obj = ok(
        server.request("PATCH", path, {"metadata": {"annotations": {"note": "x"}}}, headers=MERGE)
    )
    assert obj["metadata"]["generation"] == 1
    obj = ok(
        server.request(
            "PATCH",
            path + "/status",
            {"status": {"replicas": 3, "observedGeneration": 1}},
            headers=MERGE,
        )
    )
    assert obj["metadata"]["generation"] == 1
    assert obj["status"]["replicas"] == 3
    obj = ok(server.request("PATCH", path, {"spec": {"replicas": 2}}, headers=MERGE))
    assert obj["metadata"]["generation"] == 2
    obj = ok(
        server.request(
            "PATCH",
            path,
            {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "nginx:2"}]}}}},
            headers=MERGE,
        )
    )
    assert obj["metadata"]["generation"] == 3
    assert get(server, path)["metadata"]["generation"] == 3


def test_a_client_cannot_set_the_generation(server, ns):
    body = deployment("web")
    body["metadata"]["generation"] = 7
    assert created(server, deploy_path(ns), body)["metadata"]["generation"] == 1


# -- names ----------------------------------------------------------------------------------------


def test_generate_name_appends_five_random_characters(server, ns):
    names = set()
    for _ in range(3):
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "gen-"}}
        meta = created(server, cm_path(ns), body)["metadata"]
        assert meta["generateName"] == "gen-"
        assert meta["name"].startswith("gen-")
        assert GENERATED_SUFFIX.match(meta["name"][len("gen-") :]), meta["name"]
        names.add(meta["name"])
    assert len(names) == 3
    listed = get(server, cm_path(ns))
    assert {i["metadata"]["name"] for i in listed["items"]} == names | {"kube-root-ca.crt"}


def test_a_name_wins_over_generate_name(server, ns):
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "fixed", "generateName": "gen-"},
    }
    assert created(server, cm_path(ns), body)["metadata"]["name"] == "fixed"


def test_an_object_without_name_or_generate_name_is_invalid(server, ns):
    resp = server.request(
        "POST", cm_path(ns), {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}
    )
    body = failure(resp, 422, "Invalid")
    assert (
        body["message"]
        == 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'
    )
    assert body["details"]["causes"] == [
        {
            "reason": "FieldValueRequired",
            "message": "Required value: name or generateName is required",
            "field": "metadata.name",
        }
    ]


# -- labels and annotations -------------------------------------------------------------------------

LABEL_NAME_MESSAGE = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
    "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
    "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE_MESSAGE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
    "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


def test_a_bad_label_key_is_invalid_at_metadata_labels(server, ns):
    resp = server.request("POST", cm_path(ns), configmap("x", {"bad key": "v"}))
    body = failure(resp, 422, "Invalid")
    detail = f'Invalid value: "bad key": {LABEL_NAME_MESSAGE}'
    assert body["message"] == f'ConfigMap "x" is invalid: metadata.labels: {detail}'
    assert body["details"]["causes"] == [
        {"reason": "FieldValueInvalid", "message": detail, "field": "metadata.labels"}
    ]


def test_a_bad_label_value_is_invalid_at_metadata_labels(server, ns):
    resp = server.request("POST", cm_path(ns), configmap("x", {"k": "-bad"}))
    body = failure(resp, 422, "Invalid")
    detail = f'Invalid value: "-bad": {LABEL_VALUE_MESSAGE}'
    assert body["message"] == f'ConfigMap "x" is invalid: metadata.labels: {detail}'
    assert body["details"]["causes"] == [
        {"reason": "FieldValueInvalid", "message": detail, "field": "metadata.labels"}
    ]


def test_a_bad_annotation_key_is_invalid_at_metadata_annotations(server, ns):
    body = configmap("x")
    body["metadata"]["annotations"] = {"bad key": "anything at all is fine here"}
    resp = server.request("POST", cm_path(ns), body)
    status = failure(resp, 422, "Invalid")
    detail = f'Invalid value: "bad key": {LABEL_NAME_MESSAGE}'
    assert status["message"] == f'ConfigMap "x" is invalid: metadata.annotations: {detail}'
    assert status["details"]["causes"] == [
        {"reason": "FieldValueInvalid", "message": detail, "field": "metadata.annotations"}
    ]


def test_annotations_over_256_kib_are_too_long(server, ns):
    body = configmap("x")
    body["metadata"]["annotations"] = {"big": "x" * (256 * 1024 + 1)}
    status = failure(server.request("POST", cm_path(ns), body), 422, "Invalid")
    assert [c["field"] for c in status["details"]["causes"]] == ["metadata.annotations"]
    assert status["details"]["causes"][0]["reason"] == "FieldValueTooLong"


def test_an_update_with_a_bad_label_writes_nothing(server, ns):
    first = created(server, cm_path(ns), configmap("x", {"ok": "yes"}))
    bad = dict(first, metadata=dict(first["metadata"], labels={"ok": "-no-"}))
    failure(server.request("PUT", cm_path(ns, "x"), bad), 422, "Invalid")
    assert get(server, cm_path(ns, "x"))["metadata"]["labels"] == {"ok": "yes"}


# -- dry run ----------------------------------------------------------------------------------------


def test_dry_run_create_returns_the_object_and_writes_nothing(server, ns):
    resp = server.request("POST", cm_path(ns) + "?dryRun=All", configmap("x", a="b"))
    obj = ok(resp, 201)
    assert obj["metadata"]["name"] == "x"
    assert obj["metadata"]["namespace"] == ns
    assert obj["metadata"]["uid"]
    assert obj["data"] == {"a": "b"}
    assert missing(server, cm_path(ns, "x"))
    assert [i["metadata"]["name"] for i in get(server, cm_path(ns))["items"]] == [
        "kube-root-ca.crt"
    ]


def test_dry_run_create_still_validates(server, ns):
    failure(
        server.request("POST", cm_path(ns) + "?dryRun=All", configmap("Bad_Name")), 422, "Invalid"
    )


def test_dry_run_update_and_patch_return_the_result_and_write_nothing(server, ns):
    first = created(server, cm_path(ns), configmap("x", v="1"))
    updated = ok(
        server.request("PUT", cm_path(ns, "x") + "?dryRun=All", dict(first, data={"v": "2"}))
    )
    assert updated["data"] == {"v": "2"}
    patched = ok(
        server.request(
            "PATCH", cm_path(ns, "x") + "?dryRun=All", {"data": {"v": "3"}}, headers=MERGE
        )
    )
    assert patched["data"] == {"v": "3"}
    now = get(server, cm_path(ns, "x"))
    assert now["data"] == {"v": "1"}
    assert now["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]


def test_dry_run_delete_returns_success_and_keeps_the_object(server, ns):
    first = created(server, cm_path(ns), configmap("x"))
    status = ok(server.request("DELETE", cm_path(ns, "x") + "?dryRun=All"))
    assert status["kind"] == "Status"
    assert status["status"] == "Success"
    assert status["details"]["name"] == "x"
    assert (
        get(server, cm_path(ns, "x"))["metadata"]["resourceVersion"]
        == first["metadata"]["resourceVersion"]
    )


# -- finalizers -------------------------------------------------------------------------------------


def test_a_finalizer_holds_a_deleted_object_until_an_update_removes_it(server, ns):
    body = configmap("x")
    body["metadata"]["finalizers"] = ["example.com/hold"]
    created(server, cm_path(ns), body)
    # kube-apiserver answers 200 (202 only when orphanDependents=false was asked for)
    deleting = ok(server.request("DELETE", cm_path(ns, "x")))
    assert deleting["kind"] == "ConfigMap"
    assert deleting["metadata"]["finalizers"] == ["example.com/hold"]
    assert deleting["metadata"]["deletionGracePeriodSeconds"] == 0
    parse_time(deleting["metadata"]["deletionTimestamp"])
    held = get(server, cm_path(ns, "x"))
    assert held["metadata"]["deletionTimestamp"] == deleting["metadata"]["deletionTimestamp"]
    # deleting again changes nothing
    again = ok(server.request("DELETE", cm_path(ns, "x")))
    assert again["metadata"]["deletionTimestamp"] == deleting["metadata"]["deletionTimestamp"]
    # other fields may still change while the finalizer holds it
    ok(server.request("PATCH", cm_path(ns, "x"), {"data": {"late": "write"}}, headers=MERGE))
    held = get(server, cm_path(ns, "x"))
    held["metadata"]["finalizers"] = []
    ok(server.request("PUT", cm_path(ns, "x"), held))
    assert missing(server, cm_path(ns, "x"))


def test_no_finalizer_can_be_added_to_an_object_being_deleted(server, ns):
    body = configmap("x")
    body["metadata"]["finalizers"] = ["example.com/a"]
    created(server, cm_path(ns), body)
    ok(server.request("DELETE", cm_path(ns, "x")))
    resp = server.request(
        "PATCH",
        cm_path(ns, "x"),
        {"metadata": {"finalizers": ["example.com/a", "example.com/b"]}},
        headers=MERGE,
    )
    status = failure(resp, 422, "Invalid")
    assert [c["field"] for c in status["details"]["causes"]] == ["metadata.finalizers"]
    assert status["details"]["causes"][0]["reason"] == "FieldValueForbidden"
    ok(server.request("PATCH", cm_path(ns, "x"), {"metadata": {"finalizers": None}}, headers=MERGE))
    assert missing(server, cm_path(ns, "x"))


# -- graceful pod deletion ----------------------------------------------------------------------------


def test_a_scheduled_pod_deleted_with_a_grace_period_stays_until_deleted_with_zero(server, ns):
    created(server, pod_path(ns), pod("p", node="node-1"))
    deleting = ok(
        server.request(
            "DELETE",
            pod_path(ns, "p"),
            {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 30},
        )
    )
    assert deleting["kind"] == "Pod"
    assert deleting["metadata"]["deletionGracePeriodSeconds"] == 30
    stamp = parse_time(deleting["metadata"]["deletionTimestamp"])
    assert stamp > datetime.now(UTC) + timedelta(seconds=20)  # now + grace period
    assert get(server, pod_path(ns, "p"))["metadata"]["deletionGracePeriodSeconds"] == 30
    gone = ok(server.request("DELETE", pod_path(ns, "p") + "?gracePeriodSeconds=0"))
    assert gone["kind"] == "Pod"  # pods return the deleted object
    assert missing(server, pod_path(ns, "p"))


def test_a_scheduled_pod_is_deleted_gracefully_by_default(server, ns):
    created(server, pod_path(ns), pod("p", node="node-1"))
    deleting = ok(server.request("DELETE", pod_path(ns, "p")))
    assert (
        deleting["metadata"]["deletionGracePeriodSeconds"] == 30
    )  # spec.terminationGracePeriodSeconds
    assert not missing(server, pod_path(ns, "p"))
    ok(server.request("DELETE", pod_path(ns, "p"), {"gracePeriodSeconds": 0}))
    assert missing(server, pod_path(ns, "p"))


def test_a_pod_without_a_node_is_deleted_at_once(server, ns):
    created(server, pod_path(ns), pod("p"))
    gone = ok(server.request("DELETE", pod_path(ns, "p") + "?gracePeriodSeconds=30"))
    assert gone["kind"] == "Pod"
    assert gone["metadata"]["name"] == "p"
    assert missing(server, pod_path(ns, "p"))


# -- propagation policies ------------------------------------------------------------------------------


def test_background_propagation_deletes_at_once(server, ns):
    obj = created(server, deploy_path(ns), deployment("web"))
    status = ok(
        server.request(
            "DELETE",
            deploy_path(ns, "web"),
            {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"},
        )
    )
    assert status == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": {
            "name": "web",
            "group": "apps",
            "kind": "deployments",
            "uid": obj["metadata"]["uid"],
        },
    }
    assert missing(server, deploy_path(ns, "web"))


@pytest.mark.parametrize(
    ("policy", "finalizer"), [("Foreground", "foregroundDeletion"), ("Orphan", "orphan")]
)
def test_foreground_and_orphan_propagation_hand_the_object_to_the_garbage_collector(
    server, ns, policy, finalizer
):
    created(server, deploy_path(ns), deployment("web"))
    deleting = ok(server.request("DELETE", deploy_path(ns, "web") + f"?propagationPolicy={policy}"))
    assert deleting["kind"] == "Deployment"
    assert deleting["metadata"]["finalizers"] == [finalizer]
    assert deleting["metadata"]["deletionGracePeriodSeconds"] == 0
    parse_time(deleting["metadata"]["deletionTimestamp"])
    # With no dependents, the garbage collector releases it at once.
    assert eventually_missing(server, deploy_path(ns, "web"))


def owned_configmap(name: str, owner: dict) -> dict:
    body = configmap(name)
    body["metadata"]["ownerReferences"] = [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"],
            "blockOwnerDeletion": True,
        }
    ]
    return body


@pytest.mark.parametrize("policy", ["Foreground", "Background"])
def test_deleting_an_owner_deletes_its_dependents(server, ns, policy):
    owner = created(server, deploy_path(ns), deployment("web"))
    created(server, cm_path(ns), owned_configmap("dep", owner))
    ok(server.request("DELETE", deploy_path(ns, "web") + f"?propagationPolicy={policy}"))
    assert eventually_missing(server, cm_path(ns, "dep"))
    assert eventually_missing(server, deploy_path(ns, "web"))


def test_orphan_propagation_keeps_dependents_without_the_owner_reference(server, ns):
    owner = created(server, deploy_path(ns), deployment("web"))
    created(server, cm_path(ns), owned_configmap("dep", owner))
    ok(server.request("DELETE", deploy_path(ns, "web") + "?propagationPolicy=Orphan"))
    assert eventually_missing(server, deploy_path(ns, "web"))
    assert "ownerReferences" not in get(server, cm_path(ns, "dep"))["metadata"]


def eventually_missing(server, path: str, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.request("GET", path).status == 404:
            return True
        time.sleep(0.05)
    return False


def test_an_unknown_propagation_policy_is_invalid_delete_options(server, ns):
    created(server, cm_path(ns), configmap("x"))
    resp = server.request("DELETE", cm_path(ns, "x"), {"propagationPolicy": "Bogus"})
    status = failure(resp, 422, "Invalid")
    detail = (
        'Unsupported value: "Bogus": supported values: "Foreground", "Background", "Orphan", "nil"'
    )
    assert (
        status["message"] == f'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: {detail}'
    )
    assert status["details"] == {
        "group": "meta.k8s.io",
        "kind": "DeleteOptions",
        "causes": [
            {"reason": "FieldValueNotSupported", "message": detail, "field": "propagationPolicy"}
        ],
    }
    assert not missing(server, cm_path(ns, "x"))


def test_a_delete_with_a_stale_uid_precondition_is_a_conflict(server, ns):
    created(server, cm_path(ns), configmap("x"))
    resp = server.request(
        "DELETE",
        cm_path(ns, "x"),
        {"preconditions": {"uid": "00000000-0000-0000-0000-000000000001"}},
    )
    failure(resp, 409, "Conflict")
    assert not missing(server, cm_path(ns, "x"))


# -- namespaces ---------------------------------------------------------------------------------------


def test_creating_in_a_missing_namespace_is_not_found(server):
    status = failure(server.request("POST", cm_path("nope"), configmap("x")), 404, "NotFound")
    assert status["message"] == 'namespaces "nope" not found'
    assert status["details"] == {"name": "nope", "kind": "namespaces"}


@pytest.fixture
def terminating_ns(server):
    """A namespace held in Terminating by a finalizer of our own (released afterwards)."""
    name = "term-" + uuid.uuid4().hex[:8]
    body = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "finalizers": ["example.com/hold"]},
    }
    created(server, "/api/v1/namespaces", body)
    resp = server.request("DELETE", f"/api/v1/namespaces/{name}")
    assert resp.status in (200, 202), resp.body  # the code itself is checked by its own test
    deadline = time.monotonic() + 10
    while get(server, f"/api/v1/namespaces/{name}").get("status", {}).get("phase") != "Terminating":
        assert time.monotonic() < deadline, "namespace never became Terminating"
        time.sleep(0.1)
    yield name
    server.request(
        "PATCH", f"/api/v1/namespaces/{name}", {"metadata": {"finalizers": None}}, headers=MERGE
    )


def test_deleting_a_namespace_marks_it_terminating(server):
    name = "term-" + uuid.uuid4().hex[:8]
    body = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "finalizers": ["example.com/hold"]},
    }
    created(server, "/api/v1/namespaces", body)
    try:
        deleting = ok(server.request("DELETE", f"/api/v1/namespaces/{name}"))  # 200, not 202
        assert deleting["kind"] == "Namespace"
        assert deleting["status"]["phase"] == "Terminating"
        parse_time(deleting["metadata"]["deletionTimestamp"])
        got = get(server, f"/api/v1/namespaces/{name}")
        assert got["status"]["phase"] == "Terminating"
        assert got["metadata"]["deletionTimestamp"] == deleting["metadata"]["deletionTimestamp"]
    finally:
        server.request(
            "PATCH", f"/api/v1/namespaces/{name}", {"metadata": {"finalizers": None}}, headers=MERGE
        )


def test_creating_in_a_terminating_namespace_is_forbidden(server, terminating_ns):
    resp = server.request("POST", cm_path(terminating_ns), configmap("x"))
    status = failure(resp, 403, "Forbidden")
    assert status["message"] == (
        f'configmaps "x" is forbidden: unable to create new content in namespace {terminating_ns} '
        "because it is being terminated"
    )
    assert status["details"] == {
        "name": "x",
        "kind": "configmaps",
        "causes": [
            {
                "reason": "NamespaceTerminating",
                "message": f"namespace {terminating_ns} is being terminated",
                "field": "metadata.namespace",
            }
        ],
    }


def test_a_generate_name_create_in_a_terminating_namespace_names_the_prefix(server, terminating_ns):
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "gen-"}}
    status = failure(server.request("POST", cm_path(terminating_ns), body), 403, "Forbidden")
    # admission runs before the name is generated, and names the object by its prefix
    assert status["message"].startswith(
        'configmaps "gen-" is forbidden: unable to create new content in namespace '
    )
    assert status["details"]["name"] == "gen-"


def test_the_four_system_namespaces_exist_and_are_active(server):
    listed = get(server, "/api/v1/namespaces")
    phases = {i["metadata"]["name"]: i["status"]["phase"] for i in listed["items"]}
    for name in ("default", "kube-system", "kube-public", "kube-node-lease"):
        assert phases.get(name) == "Active", name
        got = get(server, f"/api/v1/namespaces/{name}")
        assert got["metadata"]["labels"]["kubernetes.io/metadata.name"] == name


def test_cluster_scoped_resources_live_at_cluster_paths(server, ns):
    node = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": f"node-{ns}", "namespace": "default"},
    }
    obj = created(server, "/api/v1/nodes", node)
    assert "namespace" not in obj["metadata"]  # cleared for a cluster-scoped object
    assert get(server, f"/api/v1/nodes/node-{ns}")["metadata"]["name"] == f"node-{ns}"
    assert f"node-{ns}" in {i["metadata"]["name"] for i in get(server, "/api/v1/nodes")["items"]}
    status = failure(server.request("GET", "/api/v1/namespaces/default/nodes"), 404, "NotFound")
    assert status["message"] == "the server could not find the requested resource"
    status = failure(
        server.request("GET", f"/api/v1/namespaces/default/nodes/node-{ns}"), 404, "NotFound"
    )
    assert status["message"] == "the server could not find the requested resource"
    ok(server.request("DELETE", f"/api/v1/nodes/node-{ns}"))
    ns_obj = get(server, f"/api/v1/namespaces/{ns}")
    assert "namespace" not in ns_obj["metadata"]


def test_namespaced_resources_are_listed_at_the_cluster_path_across_namespaces(server, ns):
    created(server, cm_path(ns), configmap("x"))
    listed = get(server, "/api/v1/configmaps")
    assert (ns, "x") in {
        (i["metadata"]["namespace"], i["metadata"]["name"]) for i in listed["items"]
    }


# -- status subresource -------------------------------------------------------------------------------


def test_put_status_changes_only_the_status(server, ns):
    obj = created(server, deploy_path(ns), deployment("web", replicas=1))
    obj["status"] = {"replicas": 9, "observedGeneration": 1}
    obj["spec"]["replicas"] = 7
    obj["metadata"]["labels"] = {"team": "changed"}
    after = ok(server.request("PUT", deploy_path(ns, "web") + "/status", obj))
    assert after["status"]["replicas"] == 9
    assert after["spec"]["replicas"] == 1
    assert after["metadata"]["labels"] == {"team": "a"}
    assert after["metadata"]["generation"] == 1
    stored = get(server, deploy_path(ns, "web"))
    assert stored["status"]["replicas"] == 9
    assert stored["spec"]["replicas"] == 1


def test_put_on_the_main_resource_does_not_change_the_status(server, ns):
    obj = created(server, deploy_path(ns), deployment("web", replicas=1))
    obj = ok(
        server.request(
            "PATCH", deploy_path(ns, "web") + "/status", {"status": {"replicas": 4}}, headers=MERGE
        )
    )
    obj["status"] = {"replicas": 100}
    obj["spec"]["replicas"] = 2
    after = ok(server.request("PUT", deploy_path(ns, "web"), obj))
    assert after["spec"]["replicas"] == 2
    assert after["status"]["replicas"] == 4
    assert get(server, deploy_path(ns, "web"))["status"]["replicas"] == 4


def test_get_status_returns_the_whole_object(server, ns):
    created(server, deploy_path(ns), deployment("web"))
    got = get(server, deploy_path(ns, "web") + "/status")
    assert got["kind"] == "Deployment"
    assert got["spec"]["replicas"] == 1


# -- scale subresource ----------------------------------------------------------------------------------


def test_get_scale_returns_an_autoscaling_v1_scale(server, ns):
    obj = created(server, deploy_path(ns), deployment("web", replicas=3))
    scale = get(server, deploy_path(ns, "web") + "/scale")
    assert scale["kind"] == "Scale"
    assert scale["apiVersion"] == "autoscaling/v1"
    meta = scale["metadata"]
    assert meta["name"] == "web"
    assert meta["namespace"] == ns
    assert meta["uid"] == obj["metadata"]["uid"]
    assert meta["resourceVersion"] == obj["metadata"]["resourceVersion"]
    assert meta["creationTimestamp"] == obj["metadata"]["creationTimestamp"]
    assert scale["spec"] == {"replicas": 3}
    assert scale["status"]["selector"] == "app=web"
    assert scale["status"].get("replicas", 0) == 0


def test_patch_scale_sets_the_deployment_replicas(server, ns):
    created(server, deploy_path(ns), deployment("web", replicas=1))
    scale = ok(
        server.request(
            "PATCH", deploy_path(ns, "web") + "/scale", {"spec": {"replicas": 5}}, headers=MERGE
        )
    )
    assert scale["kind"] == "Scale"
    assert scale["spec"]["replicas"] == 5
    dep = get(server, deploy_path(ns, "web"))
    assert dep["spec"]["replicas"] == 5
    assert dep["metadata"]["generation"] == 2
    assert dep["metadata"]["resourceVersion"] == scale["metadata"]["resourceVersion"]


def test_put_scale_sets_the_deployment_replicas(server, ns):
    created(server, deploy_path(ns), deployment("web", replicas=1))
    scale = get(server, deploy_path(ns, "web") + "/scale")
    scale["spec"]["replicas"] = 4
    after = ok(server.request("PUT", deploy_path(ns, "web") + "/scale", scale))
    assert after["spec"]["replicas"] == 4
    assert get(server, deploy_path(ns, "web"))["spec"]["replicas"] == 4


# -- Table, PartialObjectMetadata --------------------------------------------------------------------


def test_a_configmap_table_has_kubectl_s_columns(server, ns):
    created(server, cm_path(ns), configmap("a", k1="v", k2="v"))
    created(server, cm_path(ns), configmap("b"))
    resp = server.request("GET", cm_path(ns), headers=TABLE)
    table = ok(resp)
    assert resp.headers["content-type"].startswith("application/json")
    assert table["kind"] == "Table"
    assert table["apiVersion"] == "meta.k8s.io/v1"
    assert table["metadata"]["resourceVersion"]
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Data", "Age"]
    assert [c["type"] for c in table["columnDefinitions"]] == ["string", "string", "string"]
    assert table["columnDefinitions"][0]["format"] == "name"
    rows = [r["cells"][:2] for r in table["rows"]]
    assert rows == [["a", 2], ["b", 0], ["kube-root-ca.crt", 1]]
    assert all(isinstance(r["cells"][2], str) for r in table["rows"])
    obj = table["rows"][0]["object"]
    assert obj["kind"] == "PartialObjectMetadata"
    assert obj["apiVersion"] == "meta.k8s.io/v1"
    assert obj["metadata"]["name"] == "a"
    assert "data" not in obj


def test_a_pod_table_has_kubectl_s_columns(server, ns):
    created(server, pod_path(ns), pod("p"))
    table = ok(server.request("GET", pod_path(ns), headers=TABLE))
    columns = table["columnDefinitions"]
    assert [c["name"] for c in columns] == [
        "Name",
        "Ready",
        "Status",
        "Restarts",
        "Age",
        "IP",
        "Node",
        "Nominated Node",
        "Readiness Gates",
    ]
    assert [c["priority"] for c in columns] == [0, 0, 0, 0, 0, 1, 1, 1, 1]
    (row,) = table["rows"]
    cells = row["cells"]
    assert cells[:4] == ["p", "0/1", "Pending", "0"]
    assert cells[5:] == ["<none>", "<none>", "<none>", "<none>"]


def test_a_table_for_one_object_has_one_row(server, ns):
    created(server, cm_path(ns), configmap("a", k="v"))
    table = ok(server.request("GET", cm_path(ns, "a"), headers=TABLE))
    assert table["kind"] == "Table"
    assert [r["cells"][:2] for r in table["rows"]] == [["a", 1]]


def test_include_object_chooses_what_table_rows_carry(server, ns):
    created(server, cm_path(ns), configmap("a", k="v"))
    full = ok(server.request("GET", cm_path(ns) + "?includeObject=Object", headers=TABLE))
    obj = full["rows"][0]["object"]
    assert obj["kind"] == "ConfigMap"
    assert obj["apiVersion"] == "v1"
    assert obj["data"] == {"k": "v"}
    none = ok(server.request("GET", cm_path(ns) + "?includeObject=None", headers=TABLE))
    assert none["rows"][0].get("object") is None
    assert none["rows"][0]["cells"][0] == "a"
    meta = ok(server.request("GET", cm_path(ns) + "?includeObject=Metadata", headers=TABLE))
    assert meta["rows"][0]["object"]["kind"] == "PartialObjectMetadata"


def test_partial_object_metadata_for_one_object(server, ns):
    obj = created(server, cm_path(ns), configmap("a", {"app": "x"}, k="v"))
    got = ok(server.request("GET", cm_path(ns, "a"), headers=PARTIAL))
    assert got["kind"] == "PartialObjectMetadata"
    assert got["apiVersion"] == "meta.k8s.io/v1"
    assert got["metadata"] == obj["metadata"]
    assert "data" not in got


def test_partial_object_metadata_list(server, ns):
    created(server, cm_path(ns), configmap("a", k="v"))
    created(server, cm_path(ns), configmap("b", k="v"))
    got = ok(server.request("GET", cm_path(ns), headers=PARTIAL_LIST))
    assert got["kind"] == "PartialObjectMetadataList"
    assert got["apiVersion"] == "meta.k8s.io/v1"
    assert got["metadata"]["resourceVersion"]
    assert [i["metadata"]["name"] for i in got["items"]] == ["a", "b", "kube-root-ca.crt"]
    assert all(
        i["kind"] == "PartialObjectMetadata" and i["apiVersion"] == "meta.k8s.io/v1"
        for i in got["items"]
    )
    assert all("data" not in i for i in got["items"])


# -- YAML ---------------------------------------------------------------------------------------------


def test_yaml_bodies_are_accepted(server, ns):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromyaml\n  labels:\n    a: b\ndata:\n  k: v\n"
    obj = created(server, cm_path(ns), text, headers={"Content-Type": "application/yaml"})
    assert obj["metadata"]["name"] == "fromyaml"
    assert obj["metadata"]["labels"] == {"a": "b"}
    assert obj["data"] == {"k": "v"}


def test_yaml_is_served_when_asked_for(server, ns):
    obj = created(server, cm_path(ns), configmap("x", k="v"))
    resp = server.request("GET", cm_path(ns, "x"), headers={"Accept": "application/yaml"})
    assert resp.status == 200
    assert resp.headers["content-type"] == "application/yaml"
    assert yaml.safe_load(resp.body) == obj
    resp = server.request("GET", cm_path(ns), headers={"Accept": "application/yaml"})
    listed = yaml.safe_load(resp.body)
    assert listed["kind"] == "ConfigMapList"
    assert [i["metadata"]["name"] for i in listed["items"]] == ["kube-root-ca.crt", "x"]


def test_errors_are_served_as_yaml_when_yaml_is_asked_for(server, ns):
    resp = server.request("GET", cm_path(ns, "nope"), headers={"Accept": "application/yaml"})
    assert resp.status == 404
    assert resp.headers["content-type"] == "application/yaml"
    status = yaml.safe_load(resp.body)
    assert status["kind"] == "Status"
    assert status["reason"] == "NotFound"
    assert status["message"] == 'configmaps "nope" not found'


def test_a_yaml_patch_body_is_not_a_patch_type(server, ns):
    created(server, cm_path(ns), configmap("x", k="v"))
    resp = server.request(
        "PATCH", cm_path(ns, "x"), "data:\n  k: w\n", headers={"Content-Type": "application/yaml"}
    )
    failure(resp, 415, "UnsupportedMediaType")


# -- deletecollection -----------------------------------------------------------------------------------


def test_deletecollection_with_a_label_selector_deletes_only_the_matching_objects(server, ns):
    for name, app in (("a1", "a"), ("a2", "a"), ("b1", "b")):
        created(server, cm_path(ns), configmap(name, {"app": app}))
    resp = server.request("DELETE", cm_path(ns) + "?labelSelector=app%3Da")
    deleted = ok(resp)
    assert deleted["kind"] == "ConfigMapList"
    assert sorted(i["metadata"]["name"] for i in deleted["items"]) == ["a1", "a2"]
    remaining = get(server, cm_path(ns))
    assert [i["metadata"]["name"] for i in remaining["items"]] == ["b1", "kube-root-ca.crt"]


def test_deletecollection_without_a_selector_empties_only_its_namespace(server, ns):
    created(server, cm_path(ns), configmap("x"))
    created(server, cm_path(ns), configmap("y"))
    other = ns + "-keep"
    created(server, "/api/v1/namespaces", {"metadata": {"name": other}})
    created(server, cm_path(other), configmap("z"))
    ok(server.request("DELETE", cm_path(ns)))

    def written(namespace: str) -> list[str]:
        # kube-root-ca.crt, deleted too, is put back by the server: only what the test wrote.
        names = [i["metadata"]["name"] for i in get(server, cm_path(namespace))["items"]]
        return [name for name in names if name != "kube-root-ca.crt"]

    assert written(ns) == []
    assert written(other) == ["z"]


def test_deletecollection_with_dry_run_deletes_nothing(server, ns):
    created(server, cm_path(ns), configmap("x"))
    ok(server.request("DELETE", cm_path(ns) + "?dryRun=All"))
    names = [i["metadata"]["name"] for i in get(server, cm_path(ns))["items"]]
    assert names == ["kube-root-ca.crt", "x"]
