"""The kube-apiserver command line: flags, help, version, first start, and the features that
only a flag turns on (static tokens, runtime-config, audit log), run as real processes."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from conftest import audit_events
from kube_expected import UNAUTHORIZED

if TYPE_CHECKING:
    from conftest import Server

TOKEN = "31ada4fd-adec-460c-809a-9e56ceb75269"


def run_command(*args: str, tmp_path: Path, timeout: float = 30) -> subprocess.CompletedProcess:
    """Run `python -m kube_apiserver` with a private data dir, so nothing lands in $HOME."""
    return subprocess.run(
        [sys.executable, "-m", "kube_apiserver", f"--data-dir={tmp_path / 'data'}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- flags ---------------------------------------------------------------------------------


def test_version_flag_prints_the_kubernetes_version_and_exits_zero(tmp_path: Path) -> None:
    result = run_command("--version", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Kubernetes v1.33"), result.stdout
    assert not (tmp_path / "data").exists(), "--version must not create the data dir"


def test_an_unknown_flag_is_an_error_that_names_the_flag(tmp_path: Path) -> None:
    result = run_command("--no-such-flag=1", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Error: unknown flag: --no-such-flag" in result.stderr
    assert not (tmp_path / "data" / "pki").exists(), "a bad command line must not start anything"


def test_several_invalid_flags_are_all_reported_in_one_error(tmp_path: Path) -> None:
    result = run_command(
        "--secure-port=0", "--authorization-mode=Bogus", "--storage-backend=nope", tmp_path=tmp_path
    )
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    error = errors[0]
    assert "--secure-port 0 must be between 1 and 65535, inclusive" in error
    assert 'authorization-mode "Bogus" is not a valid mode' in error
    assert "--storage-backend invalid" in error
    assert not (tmp_path / "data" / "pki").exists()


def test_a_flag_value_of_the_wrong_type_is_an_error(tmp_path: Path) -> None:
    result = run_command("--secure-port=abc", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "--secure-port" in result.stderr
    assert "abc" in result.stderr


def test_help_lists_the_flag_groups(tmp_path: Path) -> None:
    result = run_command("--help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    for group in (
        "Etcd flags",
        "Secure serving flags",
        "Authentication flags",
        "Authorization flags",
        "Admission flags",
        "Auditing flags",
        "API enablement flags",
    ):
        assert group in result.stdout, group
    for flag in (
        "--secure-port",
        "--bind-address",
        "--token-auth-file",
        "--authorization-mode",
        "--runtime-config",
        "--audit-log-path",
        "--etcd-servers",
        "--enable-admission-plugins",
    ):
        assert flag in result.stdout, flag


# --- first start ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from conftest import start_server

    srv = start_server(tmp_path_factory.mktemp("fresh") / "data")
    yield srv
    srv.stop()


def load_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_first_start_prints_how_to_point_kubectl_at_the_server(fresh_server: Server) -> None:
    assert f"export KUBECONFIG={fresh_server.data_dir / 'admin.kubeconfig'}" in fresh_server.logs()
    assert fresh_server.kubeconfig.is_file()
    assert (
        "namespace/default" in fresh_server.kubectl("get", "ns", "-o", "name").stdout.splitlines()
    )


def test_first_start_creates_a_certificate_authority(fresh_server: Server) -> None:
    ca = load_cert(fresh_server.data_dir / "pki" / "ca.crt")
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert ca.subject == ca.issuer
    assert (fresh_server.data_dir / "pki" / "ca.key").is_file()


def test_first_start_creates_an_admin_client_certificate_in_system_masters(
    fresh_server: Server,
) -> None:
    pki = fresh_server.data_dir / "pki"
    admin = load_cert(pki / "admin.crt")
    ca = load_cert(pki / "ca.crt")
    assert admin.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "kubernetes-admin"
    assert [a.value for a in admin.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == [
        "system:masters"
    ]
    assert admin.issuer == ca.subject
    admin.verify_directly_issued_by(ca)
    usages = admin.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.CLIENT_AUTH in usages


def test_the_server_presents_a_serving_certificate_signed_by_the_ca_for_127_0_0_1(
    fresh_server: Server,
) -> None:
    pki = fresh_server.data_dir / "pki"
    ctx = fresh_server.ssl_context()
    with socket.create_connection(("127.0.0.1", fresh_server.port), timeout=10) as sock:
        with ctx.wrap_socket(sock, server_hostname="127.0.0.1") as tls:
            der = tls.getpeercert(binary_form=True)
    served = x509.load_der_x509_certificate(der)
    ca = load_cert(pki / "ca.crt")
    served.verify_directly_issued_by(ca)
    sans = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "127.0.0.1" in [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)]
    assert "localhost" in sans.get_values_for_type(x509.DNSName)
    on_disk = [load_cert(p) for p in pki.glob("*.crt")]
    assert served in on_disk, "the serving certificate is kept under <data-dir>/pki"
    assert served not in (load_cert(pki / "ca.crt"), load_cert(pki / "admin.crt"))


def test_the_server_listens_on_127_0_0_1_only(fresh_server: Server) -> None:
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port = fields[1].rsplit(":", 1)
            if int(port, 16) == fresh_server.port and fields[3] == "0A":  # 0A: LISTEN
                listening.append((table, address))
    assert listening == [("/proc/net/tcp", "0100007F")], listening  # 127.0.0.1, little-endian


def test_the_server_refuses_plain_http(fresh_server: Server) -> None:
    with socket.create_connection(("127.0.0.1", fresh_server.port), timeout=10) as sock:
        sock.sendall(b"GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try:
            reply = sock.recv(4096)
        except ConnectionError:
            reply = b""
    assert b'"gitVersion"' not in reply


def test_a_request_without_credentials_is_unauthorized(fresh_server: Server) -> None:
    resp = fresh_server.request("GET", "/api", client_cert=False)
    assert resp.status == 401, resp.body
    assert resp.json() == UNAUTHORIZED


def test_a_client_certificate_from_another_ca_is_not_trusted(
    fresh_server: Server, tmp_path: Path
) -> None:
    from conftest import start_server

    other = start_server(tmp_path / "other")
    try:
        ctx = ssl.create_default_context(cafile=str(fresh_server.data_dir / "pki" / "ca.crt"))
        ctx.load_cert_chain(
            str(other.data_dir / "pki" / "admin.crt"), str(other.data_dir / "pki" / "admin.key")
        )
        import http.client

        conn = http.client.HTTPSConnection("127.0.0.1", fresh_server.port, context=ctx, timeout=10)
        try:
            conn.request("GET", "/api")
            resp = conn.getresponse()
            status, body = resp.status, resp.read()
        except (ssl.SSLError, ConnectionError):
            return  # refused during the handshake: also not authenticated
        finally:
            conn.close()
        assert status == 401, body
    finally:
        other.stop()


# --- flags that turn features on -----------------------------------------------------------


@pytest.fixture(scope="module")
def configured_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a static token file, apps/v1 turned off and an audit log."""
    from conftest import start_server

    base = tmp_path_factory.mktemp("configured")
    tokens = base / "tokens.csv"
    tokens.write_text(f'{TOKEN},alice,uid-alice,"devs,qa"\nother-token,carol,uid-carol\n')
    srv = start_server(
        base / "data",
        f"--token-auth-file={tokens}",
        "--runtime-config=apps/v1=false",
        f"--audit-log-path={base / 'audit.log'}",
    )
    yield srv
    srv.stop()


def test_a_bearer_token_from_the_token_file_authenticates(configured_server: Server) -> None:
    resp = configured_server.request(
        "GET", "/api", headers={"Authorization": f"Bearer {TOKEN}"}, client_cert=False
    )
    assert resp.status == 200, resp.body
    assert resp.json()["kind"] == "APIVersions"


def test_a_wrong_bearer_token_is_unauthorized(configured_server: Server) -> None:
    resp = configured_server.request(
        "GET", "/api", headers={"Authorization": "Bearer not-a-token"}, client_cert=False
    )
    assert resp.status == 401, resp.body
    status = resp.json()
    assert status["kind"] == "Status"
    assert status["status"] == "Failure"
    assert status["reason"] == "Unauthorized"
    assert status["message"] == "Unauthorized"
    assert status["code"] == 401


def test_no_credentials_are_unauthorized_when_a_token_file_is_configured(
    configured_server: Server,
) -> None:
    resp = configured_server.request("GET", "/api", client_cert=False)
    assert resp.status == 401, resp.body
    assert resp.json()["reason"] == "Unauthorized"


def test_a_token_user_can_use_the_api(configured_server: Server) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    name = "tok-" + uuid.uuid4().hex[:8]
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"a": "b"}}
    resp = configured_server.request(
        "POST", "/api/v1/namespaces/default/configmaps", body, headers=headers, client_cert=False
    )
    assert resp.status == 201, resp.body
    resp = configured_server.request(
        "GET", f"/api/v1/namespaces/default/configmaps/{name}", headers=headers, client_cert=False
    )
    assert resp.status == 200
    assert resp.json()["data"] == {"a": "b"}


def test_the_token_identifies_the_user_with_the_groups_from_the_file(
    configured_server: Server,
) -> None:
    marker = "who-" + uuid.uuid4().hex[:8]
    path = f"/api/v1/namespaces/default/configmaps/{marker}"
    resp = configured_server.request(
        "GET", path, headers={"Authorization": f"Bearer {TOKEN}"}, client_cert=False
    )
    assert resp.status == 404
    [event] = audit_events(configured_server, path)
    assert event["user"]["username"] == "alice"
    assert event["user"]["uid"] == "uid-alice"
    assert set(event["user"]["groups"]) == {"devs", "qa", "system:authenticated"}


def test_runtime_config_can_turn_off_a_group_version(configured_server: Server) -> None:
    resp = configured_server.request("GET", "/apis/apps/v1")
    assert resp.status == 404, resp.body
    groups = [g["name"] for g in configured_server.request("GET", "/apis").json()["groups"]]
    assert "apps" not in groups
    assert "coordination.k8s.io" in groups
    resp = configured_server.request("GET", "/apis/apps/v1/namespaces/default/deployments")
    assert resp.status == 404
    assert configured_server.request("GET", "/api/v1/namespaces/default/configmaps").status == 200


def test_a_turned_off_group_is_gone_from_aggregated_discovery_and_openapi(
    configured_server: Server,
) -> None:
    accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    doc = configured_server.request("GET", "/apis", headers={"Accept": accept}).json()
    assert "apps" not in [item["metadata"]["name"] for item in doc["items"]]
    paths = configured_server.request("GET", "/openapi/v3").json()["paths"]
    assert "apis/apps/v1" not in paths
    assert "api/v1" in paths


def test_kubectl_does_not_know_deployments_when_apps_is_turned_off(
    configured_server: Server,
) -> None:
    result = configured_server.kubectl("get", "deployments", check=False)
    assert result.returncode != 0
    assert 'the server doesn\'t have a resource type "deployments"' in result.stderr


def test_the_audit_log_has_one_json_event_per_request(configured_server: Server) -> None:
    marker = "audit-" + uuid.uuid4().hex[:8]
    paths = [f"/api/v1/namespaces/default/configmaps/{marker}-{i}" for i in range(3)]
    for path in paths:
        assert configured_server.request("GET", path).status == 404
    for path in paths:
        matching = audit_events(configured_server, path)
        assert len(matching) == 1, matching
        assert isinstance(matching[0], dict)


def test_an_audit_event_has_the_verb_user_and_object_reference(configured_server: Server) -> None:
    ns = "audited-" + uuid.uuid4().hex[:8]
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}
    assert configured_server.request("POST", "/api/v1/namespaces", namespace).status == 201
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}}
    uri = f"/api/v1/namespaces/{ns}/configmaps"
    assert configured_server.request("POST", uri, body).status == 201
    [event] = audit_events(configured_server, uri)
    assert event["verb"] == "create"
    assert event["kind"] == "Event"
    assert event["apiVersion"] == "audit.k8s.io/v1"
    assert event["level"] == "Metadata"
    assert event["auditID"]
    assert event["user"]["username"] == "kubernetes-admin"
    assert "system:masters" in event["user"]["groups"]
    assert event["objectRef"]["resource"] == "configmaps"
    assert event["objectRef"]["namespace"] == ns
    assert event["objectRef"]["apiVersion"] == "v1"
    assert event["responseStatus"]["code"] == 201
    assert event["sourceIPs"] == ["127.0.0.1"]
    assert event["requestReceivedTimestamp"] <= event["stageTimestamp"]


def test_an_audit_event_for_a_named_object_carries_its_name(configured_server: Server) -> None:
    path = "/api/v1/namespaces/kube-system/configmaps/named-" + uuid.uuid4().hex[:8]
    configured_server.request("GET", path)
    [event] = audit_events(configured_server, path)
    assert event["verb"] == "get"
    assert event["objectRef"] == {
        "resource": "configmaps",
        "namespace": "kube-system",
        "name": path.rsplit("/", 1)[1],
        "apiVersion": "v1",
    }
    assert event["responseStatus"]["code"] == 404


def test_an_audit_event_for_a_list_uses_the_list_verb(configured_server: Server) -> None:
    path = (
        "/api/v1/namespaces/default/configmaps?limit=1&labelSelector=audit%3D"
        + uuid.uuid4().hex[:8]
    )
    assert configured_server.request("GET", path).status == 200
    [event] = audit_events(configured_server, path)
    assert event["verb"] == "list"
    assert event["user"]["username"] == "kubernetes-admin"
