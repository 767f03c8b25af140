"""The pod subresources against a real server: binding, eviction under PodDisruptionBudgets,
ephemeral containers, in-place resize, and log / exec / attach / port-forward and the proxies,
answered as kube-apiserver does when no kubelet can be reached."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import free_port
from e2e.test_pods_services_api import (
    JSON_PATCH,
    MERGE,
    STRATEGIC,
    binding,
    create,
    failure,
    pdb,
    pdbs,
    pod,
    pods,
    services,
    set_status,
)
from kube_apiserver.apimachinery.host_interface import default_route_address

# ---------------------------------------------------------------- binding


def test_binding_places_a_pod_once_and_records_pod_scheduled(server, ns):
    create(server, pods(ns), pod("a"))
    create(server, pods(ns), pod("b"))
    resp = server.request("POST", pods(ns, "a", "binding"), binding("a", "node-1"))
    assert resp.status == 201
    assert resp.json() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "code": 201,
    }
    bound = server.request("GET", pods(ns, "a")).json()
    assert bound["spec"]["nodeName"] == "node-1"
    [cond] = bound["status"]["conditions"]
    assert (cond["type"], cond["status"], cond["lastProbeTime"]) == ("PodScheduled", "True", None)
    assert bound["status"]["phase"] == "Pending"
    again = server.request("POST", pods(ns, "a", "binding"), binding("a", "node-2"))
    body = failure(again, 409, "Conflict")
    assert body["message"] == (
        'Operation cannot be fulfilled on pods/binding "a": pod a is already assigned to node "node-1"'
    )
    assert body["details"] == {"name": "a", "kind": "pods/binding"}
    # The older collection binds the pod named in the Binding.
    other = binding("b", "node-2")
    other["metadata"]["annotations"] = {"scheduler.example.com/score": "7"}
    assert server.request("POST", f"/api/v1/namespaces/{ns}/bindings", other).status == 201
    b = server.request("GET", pods(ns, "b")).json()
    assert b["spec"]["nodeName"] == "node-2"
    assert b["metadata"]["annotations"] == {"scheduler.example.com/score": "7"}
    assert server.request("GET", f"/api/v1/namespaces/{ns}/bindings").status == 405


def test_a_malformed_binding_is_refused(server, ns):
    create(server, pods(ns), pod("m"))
    path = pods(ns, "m", "binding")
    body = failure(server.request("POST", path, binding("other", "n")), 400, "BadRequest")
    assert body["message"] == "name in URL does not match name in Binding object"
    # Kubernetes returns the binding's field errors as a plain error: 500 without a reason.
    no_target = binding("m", "")
    no_target["target"]["kind"] = "Pod"
    body = failure(server.request("POST", path, no_target), 500)
    assert body["message"] == (
        '[target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", '
        "target.name: Required value]"
    )
    stale = binding("m", "n")
    stale["metadata"]["resourceVersion"] = "1"
    body = failure(server.request("POST", path, stale), 409, "Conflict")
    assert body["message"].startswith(
        'Operation cannot be fulfilled on pods "m": Precondition failed'
    )
    missing = failure(
        server.request("POST", pods(ns, "nope", "binding"), binding("nope", "n")), 404, "NotFound"
    )
    assert missing["message"] == 'pods "nope" not found'


# ---------------------------------------------------------------- eviction


def eviction(name: str, **delete_options: Any) -> dict:
    body: dict = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": name}}
    if delete_options:
        body["deleteOptions"] = delete_options
    return body


def test_eviction_deletes_a_pending_pod_without_asking_its_budget(server, ns):
    create(server, pods(ns), pod("pending", labels={"app": "db"}))
    create(server, pdbs(ns), pdb("guard", {"matchLabels": {"app": "db"}}, minAvailable=1))
    resp = server.request("POST", pods(ns, "pending", "eviction"), eviction("pending"))
    assert resp.status == 201 and resp.json()["status"] == "Success"
    assert server.request("GET", pods(ns, "pending")).status == 404


def test_eviction_honours_the_pod_disruption_budget(server, ns):
    for name in ("db-0", "db-1"):
        create(server, pods(ns), pod(name, labels={"app": "db"}))
        set_status(server, pods(ns, name), {"phase": "Running", "conditions": [ready()]})
    budget = create(server, pdbs(ns), pdb("db", {"matchLabels": {"app": "db"}}, minAvailable=1))
    path = pods(ns, "db-0", "eviction")
    # Nothing has computed the new budget yet: its status lags its generation.
    resp = server.request("POST", path, eviction("db-0"))
    body = failure(resp, 429, "TooManyRequests")
    assert body["message"] == "Cannot evict pod as it would violate the pod's disruption budget."
    assert body["details"] == {
        "causes": [
            {
                "reason": "DisruptionBudget",
                "message": "The disruption budget db is still being processed by the server.",
            }
        ],
        "retryAfterSeconds": 10,
    }
    assert resp.headers["retry-after"] == "10"
    counts = {"observedGeneration": budget["metadata"]["generation"], "currentHealthy": 2}
    set_status(server, pdbs(ns, "db"), {**counts, "desiredHealthy": 2, "disruptionsAllowed": 0})
    body = failure(server.request("POST", path, eviction("db-0")), 429, "TooManyRequests")
    assert body["details"] == {
        "causes": [
            {
                "reason": "DisruptionBudget",
                "message": "The disruption budget db needs 2 healthy pods and has 2 currently",
            }
        ]
    }
    set_status(server, pdbs(ns, "db"), {"desiredHealthy": 1, "disruptionsAllowed": 1})
    dry = server.request("POST", path + "?dryRun=All", eviction("db-0"))
    assert dry.status == 201
    assert server.request("GET", pdbs(ns, "db")).json()["status"]["disruptionsAllowed"] == 1
    assert server.request("POST", path, eviction("db-0")).status == 201
    status = server.request("GET", pdbs(ns, "db")).json()["status"]
    assert status["disruptionsAllowed"] == 0
    assert list(status["disruptedPods"]) == ["db-0"]
    [cond] = status["conditions"]
    assert (cond["type"], cond["status"], cond["reason"]) == (
        "DisruptionAllowed",
        "False",
        "InsufficientPods",
    )
    assert server.request("GET", pods(ns, "db-0")).status == 404
    body = failure(
        server.request("POST", pods(ns, "db-1", "eviction"), eviction("db-1")),
        429,
        "TooManyRequests",
    )
    assert body["details"]["causes"][0]["message"] == (
        "The disruption budget db needs 1 healthy pods and has 2 currently"
    )


def ready() -> dict:
    return {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}


def test_eviction_of_a_pod_under_two_budgets_is_not_supported(server, ns):
    create(server, pods(ns), pod("w", labels={"app": "w"}))
    set_status(server, pods(ns, "w"), {"phase": "Running"})
    create(server, pdbs(ns), pdb("one", {"matchLabels": {"app": "w"}}, maxUnavailable=1))
    create(
        server, pdbs(ns), pdb("all", {}, maxUnavailable="10%")
    )  # an empty selector selects every pod
    resp = server.request("POST", pods(ns, "w", "eviction"), eviction("w"))
    assert resp.status == 201
    assert resp.json() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": (
            "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
        ),
        "code": 500,
    }
    assert server.request("GET", pods(ns, "w")).status == 200
    body = failure(
        server.request("POST", pods(ns, "w", "eviction"), eviction("x")), 400, "BadRequest"
    )
    assert body["message"] == "name in URL does not match name in Eviction object"


# ---------------------------------------------------------------- ephemeral containers and resize


def test_kubectl_debug_adds_an_ephemeral_container_that_may_not_change(server, ns):
    create(server, pods(ns), pod("app"))
    server.kubectl(
        "debug", "app", "-n", ns, "--image=busybox:1.36", "--target=c", "--container=dbg",
        "--profile=general",
    )  # fmt: skip
    obj = server.request("GET", pods(ns, "app", "ephemeralcontainers")).json()
    [dbg] = obj["spec"]["ephemeralContainers"]
    assert dbg["name"] == "dbg" and dbg["targetContainerName"] == "c"
    assert dbg["imagePullPolicy"] == "IfNotPresent"
    assert dbg["terminationMessagePath"] == "/dev/termination-log"
    assert obj["metadata"]["generation"] == 2
    remove = [{"op": "remove", "path": "/spec/ephemeralContainers/0"}]
    resp = server.request(
        "PATCH", pods(ns, "app", "ephemeralcontainers"), remove, headers=JSON_PATCH
    )
    body = failure(resp, 422, "Invalid")
    assert body["details"]["causes"] == [
        {
            "reason": "FieldValueForbidden",
            "message": 'Forbidden: existing ephemeral containers "dbg" may not be removed\n',
            "field": "spec.ephemeralContainers",
        }
    ]
    # Other fields sent to the subresource are ignored; a probe on the new one is not allowed.
    bad = {"name": "probe", "image": "busybox", "readinessProbe": {"exec": {"command": ["true"]}}}
    patch = {"metadata": {"labels": {"x": "y"}}, "spec": {"ephemeralContainers": [dbg, bad]}}
    body = failure(
        server.request("PATCH", pods(ns, "app", "ephemeralcontainers"), patch, headers=MERGE),
        422,
        "Invalid",
    )
    assert body["details"]["causes"][0]["field"] == "spec.ephemeralContainers[1].readinessProbe"
    body = failure(
        server.request("POST", pods(ns), pod("born", ephemeralContainers=[bad])), 422, "Invalid"
    )
    assert "spec.ephemeralContainers: Forbidden: cannot be set on create" in body["message"]


def test_resize_changes_only_cpu_and_memory_and_keeps_the_qos_class(server, ns):
    sized = pod("sized")
    sized["spec"]["containers"][0]["resources"] = {
        "requests": {"cpu": "100m", "memory": "64Mi"},
        "limits": {"cpu": "200m", "memory": "128Mi"},
    }
    create(server, pods(ns), sized)
    server.kubectl(
        "patch", "pod", "sized", "-n", ns, "--subresource=resize",
        "-p", '{"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"150m"}}}]}}',
    )  # fmt: skip
    obj = server.request("GET", pods(ns, "sized")).json()
    assert obj["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "150m"
    assert obj["metadata"]["generation"] == 2 and obj["status"]["qosClass"] == "Burstable"
    path = pods(ns, "sized", "resize")

    def resize(resources: dict) -> dict:
        patch = {"spec": {"containers": [{"name": "c", "resources": resources}]}}
        return failure(server.request("PATCH", path, patch, headers=STRATEGIC), 422, "Invalid")

    body = resize({"requests": {"cpu": "200m", "memory": "128Mi"}})
    assert body["message"] == (
        'Pod "sized" is invalid: spec: Invalid value: "Burstable": '
        "Pod QOS Class may not change as a result of resizing"
    )
    body = resize({"limits": {"memory": "100Mi"}})
    assert body["details"]["causes"] == [
        {
            "reason": "FieldValueForbidden",
            "message": "Forbidden: memory limits cannot be decreased unless resizePolicy is RestartContainer",
            "field": "spec.containers[0].resources.limits[memory]",
        }
    ]
    body = resize({"requests": {"ephemeral-storage": "1Gi"}})
    assert (
        body["message"]
        == 'Pod "sized" is invalid: spec: Forbidden: only cpu and memory resources are mutable'
    )


# ---------------------------------------------------------------- log, exec, port-forward


def test_streams_of_a_pod_no_node_has_taken(server, ns):
    create(server, pods(ns), pod("lonely"))
    create(server, pods(ns), pod("pair", "a", "b"))
    out = server.kubectl("logs", "lonely", "-n", ns)
    assert out.stdout == ""  # no node, no log yet
    resp = server.request("GET", pods(ns, "lonely", "log"))
    assert (resp.status, resp.body) == (204, b"")
    out = server.kubectl("exec", "lonely", "-n", ns, "--", "ls", check=False)
    assert out.returncode == 1
    assert "Error from server (BadRequest): pod lonely does not have a host assigned" in out.stderr
    for sub in ("attach", "portforward"):
        body = failure(server.request("POST", pods(ns, "lonely", sub)), 400, "BadRequest")
        assert body["message"] == "pod lonely does not have a host assigned"
    body = failure(server.request("GET", pods(ns, "pair", "log")), 400, "BadRequest")
    assert (
        body["message"] == "a container name must be specified for pod pair, choose one of: [a b]"
    )
    body = failure(
        server.request("GET", pods(ns, "pair", "log") + "?container=z"), 400, "BadRequest"
    )
    assert body["message"] == "container z is not valid for pod pair"
    body = failure(
        server.request("GET", pods(ns, "lonely", "log") + "?tailLines=-1"), 422, "Invalid"
    )
    assert body["message"] == (
        'PodLogOptions "lonely" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'
    )
    body = failure(
        server.request("GET", pods(ns, "lonely", "log") + "?limitBytes=x"), 400, "BadRequest"
    )
    assert body["message"] == 'strconv.ParseInt: parsing "x": invalid syntax'
    assert server.request("POST", pods(ns, "lonely", "log")).status == 405
    body = failure(server.request("GET", pods(ns, "ghost", "log")), 404, "NotFound")
    assert body["message"] == 'pods "ghost" not found'


def node(name: str, *addresses: tuple[str, str], port: int = 0) -> dict:
    status: dict = {"addresses": [{"type": t, "address": a} for t, a in addresses]}
    if port:
        status["daemonEndpoints"] = {"kubeletEndpoint": {"Port": port}}
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "status": status}


def test_streams_of_a_scheduled_pod_report_the_unreachable_kubelet(server, ns):
    port = free_port()  # nothing listens there
    suffix = ns[-6:]
    nodes = {
        "up": node(f"kl-{suffix}", ("InternalIP", "127.0.0.1"), port=port),
        "bare": node(f"bare-{suffix}"),
    }
    for obj in nodes.values():
        create(server, "/api/v1/nodes", obj)
    for name, node_name in (
        ("on", nodes["up"]["metadata"]["name"]),
        ("off", f"gone-{suffix}"),
        ("bare", nodes["bare"]["metadata"]["name"]),
    ):
        create(server, pods(ns), pod(name, nodeName=node_name))
    body = failure(
        server.request("GET", pods(ns, "on", "log") + "?tailLines=5&timestamps=true"), 500
    )
    assert body["message"] == (
        f'Get "https://127.0.0.1:{port}/containerLogs/{ns}/on/c?tailLines=5&timestamps=true": '
        f"dial tcp 127.0.0.1:{port}: connect: connection refused"
    )
    upgrade = {"Connection": "Upgrade", "Upgrade": "SPDY/3.1"}
    exec_path = pods(ns, "on", "exec") + "?command=ls&stdout=true"
    body = failure(server.request("POST", exec_path, headers=upgrade), 500)
    assert (
        body["message"]
        == f"error dialing backend: dial tcp 127.0.0.1:{port}: connect: connection refused"
    )
    body = failure(server.request("POST", exec_path), 400, "BadRequest")
    assert body["message"] == "Upgrade request required"
    body = failure(server.request("GET", pods(ns, "off", "log")), 404, "NotFound")
    assert body["message"] == f'nodes "gone-{suffix}" not found'
    body = failure(server.request("GET", pods(ns, "bare", "log")), 500)
    assert body["message"] == "no preferred addresses found; known addresses: []"
    # The node proxy only goes to global unicast addresses.
    body = failure(
        server.request("GET", f"/api/v1/nodes/{nodes['up']['metadata']['name']}/proxy/healthz"),
        400,
        "BadRequest",
    )
    assert body["message"] == "address not allowed"
    for obj in nodes.values():
        server.request("DELETE", f"/api/v1/nodes/{obj['metadata']['name']}")


# ---------------------------------------------------------------- proxies


@pytest.fixture
def backend() -> Iterator[tuple[str, int]]:
    """A small HTTP server standing in for a pod's web server, on the host's own address
    (endpoints may not be loopback addresses, and pods are proxied to only at routable ones)."""
    host = default_route_address(4)
    if host is None:
        pytest.skip("this host has no address on a default route")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            body = json.dumps({"path": self.path}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield host, httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_service_and_pod_proxies_forward_to_the_pod(server, ns, backend):
    host, port = backend
    create(server, pods(ns), pod("backend", labels={"app": "api"}))
    set_status(server, pods(ns, "backend"), {"podIP": host, "podIPs": [{"ip": host}]})
    resp = server.request("GET", pods(ns, f"backend:{port}", "proxy") + "/healthz?x=1")
    assert resp.status == 200, resp.body
    assert resp.json() == {"path": "/healthz?x=1"}
    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "api"},
        "spec": {"selector": {"app": "api"}, "ports": [{"name": "http", "port": 80}]},
    }
    create(server, services(ns), svc)
    body = failure(server.request("GET", services(ns, "api") + "/proxy/"), 404, "NotFound")
    assert body["message"] == 'endpoints "api" not found'
    endpoints = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "api"},
        "subsets": [
            {
                "addresses": [
                    {
                        "ip": host,
                        "targetRef": {"kind": "Pod", "name": "backend", "namespace": ns},
                    }
                ],
                "ports": [{"name": "http", "port": port}],
            }
        ],
    }
    create(server, f"/api/v1/namespaces/{ns}/endpoints", endpoints)
    resp = server.request("GET", services(ns, "api:http") + "/proxy/status?verbose=1")
    assert resp.status == 200, resp.body
    assert resp.json() == {"path": "/status?verbose=1"}
    root = server.request("GET", services(ns, "api:80") + "/proxy")
    assert root.status == 301
    assert root.headers["location"] == services(ns, "api:80") + "/proxy/"
    body = failure(
        server.request("GET", services(ns, "api:81") + "/proxy/"), 503, "ServiceUnavailable"
    )
    assert body["message"] == 'no service port 81 found for service "api"'
    body = failure(
        server.request("GET", services(ns, "api:other") + "/proxy/"), 503, "ServiceUnavailable"
    )
    assert body["message"] == 'no endpoints available for service "api:other"'
    body = failure(server.request("GET", services(ns, "a:b:c:d") + "/proxy/"), 400, "BadRequest")
    assert body["message"] == 'invalid service request "a:b:c:d"'


def test_pod_proxy_needs_a_routable_pod_ip(server, ns):
    create(server, pods(ns), pod("nip"))
    body = failure(server.request("GET", pods(ns, "nip", "proxy") + "/"), 400, "BadRequest")
    assert body["message"] == "address not allowed"  # no IP yet
    set_status(server, pods(ns, "nip"), {"podIP": "127.0.0.1", "podIPs": [{"ip": "127.0.0.1"}]})
    body = failure(server.request("DELETE", pods(ns, "https:nip:8443", "proxy")), 400, "BadRequest")
    assert body["message"] == "address not allowed"  # loopback is not global unicast
    body = failure(server.request("GET", pods(ns, "ftp:nip:21", "proxy")), 400, "BadRequest")
    assert body["message"] == 'invalid pod request "ftp:nip:21"'
