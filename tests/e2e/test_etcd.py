"""Servers on a real etcd: several API servers on one etcd, etcd outages, compaction, and
encryption at rest read back raw from etcd.

Each test gets its own `--etcd-prefix` on the session's etcd (or its own etcd when it stops
it), so tests do not see each other's objects.
"""

from __future__ import annotations

import asyncio
import base64
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Etcd, Server, Watch, free_port, start_etcd, start_server


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for srv in started:
        srv.stop(signal.SIGKILL)


def on_etcd(servers: list[Server], data_dir: Path, etcd: Etcd, prefix: str, *args: str) -> Server:
    srv = start_server(data_dir, f"--etcd-servers={etcd.url}", f"--etcd-prefix={prefix}", *args)
    servers.append(srv)
    return srv


def configmap(name: str, value: str = "1") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name},
        "data": {"v": value},
    }


def cm_path(name: str = "") -> str:
    return "/api/v1/namespaces/default/configmaps" + (f"/{name}" if name else "")


def create(srv: Server, obj: dict[str, Any], path: str | None = None) -> dict[str, Any]:
    resp = srv.request("POST", path or cm_path(), obj)
    assert resp.status == 201, resp.body
    return resp.json()


def raw_etcd(etcd: Etcd, key: str) -> bytes | None:
    """A value as etcd holds it, read with an etcd client of the test's own."""

    async def read() -> bytes | None:
        from etcd3aio import Etcd3Client

        async with Etcd3Client([etcd.endpoint]) as client:
            resp = await client.kv.get(key)
            return resp.kvs[0].value if resp.kvs else None

    return asyncio.run(read())


def wait_for(check: Any, what: str, seconds: float = 30) -> Any:
    """Poll `check` until it returns something truthy (bounded; not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def test_two_servers_on_one_etcd_share_objects_watches_and_concurrency(servers, etcd, tmp_path):
    prefix = f"/cluster-{uuid.uuid4().hex[:8]}"
    a = on_etcd(servers, tmp_path / "a", etcd, prefix)
    b = on_etcd(servers, tmp_path / "b", etcd, prefix)

    # A write through one is visible through the other, with the same uid and version.
    made = create(a, configmap("shared"))
    seen = b.request("GET", cm_path("shared")).json()
    assert seen["metadata"]["uid"] == made["metadata"]["uid"]
    assert seen["metadata"]["resourceVersion"] == made["metadata"]["resourceVersion"]
    assert raw_etcd(etcd, f"{prefix}/configmaps/default/shared") is not None

    # A watch on one sees the writes made through the other, in order. (Each server also keeps
    # kube-root-ca.crt in the namespace, with its own CA here: the watch leaves it out.)
    since = made["metadata"]["resourceVersion"]
    others = "fieldSelector=metadata.name%21%3Dkube-root-ca.crt"
    with Watch(b, cm_path() + f"?watch=1&resourceVersion={since}&{others}") as w:
        for n in range(3):
            resp = a.request(
                "PATCH",
                cm_path("shared"),
                {"data": {"v": str(n)}},
                headers={"Content-Type": "application/merge-patch+json"},
            )
            assert resp.status == 200, resp.body
        create(a, configmap("second"))
        events = w.take(4)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [
        ("MODIFIED", "shared"),
        ("MODIFIED", "shared"),
        ("MODIFIED", "shared"),
        ("ADDED", "second"),
    ]
    assert [e["object"]["data"]["v"] for e in events[:3]] == ["0", "1", "2"]
    versions = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
    assert versions == sorted(versions)

    # Optimistic concurrency holds across servers: a write based on a stale read is refused.
    stale = a.request("GET", cm_path("shared")).json()
    resp = b.request("PUT", cm_path("shared"), {**stale, "data": {"v": "from-b"}})
    assert resp.status == 200, resp.body
    resp = a.request("PUT", cm_path("shared"), {**stale, "data": {"v": "from-a"}})
    assert resp.status == 409 and resp.json()["reason"] == "Conflict", resp.body

    # Each server keeps its own identity Lease in kube-system.
    def identity_leases() -> list[dict[str, Any]]:
        path = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"
        resp = a.request(
            "GET", path + "?labelSelector=apiserver.kubernetes.io/identity%3Dkube-apiserver"
        )
        items = resp.json()["items"]
        return items if len(items) == 2 else []

    leases = wait_for(identity_leases, "both identity leases")
    holders = {lease["spec"]["holderIdentity"] for lease in leases}
    assert len(holders) == 2 and all(
        lease["metadata"]["name"].startswith("apiserver-") for lease in leases
    )

    # Killing one server loses nothing; the other keeps serving.
    a.stop(signal.SIGKILL)
    names = {i["metadata"]["name"] for i in b.request("GET", cm_path()).json()["items"]}
    assert {"shared", "second"} <= names
    create(b, configmap("after-a-died"))
    out = b.kubectl("get", "cm", "-n", "default", "-o", "name").stdout.split()
    assert {"configmap/shared", "configmap/second", "configmap/after-a-died"} <= set(out)


def test_an_etcd_outage_fails_requests_and_both_recover_by_themselves(servers, tmp_path):
    etcd = start_etcd(tmp_path / "etcd")
    try:
        srv = on_etcd(servers, tmp_path / "srv", etcd, "/registry")
        create(srv, configmap("before"))
        with Watch(srv, cm_path() + "?watch=1", timeout=60) as w:
            assert w.take(1)[0]["object"]["metadata"]["name"] == "before"
            etcd.stop()
            resp = srv.request("GET", cm_path("before"))
            assert resp.status == 500, resp.body
            status = resp.json()
            assert status["reason"] == "ServerTimeout", status
            assert status["message"] == (
                "The get operation against configmaps could not be completed at this time, please try again."
            )
            assert srv.request("GET", "/readyz/etcd").status == 500
            assert srv.request("GET", "/healthz").status == 500
            etcd = etcd.restart()
            wait_for(lambda: srv.request("GET", "/readyz/etcd").status == 200, "readyz/etcd")
            create(srv, configmap("after"))
            event = w.until(lambda e: e["object"]["metadata"]["name"] == "after")[-1]
            assert event["type"] == "ADDED"
        assert srv.request("GET", cm_path("before")).status == 200
    finally:
        etcd.stop()


def test_compacted_revisions_give_410_to_lists_and_watches(servers, etcd, tmp_path):
    prefix = f"/compact-{uuid.uuid4().hex[:8]}"
    srv = on_etcd(servers, tmp_path / "srv", etcd, prefix, "--etcd-compaction-interval=1s")
    for n in range(3):
        create(srv, configmap(f"c{n}"))
    page = srv.request("GET", cm_path() + "?limit=1").json()
    token, old_rv = page["metadata"]["continue"], page["metadata"]["resourceVersion"]
    for n in range(3):  # move on, so that the compactor has later revisions to compact to
        srv.request(
            "PATCH",
            cm_path("c0"),
            {"data": {"v": str(n)}},
            headers={"Content-Type": "application/merge-patch+json"},
        )

    def expired() -> Any:
        resp = srv.request("GET", cm_path() + f"?limit=1&continue={token}")
        srv.request(
            "PATCH",
            cm_path("c0"),
            {"data": {"v": uuid.uuid4().hex}},
            headers={"Content-Type": "application/merge-patch+json"},
        )
        return resp if resp.status == 410 else None

    resp = wait_for(expired, "compaction")
    assert resp.json()["reason"] == "Expired"
    exact = srv.request("GET", cm_path() + f"?resourceVersion={old_rv}&resourceVersionMatch=Exact")
    assert exact.status == 410 and exact.json()["reason"] == "Expired", exact.body
    # Watches are served from the watch cache, whose window starts when the server did (as
    # kube-apiserver's): a revision from before it is too old whatever etcd still holds.
    with Watch(srv, cm_path() + "?watch=1&resourceVersion=1") as w:
        event = w.next()
    assert event is not None and event["type"] == "ERROR" and event["object"]["code"] == 410, event


def key_b64() -> str:
    return base64.b64encode(uuid.uuid4().bytes + uuid.uuid4().bytes).decode()


def encryption_config(path: Path, providers: list[dict[str, Any]]) -> Path:
    import yaml

    doc = {
        "apiVersion": "apiserver.config.k8s.io/v1",
        "kind": "EncryptionConfiguration",
        "resources": [{"resources": ["secrets"], "providers": providers}],
    }
    path.write_text(yaml.safe_dump(doc))
    return path


def test_secrets_are_ciphertext_in_etcd_and_keys_rotate(servers, etcd, tmp_path):
    prefix = f"/enc-{uuid.uuid4().hex[:8]}"
    old = {"aescbc": {"keys": [{"name": "key1", "secret": key_b64()}]}}
    new = {"aesgcm": {"keys": [{"name": "key2", "secret": key_b64()}]}}
    config = tmp_path / "encryption.yaml"
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "stringData": {"password": "hunter2-plain-text"},
    }
    secrets, key = "/api/v1/namespaces/default/secrets", f"{prefix}/secrets/default/s"

    srv = on_etcd(
        servers,
        tmp_path / "srv",
        etcd,
        prefix,
        f"--encryption-provider-config={encryption_config(config, [old, {'identity': {}}])}",
    )
    create(srv, secret, secrets)
    create(srv, configmap("plain"))
    raw = raw_etcd(etcd, key)
    assert raw is not None and raw.startswith(b"k8s:enc:aescbc:v1:key1:")
    assert b"hunter2" not in raw and base64.b64encode(b"hunter2-plain-text") not in raw
    assert raw_etcd(etcd, f"{prefix}/configmaps/default/plain").startswith(b"{")  # not configured
    srv.stop()

    # Rotation: the new key first (it writes), the old one still listed (it reads).
    srv = on_etcd(
        servers,
        tmp_path / "srv",
        etcd,
        prefix,
        f"--encryption-provider-config={encryption_config(config, [new, old])}",
    )
    got = srv.request("GET", secrets + "/s").json()
    assert base64.b64decode(got["data"]["password"]) == b"hunter2-plain-text"
    resp = srv.request(
        "PUT",
        secrets + "/s",
        {**got, "metadata": {**got["metadata"], "labels": {"rotated": "yes"}}},
    )
    assert resp.status == 200, resp.body
    assert raw_etcd(etcd, key).startswith(b"k8s:enc:aesgcm:v1:key2:")
    srv.stop()

    # With every secret rewritten, the old key can go.
    srv = on_etcd(
        servers,
        tmp_path / "srv",
        etcd,
        prefix,
        f"--encryption-provider-config={encryption_config(config, [new])}",
    )
    got = srv.request("GET", secrets + "/s").json()
    assert base64.b64decode(got["data"]["password"]) == b"hunter2-plain-text"


def test_a_server_whose_etcd_cannot_be_reached_exits_with_one_line(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kube_apiserver",
            f"--data-dir={tmp_path}",
            f"--secure-port={free_port()}",
            f"--etcd-servers=http://127.0.0.1:{free_port()}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("Error: the storage backend cannot be reached")
    )


def test_etcd_and_encryption_flags_are_checked_before_anything_starts(tmp_path):
    bad = tmp_path / "enc.yaml"
    bad.write_text(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n"
        "- resources: [secrets]\n  providers: [{aescbc: {keys: [{name: k, secret: c2hvcnQ=}]}}]\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kube_apiserver",
            f"--data-dir={tmp_path / 'data'}",
            "--etcd-servers=https://127.0.0.1:2379,etcd.example:2379",
            f"--encryption-provider-config={bad}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "'https://127.0.0.1:2379' is https, which needs --etcd-cafile" in error
    assert "'etcd.example:2379' is not scheme://ip:port" in error
    assert "aescbc keys are 16 or 24 or 32 bytes long, not 5" in error
    assert not (tmp_path / "data" / "pki").exists()


def migrate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kube_apiserver.cmd.migrate", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_objects_move_from_sqlite_to_etcd_and_back_keeping_names_uids_and_contents(
    servers, etcd, tmp_path
):
    prefix = f"/moved-{uuid.uuid4().hex[:8]}"
    first = start_server(tmp_path / "sqlite")
    servers.append(first)
    made = create(first, configmap("travels", "far"))
    secret = create(
        first,
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"k": "v"}},
        "/api/v1/namespaces/default/secrets",
    )
    first.stop()

    etcd_flags = (f"--etcd-servers={etcd.url}", f"--etcd-prefix={prefix}")
    result = migrate(
        "--from=sqlite", f"--data-dir={tmp_path / 'sqlite'}", "--to=etcd3", *etcd_flags
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("copied ")
    again = migrate("--from=sqlite", f"--data-dir={tmp_path / 'sqlite'}", "--to=etcd3", *etcd_flags)
    assert again.returncode == 1 and "already holds objects" in again.stderr

    on_etcd_server = on_etcd(servers, tmp_path / "etcd-srv", etcd, prefix)
    moved = on_etcd_server.request("GET", cm_path("travels")).json()
    assert moved["metadata"]["uid"] == made["metadata"]["uid"] and moved["data"] == {"v": "far"}
    got = on_etcd_server.request("GET", "/api/v1/namespaces/default/secrets/s").json()
    assert got["metadata"]["uid"] == secret["metadata"]["uid"] and got["data"] == secret["data"]
    on_etcd_server.stop()

    back = tmp_path / "back"
    result = migrate("--from=etcd3", *etcd_flags, "--to=sqlite", f"--data-dir={back}")
    assert result.returncode == 0, result.stderr
    last = start_server(back)
    servers.append(last)
    returned = last.request("GET", cm_path("travels")).json()
    assert returned["metadata"]["uid"] == made["metadata"]["uid"] and returned["data"] == {
        "v": "far"
    }


def test_a_server_talks_to_etcd_over_tls_with_a_client_certificate(servers, tmp_path):
    from kube_apiserver.server.certs import ensure_pki

    port = free_port()
    pki = ensure_pki(tmp_path / "etcd-pki", server_url=f"https://127.0.0.1:{port}")
    etcd = start_etcd(
        tmp_path / "etcd", port=port, tls=(pki.ca_cert, pki.serving_cert, pki.serving_key)
    )
    try:
        srv = on_etcd(
            servers,
            tmp_path / "srv",
            etcd,
            "/registry",
            f"--etcd-cafile={pki.ca_cert}",
            f"--etcd-certfile={pki.admin_cert}",
            f"--etcd-keyfile={pki.admin_key}",
        )
        create(srv, configmap("over-tls"))
        assert srv.request("GET", cm_path("over-tls")).status == 200
        without_cert = subprocess.run(
            [
                sys.executable,
                "-m",
                "kube_apiserver",
                f"--data-dir={tmp_path / 'nocert'}",
                f"--secure-port={free_port()}",
                f"--etcd-servers={etcd.url}",
                f"--etcd-cafile={pki.ca_cert}",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert without_cert.returncode == 1, without_cert.stderr
    finally:
        etcd.stop()
