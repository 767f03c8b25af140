"""Kubelets against a real server run with `--authorization-mode=Node,RBAC` and the
NodeRestriction admission plugin: client certificates minted from the server's CA
(CN `system:node:<name>`, O `system:nodes`), raw HTTPS and kubectl, each rule from both sides."""

from __future__ import annotations

import http.client
import json
import ssl
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from client_certs import issue, load_ca
from conftest import Response, Server, start_server

MERGE = {"Content-Type": "application/merge-patch+json"}
NOT_RELATED = "no relationship found between node '{}' and this object"


@dataclass
class Kubelet:
    """A node's credentials: raw HTTPS and kubectl as `system:node:<name>`."""

    name: str
    server: Server
    cert: Path
    key: Path
    kubeconfig: Path

    def request(self, method: str, path: str, body: Any = None, headers: Any = None) -> Response:
        ctx = ssl.create_default_context(cafile=str(self.server.data_dir / "pki" / "ca.crt"))
        ctx.load_cert_chain(str(self.cert), str(self.key))
        conn = http.client.HTTPSConnection("127.0.0.1", self.server.port, context=ctx, timeout=30)
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        try:
            conn.request(
                method, path, body=None if body is None else json.dumps(body), headers=hdrs
            )
            resp = conn.getresponse()
            return Response(resp.status, dict(resp.getheaders()), resp.read())
        finally:
            conn.close()

    def kubectl(self, *args: str) -> subprocess.CompletedProcess:
        """kubectl as the node, with a discovery cache of its own."""
        return self.server.kubectl(
            *args,
            kubeconfig=self.kubeconfig,
            cache_dir=self.server.data_dir / f"cache-{self.name}",
            check=False,
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(
        tmp_path_factory.mktemp("node-auth") / "data",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction",
    )
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def kubelets(server: Server) -> dict[str, Kubelet]:
    """n1 and n2, each registered as a Node by its own kubelet."""
    ca = load_ca(server.data_dir / "pki")
    out = {}
    for name in ("n1", "n2"):
        cert, key = issue(ca, f"system:node:{name}", ["system:nodes"]).write(server.data_dir, name)
        kubeconfig = server.user_kubeconfig(
            name, {"client-certificate": str(cert), "client-key": str(key)}
        )
        kubelet = out[name] = Kubelet(name, server, cert, key, kubeconfig)
        node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}}
        resp = kubelet.request("POST", "/api/v1/nodes", node)
        assert resp.status == 201, resp.body
    return out


@pytest.fixture
def ns(server: Server) -> str:
    name = "node-" + uuid.uuid4().hex[:8]
    resp = server.request("POST", "/api/v1/namespaces", {"metadata": {"name": name}})
    assert resp.status == 201, resp.body
    return name


def eventually(call: Callable[[], Response], status: int, timeout: float = 20) -> Response:
    """Poll until the answer has `status` (the Node authorizer's graph follows the watch
    caches, so it lags a write a little); the last answer otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        resp = call()
        if resp.status == status or time.monotonic() > deadline:
            return resp
        time.sleep(0.05)


def message(resp: Response) -> str:
    return resp.json()["message"]


def bound_pod(server: Server, ns: str, name: str, node: str, **spec: Any) -> dict[str, Any]:
    """A pod created by the admin and bound to `node` through pods/binding, as a scheduler does."""
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec},
    }
    resp = eventually(lambda: server.request("POST", f"/api/v1/namespaces/{ns}/pods", pod), 201)
    assert resp.status == 201, resp.body
    binding = {"metadata": {"name": name}, "target": {"kind": "Node", "name": node}}
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/pods/{name}/binding", binding)
    assert resp.status == 201, resp.body
    return server.request("GET", f"/api/v1/namespaces/{ns}/pods/{name}").json()


def test_a_kubelet_manages_its_own_node_only(server: Server, kubelets: dict[str, Kubelet]) -> None:
    n1 = kubelets["n1"]
    status = {"status": {"conditions": [{"type": "Ready", "status": "True"}]}}
    assert n1.request("PATCH", "/api/v1/nodes/n1/status", status, MERGE).status == 200
    assert n1.request("GET", "/api/v1/nodes/n1").status == 200
    resp = n1.request("GET", "/api/v1/nodes/n2")
    assert (resp.status, message(resp)) == (
        403,
        'nodes "n2" is forbidden: User "system:node:n1" cannot get resource "nodes" in API group '
        "\"\" at the cluster scope: node 'n1' cannot read 'n2', only its own Node object",
    )
    resp = n1.request("PATCH", "/api/v1/nodes/n2/status", status, MERGE)
    assert (resp.status, message(resp)) == (
        403,
        'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"',
    )
    resp = n1.request("DELETE", "/api/v1/nodes/n1")
    assert (resp.status, message(resp)) == (
        403,
        'nodes "n1" is forbidden: User "system:node:n1" cannot delete resource "nodes" in API '
        'group "" at the cluster scope',
    )
    resp = n1.request("POST", "/api/v1/nodes", {"metadata": {"name": "n3"}})
    assert (resp.status, message(resp)) == (
        403,
        'nodes "n3" is forbidden: node "n1" is not allowed to modify node "n3"',
    )


def test_a_kubelet_reads_the_config_map_of_its_pod_until_the_pod_is_gone(
    server: Server, kubelets: dict[str, Kubelet], ns: str
) -> None:
    n1, n2 = kubelets["n1"], kubelets["n2"]
    cm = {"metadata": {"name": "settings"}, "data": {"k": "v"}}
    assert server.request("POST", f"/api/v1/namespaces/{ns}/configmaps", cm).status == 201
    path = f"/api/v1/namespaces/{ns}/configmaps/settings"
    # No pod uses it yet.
    resp = n1.request("GET", path)
    assert (resp.status, message(resp)) == (
        403,
        f'configmaps "settings" is forbidden: User "system:node:n1" cannot get resource '
        f'"configmaps" in API group "" in the namespace "{ns}": {NOT_RELATED.format("n1")}',
    )
    volumes = [{"name": "conf", "configMap": {"name": "settings"}}]
    bound_pod(server, ns, "web", "n1", volumes=volumes)
    resp = eventually(lambda: n1.request("GET", path), 200)
    assert resp.status == 200 and resp.json()["data"] == {"k": "v"}, resp.body
    resp = n2.request("GET", path)
    assert (resp.status, message(resp)) == (
        403,
        f'configmaps "settings" is forbidden: User "system:node:n2" cannot get resource '
        f'"configmaps" in API group "" in the namespace "{ns}": {NOT_RELATED.format("n2")}',
    )
    # A kubelet watches each object it uses by name, never the whole collection.
    narrowed = f"/api/v1/namespaces/{ns}/configmaps?fieldSelector=metadata.name%3Dsettings"
    assert n1.request("GET", narrowed).status == 200
    resp = n1.request("GET", f"/api/v1/namespaces/{ns}/configmaps")
    assert (resp.status, message(resp)) == (
        403,
        f'configmaps is forbidden: User "system:node:n1" cannot list resource "configmaps" in '
        f'API group "" in the namespace "{ns}": No Object name found',
    )
    # Its own pods, listed as kubelets list them.
    resp = n1.request("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1")
    assert resp.status == 200 and [p["metadata"]["name"] for p in resp.json()["items"]] == ["web"]
    resp = n1.request("GET", "/api/v1/pods")
    assert message(resp).endswith("can only list/watch pods with spec.nodeName field selector")
    # kubectl as the kubelet sees the same.
    assert n1.kubectl("get", "configmap", "settings", "-n", ns, "-o", "name").stdout.strip() == (
        "configmap/settings"
    )
    denied = n2.kubectl("get", "configmap", "settings", "-n", ns)
    assert denied.returncode == 1
    assert f"Error from server (Forbidden): {message(resp := n2.request('GET', path))}" in (
        denied.stderr
    ), (resp.body, denied.stderr)

    gone = server.request("DELETE", f"/api/v1/namespaces/{ns}/pods/web", {"gracePeriodSeconds": 0})
    assert gone.status == 200, gone.body
    resp = eventually(lambda: n1.request("GET", path), 403)
    assert message(resp).endswith(NOT_RELATED.format("n1"))


def mirror_pod(name: str, node: str, node_uid: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "annotations": {"kubernetes.io/config.mirror": "hash"},
            "ownerReferences": [
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "name": node,
                    "uid": node_uid,
                    "controller": True,
                }
            ],
        },
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}], **spec},
    }


def test_a_kubelet_creates_mirror_pods_for_itself_only(
    server: Server, kubelets: dict[str, Kubelet], ns: str
) -> None:
    n1 = kubelets["n1"]
    uid = n1.request("GET", "/api/v1/nodes/n1").json()["metadata"]["uid"]
    pods = f"/api/v1/namespaces/{ns}/pods"
    resp = n1.request("POST", pods, mirror_pod("static-web", "n1", uid))
    assert resp.status == 201, resp.body
    resp = eventually(lambda: n1.request("GET", f"{pods}/static-web"), 200)
    assert resp.status == 200, resp.body

    n2_uid = server.request("GET", "/api/v1/nodes/n2").json()["metadata"]["uid"]
    resp = n1.request("POST", pods, mirror_pod("static-other", "n2", n2_uid))
    assert (resp.status, message(resp)) == (
        403,
        'pods "static-other" is forbidden: node "n1" can only create pods with spec.nodeName '
        "set to itself",
    )
    plain = mirror_pod("plain", "n1", uid)
    del plain["metadata"]["annotations"]
    resp = n1.request("POST", pods, plain)
    assert (resp.status, message(resp)) == (
        403,
        'pods "plain" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, '
        'node "n1" can only create mirror pods',
    )
    configured = mirror_pod(
        "configured", "n1", uid, volumes=[{"name": "c", "configMap": {"name": "settings"}}]
    )
    resp = n1.request("POST", pods, configured)
    assert (resp.status, message(resp)) == (
        403,
        'pods "configured" is forbidden: node "n1" can not create pods that reference configmaps',
    )
    # The ServiceAccount plugin runs first and refuses secrets in mirror pods in its own words,
    # as in Kubernetes.
    secretive = mirror_pod("secretive", "n1", uid, imagePullSecrets=[{"name": "pull"}])
    resp = n1.request("POST", pods, secretive)
    assert (resp.status, message(resp)) == (
        403,
        'pods "secretive" is forbidden: a mirror pod may not reference secrets',
    )
    resp = kubelets["n2"].request("DELETE", f"{pods}/static-web")
    assert (resp.status, message(resp)) == (
        403,
        'pods "static-web" is forbidden: node "n2" can only delete pods with spec.nodeName set '
        "to itself",
    )
    assert n1.request("DELETE", f"{pods}/static-web").status == 200


def test_a_kubelet_sets_kubelet_labels_only(kubelets: dict[str, Kubelet]) -> None:
    n1 = kubelets["n1"]
    labelled = n1.kubectl("label", "node", "n1", "topology.kubernetes.io/zone=z1", "custom=yes")
    assert labelled.returncode == 0, labelled.stderr
    refused = n1.kubectl("label", "node", "n1", "node-role.kubernetes.io/worker=")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        'Error from server (Forbidden): nodes "n1" is forbidden: is not allowed to modify '
        "labels: node-role.kubernetes.io/worker"
    )
    patch = {"metadata": {"labels": {"node-restriction.kubernetes.io/pool": "gpu"}}}
    resp = n1.request("PATCH", "/api/v1/nodes/n1", patch, MERGE)
    assert (resp.status, message(resp)) == (
        403,
        'nodes "n1" is forbidden: is not allowed to modify labels: '
        "node-restriction.kubernetes.io/pool",
    )
    taints = {"spec": {"taints": None}}
    assert n1.request("PATCH", "/api/v1/nodes/n1", taints, MERGE).status == 200  # unchanged
    taints = {"spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]}}
    resp = n1.request("PATCH", "/api/v1/nodes/n1", taints, MERGE)
    assert (resp.status, message(resp)) == (
        403,
        'nodes "n1" is forbidden: node "n1" is not allowed to modify taints',
    )


def test_a_kubelet_gets_tokens_for_its_pods_audiences_or_those_rbac_grants(
    server: Server, kubelets: dict[str, Kubelet], ns: str
) -> None:
    n1, n2 = kubelets["n1"], kubelets["n2"]
    pod = bound_pod(server, ns, "app", "n1")  # the ServiceAccount plugin mounts a token volume
    path = f"/api/v1/namespaces/{ns}/serviceaccounts/default/token"

    def token_request(*audiences: str) -> dict[str, Any]:
        ref = {"apiVersion": "v1", "kind": "Pod", "name": "app", "uid": pod["metadata"]["uid"]}
        return {"spec": {"audiences": list(audiences), "boundObjectRef": ref}}

    resp = eventually(lambda: n1.request("POST", path, token_request()), 201)
    assert resp.status == 201 and resp.json()["status"]["token"], resp.body
    resp = n2.request("POST", path, token_request())
    assert (resp.status, message(resp)) == (
        403,
        f'serviceaccounts "default" is forbidden: User "system:node:n2" cannot create resource '
        f'"serviceaccounts/token" in API group "" in the namespace "{ns}": '
        f"{NOT_RELATED.format('n2')}",
    )
    refused = (
        'serviceaccounts "default" is forbidden: audience "vault" not found in pod spec volume, '
        "system:node:n1 is not authorized to request tokens for this audience"
    )
    resp = n1.request("POST", path, token_request("vault"))
    assert (resp.status, message(resp)) == (403, refused)

    role = {
        "metadata": {"name": "vault-audience"},
        "rules": [
            {
                "apiGroups": [""],
                "resources": ["vault"],
                "verbs": ["request-serviceaccounts-token-audience"],
            }
        ],
    }
    binding = {
        "metadata": {"name": "vault-audience"},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "Role",
            "name": "vault-audience",
        },
        "subjects": [
            {"kind": "User", "name": "system:node:n1", "apiGroup": "rbac.authorization.k8s.io"}
        ],
    }
    rbac = f"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}"
    assert server.request("POST", f"{rbac}/roles", role).status == 201
    assert server.request("POST", f"{rbac}/rolebindings", binding).status == 201
    resp = eventually(lambda: n1.request("POST", path, token_request("vault")), 201)
    assert resp.status == 201, resp.body
    resp = n1.request("POST", path, token_request("other"))
    assert resp.status == 403
