"""Durability: what a server keeps across a restart and across `kill -9` in the middle of writes.

Each test starts its own server on its own data dir, stops or kills it, and starts another
process on the same data dir. An acknowledged write (a 201) must survive a crash with the
same uid; nothing may be left half-written; watches after a restart agree with lists.
"""

from __future__ import annotations

import http.client
import json
import signal
import ssl
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Server


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Servers a test starts; all stopped at its end, whatever happens."""
    started: list[Server] = []
    yield started
    for srv in started:
        srv.stop(signal.SIGKILL)


def start(servers: list[Server], data_dir: Path, port: int | None = None) -> Server:
    from conftest import start_server

    srv = start_server(data_dir, port=port)
    servers.append(srv)
    return srv


def create_namespace(srv: Server) -> str:
    name = "d-" + uuid.uuid4().hex[:10]
    resp = srv.request(
        "POST",
        "/api/v1/namespaces",
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
    )
    assert resp.status == 201, resp.body
    return name


def configmap(name: str, payload: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": name,
            "labels": {"durability": "yes"},
            "annotations": {"note": payload[:16]},
        },
        "data": {"name": name, "payload": payload},
    }


def payload_for(name: str) -> str:
    """Content a test can check for completeness from the name alone."""
    return (name + ";") * 64


def list_configmaps(srv: Server, ns: str) -> dict[str, Any]:
    resp = srv.request("GET", f"/api/v1/namespaces/{ns}/configmaps")
    assert resp.status == 200, resp.body
    return resp.json()


def written(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The configmaps a test wrote: the server itself keeps kube-root-ca.crt in every namespace."""
    return [i for i in items if i["metadata"]["name"] != "kube-root-ca.crt"]


def read_watch(srv: Server, path: str, until: Any) -> list[dict[str, Any]]:
    """Read watch events from `path` until `until(events)` holds (the server ends the watch
    by its timeoutSeconds otherwise)."""
    conn = http.client.HTTPSConnection("127.0.0.1", srv.port, context=srv.ssl_context(), timeout=30)
    events: list[dict[str, Any]] = []
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        assert resp.status == 200, resp.read()
        while not until(events):
            line = resp.readline()
            if not line:
                break
            if line.strip():
                events.append(json.loads(line))
    finally:
        conn.close()
    return events


# --- restart -------------------------------------------------------------------------------


def test_a_restart_keeps_objects_with_their_uids_and_resource_versions(
    servers: list[Server], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    first = start(servers, data)
    ns = create_namespace(first)
    created = {}
    for i in range(5):
        name = f"cm-{i}"
        resp = first.request(
            "POST", f"/api/v1/namespaces/{ns}/configmaps", configmap(name, payload_for(name))
        )
        assert resp.status == 201, resp.body
        created[name] = resp.json()
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx"}]},
            },
        },
    }
    resp = first.request("POST", f"/apis/apps/v1/namespaces/{ns}/deployments", deployment)
    assert resp.status == 201, resp.body
    created_deployment = resp.json()
    namespace_before = first.request("GET", f"/api/v1/namespaces/{ns}").json()
    first.stop()

    second = start(servers, data, port=first.port)
    for name, before in created.items():
        resp = second.request("GET", f"/api/v1/namespaces/{ns}/configmaps/{name}")
        assert resp.status == 200, resp.body
        after = resp.json()
        assert after["metadata"]["uid"] == before["metadata"]["uid"]
        assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
        assert after["metadata"]["creationTimestamp"] == before["metadata"]["creationTimestamp"]
        assert after["data"] == before["data"]
        assert after["metadata"]["labels"] == {"durability": "yes"}
    resp = second.request("GET", f"/apis/apps/v1/namespaces/{ns}/deployments/web")
    assert resp.status == 200
    after = resp.json()
    assert after["metadata"]["uid"] == created_deployment["metadata"]["uid"]
    assert after["metadata"]["resourceVersion"] == created_deployment["metadata"]["resourceVersion"]
    assert after["metadata"]["generation"] == created_deployment["metadata"]["generation"]
    assert after["spec"] == created_deployment["spec"]
    namespace_after = second.request("GET", f"/api/v1/namespaces/{ns}").json()
    assert namespace_after["metadata"]["uid"] == namespace_before["metadata"]["uid"]
    assert namespace_after["status"]["phase"] == "Active"


def test_a_restart_reuses_the_certificates_and_the_admin_kubeconfig(
    servers: list[Server], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    first = start(servers, data)
    pki = data / "pki"
    before = {p.name: p.read_bytes() for p in sorted(pki.iterdir())}
    assert {"ca.crt", "ca.key", "admin.crt", "admin.key"} <= set(before)
    kubeconfig = first.kubeconfig.read_bytes()
    first.stop()

    second = start(servers, data, port=first.port)
    after = {p.name: p.read_bytes() for p in sorted(pki.iterdir())}
    assert after == before, "certificates and keys must be reused, byte for byte"
    assert second.kubeconfig.read_bytes() == kubeconfig
    # The old admin credentials and CA still work against the new process.
    ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
    ctx.load_cert_chain(str(pki / "admin.crt"), str(pki / "admin.key"))
    conn = http.client.HTTPSConnection("127.0.0.1", second.port, context=ctx, timeout=10)
    try:
        conn.request("GET", "/api/v1/namespaces/default")
        assert conn.getresponse().status == 200
    finally:
        conn.close()
    assert "default" in second.kubectl("get", "ns", "-o", "name").stdout


def test_resource_versions_keep_increasing_after_a_restart(
    servers: list[Server], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    first = start(servers, data)
    ns = create_namespace(first)
    versions_before = []
    for i in range(3):
        resp = first.request(
            "POST", f"/api/v1/namespaces/{ns}/configmaps", configmap(f"before-{i}", "x")
        )
        assert resp.status == 201
        versions_before.append(int(resp.json()["metadata"]["resourceVersion"]))
    list_rv_before = int(list_configmaps(first, ns)["metadata"]["resourceVersion"])
    first.stop()

    second = start(servers, data)
    list_rv_after = int(list_configmaps(second, ns)["metadata"]["resourceVersion"])
    assert list_rv_after >= list_rv_before
    resp = second.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap("after", "x"))
    assert resp.status == 201
    created_rv = int(resp.json()["metadata"]["resourceVersion"])
    assert created_rv > max(versions_before)
    assert created_rv > list_rv_before
    # An update after the restart moves the object's version forward too.
    obj = second.request("GET", f"/api/v1/namespaces/{ns}/configmaps/before-0").json()
    obj["data"] = {"changed": "yes"}
    resp = second.request("PUT", f"/api/v1/namespaces/{ns}/configmaps/before-0", obj)
    assert resp.status == 200, resp.body
    assert int(resp.json()["metadata"]["resourceVersion"]) > created_rv


def test_a_stale_resource_version_from_before_a_restart_is_still_a_conflict(
    servers: list[Server], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    first = start(servers, data)
    ns = create_namespace(first)
    stale = first.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap("c", "x")).json()
    fresh = dict(stale, data={"v": "1"})
    assert first.request("PUT", f"/api/v1/namespaces/{ns}/configmaps/c", fresh).status == 200
    first.stop()

    second = start(servers, data)
    stale["data"] = {"v": "2"}
    resp = second.request("PUT", f"/api/v1/namespaces/{ns}/configmaps/c", stale)
    assert resp.status == 409, resp.body
    status = resp.json()
    assert status["reason"] == "Conflict"
    assert status["message"] == (
        'Operation cannot be fulfilled on configmaps "c": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


def test_a_deleted_object_stays_deleted_after_a_restart(
    servers: list[Server], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    first = start(servers, data)
    ns = create_namespace(first)
    assert (
        first.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap("gone", "x")).status
        == 201
    )
    assert first.request("DELETE", f"/api/v1/namespaces/{ns}/configmaps/gone").status == 200
    first.stop()

    second = start(servers, data)
    assert second.request("GET", f"/api/v1/namespaces/{ns}/configmaps/gone").status == 404
    assert written(list_configmaps(second, ns)["items"]) == []


# --- kill -9 -------------------------------------------------------------------------------


class Writers:
    """Threads creating configmaps as fast as they can, recording each 201 (name -> uid)."""

    def __init__(self, srv: Server, ns: str, threads: int = 8) -> None:
        self.srv, self.ns = srv, ns
        self.acknowledged: dict[str, str] = {}
        self.attempted: set[str] = set()
        self.lock = threading.Lock()
        self.enough = threading.Event()
        self.threads = [
            threading.Thread(target=self._run, args=(t,), daemon=True) for t in range(threads)
        ]

    def _run(self, thread: int) -> None:
        for i in range(100_000):
            name = f"w{thread}-{i}"
            with self.lock:
                self.attempted.add(name)
            try:
                resp = self.srv.request(
                    "POST",
                    f"/api/v1/namespaces/{self.ns}/configmaps",
                    configmap(name, payload_for(name)),
                    timeout=20,
                )
            except (OSError, http.client.HTTPException, ssl.SSLError):
                return  # the server is gone
            if resp.status != 201:
                return
            with self.lock:
                self.acknowledged[name] = resp.json()["metadata"]["uid"]
                if len(self.acknowledged) >= 150:
                    self.enough.set()

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def join(self) -> None:
        for t in self.threads:
            t.join(timeout=60)
            assert not t.is_alive(), "a writer did not notice the server was gone"


@pytest.fixture
def crashed(servers: list[Server], tmp_path: Path) -> tuple[Server, str, Writers]:
    """A server killed with SIGKILL during a burst of concurrent creates, then restarted."""
    data = tmp_path / "data"
    first = start(servers, data)
    ns = create_namespace(first)
    writers = Writers(first, ns)
    writers.start()
    assert writers.enough.wait(timeout=60), f"only {len(writers.acknowledged)} creates acknowledged"
    first.process.send_signal(signal.SIGKILL)  # by PID: the server process, nothing else
    first.process.wait(timeout=10)
    writers.join()
    assert writers.acknowledged
    second = start(servers, data)
    return second, ns, writers


def test_every_acknowledged_create_survives_kill_9_with_its_uid(
    crashed: tuple[Server, str, Writers],
) -> None:
    srv, ns, writers = crashed
    items = {item["metadata"]["name"]: item for item in list_configmaps(srv, ns)["items"]}
    missing = sorted(set(writers.acknowledged) - set(items))
    assert not missing, f"{len(missing)} acknowledged creates were lost: {missing[:10]}"
    for name, uid in writers.acknowledged.items():
        assert items[name]["metadata"]["uid"] == uid, name
    sample = sorted(writers.acknowledged)[:: max(1, len(writers.acknowledged) // 20)]
    for name in sample:
        resp = srv.request("GET", f"/api/v1/namespaces/{ns}/configmaps/{name}")
        assert resp.status == 200, resp.body
        assert resp.json()["metadata"]["uid"] == writers.acknowledged[name]


def test_nothing_is_half_written_after_kill_9(crashed: tuple[Server, str, Writers]) -> None:
    srv, ns, writers = crashed
    items = written(list_configmaps(srv, ns)["items"])
    names = [item["metadata"]["name"] for item in items]
    assert len(names) == len(set(names)), "an object is listed twice"
    assert set(names) <= writers.attempted, "an object nobody created"
    uids = [item["metadata"]["uid"] for item in items]
    assert len(uids) == len(set(uids))
    for item in items:
        name = item["metadata"]["name"]
        # Whole or absent: an object that exists has all of its content.
        assert item["data"] == {"name": name, "payload": payload_for(name)}, name
        assert item["metadata"]["labels"] == {"durability": "yes"}
        assert item["metadata"]["annotations"] == {"note": payload_for(name)[:16]}
        assert item["metadata"]["namespace"] == ns
        assert item["metadata"]["resourceVersion"]
        assert item["metadata"]["creationTimestamp"]
    # Unacknowledged creates may or may not have landed; those that did read back whole too.
    for name in sorted(writers.attempted - set(writers.acknowledged)):
        resp = srv.request("GET", f"/api/v1/namespaces/{ns}/configmaps/{name}")
        assert resp.status in (200, 404), resp.body
        if resp.status == 200:
            assert resp.json()["data"] == {"name": name, "payload": payload_for(name)}


def test_the_server_is_healthy_and_writable_after_kill_9(
    crashed: tuple[Server, str, Writers],
) -> None:
    srv, ns, _ = crashed
    resp = srv.request("GET", "/readyz?verbose")
    assert resp.status == 200
    assert "[+]etcd ok" in resp.body.decode()
    before = int(list_configmaps(srv, ns)["metadata"]["resourceVersion"])
    resp = srv.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap("after-crash", "x"))
    assert resp.status == 201, resp.body
    assert int(resp.json()["metadata"]["resourceVersion"]) > before
    resp = srv.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap("after-crash", "x"))
    assert resp.status == 409
    assert resp.json()["reason"] == "AlreadyExists"


def test_a_watch_after_kill_9_agrees_with_a_list(crashed: tuple[Server, str, Writers]) -> None:
    srv, ns, _ = crashed
    listed = list_configmaps(srv, ns)
    expected = {
        (i["metadata"]["name"], i["metadata"]["uid"], i["metadata"]["resourceVersion"])
        for i in listed["items"]
    }
    base = f"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=20"

    # From resourceVersion 0: one synthetic ADDED per existing object, nothing else.
    events = read_watch(
        srv, base + "&resourceVersion=0", until=lambda evs: len(evs) >= len(expected)
    )
    assert all(e["type"] == "ADDED" for e in events), {e["type"] for e in events}
    seen = {
        (
            e["object"]["metadata"]["name"],
            e["object"]["metadata"]["uid"],
            e["object"]["metadata"]["resourceVersion"],
        )
        for e in events
    }
    assert seen == expected
    assert len(events) == len(expected)

    # With sendInitialEvents: the same objects, then a bookmark marking the end of the initial state.
    def initial_events_end(evs: list[dict]) -> bool:
        return bool(evs) and evs[-1]["type"] == "BOOKMARK"

    events = read_watch(
        srv,
        base + "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
        until=initial_events_end,
    )
    assert events and events[-1]["type"] == "BOOKMARK"
    bookmark = events[-1]["object"]["metadata"]
    assert bookmark["annotations"] == {"k8s.io/initial-events-end": "true"}
    assert int(bookmark["resourceVersion"]) >= int(listed["metadata"]["resourceVersion"])
    seen = {
        (
            e["object"]["metadata"]["name"],
            e["object"]["metadata"]["uid"],
            e["object"]["metadata"]["resourceVersion"],
        )
        for e in events[:-1]
    }
    assert seen == expected

    # From the list's resourceVersion: only what happens afterwards.
    result: list[dict] = []
    watcher = threading.Thread(
        target=lambda: result.extend(
            read_watch(
                srv,
                base + f"&resourceVersion={listed['metadata']['resourceVersion']}",
                until=lambda evs: len(evs) >= 1,
            )
        )
    )
    watcher.start()
    resp = srv.request("POST", f"/api/v1/namespaces/{ns}/configmaps", configmap("watched", "x"))
    assert resp.status == 201
    watcher.join(timeout=30)
    assert not watcher.is_alive()
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in result] == [("ADDED", "watched")]
    assert result[0]["object"]["metadata"]["uid"] == resp.json()["metadata"]["uid"]
