"""Bootstrap tokens, front-proxy (request-header) users, client certificates and anonymous
access, end to end: real servers over HTTPS, real kubectl, raw HTTP for the proxy's headers.

Two servers: one with the default AlwaysAllow authorizer (which turns anonymous access off), a
front-proxy CA of the test's own and bootstrap tokens on; one with AlwaysDeny and anonymous
access on, where a refused credential must stay a 401 and not turn into an anonymous 403.
"""

from __future__ import annotations

import http.client
import json
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from client_certs import Pair, issue, load_ca, new_ca
from conftest import Server, eventually, start_server
from kube_expected import UNAUTHORIZED

TOKEN_ID, TOKEN_SECRET = "abcdef", "0123456789abcdef"
TOKEN = f"{TOKEN_ID}.{TOKEN_SECRET}"

SSR_PATH = "/apis/authentication.k8s.io/v1/selfsubjectreviews"
SSR = json.dumps({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})

Headers = Sequence[tuple[str, str]]


class Connection:
    """One keep-alive HTTPS connection, optionally with a client certificate, that can send a
    header more than once (as a proxy sends one X-Remote-Group line per group)."""

    def __init__(self, server: Server, cert: tuple[Path, Path] | None) -> None:
        ctx = server.ssl_context(client_cert=False)
        if cert is not None:
            ctx.load_cert_chain(*cert)
        self._conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=30)

    def send(
        self, method: str, path: str, headers: Headers = (), body: str | None = None
    ) -> tuple[int, Any]:
        self._conn.putrequest(method, path)
        for name, value in headers:
            self._conn.putheader(name, value)
        data = body.encode() if body is not None else b""
        if body is not None:
            self._conn.putheader("Content-Type", "application/json")
        self._conn.putheader("Content-Length", str(len(data)))
        self._conn.endheaders(data)
        resp = self._conn.getresponse()
        return resp.status, json.loads(resp.read() or b"null")

    def whoami(self, headers: Headers = ()) -> tuple[int, Any]:
        status, body = self.send("POST", SSR_PATH, headers, SSR)
        return status, body["status"]["userInfo"] if status == 201 else body

    def close(self) -> None:
        self._conn.close()


def whoami(server: Server, headers: Headers = (), cert: tuple[Path, Path] | None = None):
    conn = Connection(server, cert)
    try:
        return conn.whoami(headers)
    finally:
        conn.close()


def kubectl_as(server: Server, *args: str, **credentials: str) -> subprocess.CompletedProcess:
    """kubectl with only the given credentials (`token`, or `client_certificate` and
    `client_key`): no admin kubeconfig, whose certificate would win over a token. Its discovery
    cache is not the admin's, so a refused user's kubectl meets the 401 in discovery."""
    user = {key.replace("_", "-"): value for key, value in credentials.items()}
    return server.kubectl(
        *args,
        kubeconfig=server.user_kubeconfig("user", user),
        cache_dir=server.data_dir / "user-cache",
        check=False,
    )


def create_token_secret(server: Server, name: str = TOKEN_ID, **extra: str) -> None:
    literals = {
        "token-id": name,
        "token-secret": TOKEN_SECRET,
        "usage-bootstrap-authentication": "true",
        **extra,
    }
    # `kubectl create secret` would send protobuf, which this server does not decode.
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": f"bootstrap-token-{name}", "namespace": "kube-system"},
        "type": "bootstrap.kubernetes.io/token",
        "stringData": literals,
    }
    server.kubectl("create", "-f", "-", input=json.dumps(secret))


@pytest.fixture(scope="module")
def proxy_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[Pair, Path]:
    ca = new_ca("front-proxy-ca")
    return ca, ca.write(tmp_path_factory.mktemp("front-proxy"), "front-proxy-ca")[0]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, proxy_ca) -> Iterator[Server]:
    srv = start_server(
        tmp_path_factory.mktemp("authn") / "data",
        "--enable-bootstrap-token-auth",
        f"--requestheader-client-ca-file={proxy_ca[1]}",
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-uid-headers=X-Remote-Uid",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
    )
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def certs(server: Server, proxy_ca, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Client certificate files: the front proxy, a proxy with another CN, an impostor with the
    proxy's CN from the client CA, and a plain user."""
    directory = tmp_path_factory.mktemp("certs")
    client_ca = load_ca(server.data_dir / "pki")
    return {
        "proxy": issue(proxy_ca[0], "front-proxy-client").write(directory, "proxy"),
        "other-proxy": issue(proxy_ca[0], "other-proxy").write(directory, "other"),
        "impostor": issue(client_ca, "front-proxy-client").write(directory, "impostor"),
        "carol": issue(client_ca, "carol", ["qa", "dev"]).write(directory, "carol"),
    }


# --- bootstrap tokens --------------------------------------------------------------------


def test_kubectl_with_a_bootstrap_token_is_system_bootstrap_id(server: Server) -> None:
    create_token_secret(server, **{"auth-extra-groups": "system:bootstrappers:kubeadm:nodes"})
    # The Secret reaches the watch cache just after kubectl's create returns.
    result = eventually(
        lambda: (r := kubectl_as(server, "auth", "whoami", token=TOKEN)).returncode == 0 and r,
        "kubectl auth whoami with the bootstrap token",
    )
    assert result.stdout.splitlines()[:2] == [
        "ATTRIBUTE   VALUE",
        "Username    system:bootstrap:abcdef",
    ]
    result = kubectl_as(server, "auth", "whoami", "-o", "json", token=TOKEN)
    user = json.loads(result.stdout)["status"]["userInfo"]
    assert user == {
        "username": "system:bootstrap:abcdef",
        "groups": [
            "system:bootstrappers",
            "system:bootstrappers:kubeadm:nodes",
            "system:authenticated",
        ],
    }


def test_a_bootstrap_token_with_a_wrong_secret_or_no_secret_object_is_unauthorized(
    server: Server,
) -> None:
    for token in ("abcdef.ffffffffffffffff", "zzzzzz.0123456789abcdef"):
        result = kubectl_as(server, "auth", "whoami", token=token)
        assert result.returncode == 1
        assert "error: You must be logged in to the server (Unauthorized)" in result.stderr
    assert "invalid bearer token" in server.logs()


def test_an_expired_bootstrap_token_is_unauthorized(server: Server) -> None:
    create_token_secret(server, "expird", expiration="2020-01-01T00:00:00Z")
    status, body = whoami(server, [("Authorization", f"Bearer expird.{TOKEN_SECRET}")])
    assert (status, body) == (401, UNAUTHORIZED)
    eventually(lambda: "Expired bootstrap token in kube-system/" in server.logs(), "the log line")


# --- front proxy -------------------------------------------------------------------------


def test_a_front_proxy_names_the_user_in_headers(server: Server, certs: dict) -> None:
    headers = [
        ("X-Remote-User", "dave"),
        ("X-Remote-Uid", "u-1"),
        ("X-Remote-Group", "devs"),
        ("X-Remote-Group", "ops"),
        ("X-Remote-Extra-Scopes", "read"),
        ("X-Remote-Extra-Scopes", "write"),
        ("X-Remote-Extra-Acme.io%2fteam", "blue"),
    ]
    assert whoami(server, headers, certs["proxy"]) == (
        201,
        {
            "username": "dave",
            "uid": "u-1",
            "groups": ["devs", "ops", "system:authenticated"],
            "extra": {"scopes": ["read", "write"], "acme.io/team": ["blue"]},
        },
    )


def test_each_request_on_a_proxy_connection_is_its_own_user(server: Server, certs: dict) -> None:
    conn = Connection(server, certs["proxy"])
    try:
        # The proxy's certificate is no client-CA certificate: naming nobody, it is refused.
        assert conn.whoami() == (401, UNAUTHORIZED)
        assert conn.whoami([("X-Remote-User", "alice")])[1]["username"] == "alice"
        assert conn.whoami([("X-Remote-User", "bob")])[1]["username"] == "bob"
        assert conn.whoami() == (401, UNAUTHORIZED)
        assert conn.whoami([("X-Remote-User", "alice")])[1]["username"] == "alice"
    finally:
        conn.close()


def test_a_proxy_whose_cn_is_not_allowed_is_unauthorized(server: Server, certs: dict) -> None:
    assert whoami(server, [("X-Remote-User", "dave")], certs["other-proxy"]) == (401, UNAUTHORIZED)
    assert "x509: subject with cn=other-proxy is not in the allowed list" in server.logs()


def test_the_proxy_headers_mean_nothing_with_a_certificate_of_the_client_ca(
    server: Server, certs: dict
) -> None:
    headers = [("X-Remote-User", "admin"), ("X-Remote-Group", "system:masters")]
    status, user = whoami(server, headers, certs["impostor"])
    assert status == 201
    assert (user["username"], user["groups"]) == ("front-proxy-client", ["system:authenticated"])
    status, user = whoami(server, headers, certs["carol"])
    assert (user["username"], user["groups"]) == ("carol", ["qa", "dev", "system:authenticated"])


def test_proxy_headers_without_a_certificate_are_no_credential(server: Server) -> None:
    assert whoami(server, [("X-Remote-User", "admin")]) == (401, UNAUTHORIZED)


# --- client certificates and refusals ----------------------------------------------------


def test_kubectl_with_a_client_certificate_is_its_cn_in_its_organizations(
    server: Server, certs: dict
) -> None:
    cert, key = certs["carol"]
    result = kubectl_as(
        server, "auth", "whoami", "-o", "json", client_certificate=str(cert), client_key=str(key)
    )
    assert result.returncode == 0, result.stderr
    user = json.loads(result.stdout)["status"]["userInfo"]
    assert (user["username"], user["groups"]) == ("carol", ["qa", "dev", "system:authenticated"])
    [credential] = user["extra"]["authentication.kubernetes.io/credential-id"]
    assert credential.startswith("X509SHA256=")


def test_a_bad_token_or_no_credential_is_unauthorized_with_anonymous_off(server: Server) -> None:
    # kubectl's discovery meets the 401 first and words it its own way.
    result = kubectl_as(server, "get", "namespaces", token="not-a-token")
    assert (
        "error: You must be logged in to the server (the server has asked for the client to provide credentials)"
        in result.stderr
    )
    for headers in ([("Authorization", "Bearer not-a-token")], []):
        conn = Connection(server, None)
        try:
            assert conn.send("GET", "/api/v1/namespaces", headers) == (401, UNAUTHORIZED)
        finally:
            conn.close()


# --- anonymous access on -----------------------------------------------------------------


@pytest.fixture(scope="module")
def anonymous_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(
        tmp_path_factory.mktemp("anonymous") / "data",
        "--authorization-mode=AlwaysDeny",
        "--enable-bootstrap-token-auth",
    )
    yield srv
    srv.stop()


def get_namespaces(server: Server, headers: Headers) -> tuple[int, Any]:
    conn = Connection(server, None)
    try:
        return conn.send("GET", "/api/v1/namespaces", headers)
    finally:
        conn.close()


def test_with_anonymous_on_no_credential_is_system_anonymous(anonymous_server: Server) -> None:
    status, body = get_namespaces(anonymous_server, [])
    assert status == 403
    assert 'User "system:anonymous" cannot list resource "namespaces"' in body["message"]


def test_with_anonymous_on_a_bad_credential_is_still_unauthorized(
    anonymous_server: Server,
) -> None:
    create_token_secret(anonymous_server, "unused", **{"usage-bootstrap-authentication": "false"})
    # A valid token is authenticated (then refused by the authorizer) once the cache has it.
    valid = [("Authorization", f"Bearer {TOKEN_ID}.{TOKEN_SECRET}")]
    create_token_secret(anonymous_server)
    status, body = eventually(
        lambda: (r := get_namespaces(anonymous_server, valid))[0] == 403 and r
    )
    assert 'User "system:bootstrap:abcdef" cannot list' in body["message"]
    for token in (
        "not-a-token",
        "abcdef.ffffffffffffffff",  # wrong secret
        f"unused.{TOKEN_SECRET}",  # not for authentication
        f"zzzzzz.{TOKEN_SECRET}",  # no such Secret
    ):
        headers = [("Authorization", f"Bearer {token}")]
        assert get_namespaces(anonymous_server, headers) == (401, UNAUTHORIZED), token
    result = kubectl_as(anonymous_server, "auth", "whoami", token="not-a-token")
    assert "error: You must be logged in to the server (Unauthorized)" in result.stderr
