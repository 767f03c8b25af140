"""OIDC users logging in, end to end: a real identity provider on loopback (its own CA, keys,
discovery document and JWKS), real servers started with the `--oidc-*` flags or with an
`--authentication-config` file of CEL claim mappings and rules, and real kubectl with a
kubeconfig whose user carries the ID token (as `token:` and as kubectl's `oidc` auth provider).
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Server, eventually, start_server
from kube_expected import UNAUTHORIZED
from oidc_idp import CLIENT_ID, IdentityProvider

SSR = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
SSR_PATH = "/apis/authentication.k8s.io/v1/selfsubjectreviews"


@pytest.fixture(scope="module")
def oidc_server(
    idp: IdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    srv = start_server(
        tmp_path_factory.mktemp("oidc") / "data",
        f"--oidc-issuer-url={idp.issuer}",
        f"--oidc-client-id={CLIENT_ID}",
        f"--oidc-ca-file={idp.ca_file}",
        "--oidc-groups-claim=groups",
        "--oidc-groups-prefix=oidc:",
        "--oidc-required-claim=hd=example.com",
    )
    yield srv
    srv.stop()


def whoami(server: Server, token: str) -> tuple[int, Any]:
    resp = server.request(
        "POST", SSR_PATH, SSR, headers={"Authorization": f"Bearer {token}"}, client_cert=False
    )
    body = resp.json()
    return resp.status, body["status"]["userInfo"] if resp.status == 201 else body


def wait_for_log(server: Server, text: str) -> None:
    eventually(lambda: text in server.logs(), f"{text!r} in the server log", timeout=10)


def accepted(server: Server, token: str) -> dict[str, Any]:
    """The user of `token` once the server has its issuer's keys: kube-apiserver retries a
    provider that was down every 10 seconds; a little more is allowed here."""
    answer = eventually(lambda: (r := whoami(server, token))[0] == 201 and r, "the token", 30)
    return answer[1]


def test_kubectl_logs_in_with_an_id_token_in_the_kubeconfig(idp, oidc_server) -> None:
    token = idp.token(hd="example.com", groups=["dev", "ops"])
    kubeconfig = oidc_server.user_kubeconfig("token", {"token": token})
    result = oidc_server.kubectl("auth", "whoami", kubeconfig=kubeconfig)
    assert result.stdout.split("\n")[:3] == [
        "ATTRIBUTE   VALUE",
        f"Username    {idp.issuer}#alice-sub",
        "Groups      [oidc:dev oidc:ops system:authenticated]",
    ]
    result = oidc_server.kubectl("get", "namespaces", "-o", "name", kubeconfig=kubeconfig)
    assert "namespace/default" in result.stdout.split()


@pytest.mark.parametrize("version", [None, "1.33"])
def test_kubectl_logs_in_with_the_oidc_auth_provider(idp, oidc_server, version) -> None:
    token = idp.token(hd="example.com", groups="admins")
    provider = {
        "name": "oidc",
        "config": {"id-token": token, "idp-issuer-url": idp.issuer, "client-id": CLIENT_ID},
    }
    kubeconfig = oidc_server.user_kubeconfig("auth-provider", {"auth-provider": provider})
    result = oidc_server.kubectl(
        "auth", "whoami", "-o", "json", kubeconfig=kubeconfig, version=version
    )
    assert json.loads(result.stdout)["status"]["userInfo"] == {
        "username": f"{idp.issuer}#alice-sub",
        "groups": ["oidc:admins", "system:authenticated"],
    }


def test_refused_id_tokens_get_a_bare_401_and_the_reason_is_only_logged(
    idp, oidc_server, tmp_path
) -> None:
    now = int(time.time())
    cases = {
        "token is expired": idp.token(hd="example.com", exp=now - 60),
        "before the nbf": idp.token(hd="example.com", nbf=now + 3600),
        "expected audience": idp.token(hd="example.com", aud="another-client"),
        "required claim hd not present": idp.token(),
        "required claim hd value does not match": idp.token(hd="evil.example.com"),
        "failed to verify signature": idp.token(
            hd="example.com", key=IdentityProvider(tmp_path / "other").keys["rsa-1"]
        ),
        "parse groups claim": idp.token(hd="example.com", groups=[1]),
    }
    for reason, token in cases.items():
        status, body = whoami(oidc_server, token)
        assert (status, body) == (401, UNAUTHORIZED), reason
        wait_for_log(oidc_server, reason)
    kubeconfig = oidc_server.user_kubeconfig("expired", {"token": cases["token is expired"]})
    result = oidc_server.kubectl("get", "pods", kubeconfig=kubeconfig, check=False)
    assert result.returncode == 1
    assert "error: You must be logged in to the server" in result.stderr


def test_a_token_from_another_issuer_is_not_an_oidc_token(idp, oidc_server) -> None:
    status, body = whoami(oidc_server, idp.token(iss="https://elsewhere.example.com"))
    assert (status, body) == (401, UNAUTHORIZED)


# -- the structured configuration ----------------------------------------------------------


def cel_configuration(idp: IdentityProvider) -> dict[str, Any]:
    return {
        "apiVersion": "apiserver.config.k8s.io/v1beta1",
        "kind": "AuthenticationConfiguration",
        "jwt": [
            {
                "issuer": {
                    "url": idp.issuer,
                    "audiences": [CLIENT_ID],
                    "certificateAuthority": idp.ca_file.read_text(),
                },
                "claimValidationRules": [
                    {
                        "expression": "claims.hd == 'example.com'",
                        "message": "the hosted domain must be example.com",
                    }
                ],
                "claimMappings": {
                    "username": {
                        "expression": "claims.email_verified ? 'corp:' + claims.email.split('@')[0] : ''"
                    },
                    "groups": {"expression": "claims.roles.map(r, 'corp:' + r)"},
                    "uid": {"claim": "sub"},
                    "extra": [{"key": "example.com/tenant", "valueExpression": "claims.tenant"}],
                },
                "userValidationRules": [
                    {
                        "expression": "!user.username.startsWith('corp:system')",
                        "message": "system names are reserved",
                    }
                ],
            }
        ],
    }


@pytest.fixture(scope="module")
def late_idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    """An identity provider that is down when its server starts (started by a test)."""
    provider = IdentityProvider(tmp_path_factory.mktemp("late-idp"), path="/late")
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def config_server(late_idp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("config")
    path = base / "authentication-config.yaml"
    configuration = cel_configuration(late_idp)
    configuration["anonymous"] = {"enabled": True, "conditions": [{"path": "/livez"}]}
    path.write_text(yaml.safe_dump(configuration))
    srv = start_server(base / "data", f"--authentication-config={path}")
    yield srv
    srv.stop()


@pytest.fixture
def ready_config_server(late_idp, config_server) -> Server:
    """The configuration's server once its identity provider is up and its keys fetched."""
    late_idp.start()
    token = late_idp.token(hd="example.com", roles=["dev"], tenant="acme")
    accepted(config_server, token)
    return config_server


def test_the_server_serves_while_the_identity_provider_is_down(late_idp, config_server) -> None:
    if late_idp.running:
        pytest.skip("the identity provider is already up")
    token = late_idp.token(hd="example.com", roles=["dev"], tenant="acme")
    assert whoami(config_server, token) == (401, UNAUTHORIZED)
    wait_for_log(config_server, "not initialized")
    kubeconfig = config_server.user_kubeconfig("down", {"token": token})
    assert (
        config_server.kubectl("get", "namespaces", kubeconfig=kubeconfig, check=False).returncode
        == 1
    )
    # The server itself is fine: its health checks pass and the admin still gets in.
    assert config_server.request("GET", "/readyz").status == 200
    late_idp.start()
    assert accepted(config_server, token)["username"] == "corp:alice"


def test_cel_claim_mappings_make_the_user(late_idp, ready_config_server) -> None:
    token = late_idp.token(hd="example.com", roles=["dev", "ops"], tenant="acme")
    kubeconfig = ready_config_server.user_kubeconfig("cel", {"token": token})
    result = ready_config_server.kubectl("auth", "whoami", "-o", "json", kubeconfig=kubeconfig)
    assert json.loads(result.stdout)["status"]["userInfo"] == {
        "username": "corp:alice",
        "uid": "alice-sub",
        "groups": ["corp:dev", "corp:ops", "system:authenticated"],
        "extra": {"example.com/tenant": ["acme"]},
    }
    table = ready_config_server.kubectl("auth", "whoami", kubeconfig=kubeconfig).stdout
    assert [line.split(None, 1) for line in table.splitlines()] == [
        ["ATTRIBUTE", "VALUE"],
        ["Username", "corp:alice"],
        ["UID", "alice-sub"],
        ["Groups", "[corp:dev corp:ops system:authenticated]"],
        ["Extra:", "example.com/tenant   [acme]"],
    ]


def test_cel_rules_refuse_tokens(late_idp, ready_config_server) -> None:
    config_server = ready_config_server
    good = {"hd": "example.com", "roles": ["dev"], "tenant": "acme"}
    cases = {
        "the hosted domain must be example.com": late_idp.token(**{**good, "hd": "evil.com"}),
        "system names are reserved": late_idp.token(**good, email="system@example.com"),
        "empty username via CEL expression is not allowed": late_idp.token(
            **good, email_verified=False
        ),
        "error evaluating group claim expression": late_idp.token(**{**good, "roles": None}),
    }
    for reason, token in cases.items():
        assert whoami(config_server, token) == (401, UNAUTHORIZED), reason
        wait_for_log(config_server, reason)


def test_anonymous_requests_are_allowed_on_the_configured_paths_only(config_server) -> None:
    # One keep-alive connection without a client certificate: the answer for one path must not
    # be reused for the next.
    conn = http.client.HTTPSConnection(
        "127.0.0.1", config_server.port, context=config_server.ssl_context(client_cert=False)
    )
    try:
        for path, status in (("/livez", 200), ("/readyz", 401), ("/livez", 200), ("/api", 401)):
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status == status, (path, body)
            if status == 401:
                assert json.loads(body) == UNAUTHORIZED
    finally:
        conn.close()


# -- refusing to start ---------------------------------------------------------------------


def start_failure(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kube_apiserver", f"--data-dir={tmp_path / 'data'}", *flags],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_invalid_configuration_stops_the_server_with_one_error_line(idp, tmp_path) -> None:
    bad = cel_configuration(idp)
    bad["jwt"].append(json.loads(json.dumps(bad["jwt"][0])))
    bad["jwt"][0]["claimMappings"]["username"]["claim"] = "sub"
    bad["jwt"][0]["claimValidationRules"][0]["expression"] = "claims.hd"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad))
    result = start_failure(tmp_path, f"--authentication-config={path}")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: invalid authentication configuration: ["
        'jwt[0].claimValidationRules[0].expression: Invalid value: "claims.hd": must evaluate to bool, '
        'jwt[0].claimMappings.username: Invalid value: "": claim and expression can\'t both be set, '
        f'jwt[1].issuer.url: Duplicate value: "{idp.issuer}"]'
    ]
    result = start_failure(
        tmp_path, "--oidc-issuer-url=http://idp.example.com", "--oidc-client-id=kubernetes"
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: invalid authentication configuration: jwt[0].issuer.url: Invalid value: "
        '"http://idp.example.com": URL scheme must be https'
    )
    result = start_failure(
        tmp_path, f"--authentication-config={path}", "--oidc-issuer-url=https://idp.example.com"
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: authentication-config file and oidc-* flags are mutually exclusive"
    )
