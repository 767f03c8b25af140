"""kubectl 1.33 `create` generators for core/v1 kinds send protobuf; the server stores what
kubectl 1.30 gets from the same command in JSON.

Fields no kubectl command sends (a ServiceAccount's secrets, a Secret's stringData, most of a
ServiceSpec, a quota's scopeSelector) are checked with bodies built by hand, each posted once as
protobuf and once as the same object in JSON. A body the server cannot read whole is refused
and leaves nothing behind."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from client_certs import issue, new_ca
from kubectl_protobuf import JSON_KUBECTL, PROTOBUF_KUBECTL, created_both_ways
from protobuf_wire import entry, envelope, field, int_field

PROTOBUF = "application/vnd.kubernetes.protobuf"
# Not UTF-8, so that kubectl puts it in a ConfigMap's binaryData rather than its data.
BINARY = bytes(range(256))

CASES = {
    "namespace": ("namespace", "n1", "create", "namespace", "{name}"),
    "configmap": (
        "configmap",
        "c1",
        "create",
        "configmap",
        "{name}",
        "--from-literal=a=b",
        "--from-literal=c=d",
    ),
    "configmap-from-files": (
        "configmap",
        "c2",
        "create",
        "configmap",
        "{name}",
        "--from-file={dir}/text.txt",
        "--from-file=blob={dir}/blob.bin",
        "--from-literal=plain=value",
    ),
    "configmap-from-env-file": (
        "configmap",
        "c3",
        "create",
        "configmap",
        "{name}",
        "--from-env-file={dir}/app.env",
    ),
    "secret-generic": (
        "secret",
        "s1",
        "create",
        "secret",
        "generic",
        "{name}",
        "--from-literal=user=admin",
        "--from-literal=password=s3cr3t",
        "--from-file={dir}/blob.bin",
        "--from-file=notes={dir}/text.txt",
        "--type=example.com/custom",
    ),
    "secret-generic-from-env-file": (
        "secret",
        "s2",
        "create",
        "secret",
        "generic",
        "{name}",
        "--from-env-file={dir}/app.env",
    ),
    "secret-docker-registry": (
        "secret",
        "reg1",
        "create",
        "secret",
        "docker-registry",
        "{name}",
        "--docker-server=registry.example.com",
        "--docker-username=robot",
        "--docker-password=hunter2",
        "--docker-email=robot@example.com",
    ),
    "secret-tls": (
        "secret",
        "tls1",
        "create",
        "secret",
        "tls",
        "{name}",
        "--cert={dir}/tls.crt",
        "--key={dir}/tls.key",
    ),
    "serviceaccount": ("serviceaccount", "sa1", "create", "serviceaccount", "{name}"),
    "service-clusterip": (
        "service",
        "svc1",
        "create",
        "service",
        "clusterip",
        "{name}",
        "--tcp=80:8080",
        "--tcp=443:8443",
        "--tcp=9090",
    ),
    "service-headless": (
        "service",
        "svc2",
        "create",
        "service",
        "clusterip",
        "{name}",
        "--clusterip=None",
        "--tcp=5432",
    ),
    "service-nodeport": (
        "service",
        "np1",
        "create",
        "service",
        "nodeport",
        "{name}",
        "--tcp=80:8080",
        "--tcp=443:8443",
    ),
    "service-loadbalancer": (
        "service",
        "lb1",
        "create",
        "service",
        "loadbalancer",
        "{name}",
        "--tcp=80:8080",
        "--tcp=443",
    ),
    "service-externalname": (
        "service",
        "ext1",
        "create",
        "service",
        "externalname",
        "{name}",
        "--external-name=db.example.com",
        "--tcp=5432:5433",
    ),
    "quota": (
        "resourcequota",
        "q1",
        "create",
        "quota",
        "{name}",
        "--hard=cpu=1,memory=1G,pods=2,services.loadbalancers=0",
    ),
    "quota-not-terminating": (
        "resourcequota",
        "q2",
        "create",
        "quota",
        "{name}",
        "--hard=cpu=500m,memory=1Gi,pods=0",
        "--scopes=NotTerminating",
    ),
    "quota-best-effort": (
        "resourcequota",
        "q3",
        "create",
        "quota",
        "{name}",
        "--hard=pods=0",
        "--scopes=BestEffort,NotTerminating",
    ),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files the generators read: text, binary, an env file, a certificate and its key."""
    directory = tmp_path_factory.mktemp("kubectl-files")
    (directory / "text.txt").write_text("hello\nworld\n")
    (directory / "blob.bin").write_bytes(BINARY)
    (directory / "app.env").write_text("# settings\nMODE=production\nWORKERS=4\nEMPTY=\n")
    issue(new_ca("protobuf-ca"), "tls.example.com").write(directory, "tls")
    return directory


@pytest.mark.parametrize("case", sorted(CASES))
def test_generator_stores_the_same_object(server, files, case):
    resource, name, *args = CASES[case]
    args = [a.replace("{dir}", str(files)) for a in args]
    namespaced = resource != "namespace"
    as_json, as_protobuf = created_both_ways(server, resource, name, *args, namespaced=namespaced)
    assert as_protobuf == as_json


def test_generated_values_arrive_as_sent(server, files):
    """What comparing the two kubectls cannot show: values both could have lost alike, and
    an address the comparison leaves out."""
    ns = _namespace(server)
    commands = (
        ("configmap", "bin", f"--from-file=blob={files}/blob.bin"),
        ("quota", "zero", "--hard=pods=2,services.loadbalancers=0"),
        ("service", "clusterip", "hl", "--clusterip=None", "--tcp=5432"),
    )
    for command in commands:
        server.kubectl("create", *command, "-n", ns, version=PROTOBUF_KUBECTL)

    configmap = _get(server, ns, "configmaps", "bin")
    assert configmap["binaryData"] == {"blob": base64.b64encode(BINARY).decode()}
    assert "data" not in configmap
    quota = _get(server, ns, "resourcequotas", "zero")
    assert quota["spec"]["hard"] == {"pods": "2", "services.loadbalancers": "0"}
    assert _get(server, ns, "services", "hl")["spec"]["clusterIP"] == "None"


def test_a_requested_node_port_is_kept(server):
    """A node port is the cluster's, so each kubectl asks for its own."""
    first = 30000 + uuid.uuid4().int % 2700
    stored = {}
    for version, port in ((JSON_KUBECTL, first), (PROTOBUF_KUBECTL, first + 1)):
        ns = _namespace(server)
        server.kubectl(
            "create",
            "service",
            "nodeport",
            "np",
            "--tcp=80:8080",
            f"--node-port={port}",
            "-n",
            ns,
            version=version,
        )
        svc = _get(server, ns, "services", "np")
        assert [p["nodePort"] for p in svc["spec"]["ports"]] == [port]
        stored[version] = _normalised(svc, ns)
    assert stored[PROTOBUF_KUBECTL] == stored[JSON_KUBECTL]


# Fields no kubectl command sets, each as protobuf (Go's layout: every non-pointer field
# written, zero or not) and as the JSON Go would write for the same object.


def _meta(name: str) -> bytes:
    return field(1, field(1, name) + field(8, b""))


def _service_account(ns: str) -> tuple[bytes, dict[str, Any]]:
    reference = (
        field(1, "Secret")
        + field(2, ns)
        + field(3, "token")
        + field(4, "0b7d3c1e-0000-4000-8000-000000000001")
        + field(5, "v1")
        + field(6, "42")
        + field(7, "data.token")
    )
    raw = _meta("robot") + field(2, reference) + field(3, field(1, "registry")) + int_field(4, 0)
    as_json = {
        "metadata": {"name": "robot"},
        "secrets": [
            {
                "kind": "Secret",
                "namespace": ns,
                "name": "token",
                "uid": "0b7d3c1e-0000-4000-8000-000000000001",
                "apiVersion": "v1",
                "resourceVersion": "42",
                "fieldPath": "data.token",
            }
        ],
        "imagePullSecrets": [{"name": "registry"}],
        "automountServiceAccountToken": False,
    }
    return raw, as_json


def _secret(ns: str) -> tuple[bytes, dict[str, Any]]:
    raw = (
        _meta("sealed")
        + entry(2, "key", b"\x00\x01binary")
        + field(3, "Opaque")
        + entry(4, "greeting", "hello")
        + int_field(5, 1)
    )
    as_json = {
        "metadata": {"name": "sealed"},
        "data": {"key": base64.b64encode(b"\x00\x01binary").decode()},
        "type": "Opaque",
        "stringData": {"greeting": "hello"},
        "immutable": True,
    }
    return raw, as_json


def _configmap(ns: str) -> tuple[bytes, dict[str, Any]]:
    raw = _meta("mutable") + entry(2, "a", "b") + int_field(4, 0)
    return raw, {"metadata": {"name": "mutable"}, "data": {"a": "b"}, "immutable": False}


def _service_port(name: str, protocol: str, port: int, target: bytes, app: str | None) -> bytes:
    out = field(1, name) + field(2, protocol) + int_field(3, port) + field(4, target)
    out += int_field(5, 0)
    return out + (field(6, app) if app is not None else b"")


def _load_balancer(ns: str) -> tuple[bytes, dict[str, Any]]:
    # A node port is the cluster's: each namespace's twin asks for its own.
    health_port = 30000 + int(ns[-4:], 16) % 2700
    named = int_field(1, 1) + int_field(2, 0) + field(3, "web")
    numbered = int_field(1, 0) + int_field(2, 5353) + field(3, "")
    spec = (
        field(1, _service_port("http", "TCP", 80, named, "kubernetes.io/h2c"))
        + field(1, _service_port("dns", "UDP", 53, numbered, None))
        + entry(2, "app", "lb")
        + field(3, "")
        + field(4, "LoadBalancer")
        + field(5, "192.0.2.10")
        + field(7, "ClientIP")
        + field(8, "")
        + field(9, "10.0.0.0/8")
        + field(9, "192.168.0.0/16")
        + field(10, "")
        + field(11, "Local")
        + int_field(12, health_port)
        + int_field(13, 1)
        + field(14, field(1, int_field(1, 600)))
        + field(17, "SingleStack")
        + field(19, "IPv4")
        + int_field(20, 0)
        + field(21, "example.com/lb")
        + field(22, "Local")
    )
    raw = _meta("lb") + field(2, spec) + field(3, field(1, b""))
    as_json = {
        "metadata": {"name": "lb"},
        "spec": {
            "ports": [
                {
                    "name": "http",
                    "protocol": "TCP",
                    "appProtocol": "kubernetes.io/h2c",
                    "port": 80,
                    "targetPort": "web",
                },
                {
                    "name": "dns",
                    "protocol": "UDP",
                    "port": 53,
                    "targetPort": 5353,
                },
            ],
            "selector": {"app": "lb"},
            "type": "LoadBalancer",
            "externalIPs": ["192.0.2.10"],
            "sessionAffinity": "ClientIP",
            "loadBalancerSourceRanges": ["10.0.0.0/8", "192.168.0.0/16"],
            "externalTrafficPolicy": "Local",
            "healthCheckNodePort": health_port,
            "publishNotReadyAddresses": True,
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 600}},
            "ipFamilyPolicy": "SingleStack",
            "ipFamilies": ["IPv4"],
            "allocateLoadBalancerNodePorts": False,
            "loadBalancerClass": "example.com/lb",
            "internalTrafficPolicy": "Local",
        },
    }
    return raw, as_json


def _headless(ns: str) -> tuple[bytes, dict[str, Any]]:
    target = int_field(1, 0) + int_field(2, 0) + field(3, "")
    spec = (
        field(1, _service_port("", "TCP", 5432, target, None))
        + field(3, "None")
        + field(4, "ClusterIP")
        + field(18, "None")
    )
    raw = _meta("hl") + field(2, spec)
    as_json = {
        "metadata": {"name": "hl"},
        "spec": {
            "ports": [{"protocol": "TCP", "port": 5432, "targetPort": 0}],
            "clusterIP": "None",
            "clusterIPs": ["None"],
            "type": "ClusterIP",
        },
    }
    return raw, as_json


def _quota(ns: str) -> tuple[bytes, dict[str, Any]]:
    requirement = field(1, "PriorityClass") + field(2, "In") + field(3, "high") + field(3, "low")
    spec = entry(1, "pods", field(1, "0")) + field(3, field(1, requirement))
    raw = _meta("by-priority") + field(2, spec) + field(3, b"")
    as_json = {
        "metadata": {"name": "by-priority"},
        "spec": {
            "hard": {"pods": "0"},
            "scopeSelector": {
                "matchExpressions": [
                    {"scopeName": "PriorityClass", "operator": "In", "values": ["high", "low"]}
                ]
            },
        },
    }
    return raw, as_json


HAND_BUILT = {
    "serviceaccount": ("ServiceAccount", "serviceaccounts", _service_account),
    "secret": ("Secret", "secrets", _secret),
    "configmap-not-immutable": ("ConfigMap", "configmaps", _configmap),
    "service-loadbalancer": ("Service", "services", _load_balancer),
    "service-headless": ("Service", "services", _headless),
    "quota-scope-selector": ("ResourceQuota", "resourcequotas", _quota),
}


@pytest.mark.parametrize("case", sorted(HAND_BUILT))
def test_fields_no_generator_sets_read_as_their_json(server, case):
    kind, plural, build = HAND_BUILT[case]
    stored = []
    for as_protobuf in (False, True):
        ns = _namespace(server)
        raw, as_json = build(ns)
        if as_protobuf:
            body, content_type = envelope("v1", kind, raw), PROTOBUF
        else:
            body = json.dumps({"apiVersion": "v1", "kind": kind, **as_json})
            content_type = "application/json"
        resp = server.request(
            "POST",
            f"/api/v1/namespaces/{ns}/{plural}",
            body,
            headers={"Content-Type": content_type, "Accept": "application/json"},
        )
        assert resp.status == 201, resp.body
        got = _get(server, ns, plural, as_json["metadata"]["name"])
        health_port = as_json.get("spec", {}).get("healthCheckNodePort")
        assert got.get("spec", {}).get("healthCheckNodePort") == health_port
        stored.append(_normalised(got, ns))
    assert stored[1] == stored[0]


def test_an_undescribed_field_refuses_the_body_and_stores_nothing(server):
    ns = _namespace(server)
    raw = _meta("odd") + entry(2, "a", "b") + field(99, "surprise")
    resp = _post_protobuf(server, ns, envelope("v1", "ConfigMap", raw))
    assert resp.status == 415, resp.body
    assert resp.json()["reason"] == "UnsupportedMediaType"
    assert server.request("GET", f"/api/v1/namespaces/{ns}/configmaps/odd").status == 404


def test_a_truncated_body_is_a_bad_request_and_stores_nothing(server):
    ns = _namespace(server)
    body = envelope("v1", "ConfigMap", _meta("cut") + entry(2, "a", "b"))
    resp = _post_protobuf(server, ns, body[:-3])
    assert resp.status == 400, resp.body
    assert resp.json()["reason"] == "BadRequest"
    assert server.request("GET", f"/api/v1/namespaces/{ns}/configmaps/cut").status == 404


def _post_protobuf(server: Any, ns: str, body: bytes) -> Any:
    return server.request(
        "POST",
        f"/api/v1/namespaces/{ns}/configmaps",
        body,
        headers={"Content-Type": PROTOBUF, "Accept": "application/json"},
    )


def _namespace(server: Any) -> str:
    name = "pbh-" + uuid.uuid4().hex[:8]
    server.kubectl("create", "namespace", name, version=JSON_KUBECTL)
    return name


def _get(server: Any, ns: str, plural: str, name: str) -> dict[str, Any]:
    resp = server.request("GET", f"/api/v1/namespaces/{ns}/{plural}/{name}")
    assert resp.status == 200, resp.body
    return resp.json()


def _normalised(obj: dict[str, Any], ns: str) -> Any:
    """The object without what the server assigns (allocated addresses and ports included)."""
    for key in ("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation"):
        obj["metadata"].pop(key, None)
    obj.pop("status", None)
    spec = obj.get("spec") or {}
    if spec.get("clusterIP") != "None":
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
    spec.pop("healthCheckNodePort", None)
    for port in spec.get("ports") or ():
        port.pop("nodePort", None)
    return json.loads(json.dumps(obj).replace(ns, "NS"))
