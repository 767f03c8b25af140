"""The official `kubernetes` Python client against the server, the way controllers and scripts use it."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid

import pytest


def cm(kube, name: str, data: dict[str, str] | None = None, labels: dict[str, str] | None = None):
    return kube.V1ConfigMap(metadata=kube.V1ObjectMeta(name=name, labels=labels), data=data)


def deployment(kube, name: str, replicas: int = 2):
    labels = {"app": name}
    return kube.V1Deployment(
        metadata=kube.V1ObjectMeta(name=name, labels=labels),
        spec=kube.V1DeploymentSpec(
            replicas=replicas,
            selector=kube.V1LabelSelector(match_labels=labels),
            template=kube.V1PodTemplateSpec(
                metadata=kube.V1ObjectMeta(labels=labels),
                spec=kube.V1PodSpec(containers=[kube.V1Container(name="web", image="nginx:1.27")]),
            ),
        ),
    )


def error_body(exc) -> dict:
    return json.loads(exc.body)


def kube_watch():
    from kubernetes import watch

    return watch.Watch()


# --- configmaps: CRUD ---------------------------------------------------------------------


def test_create_and_read_a_configmap(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    created = core.create_namespaced_config_map(ns, cm(kube, "web", {"a": "1"}, {"app": "web"}))
    assert created.metadata.name == "web"
    assert created.metadata.namespace == ns
    assert created.metadata.uid
    assert created.metadata.resource_version
    assert isinstance(created.metadata.creation_timestamp, dt.datetime)
    assert created.data == {"a": "1"}

    read = core.read_namespaced_config_map("web", ns)
    assert read.metadata.uid == created.metadata.uid
    assert read.metadata.resource_version == created.metadata.resource_version
    assert read.metadata.labels == {"app": "web"}
    assert read.data == {"a": "1"}


def test_replace_a_configmap_bumps_its_resource_version(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    core.create_namespaced_config_map(ns, cm(kube, "web", {"a": "1"}))
    current = core.read_namespaced_config_map("web", ns)
    current.data = {"a": "2", "b": "3"}
    replaced = core.replace_namespaced_config_map("web", ns, current)
    assert replaced.data == {"a": "2", "b": "3"}
    assert replaced.metadata.uid == current.metadata.uid
    assert replaced.metadata.resource_version != current.metadata.resource_version
    assert core.read_namespaced_config_map("web", ns).data == {"a": "2", "b": "3"}


def test_replace_with_a_stale_resource_version_is_a_409_conflict(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    core.create_namespaced_config_map(ns, cm(kube, "web", {"a": "1"}))
    first = core.read_namespaced_config_map("web", ns)
    second = core.read_namespaced_config_map("web", ns)
    first.data = {"a": "first"}
    core.replace_namespaced_config_map("web", ns, first)

    second.data = {"a": "second"}
    with pytest.raises(kube.ApiException) as info:
        core.replace_namespaced_config_map("web", ns, second)
    assert info.value.status == 409
    body = error_body(info.value)
    assert body["reason"] == "Conflict"
    assert body["message"] == (
        'Operation cannot be fulfilled on configmaps "web": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    assert body["details"] == {"name": "web", "kind": "configmaps"}
    assert core.read_namespaced_config_map("web", ns).data == {"a": "first"}


def test_patch_a_configmap_with_a_dict_and_with_json_patch_operations(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    core.create_namespaced_config_map(ns, cm(kube, "web", {"a": "1", "b": "2"}))
    # A dict body is sent as a strategic merge patch.
    patched = core.patch_namespaced_config_map(
        "web", ns, {"data": {"b": None, "c": "3"}, "metadata": {"labels": {"x": "y"}}}
    )
    assert patched.data == {"a": "1", "c": "3"}
    assert patched.metadata.labels == {"x": "y"}
    # A list body is sent as a JSON patch.
    patched = core.patch_namespaced_config_map(
        "web", ns, [{"op": "replace", "path": "/data/a", "value": "10"}]
    )
    assert patched.data == {"a": "10", "c": "3"}
    # Merge patch on request.
    patched = core.patch_namespaced_config_map(
        "web", ns, {"data": {"c": None}}, _content_type="application/merge-patch+json"
    )
    assert patched.data == {"a": "10"}


def test_delete_a_configmap_returns_a_success_status(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    created = core.create_namespaced_config_map(ns, cm(kube, "web"))
    # The client declares the delete response as a plain object: the Status comes back as a dict.
    status = core.delete_namespaced_config_map("web", ns)
    assert status["kind"] == "Status"
    assert status["apiVersion"] == "v1"
    assert status["status"] == "Success"
    assert status["details"] == {"name": "web", "kind": "configmaps", "uid": created.metadata.uid}
    with pytest.raises(kube.ApiException) as info:
        core.read_namespaced_config_map("web", ns)
    assert info.value.status == 404


def test_list_with_a_label_selector(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    core.create_namespaced_config_map(ns, cm(kube, "a", labels={"tier": "web", "env": "prod"}))
    core.create_namespaced_config_map(ns, cm(kube, "b", labels={"tier": "db", "env": "prod"}))
    core.create_namespaced_config_map(ns, cm(kube, "c", labels={"tier": "web", "env": "dev"}))

    def names(**kwargs) -> list[str]:
        return [item.metadata.name for item in core.list_namespaced_config_map(ns, **kwargs).items]

    assert names(label_selector="tier=web") == ["a", "c"]
    assert names(label_selector="tier=web,env=prod") == ["a"]
    assert names(label_selector="env in (dev)") == ["c"]
    assert names(label_selector="tier!=web") == ["b", "kube-root-ca.crt"]  # in every namespace
    assert names(field_selector="metadata.name=b") == ["b"]
    lst = core.list_namespaced_config_map(ns)
    assert lst.kind == "ConfigMapList"
    assert lst.api_version == "v1"
    assert lst.metadata.resource_version


def test_list_configmaps_across_all_namespaces(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    other = "t-" + uuid.uuid4().hex[:10]
    core.create_namespace(kube.V1Namespace(metadata=kube.V1ObjectMeta(name=other)))
    marker = uuid.uuid4().hex[:8]
    core.create_namespaced_config_map(ns, cm(kube, "one", labels={"run": marker}))
    core.create_namespaced_config_map(other, cm(kube, "two", labels={"run": marker}))
    core.create_namespaced_config_map(other, cm(kube, "unlabeled"))

    lst = core.list_config_map_for_all_namespaces(label_selector=f"run={marker}")
    assert sorted((item.metadata.namespace, item.metadata.name) for item in lst.items) == sorted(
        [(ns, "one"), (other, "two")]
    )

    everything = core.list_config_map_for_all_namespaces()
    found = {(item.metadata.namespace, item.metadata.name) for item in everything.items}
    assert {(ns, "one"), (other, "two"), (other, "unlabeled")} <= found


# --- raw responses and paging -------------------------------------------------------------


def test_preload_content_false_returns_the_raw_response(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    core.create_namespaced_config_map(ns, cm(kube, "web", {"a": "1"}))
    resp = core.read_namespaced_config_map("web", ns, _preload_content=False)
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    obj = json.loads(resp.data)
    assert obj["kind"] == "ConfigMap"
    assert obj["apiVersion"] == "v1"
    assert obj["data"] == {"a": "1"}

    resp = core.list_namespaced_config_map(ns, _preload_content=False)
    lst = json.loads(resp.data)
    assert lst["kind"] == "ConfigMapList"
    assert lst["apiVersion"] == "v1"
    assert [item["metadata"]["name"] for item in lst["items"]] == ["kube-root-ca.crt", "web"]


def test_preload_content_false_still_raises_for_errors(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    with pytest.raises(kube.ApiException) as info:
        core.read_namespaced_config_map("missing", ns, _preload_content=False)
    assert info.value.status == 404


def test_paging_with_limit_and_continue(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    for i in range(5):
        core.create_namespaced_config_map(ns, cm(kube, f"cm-{i}"))

    page = core.list_namespaced_config_map(ns, limit=2)
    pages = [page]
    while page.metadata._continue:
        page = core.list_namespaced_config_map(ns, limit=2, _continue=page.metadata._continue)
        pages.append(page)

    # Six: kube-root-ca.crt is in every namespace.
    assert [len(p.items) for p in pages] == [2, 2, 2]
    assert [p.metadata.remaining_item_count for p in pages] == [4, 2, None]
    assert [item.metadata.name for p in pages for item in p.items] == [
        *(f"cm-{i}" for i in range(5)),
        "kube-root-ca.crt",
    ]
    # Every page is served from the snapshot of the first one.
    assert len({p.metadata.resource_version for p in pages}) == 1


def test_paging_continues_from_a_consistent_snapshot(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    for i in range(4):
        core.create_namespaced_config_map(ns, cm(kube, f"cm-{i}"))
    first = core.list_namespaced_config_map(ns, limit=2)
    # Changes after the first page are not seen by the continued list.
    core.create_namespaced_config_map(ns, cm(kube, "cm-9"))
    core.delete_namespaced_config_map("cm-3", ns)
    rest = core.list_namespaced_config_map(ns, limit=10, _continue=first.metadata._continue)
    assert [item.metadata.name for item in rest.items] == ["cm-2", "cm-3", "kube-root-ca.crt"]
    assert not rest.metadata._continue


def test_a_malformed_continue_token_is_a_bad_request(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    with pytest.raises(kube.ApiException) as info:
        core.list_namespaced_config_map(ns, limit=2, _continue="not-a-token")
    assert info.value.status == 400
    assert error_body(info.value)["reason"] == "BadRequest"


# --- watch --------------------------------------------------------------------------------


def test_watch_sees_added_modified_and_deleted(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    rv = core.list_namespaced_config_map(ns).metadata.resource_version

    def changes():
        core.create_namespaced_config_map(ns, cm(kube, "web", {"a": "1"}))
        core.patch_namespaced_config_map("web", ns, {"data": {"a": "2"}})
        core.delete_namespaced_config_map("web", ns)

    worker = threading.Thread(target=changes)
    worker.start()
    events = []
    w = kube_watch()
    try:
        for event in w.stream(
            core.list_namespaced_config_map, ns, resource_version=rv, timeout_seconds=30
        ):
            events.append(event)
            if event["type"] == "DELETED":
                w.stop()
                break
    finally:
        worker.join(timeout=30)

    assert [e["type"] for e in events] == ["ADDED", "MODIFIED", "DELETED"]
    assert all(isinstance(e["object"], kube.V1ConfigMap) for e in events)
    assert [e["object"].data for e in events] == [{"a": "1"}, {"a": "2"}, {"a": "2"}]
    assert all(e["raw_object"]["kind"] == "ConfigMap" for e in events)
    versions = [int(e["object"].metadata.resource_version) for e in events]
    assert versions == sorted(versions) and len(set(versions)) == 3


def test_watch_without_a_resource_version_starts_with_the_existing_objects(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    core.create_namespaced_config_map(ns, cm(kube, "one"))
    core.create_namespaced_config_map(ns, cm(kube, "two"))
    w = kube_watch()
    seen = []
    for event in w.stream(core.list_namespaced_config_map, ns, timeout_seconds=2):
        seen.append((event["type"], event["object"].metadata.name))
    # The stream ends on its own when timeoutSeconds passes.
    assert sorted(seen) == [("ADDED", "kube-root-ca.crt"), ("ADDED", "one"), ("ADDED", "two")]


def test_watch_with_a_label_selector_only_sees_matching_objects(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    rv = core.list_namespaced_config_map(ns).metadata.resource_version
    core.create_namespaced_config_map(ns, cm(kube, "skip", labels={"pick": "no"}))
    core.create_namespaced_config_map(ns, cm(kube, "keep", labels={"pick": "yes"}))
    # Relabelling an object out of the selector is seen as DELETED.
    core.patch_namespaced_config_map("keep", ns, {"metadata": {"labels": {"pick": "no"}}})
    w = kube_watch()
    seen = []
    for event in w.stream(
        core.list_namespaced_config_map,
        ns,
        label_selector="pick=yes",
        resource_version=rv,
        timeout_seconds=5,
    ):
        seen.append((event["type"], event["object"].metadata.name))
        if event["type"] == "DELETED":
            w.stop()
            break
    assert seen == [("ADDED", "keep"), ("DELETED", "keep")]


# --- deployments ------------------------------------------------------------------------


def test_create_a_deployment_and_scale_it_through_the_scale_subresource(kube, kube_api, ns):
    apps = kube.AppsV1Api(kube_api)
    created = apps.create_namespaced_deployment(ns, deployment(kube, "web", replicas=2))
    assert created.spec.replicas == 2
    assert created.metadata.generation == 1
    # Defaults are applied by the server.
    assert created.spec.strategy.type == "RollingUpdate"
    assert created.spec.revision_history_limit == 10
    assert created.spec.template.spec.containers[0].image_pull_policy == "IfNotPresent"

    scale = apps.read_namespaced_deployment_scale("web", ns)
    assert scale.kind == "Scale"
    assert scale.api_version == "autoscaling/v1"
    assert scale.spec.replicas == 2
    assert scale.status.selector == "app=web"

    scaled = apps.patch_namespaced_deployment_scale("web", ns, {"spec": {"replicas": 4}})
    assert scaled.spec.replicas == 4
    dep = apps.read_namespaced_deployment("web", ns)
    assert dep.spec.replicas == 4
    assert dep.metadata.generation == 2


def test_replace_the_deployment_scale(kube, kube_api, ns):
    apps = kube.AppsV1Api(kube_api)
    apps.create_namespaced_deployment(ns, deployment(kube, "web", replicas=1))
    scale = apps.read_namespaced_deployment_scale("web", ns)
    scale.spec.replicas = 3
    replaced = apps.replace_namespaced_deployment_scale("web", ns, scale)
    assert replaced.spec.replicas == 3
    assert apps.read_namespaced_deployment("web", ns).spec.replicas == 3


def test_read_deployment_status(kube, kube_api, ns):
    apps = kube.AppsV1Api(kube_api)
    apps.create_namespaced_deployment(ns, deployment(kube, "web"))
    dep = apps.read_namespaced_deployment_status("web", ns)
    assert dep.kind == "Deployment"
    assert dep.metadata.name == "web"
    assert dep.spec.replicas == 2
    assert dep.status is not None


def test_patching_a_deployment_template_bumps_generation(kube, kube_api, ns):
    apps = kube.AppsV1Api(kube_api)
    apps.create_namespaced_deployment(ns, deployment(kube, "web"))
    patch = {
        "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}
    }
    dep = apps.patch_namespaced_deployment("web", ns, patch)
    assert dep.spec.template.spec.containers[0].image == "nginx:1.28"
    assert len(dep.spec.template.spec.containers) == 1
    assert dep.metadata.generation == 2
    # Changing only labels does not.
    dep = apps.patch_namespaced_deployment("web", ns, {"metadata": {"labels": {"extra": "yes"}}})
    assert dep.metadata.generation == 2


def test_list_deployments_with_a_label_selector(kube, kube_api, ns):
    apps = kube.AppsV1Api(kube_api)
    apps.create_namespaced_deployment(ns, deployment(kube, "web"))
    apps.create_namespaced_deployment(ns, deployment(kube, "api"))
    assert [
        d.metadata.name for d in apps.list_namespaced_deployment(ns, label_selector="app=api").items
    ] == ["api"]
    assert [d.metadata.name for d in apps.list_namespaced_deployment(ns).items] == ["api", "web"]


# --- errors -------------------------------------------------------------------------------


def test_reading_a_missing_object_is_a_404_not_found(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    with pytest.raises(kube.ApiException) as info:
        core.read_namespaced_config_map("missing", ns)
    assert info.value.status == 404
    body = error_body(info.value)
    assert body["kind"] == "Status"
    assert body["apiVersion"] == "v1"
    assert body["status"] == "Failure"
    assert body["reason"] == "NotFound"
    assert body["message"] == 'configmaps "missing" not found'
    assert body["details"] == {"name": "missing", "kind": "configmaps"}
    assert body["code"] == 404


def test_reading_a_missing_deployment_names_its_group(kube, kube_api, ns):
    apps = kube.AppsV1Api(kube_api)
    with pytest.raises(kube.ApiException) as info:
        apps.read_namespaced_deployment("missing", ns)
    assert info.value.status == 404
    body = error_body(info.value)
    assert body["message"] == 'deployments.apps "missing" not found'
    assert body["details"] == {"name": "missing", "group": "apps", "kind": "deployments"}


def test_creating_an_existing_object_is_a_409_already_exists(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    core.create_namespaced_config_map(ns, cm(kube, "web"))
    with pytest.raises(kube.ApiException) as info:
        core.create_namespaced_config_map(ns, cm(kube, "web"))
    assert info.value.status == 409
    body = error_body(info.value)
    assert body["reason"] == "AlreadyExists"
    assert body["message"] == 'configmaps "web" already exists'
    assert body["details"] == {"name": "web", "kind": "configmaps"}


def test_creating_an_invalid_object_is_a_422_invalid_with_causes(kube, kube_api, ns):
    core = kube.CoreV1Api(kube_api)
    with pytest.raises(kube.ApiException) as info:
        core.create_namespaced_config_map(ns, cm(kube, "Bad_Name"))
    assert info.value.status == 422
    body = error_body(info.value)
    assert body["reason"] == "Invalid"
    detail = (
        'Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )
    assert body["message"] == f'ConfigMap "Bad_Name" is invalid: metadata.name: {detail}'
    assert body["details"]["name"] == "Bad_Name"
    assert body["details"]["kind"] == "ConfigMap"
    assert body["details"]["causes"] == [
        {"reason": "FieldValueInvalid", "message": detail, "field": "metadata.name"}
    ]


def test_an_invalid_deployment_reports_every_field(kube, kube_api, ns):
    apps = kube.AppsV1Api(kube_api)
    bad = deployment(kube, "web")
    bad.spec.replicas = -1
    bad.spec.template.metadata.labels = {"app": "other"}
    with pytest.raises(kube.ApiException) as info:
        apps.create_namespaced_deployment(ns, bad)
    assert info.value.status == 422
    body = error_body(info.value)
    assert body["reason"] == "Invalid"
    assert body["details"]["kind"] == "Deployment"
    assert body["details"]["group"] == "apps"
    fields = {cause["field"] for cause in body["details"]["causes"]}
    assert {"spec.replicas", "spec.template.metadata.labels"} <= fields


def test_creating_in_a_missing_namespace_is_a_404(kube, kube_api):
    core = kube.CoreV1Api(kube_api)
    with pytest.raises(kube.ApiException) as info:
        core.create_namespaced_config_map("no-such-namespace-here", cm(kube, "web"))
    assert info.value.status == 404
    body = error_body(info.value)
    assert body["message"] == 'namespaces "no-such-namespace-here" not found'
    assert body["details"] == {"name": "no-such-namespace-here", "kind": "namespaces"}


# --- leases: leader election --------------------------------------------------------------


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_leader_election_with_leases(kube, kube_api, ns):
    coord = kube.CoordinationV1Api(kube_api)
    acquired = now()
    lease = coord.create_namespaced_lease(
        ns,
        kube.V1Lease(
            metadata=kube.V1ObjectMeta(name="leader"),
            spec=kube.V1LeaseSpec(
                holder_identity="pod-a",
                lease_duration_seconds=15,
                acquire_time=acquired,
                renew_time=acquired,
                lease_transitions=0,
            ),
        ),
    )
    assert lease.spec.holder_identity == "pod-a"
    assert lease.spec.lease_duration_seconds == 15
    # MicroTime keeps microseconds.
    assert lease.spec.acquire_time == acquired
    assert lease.spec.renew_time == acquired

    # pod-a renews, with the resourceVersion it read.
    current = coord.read_namespaced_lease("leader", ns)
    renewed_at = now()
    current.spec.renew_time = renewed_at
    renewed = coord.replace_namespaced_lease("leader", ns, current)
    assert renewed.spec.renew_time == renewed_at
    assert renewed.metadata.resource_version != current.metadata.resource_version

    # pod-b tries to take over with the stale copy it read before the renewal: conflict.
    current.spec.holder_identity = "pod-b"
    current.spec.lease_transitions = 1
    with pytest.raises(kube.ApiException) as info:
        coord.replace_namespaced_lease("leader", ns, current)
    assert info.value.status == 409
    body = error_body(info.value)
    assert body["reason"] == "Conflict"
    assert body["message"] == (
        'Operation cannot be fulfilled on leases.coordination.k8s.io "leader": the object has '
        "been modified; please apply your changes to the latest version and try again"
    )
    assert body["details"] == {"name": "leader", "group": "coordination.k8s.io", "kind": "leases"}

    # pod-b re-reads and takes over.
    latest = coord.read_namespaced_lease("leader", ns)
    assert latest.spec.holder_identity == "pod-a"
    latest.spec.holder_identity = "pod-b"
    latest.spec.lease_transitions = 1
    latest.spec.acquire_time = now()
    taken = coord.replace_namespaced_lease("leader", ns, latest)
    assert taken.spec.holder_identity == "pod-b"
    assert taken.spec.lease_transitions == 1
    assert [item.spec.holder_identity for item in coord.list_namespaced_lease(ns).items] == [
        "pod-b"
    ]


def test_an_invalid_lease_is_rejected(kube, kube_api, ns):
    coord = kube.CoordinationV1Api(kube_api)
    with pytest.raises(kube.ApiException) as info:
        coord.create_namespaced_lease(
            ns,
            kube.V1Lease(
                metadata=kube.V1ObjectMeta(name="bad"),
                spec=kube.V1LeaseSpec(holder_identity="x", lease_duration_seconds=0),
            ),
        )
    assert info.value.status == 422
    body = error_body(info.value)
    assert body["reason"] == "Invalid"
    assert [c["field"] for c in body["details"]["causes"]] == ["spec.leaseDurationSeconds"]
