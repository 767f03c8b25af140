"""Shared fixtures: a real server process over real HTTPS, kubectl, raw HTTP and the Python client.

One server is started per test session (`server`); tests isolate themselves in their own
namespaces (`ns`). Tests that restart or kill a server start their own with `start_server`.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
KUBECTL_DIR = Path("/usr/lib/google-cloud-sdk/bin")


def kubectl_path(version: str | None = None) -> str:
    if version is None:
        return KUBECTL
    path = KUBECTL_DIR / f"kubectl.{version}"
    if not path.exists():
        pytest.skip(f"kubectl {version} is not installed")
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def eventually(probe: Callable[[], Any], what: str = "the condition", timeout: float = 20) -> Any:
    """probe()'s first truthy answer, polled until a bounded deadline (then fails naming `what`):
    for what the server does just after a write (watch caches, controllers)."""
    deadline = time.monotonic() + timeout
    while not (answer := probe()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return answer


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    port: int
    data_dir: Path
    process: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def kubeconfig(self) -> Path:
        return self.data_dir / "admin.kubeconfig"

    def ssl_context(self, *, client_cert: bool = True) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cafile=str(self.data_dir / "pki" / "ca.crt"))
        if client_cert:
            ctx.load_cert_chain(
                str(self.data_dir / "pki" / "admin.crt"), str(self.data_dir / "pki" / "admin.key")
            )
        return ctx

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        client_cert: bool = True,
        timeout: float = 30,
    ) -> Response:
        conn = http.client.HTTPSConnection(
            "127.0.0.1",
            self.port,
            context=self.ssl_context(client_cert=client_cert),
            timeout=timeout,
        )
        hdrs = dict(headers or {})
        data = body
        if body is not None and not isinstance(body, (bytes, str)):
            data = json.dumps(body)
            hdrs.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def kubectl(
        self,
        *args: str,
        version: str | None = None,
        input: str | None = None,
        check: bool = True,
        timeout: float = 60,
        kubeconfig: Path | None = None,
        cache_dir: Path | None = None,
    ) -> subprocess.CompletedProcess:
        """kubectl as the admin, or as the user of `kubeconfig` (see `user_kubeconfig`).

        Discovery is cached in the admin's cache unless `cache_dir` names another (a user whose
        kubectl must meet the server's answer to discovery itself)."""
        cmd = [kubectl_path(version), f"--kubeconfig={kubeconfig or self.kubeconfig}", *args]
        env = {
            **os.environ,
            "KUBECACHEDIR": str(cache_dir or self.data_dir / "kubectl-cache"),
            "HOME": str(self.data_dir),
        }
        result = subprocess.run(
            cmd, input=input, capture_output=True, text=True, timeout=timeout, env=env
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"kubectl {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def user_kubeconfig(self, name: str, user: dict[str, Any]) -> Path:
        """A kubeconfig for this server whose only user is `user` (`{"token": ...}`, an
        `auth-provider`, ...): no admin client certificate to fall back on."""
        admin = yaml.safe_load(self.kubeconfig.read_text())
        cluster = admin["clusters"][0]
        path = self.data_dir / f"{name}.kubeconfig"
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [cluster],
            "users": [{"name": name, "user": user}],
            "contexts": [{"name": name, "context": {"cluster": cluster["name"], "user": name}}],
            "current-context": name,
        }
        path.write_text(yaml.safe_dump(config))
        return path

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Watch:
    """A raw watch stream: one JSON event per line, read with a bounded wait."""

    def __init__(self, server: Any, path: str, *, timeout: float = 20) -> None:
        self.conn = http.client.HTTPSConnection(
            "127.0.0.1", server.port, context=server.ssl_context(), timeout=timeout
        )
        self.conn.request("GET", path)
        self.resp = self.conn.getresponse()
        self.status = self.resp.status
        self.headers = {k.lower(): v for k, v in self.resp.getheaders()}

    def next(self) -> dict[str, Any] | None:
        """The next event, or None once the server has ended the stream."""
        line = self.resp.readline()
        if not line:
            return None
        return json.loads(line)

    def take(self, count: int) -> list[dict[str, Any]]:
        events = []
        while len(events) < count:
            event = self.next()
            assert event is not None, f"stream ended after {events}"
            events.append(event)
        return events

    def until(self, done: Any) -> list[dict[str, Any]]:
        """Events up to and including the first one for which done(event) is true."""
        events = []
        while True:
            event = self.next()
            assert event is not None, f"stream ended after {events}"
            events.append(event)
            if done(event):
                return events

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- helpers shared by the per-group API tests ------------------------------------------------

_HEADER_CELL = re.compile(r"\S+(?: \S+)*")


def table_cells(output: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """kubectl's table as (header, rows by NAME), cut at the header's column starts so that
    empty cells (a Job's DURATION before it starts) stay in their column."""
    lines = [line for line in output.splitlines() if line.strip()]
    spans = [(m.group(), m.start()) for m in _HEADER_CELL.finditer(lines[0])]
    starts = [start for _, start in spans] + [None]
    table = {}
    for line in lines[1:]:
        cells = {name: line[starts[i] : starts[i + 1]].strip() for i, (name, _) in enumerate(spans)}
        table[cells["NAME"]] = cells
    return [name for name, _ in spans], table


def documents(*objs: dict) -> str:
    """Objects as one multi-document YAML stream, for `kubectl apply -f -`."""
    import yaml

    return yaml.safe_dump_all(objs)


def invalid_causes(resp: Response) -> list[tuple[str, str]]:
    """(field, message) of each cause of a 422 Invalid answer."""
    assert resp.status == 422, resp.body
    return [(c["field"], c["message"]) for c in resp.json()["details"]["causes"]]


def audit_events(srv: Server, uri: str) -> list[dict]:
    """The ResponseComplete audit events for `uri`, waiting (boundedly) for the first one:
    an event may be written just after its response has been sent."""
    path = srv.data_dir.parent / "audit.log"  # servers started with --audit-log-path beside data/
    deadline = time.monotonic() + 10
    while True:
        events = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        found = [e for e in events if e["requestURI"] == uri and e["stage"] == "ResponseComplete"]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def start_server(data_dir: Path, *args: str, port: int | None = None) -> Server:
    """Start a server process and wait until /readyz answers ok."""
    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"server-{port}.log"
    log_file = open(log_path, "ab")  # noqa: SIM115 - owned by the process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kube_apiserver",
            f"--data-dir={data_dir}",
            f"--secure-port={port}",
            *args,
        ],
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = Server(port, data_dir, process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.logs()}")
        try:
            if (data_dir / "pki" / "ca.crt").exists() and server.request(
                "GET", "/readyz", timeout=2
            ).status == 200:
                return server
        except (OSError, ssl.SSLError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server did not become ready:\n{server.logs()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("server"))
    yield srv
    srv.stop()


# What the server's controllers put in every namespace, as kube-controller-manager does.
NAMESPACE_DEFAULTS = ("serviceaccounts/default", "configmaps/kube-root-ca.crt")


def wait_for_namespace_defaults(server: Server, namespace: str) -> None:
    """Wait (boundedly) for NAMESPACE_DEFAULTS, as Kubernetes' e2e framework does before a
    test uses a new namespace, so that tests see them from the start."""
    deadline = time.monotonic() + 30
    for path in NAMESPACE_DEFAULTS:
        while server.request("GET", f"/api/v1/namespaces/{namespace}/{path}").status != 200:
            assert time.monotonic() < deadline, f"{path} never appeared in {namespace}"
            time.sleep(0.02)


@pytest.fixture
def ns(server: Server) -> Iterator[str]:
    """A fresh namespace for one test, its default account and root CA in place."""
    name = "t-" + uuid.uuid4().hex[:10]
    resp = server.request(
        "POST",
        "/api/v1/namespaces",
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
    )
    assert resp.status == 201, resp.body
    wait_for_namespace_defaults(server, name)
    yield name


@pytest.fixture(scope="session")
def kube(server: Server) -> Any:
    """The official Kubernetes Python client, configured from the admin kubeconfig."""
    from kubernetes import client, config

    api_client = config.new_client_from_config(config_file=str(server.kubeconfig))
    yield client
    api_client.close()


@pytest.fixture(scope="session")
def kube_api(server: Server) -> Any:
    from kubernetes import config

    api_client = config.new_client_from_config(config_file=str(server.kubeconfig))
    yield api_client
    api_client.close()


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A running OpenID Connect identity provider (`oidc_idp.IdentityProvider`), one per module."""
    from oidc_idp import IdentityProvider  # here: oidc_idp imports this module

    provider = IdentityProvider(tmp_path_factory.mktemp("idp")).start()
    yield provider
    provider.stop()


ETCD = shutil.which("etcd") or "/usr/bin/etcd"


@dataclass
class Etcd:
    """A real etcd process on loopback ports picked for it, with its own data dir."""

    port: int
    peer_port: int
    data_dir: Path
    process: subprocess.Popen
    tls: tuple[Path, Path, Path] | None = None  # CA, serving certificate and key

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.endpoint}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> Etcd:
        self.stop()
        return start_etcd(self.data_dir, port=self.port, peer_port=self.peer_port, tls=self.tls)


def start_etcd(
    data_dir: Path,
    *,
    port: int | None = None,
    peer_port: int | None = None,
    tls: tuple[Path, Path, Path] | None = None,
) -> Etcd:
    """Start etcd (as Kubernetes runs it: periodic progress notifications every few seconds)
    and wait until it answers. With `tls` (CA, certificate, key) clients must present a
    certificate from that CA."""
    if not Path(ETCD).exists():
        pytest.skip("etcd is not installed (.ci/run installs Debian's etcd-server)")
    port, peer_port = port or free_port(), peer_port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    scheme = "https" if tls else "http"
    client, peer = f"{scheme}://127.0.0.1:{port}", f"http://127.0.0.1:{peer_port}"
    tls_flags = (
        [
            f"--trusted-ca-file={tls[0]}",
            f"--cert-file={tls[1]}",
            f"--key-file={tls[2]}",
            "--client-cert-auth",
        ]
        if tls
        else []
    )
    log_file = open(data_dir.parent / f"etcd-{port}.log", "ab")  # noqa: SIM115 - owned by the process
    process = subprocess.Popen(
        [
            ETCD,
            f"--data-dir={data_dir}",
            f"--name=test-{port}",
            f"--listen-client-urls={client}",
            f"--advertise-client-urls={client}",
            f"--listen-peer-urls={peer}",
            f"--initial-advertise-peer-urls={peer}",
            f"--initial-cluster=test-{port}={peer}",
            "--experimental-watch-progress-notify-interval=1s",
            *tls_flags,
        ],
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"etcd exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return Etcd(port, peer_port, data_dir, process, tls)
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("etcd did not start")


@pytest.fixture(scope="session")
def etcd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Etcd]:
    server = start_etcd(tmp_path_factory.mktemp("etcd") / "data")
    yield server
    server.stop()
