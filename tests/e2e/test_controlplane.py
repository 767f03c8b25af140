"""What the control plane does by itself: namespace deletion, events in two groups, ClusterIPs,
and compaction of old revisions."""

from __future__ import annotations

import time
import uuid

from conftest import start_server


def wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def configmap(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}}


def test_kubectl_delete_namespace_completes_and_removes_its_content(server):
    name = "del-" + uuid.uuid4().hex[:8]
    server.kubectl(
        "create", "-f", "-", input=f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n"
    )
    server.kubectl(
        "apply",
        "-n",
        name,
        "-f",
        "-",
        input=(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeName: node-1\n"
            "  containers: [{name: c, image: nginx}]\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: b}\n"
        ),
    )
    out = server.kubectl("delete", "namespace", name, "--timeout=30s")
    assert f'namespace "{name}" deleted' in out.stdout
    assert server.request("GET", f"/api/v1/namespaces/{name}").status == 404
    pods = server.request("GET", "/api/v1/pods").json()["items"]
    assert [p for p in pods if p["metadata"]["namespace"] == name] == []


def test_an_event_written_in_one_group_is_read_in_the_other(server, ns):
    v1_event = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": {"name": "e1"},
        "eventTime": "2026-11-24T10:00:00.000000Z",
        "reason": "Started",
        "note": "hello",
        "type": "Normal",
        "action": "Starting",
        "reportingController": "example.com/ctl",
        "reportingInstance": "ctl-1",
        "regarding": {"kind": "Pod", "name": "p", "namespace": ns},
    }
    resp = server.request("POST", f"/apis/events.k8s.io/v1/namespaces/{ns}/events", v1_event)
    assert resp.status == 201, resp.body
    core = server.request("GET", f"/api/v1/namespaces/{ns}/events/e1").json()
    assert core["apiVersion"] == "v1"
    assert core["message"] == "hello"
    assert core["involvedObject"]["name"] == "p"
    assert core["reportingComponent"] == "example.com/ctl"
    again = server.request("GET", f"/apis/events.k8s.io/v1/namespaces/{ns}/events/e1").json()
    assert again["apiVersion"] == "events.k8s.io/v1"
    assert again["note"] == "hello" and again["regarding"]["name"] == "p"
    assert again["metadata"]["uid"] == core["metadata"]["uid"]


def test_an_events_v1_watch_sees_core_events_in_its_own_shape(server, ns):
    rv = server.request("GET", f"/apis/events.k8s.io/v1/namespaces/{ns}/events").json()["metadata"][
        "resourceVersion"
    ]
    core_event = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": "c1"},
        "reason": "Pulled",
        "message": "image pulled",
        "type": "Normal",
        "involvedObject": {"kind": "Pod", "name": "p", "namespace": ns},
    }
    assert server.request("POST", f"/api/v1/namespaces/{ns}/events", core_event).status == 201
    resp = server.request(
        "GET",
        f"/apis/events.k8s.io/v1/namespaces/{ns}/events?watch=1&resourceVersion={rv}&timeoutSeconds=1",
    )
    [line] = [ln for ln in resp.body.splitlines() if ln]
    event = __import__("json").loads(line)
    assert event["type"] == "ADDED"
    assert event["object"]["apiVersion"] == "events.k8s.io/v1"
    assert event["object"]["note"] == "image pulled"


def test_services_get_distinct_cluster_ips_and_headless_ones_keep_none(server, ns):
    def service(name: str, cluster_ip: str | None = None) -> dict:
        spec: dict = {"selector": {"app": name}, "ports": [{"port": 80}]}
        if cluster_ip:
            spec["clusterIP"] = cluster_ip
        return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}

    ips = []
    for name in ("a", "b", "c"):
        created = server.request("POST", f"/api/v1/namespaces/{ns}/services", service(name)).json()
        ips.append(created["spec"]["clusterIP"])
        assert created["spec"]["clusterIPs"] == [created["spec"]["clusterIP"]]
    assert len(set(ips)) == 3
    assert all(ip.startswith("10.0.0.") and ip != "10.0.0.1" for ip in ips)
    headless = server.request(
        "POST", f"/api/v1/namespaces/{ns}/services", service("h", "None")
    ).json()
    assert headless["spec"]["clusterIP"] == "None"


def test_a_continue_token_older_than_compaction_is_expired(tmp_path):
    srv = start_server(tmp_path / "data", "--etcd-compaction-interval=1s")
    try:
        base = "/api/v1/namespaces/default/configmaps"
        for n in range(3):
            assert srv.request("POST", base, configmap(f"c{n}")).status == 201
        first = srv.request("GET", base + "?limit=1").json()
        token = first["metadata"]["continue"]
        assert srv.request("POST", base, configmap("later")).status == 201
        # Two intervals later the revision the token was made at has been compacted.
        assert wait_for(
            lambda: srv.request("GET", f"{base}?limit=1&continue={token}").status == 410, 20
        )
        status = srv.request("GET", f"{base}?limit=1&continue={token}").json()
        assert status["reason"] == "Expired"
        assert status["message"].startswith("The provided continue parameter is too old")
    finally:
        srv.stop()


def test_events_v1_field_selectors_use_that_groups_field_names(server, ns):
    for name, target in (("e-web", "web"), ("e-db", "db")):
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name},
            "reason": "Pulled",
            "message": "m",
            "type": "Normal",
            "reportingComponent": "kubelet",
            "involvedObject": {"kind": "Pod", "name": target, "namespace": ns},
        }
        assert server.request("POST", f"/api/v1/namespaces/{ns}/events", event).status == 201
    path = f"/apis/events.k8s.io/v1/namespaces/{ns}/events"
    body = server.request("GET", path + "?fieldSelector=regarding.name%3Dweb").json()
    assert [e["metadata"]["name"] for e in body["items"]] == ["e-web"]
    body = server.request("GET", path + "?fieldSelector=reportingController%3Dkubelet").json()
    assert sorted(e["metadata"]["name"] for e in body["items"]) == ["e-db", "e-web"]


def test_the_kubernetes_service_points_at_this_server(server):
    svc = server.request("GET", "/api/v1/namespaces/default/services/kubernetes").json()
    assert svc["spec"]["clusterIP"] == "10.0.0.1"
    assert svc["spec"]["ports"] == [
        {"name": "https", "port": 443, "protocol": "TCP", "targetPort": server.port}
    ]
    assert svc["metadata"]["labels"] == {"component": "apiserver", "provider": "kubernetes"}
    # Bound to loopback, the server advertises its default-route address (as kube-apiserver
    # does); Endpoints and EndpointSlice are tested in test_rbac_networking_api.py.
    assert server.request("GET", "/api/v1/namespaces/default/endpoints/kubernetes").status == 200
    out = server.kubectl("get", "svc", "kubernetes", "-n", "default", "--no-headers").stdout.split()
    assert out[:5] == ["kubernetes", "ClusterIP", "10.0.0.1", "<none>", "443/TCP"]


def test_empty_metadata_collections_are_not_echoed_back(server, ns):
    body = configmap("empty")
    body["metadata"].update({"labels": {}, "annotations": {}, "finalizers": []})
    created = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps", body).json()
    for key in ("labels", "annotations", "finalizers"):
        assert key not in created["metadata"]
