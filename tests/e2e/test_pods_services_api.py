"""Pods, Services and policy/v1 against a real server: defaults and status of a fresh pod,
node port and (dual-stack) cluster IP allocation, PodDisruptionBudgets, and the discovery facts
of the pod, service and node subresources (whose behaviour test_pod_subresources_api.py
covers)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import start_server

MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
STRATEGIC = {"Content-Type": "application/strategic-merge-patch+json"}


def pods(ns: str, name: str = "", sub: str = "") -> str:
    return (
        f"/api/v1/namespaces/{ns}/pods" + (f"/{name}" if name else "") + (f"/{sub}" if sub else "")
    )


def services(ns: str, name: str = "") -> str:
    return f"/api/v1/namespaces/{ns}/services" + (f"/{name}" if name else "")


def pdbs(ns: str, name: str = "", sub: str = "") -> str:
    base = f"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets"
    return base + (f"/{name}" if name else "") + (f"/{sub}" if sub else "")


def pod(name: str, *containers: str, labels: dict | None = None, **spec: Any) -> dict:
    names = containers or ("c",)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": {"containers": [{"name": c, "image": "nginx:1.27"} for c in names], **spec},
    }


def create(server, path: str, obj: dict) -> dict:
    resp = server.request("POST", path, obj)
    assert resp.status == 201, resp.body
    return resp.json()


def failure(resp, code: int, reason: str | None = None) -> dict:
    assert resp.status == code, resp.body
    body = resp.json()
    assert body["kind"] == "Status" and body["status"] == "Failure"
    assert body.get("reason") == reason
    return body


def binding(name: str, node: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Binding",
        "metadata": {"name": name},
        "target": {"kind": "Node", "name": node},
    }


def set_status(server, path: str, status: dict) -> dict:
    resp = server.request("PATCH", path + "/status", {"status": status}, headers=MERGE)
    assert resp.status == 200, resp.body
    return resp.json()


def pdb(name: str, selector: dict | None, **spec: Any) -> dict:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": name},
        "spec": {**({"selector": selector} if selector is not None else {}), **spec},
    }


# ---------------------------------------------------------------- a fresh pod


def test_a_pod_applied_with_kubectl_reads_back_defaulted_and_pending(server, ns):
    manifest = """
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    ports: [{containerPort: 80}]
  - name: side
    image: busybox:1.36
    resources: {limits: {cpu: 100m, memory: 64Mi}}
"""
    server.kubectl("apply", "-n", ns, "-f", "-", input=manifest)
    obj = server.request("GET", pods(ns, "web")).json()
    spec = obj["spec"]
    assert obj["metadata"]["generation"] == 1
    assert (spec["restartPolicy"], spec["dnsPolicy"], spec["schedulerName"]) == (
        "Always",
        "ClusterFirst",
        "default-scheduler",
    )
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["securityContext"] == {} and spec["enableServiceLinks"] is True
    web, side = spec["containers"]
    assert web["imagePullPolicy"] == "Always" and side["imagePullPolicy"] == "IfNotPresent"
    assert web["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert web["terminationMessagePath"] == "/dev/termination-log"
    assert web["terminationMessagePolicy"] == "File"
    assert side["resources"]["requests"] == {"cpu": "100m", "memory": "64Mi"}
    # A pod nothing has scheduled shows only its phase and QoS class.
    assert obj["status"] == {"phase": "Pending", "qosClass": "Burstable"}
    rows = server.kubectl("get", "pod", "web", "-n", ns, "-o", "wide").stdout.splitlines()
    assert rows[0].split() == [
        "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE",
        "READINESS", "GATES",
    ]  # fmt: skip
    assert rows[1].split()[:4] == ["web", "0/2", "Pending", "0"]


def test_a_gated_pod_shows_why_it_is_not_scheduled_and_cannot_be_bound(server, ns):
    gated = create(server, pods(ns), pod("gated", schedulingGates=[{"name": "example.com/wait"}]))
    [cond] = gated["status"]["conditions"]
    assert cond["type"] == "PodScheduled" and cond["status"] == "False"
    assert cond["reason"] == "SchedulingGated"
    assert cond["message"] == "Scheduling is blocked due to non-empty scheduling gates"
    assert cond["lastProbeTime"] is None
    row = server.kubectl("get", "pod", "gated", "-n", ns, "--no-headers").stdout.split()
    assert row[:3] == ["gated", "0/1", "SchedulingGated"]
    body = failure(
        server.request("POST", pods(ns, "gated", "binding"), binding("gated", "n1")),
        409,
        "Conflict",
    )
    assert body["message"] == (
        'Operation cannot be fulfilled on pods/binding "gated": pod gated has non-empty .spec.schedulingGates'
    )


# ---------------------------------------------------------------- services


def service(name: str, stype: str = "ClusterIP", **spec: Any) -> dict:
    base = {"type": stype, "selector": {"app": name}, "ports": [{"name": "http", "port": 80}]}
    merged = {k: v for k, v in {**base, **spec}.items() if v is not None}
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": merged}


def test_node_ports_are_allocated_from_the_range_without_duplicates(server, ns):
    np = create(server, services(ns), service("np", "NodePort"))
    [port] = np["spec"]["ports"]
    assert 30000 <= port["nodePort"] <= 32767
    assert np["spec"]["externalTrafficPolicy"] == "Cluster"
    dns = service("dns", "NodePort", ports=[
        {"name": "tcp", "port": 53, "protocol": "TCP"}, {"name": "udp", "port": 53, "protocol": "UDP"},
    ])  # fmt: skip
    tcp, udp = create(server, services(ns), dns)["spec"]["ports"]
    assert tcp["nodePort"] == udp["nodePort"]  # one number, one node port
    taken = service("taken", "NodePort", ports=[{"port": 80, "nodePort": port["nodePort"]}])
    body = failure(server.request("POST", services(ns), taken), 422, "Invalid")
    assert body["message"] == (
        f'Service "taken" is invalid: spec.ports[0].nodePort: Invalid value: {port["nodePort"]}: '
        "provided port is already allocated"
    )
    outside = service("outside", "NodePort", ports=[{"port": 80, "nodePort": 8080}])
    body = failure(server.request("POST", services(ns), outside), 422, "Invalid")
    assert body["details"]["causes"][0]["message"] == (
        "Invalid value: 8080: provided port is not in the valid range. "
        "The range of valid ports is 30000-32767"
    )
    # Switching to ClusterIP drops the node port; it is free again at once.
    resp = server.request(
        "PATCH", services(ns, "np"), {"spec": {"type": "ClusterIP"}}, headers=MERGE
    )
    assert resp.status == 200, resp.body
    assert "nodePort" not in resp.json()["spec"]["ports"][0]
    assert "externalTrafficPolicy" not in resp.json()["spec"]
    create(server, services(ns), taken)
    assert server.request("DELETE", services(ns, "taken")).status == 200
    taken["metadata"]["name"] = "again"
    create(server, services(ns), taken)


def test_load_balancers_get_node_ports_and_health_check_ports_as_asked(server, ns):
    lb = create(server, services(ns), service("lb", "LoadBalancer", externalTrafficPolicy="Local"))
    spec = lb["spec"]
    assert spec["allocateLoadBalancerNodePorts"] is True
    assert 30000 <= spec["ports"][0]["nodePort"] <= 32767
    assert 30000 <= spec["healthCheckNodePort"] <= 32767
    assert spec["healthCheckNodePort"] != spec["ports"][0]["nodePort"]
    bare = create(
        server, services(ns), service("bare", "LoadBalancer", allocateLoadBalancerNodePorts=False)
    )
    assert "nodePort" not in bare["spec"]["ports"][0]
    rows = server.kubectl("get", "svc", "lb", "-n", ns).stdout.splitlines()
    assert rows[1].split()[:5] == [
        "lb",
        "LoadBalancer",
        spec["clusterIP"],
        "<pending>",
        f"80:{spec['ports'][0]['nodePort']}/TCP",
    ]


def test_cluster_ips_are_unique_immutable_and_single_stack_here(server, ns):
    first = create(server, services(ns), service("first"))["spec"]
    assert first["ipFamilies"] == ["IPv4"] and first["ipFamilyPolicy"] == "SingleStack"
    assert first["clusterIPs"] == [first["clusterIP"]]
    assert first["internalTrafficPolicy"] == "Cluster" and first["sessionAffinity"] == "None"
    dup = service("dup", clusterIP=first["clusterIP"])
    body = failure(server.request("POST", services(ns), dup), 422, "Invalid")
    assert body["message"] == (
        f'Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{{"{first["clusterIP"]}"}}: '
        f"failed to allocate IP {first['clusterIP']}: provided IP is already allocated"
    )
    body = failure(
        server.request("POST", services(ns), service("far", clusterIP="10.9.0.5")), 422, "Invalid"
    )
    assert body["details"]["causes"][0]["message"].endswith(
        "failed to allocate IP 10.9.0.5: the provided network does not match the current range"
    )
    # An IPAddress object keeps its address from services.
    held = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IPAddress",
        "metadata": {"name": "10.0.0.77"},
        "spec": {"parentRef": {"group": "", "resource": "services", "namespace": "x", "name": "y"}},
    }
    resp = server.request("POST", "/apis/networking.k8s.io/v1/ipaddresses", held)
    assert resp.status in (201, 409), resp.body
    body = failure(
        server.request("POST", services(ns), service("held", clusterIP="10.0.0.77")), 422, "Invalid"
    )
    assert body["details"]["causes"][0]["message"].endswith(
        "failed to allocate IP 10.0.0.77: provided IP is already allocated"
    )
    server.request("DELETE", "/apis/networking.k8s.io/v1/ipaddresses/10.0.0.77")
    patch = {"spec": {"clusterIP": "10.0.0.250", "clusterIPs": ["10.0.0.250"]}}
    body = failure(
        server.request("PATCH", services(ns, "first"), patch, headers=MERGE), 422, "Invalid"
    )
    assert body["details"]["causes"][0] == {
        "reason": "FieldValueInvalid",
        "message": 'Invalid value: []string{"10.0.0.250"}: may not change once set',
        "field": "spec.clusterIPs[0]",
    }
    dual = service("dual", ipFamilyPolicy="RequireDualStack")
    body = failure(server.request("POST", services(ns), dual), 422, "Invalid")
    assert body["message"] == (
        'Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": '
        "this cluster is not configured for dual-stack services"
    )
    v6 = service("v6", ipFamilies=["IPv6"])
    body = failure(server.request("POST", services(ns), v6), 422, "Invalid")
    assert (
        body["message"]
        == 'Service "v6" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster'
    )
    # Headless services without a selector ask for both families, whatever the cluster has.
    headless = create(server, services(ns), service("hl", clusterIP="None", selector=None))["spec"]
    assert headless["clusterIPs"] == ["None"]
    assert (headless["ipFamilyPolicy"], headless["ipFamilies"]) == (
        "RequireDualStack",
        ["IPv4", "IPv6"],
    )


def test_dual_stack_ranges_and_allocations_kept_across_a_restart(tmp_path):
    args = (
        "--service-cluster-ip-range=10.96.0.0/24,fd00:10::/108",
        "--service-node-port-range=31000-31099",
    )
    srv = start_server(tmp_path / "data", *args)
    try:
        ns = "default"
        both = create(
            srv, services(ns), service("both", "NodePort", ipFamilyPolicy="PreferDualStack")
        )["spec"]
        v4, v6 = both["clusterIPs"]
        assert both["ipFamilies"] == ["IPv4", "IPv6"] and both["clusterIP"] == v4
        assert v4.startswith("10.96.0.") and v6.startswith("fd00:10::")
        assert 31000 <= both["ports"][0]["nodePort"] <= 31099
        six = create(srv, services(ns), service("six", ipFamilies=["IPv6"]))["spec"]
        assert six["ipFamilyPolicy"] == "SingleStack" and six["clusterIP"].startswith("fd00:10::")
        one = create(srv, services(ns), service("one"))["spec"]
        assert one["ipFamilies"] == ["IPv4"] and len(one["clusterIPs"]) == 1
        up = srv.request(
            "PATCH",
            services(ns, "one"),
            {"spec": {"ipFamilyPolicy": "RequireDualStack"}},
            headers=MERGE,
        )
        assert up.status == 200, up.body
        assert (
            up.json()["spec"]["ipFamilies"] == ["IPv4", "IPv6"]
            and len(up.json()["spec"]["clusterIPs"]) == 2
        )
        down = {"spec": {"ipFamilies": ["IPv4"], "clusterIPs": [one["clusterIP"]]}}
        body = failure(
            srv.request("PATCH", services(ns, "one"), down, headers=MERGE), 422, "Invalid"
        )
        assert (
            "spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": must be 'SingleStack'"
            in body["message"]
        )
        node_port = both["ports"][0]["nodePort"]
    finally:
        srv.stop()
    srv = start_server(tmp_path / "data", *args)
    try:
        clash = service(
            "clash",
            "NodePort",
            clusterIP=v6,
            clusterIPs=[v6],
            ipFamilies=["IPv6"],
            ports=[{"port": 80, "nodePort": node_port}],
        )
        body = failure(srv.request("POST", services("default"), clash), 422, "Invalid")
        assert "provided IP is already allocated" in body["message"]
        clash["spec"].pop("clusterIP"), clash["spec"].pop("clusterIPs")
        body = failure(srv.request("POST", services("default"), clash), 422, "Invalid")
        assert "provided port is already allocated" in body["message"]
    finally:
        srv.stop()


# ---------------------------------------------------------------- PodDisruptionBudgets


def test_pdbs_apply_read_back_and_print_as_kubectl_shows_them(server, ns):
    manifest = """
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 25%
  selector:
    matchLabels: {app: web}
  unhealthyPodEvictionPolicy: AlwaysAllow
"""
    server.kubectl("apply", "-n", ns, "-f", "-", input=manifest)
    obj = server.request("GET", pdbs(ns, "web")).json()
    assert obj["metadata"]["generation"] == 1
    assert obj["status"] == {
        "disruptionsAllowed": 0,
        "currentHealthy": 0,
        "desiredHealthy": 0,
        "expectedPods": 0,
    }
    for args in (("get", "pdb", "-n", ns), ("get", "poddisruptionbudgets", "-n", ns, "-o", "wide")):
        header, row = server.kubectl(*args).stdout.splitlines()
        assert header.split() == [
            "NAME",
            "MIN",
            "AVAILABLE",
            "MAX",
            "UNAVAILABLE",
            "ALLOWED",
            "DISRUPTIONS",
            "AGE",
        ]
        assert row.split()[:4] == ["web", "N/A", "25%", "0"]
    server.kubectl(
        "patch", "pdb", "web", "-n", ns, "--type=merge", "-p", '{"spec":{"maxUnavailable":1}}'
    )
    assert server.request("GET", pdbs(ns, "web")).json()["metadata"]["generation"] == 2
    body = failure(
        server.request(
            "PATCH", pdbs(ns, "web", "status"), {"status": {"expectedPods": -1}}, headers=MERGE
        ),
        422,
        "Invalid",
    )
    assert body["message"] == (
        'PodDisruptionBudget.policy "web" is invalid: status.expectedPods: Invalid value: -1: '
        "must be greater than or equal to 0"
    )


@pytest.mark.parametrize(
    ("spec", "field", "message"),
    [
        (
            {"minAvailable": "120%"},
            "spec.minAvailable",
            'Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%',
        ),
        (
            {"maxUnavailable": -1},
            "spec.maxUnavailable",
            "Invalid value: -1: must be greater than or equal to 0",
        ),
        (
            {"minAvailable": 1, "unhealthyPodEvictionPolicy": "Sometimes"},
            "spec.unhealthyPodEvictionPolicy",
            'Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"',
        ),
        (
            {"minAvailable": 1, "maxUnavailable": 1},
            "spec",
            "Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000010000), "
            "Selector:(*v1.LabelSelector)(nil), MaxUnavailable:(*intstr.IntOrString)(0xc000010000), "
            "UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: "
            "minAvailable and maxUnavailable cannot be both set",
        ),
    ],
)
def test_invalid_pdbs_are_refused_with_kubernetes_messages(server, ns, spec, field, message):
    body = failure(server.request("POST", pdbs(ns), pdb("bad", None, **spec)), 422, "Invalid")
    assert message in [c["message"] for c in body["details"]["causes"] if c["field"] == field]


# ---------------------------------------------------------------- discovery


def test_discovery_lists_the_pod_service_and_node_subresources(server):
    listed = {r["name"]: r for r in server.request("GET", "/api/v1").json()["resources"]}
    expected = {
        "bindings": ("Binding", ["create"]),
        "pods/attach": ("PodAttachOptions", ["create", "get"]),
        "pods/binding": ("Binding", ["create"]),
        "pods/ephemeralcontainers": ("Pod", ["get", "patch", "update"]),
        "pods/eviction": ("Eviction", ["create"]),
        "pods/exec": ("PodExecOptions", ["create", "get"]),
        "pods/log": ("Pod", ["get"]),
        "pods/portforward": ("PodPortForwardOptions", ["create", "get"]),
        "pods/proxy": ("PodProxyOptions", ["create", "delete", "get", "patch", "update"]),
        "pods/resize": ("Pod", ["get", "patch", "update"]),
        "services/proxy": ("ServiceProxyOptions", ["create", "delete", "get", "patch", "update"]),
        "nodes/proxy": ("NodeProxyOptions", ["create", "delete", "get", "patch", "update"]),
    }
    for name, (kind, verbs) in expected.items():
        assert (listed[name]["kind"], listed[name]["verbs"]) == (kind, verbs), name
    assert (listed["pods/eviction"]["group"], listed["pods/eviction"]["version"]) == (
        "policy",
        "v1",
    )
    policy = server.request("GET", "/apis/policy/v1").json()["resources"]
    [budgets] = [r for r in policy if r["name"] == "poddisruptionbudgets"]
    assert budgets["shortNames"] == ["pdb"] and budgets["kind"] == "PodDisruptionBudget"
