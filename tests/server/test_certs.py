from __future__ import annotations

import base64
import datetime
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kube_apiserver.server.certs import PKI, ensure_pki, issue_client_cert, write_kubeconfig


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def pki_bytes(pki: PKI) -> dict[str, bytes]:
    return {
        name: getattr(pki, name).read_bytes()
        for name in ("ca_cert", "ca_key", "serving_cert", "serving_key", "admin_cert", "admin_key")
    }


def sans(cert: x509.Certificate) -> tuple[list[str], list[str]]:
    ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return ext.get_values_for_type(x509.DNSName), [
        str(ip) for ip in ext.get_values_for_type(x509.IPAddress)
    ]


def eku(cert: x509.Certificate) -> list[x509.ObjectIdentifier]:
    return list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


def test_first_call_creates_the_files_under_the_data_dir(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path)
    assert pki.ca_cert == tmp_path / "pki" / "ca.crt"
    assert pki.kubeconfig == tmp_path / "admin.kubeconfig"
    for path in pki_bytes(pki):
        assert getattr(pki, path).is_file()


def test_private_keys_and_the_kubeconfig_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path)
    for path in (pki.ca_key, pki.serving_key, pki.admin_key, pki.kubeconfig):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_ca_is_a_self_signed_ten_year_ca_named_kubernetes(tmp_path: Path) -> None:
    ca = load(ensure_pki(tmp_path).ca_cert)
    assert ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "kubernetes"
    ca.verify_directly_issued_by(ca)
    constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.digital_signature
    lifetime = ca.not_valid_after_utc - ca.not_valid_before_utc
    assert datetime.timedelta(days=3649) < lifetime < datetime.timedelta(days=3651)


def test_leaf_certificates_chain_to_the_ca_and_last_a_year(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path)
    ca = load(pki.ca_cert)
    ca_ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    for path in (pki.serving_cert, pki.admin_cert):
        cert = load(path)
        cert.verify_directly_issued_by(ca)
        aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
        assert aki.key_identifier == ca_ski
        assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
        lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
        assert datetime.timedelta(days=364) < lifetime < datetime.timedelta(days=366)


def test_the_serving_certificate_names_the_api_server_for_local_and_in_cluster_clients(
    tmp_path: Path,
) -> None:
    cert = load(ensure_pki(tmp_path).serving_cert)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "kube-apiserver"
    dns, ips = sans(cert)
    assert dns == [
        "localhost",
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
    ]
    assert ips == ["127.0.0.1", "::1", "10.0.0.1"]
    assert eku(cert) == [ExtendedKeyUsageOID.SERVER_AUTH]


def test_extra_sans_and_the_server_url_host_are_added_with_ips_recognised(tmp_path: Path) -> None:
    pki = ensure_pki(
        tmp_path,
        server_url="https://api.example.test:6443",
        extra_sans=["192.168.1.5", "node1", "fd00::1"],
    )
    dns, ips = sans(load(pki.serving_cert))
    assert "api.example.test" in dns and "node1" in dns
    assert "192.168.1.5" in ips and "fd00::1" in ips
    assert "192.168.1.5" not in dns


def test_the_admin_certificate_is_kubernetes_admin_in_system_masters_for_client_auth(
    tmp_path: Path,
) -> None:
    cert = load(ensure_pki(tmp_path).admin_cert)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "kubernetes-admin"
    assert [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == [
        "system:masters"
    ]
    assert eku(cert) == [ExtendedKeyUsageOID.CLIENT_AUTH]


def test_the_kubeconfig_embeds_the_ca_and_admin_credentials(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path, server_url="https://127.0.0.1:7443")
    config = yaml.safe_load(pki.kubeconfig.read_text())
    assert config["apiVersion"] == "v1" and config["kind"] == "Config"
    (cluster,) = config["clusters"]
    (context,) = config["contexts"]
    (user,) = config["users"]
    assert cluster["cluster"]["server"] == "https://127.0.0.1:7443"
    assert (
        base64.b64decode(cluster["cluster"]["certificate-authority-data"])
        == pki.ca_cert.read_bytes()
    )
    assert user["name"] == "admin"
    assert base64.b64decode(user["user"]["client-certificate-data"]) == pki.admin_cert.read_bytes()
    assert base64.b64decode(user["user"]["client-key-data"]) == pki.admin_key.read_bytes()
    assert context["context"] == {"cluster": cluster["name"], "user": "admin"}
    assert config["current-context"] == context["name"]


def test_a_second_call_reuses_every_file(tmp_path: Path) -> None:
    first = ensure_pki(tmp_path)
    before = pki_bytes(first)
    kubeconfig_mtime = first.kubeconfig.stat().st_mtime_ns
    second = ensure_pki(tmp_path)
    assert second == first
    assert pki_bytes(second) == before
    assert second.kubeconfig.stat().st_mtime_ns == kubeconfig_mtime


def test_a_new_server_url_rewrites_only_the_kubeconfig(tmp_path: Path) -> None:
    before = pki_bytes(ensure_pki(tmp_path))
    pki = ensure_pki(tmp_path, server_url="https://localhost:7443")
    assert pki_bytes(pki) == before
    assert (
        yaml.safe_load(pki.kubeconfig.read_text())["clusters"][0]["cluster"]["server"]
        == "https://localhost:7443"
    )


def test_a_name_missing_from_the_serving_certificate_reissues_it_under_the_same_ca(
    tmp_path: Path,
) -> None:
    before = pki_bytes(ensure_pki(tmp_path))
    pki = ensure_pki(tmp_path, extra_sans=["10.1.2.3"])
    after = pki_bytes(pki)
    assert after["serving_cert"] != before["serving_cert"]
    assert {k: after[k] for k in ("ca_cert", "ca_key", "admin_cert")} == {
        k: before[k] for k in ("ca_cert", "ca_key", "admin_cert")
    }
    assert "10.1.2.3" in sans(load(pki.serving_cert))[1]


def test_a_lost_ca_key_replaces_the_ca_and_reissues_the_leaves(tmp_path: Path) -> None:
    before = pki_bytes(ensure_pki(tmp_path))
    (tmp_path / "pki" / "ca.key").unlink()
    pki = ensure_pki(tmp_path)
    after = pki_bytes(pki)
    assert after["ca_cert"] != before["ca_cert"]
    assert after["serving_cert"] != before["serving_cert"]
    assert after["admin_cert"] != before["admin_cert"]
    load(pki.admin_cert).verify_directly_issued_by(load(pki.ca_cert))


def test_issue_client_cert_makes_a_client_certificate_for_any_user(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path)
    cert_pem, key_pem = issue_client_cert(pki, "alice", ["dev", "ops"])
    cert = x509.load_pem_x509_certificate(cert_pem)
    cert.verify_directly_issued_by(load(pki.ca_cert))
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "alice"
    assert [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == [
        "dev",
        "ops",
    ]
    assert eku(cert) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert key_pem.startswith(b"-----BEGIN EC PRIVATE KEY-----")


def test_write_kubeconfig_names_the_user_it_is_given(tmp_path: Path) -> None:
    path = tmp_path / "alice.kubeconfig"
    write_kubeconfig(
        path,
        server_url="https://127.0.0.1:6443",
        ca_pem=b"ca",
        cert_pem=b"cert",
        key_pem=b"key",
        user="alice",
    )
    config = yaml.safe_load(path.read_text())
    assert config["users"] == [
        {
            "name": "alice",
            "user": {"client-certificate-data": "Y2VydA==", "client-key-data": "a2V5"},
        }
    ]
    assert config["contexts"][0]["context"]["user"] == "alice"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_openssl_accepts_the_serving_and_admin_certificates_for_their_purposes(
    tmp_path: Path,
) -> None:
    pki = ensure_pki(tmp_path)
    for purpose, cert in (("sslserver", pki.serving_cert), ("sslclient", pki.admin_cert)):
        result = subprocess.run(
            ["openssl", "verify", "-CAfile", str(pki.ca_cert), "-purpose", purpose, str(cert)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run(
        [
            "openssl",
            "verify",
            "-CAfile",
            str(pki.ca_cert),
            "-purpose",
            "sslclient",
            str(pki.serving_cert),
        ],
        capture_output=True,
        check=False,
    )
    assert result.returncode != 0
