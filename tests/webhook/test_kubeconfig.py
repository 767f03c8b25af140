"""Reading a webhook's kubeconfig as client-go does: what loads, and what stops the server."""

from __future__ import annotations

import base64
import ssl
from pathlib import Path
from typing import Any

import pytest
import yaml

from kube_apiserver.server.certs import ensure_pki, issue_client_cert
from kube_apiserver.webhook.kubeconfig import KubeconfigError, load_kubeconfig


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Any:
    directory = tmp_path_factory.mktemp("pki")
    pki = ensure_pki(directory)
    cert, key = issue_client_cert(pki, "apiserver")
    (directory / "client.crt").write_bytes(cert)
    (directory / "client.key").write_bytes(key)
    return pki


def b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def write(path: Path, *, cluster: dict, user: dict | None = None, current: str = "ctx") -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "hook", "cluster": cluster}],
                "users": [{"name": "me", "user": user or {}}],
                "contexts": [{"name": "ctx", "context": {"cluster": "hook", "user": "me"}}],
                "current-context": current,
            }
        )
    )
    return path


def test_embedded_certificates_give_a_verifying_tls_context_with_a_client_certificate(
    tmp_path: Path, pki: Any
) -> None:
    client_dir = pki.ca_cert.parent.parent
    config = load_kubeconfig(
        write(
            tmp_path / "kc",
            cluster={
                "server": "https://127.0.0.1:9443/authorize",
                "certificate-authority-data": b64(pki.ca_cert),
            },
            user={
                "client-certificate-data": b64(client_dir / "client.crt"),
                "client-key-data": b64(client_dir / "client.key"),
            },
        )
    )
    assert config.server == "https://127.0.0.1:9443/authorize"
    assert config.ssl is not None
    assert config.ssl.verify_mode == ssl.CERT_REQUIRED and config.ssl.check_hostname
    assert config.authorization == ""


def test_relative_paths_are_relative_to_the_kubeconfig_directory(tmp_path: Path, pki: Any) -> None:
    client_dir = pki.ca_cert.parent.parent
    for name in ("client.crt", "client.key"):
        (tmp_path / name).write_bytes((client_dir / name).read_bytes())
    (tmp_path / "ca.crt").write_bytes(pki.ca_cert.read_bytes())
    (tmp_path / "token").write_text("secret-token\n")
    config = load_kubeconfig(
        write(
            tmp_path / "kc",
            cluster={"server": "https://hook.example:443/", "certificate-authority": "ca.crt"},
            user={
                "client-certificate": "client.crt",
                "client-key": "client.key",
                "tokenFile": "token",
            },
        )
    )
    assert config.authorization == "Bearer secret-token"
    assert config.token_file == tmp_path / "token"


def test_a_token_and_basic_credentials_become_the_authorization_header(tmp_path: Path) -> None:
    token = load_kubeconfig(
        write(tmp_path / "a", cluster={"server": "https://h"}, user={"token": "abc"})
    )
    assert token.authorization == "Bearer abc"
    basic = load_kubeconfig(
        write(
            tmp_path / "b", cluster={"server": "https://h"}, user={"username": "u", "password": "p"}
        )
    )
    assert basic.authorization == "Basic " + base64.b64encode(b"u:p").decode()


def test_insecure_skip_tls_verify_turns_verification_off(tmp_path: Path) -> None:
    config = load_kubeconfig(
        write(tmp_path / "kc", cluster={"server": "https://h", "insecure-skip-tls-verify": True})
    )
    assert config.ssl is not None and config.ssl.verify_mode == ssl.CERT_NONE


def test_a_plain_http_server_has_no_tls_context(tmp_path: Path) -> None:
    assert load_kubeconfig(write(tmp_path / "kc", cluster={"server": "http://h:80/x"})).ssl is None


def test_tls_server_name_is_kept(tmp_path: Path) -> None:
    config = load_kubeconfig(
        write(
            tmp_path / "kc", cluster={"server": "https://10.0.0.5", "tls-server-name": "hook.svc"}
        )
    )
    assert config.tls_server_name == "hook.svc"


@pytest.mark.parametrize(
    ("cluster", "user", "current", "message"),
    [
        (
            {"server": "https://h"},
            {},
            "",
            "invalid configuration: no configuration has been provided, try setting "
            "KUBERNETES_MASTER environment variable",
        ),
        (
            {"server": "https://h"},
            {},
            "other",
            "invalid configuration: [context was not found for specified context: other, "
            "cluster has no server defined]",
        ),
        (
            {"certificate-authority": "/nonexistent/ca.crt"},
            {},
            "ctx",
            'invalid configuration: [no server found for cluster "hook", unable to read '
            "certificate-authority /nonexistent/ca.crt for hook due to open /nonexistent/ca.crt: "
            "no such file or directory]",
        ),
        (
            {"server": "https://h"},
            {
                "client-certificate-data": "eA==",
                "client-certificate": "/x.crt",
                "client-key-data": "eA==",
            },
            "ctx",
            "client-cert-data and client-cert are both specified for me. client-cert-data will override.",
        ),
        (
            {"server": "https://h"},
            {"client-certificate-data": "eA=="},
            "ctx",
            "invalid configuration: client-key-data or client-key must be specified for me to use "
            "the clientCert authentication method.",
        ),
        (
            {"server": "https://h"},
            {"token": "t", "username": "u"},
            "ctx",
            "invalid configuration: more than one authentication method found for me; found "
            "[token basicAuth], only one is allowed",
        ),
        (
            {"server": "https://h", "certificate-authority-data": "bm90IGEgY2VydA=="},
            {},
            "ctx",
            "unable to load root certificates: unable to parse bytes as PEM block",
        ),
        (
            {"server": "https://h", "certificate-authority-data": "%%%"},
            {},
            "ctx",
            "illegal base64 data in certificate-authority-data",
        ),
    ],
)
def test_an_unusable_kubeconfig_is_refused_with_client_gos_words(
    tmp_path: Path, cluster: dict, user: dict, current: str, message: str
) -> None:
    with pytest.raises(KubeconfigError) as err:
        load_kubeconfig(write(tmp_path / "kc", cluster=cluster, user=user, current=current))
    assert message in str(err.value)


def test_a_client_key_that_does_not_match_its_certificate_is_refused(
    tmp_path: Path, pki: Any
) -> None:
    client_dir = pki.ca_cert.parent.parent
    with pytest.raises(KubeconfigError, match="tls: private key does not match public key"):
        load_kubeconfig(
            write(
                tmp_path / "kc",
                cluster={"server": "https://h"},
                user={
                    "client-certificate-data": b64(client_dir / "client.crt"),
                    "client-key-data": b64(pki.admin_key),
                },
            )
        )


def test_the_insecure_flag_and_a_ca_exclude_each_other(tmp_path: Path, pki: Any) -> None:
    with pytest.raises(KubeconfigError, match="with the insecure flag is not allowed"):
        load_kubeconfig(
            write(
                tmp_path / "kc",
                cluster={
                    "server": "https://h",
                    "insecure-skip-tls-verify": True,
                    "certificate-authority-data": b64(pki.ca_cert),
                },
            )
        )


def test_a_missing_or_malformed_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KubeconfigError, match="no such file or directory"):
        load_kubeconfig(tmp_path / "missing")
    (tmp_path / "bad").write_text("clusters: [\n  - name: x\n  cluster: {")
    with pytest.raises(KubeconfigError, match=r'error loading config file ".*bad": yaml: line'):
        load_kubeconfig(tmp_path / "bad")
    (tmp_path / "list").write_text("- a\n- b\n")
    with pytest.raises(KubeconfigError, match="error loading config file"):
        load_kubeconfig(tmp_path / "list")
