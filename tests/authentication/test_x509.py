from __future__ import annotations

import asyncio
import hashlib
import ssl
from pathlib import Path

from kube_apiserver.authentication.interface import AuthRequest
from kube_apiserver.authentication.user import CREDENTIAL_ID_KEY, UserInfo
from kube_apiserver.authentication.x509 import X509Authenticator
from kube_apiserver.server.certs import ensure_pki, issue_client_cert


def handshake(server: ssl.SSLContext, client: ssl.SSLContext) -> ssl.SSLObject:
    """Run a TLS handshake in memory and return the server's end of it."""
    to_server, to_client = ssl.MemoryBIO(), ssl.MemoryBIO()
    server_end = server.wrap_bio(to_server, to_client, server_side=True)
    client_to_server, server_to_client = ssl.MemoryBIO(), ssl.MemoryBIO()
    client_end = client.wrap_bio(server_to_client, client_to_server, server_hostname="localhost")
    done = {"client": False, "server": False}
    while not all(done.values()):
        for name, end in (("client", client_end), ("server", server_end)):
            if not done[name]:
                try:
                    end.do_handshake()
                    done[name] = True
                except ssl.SSLWantReadError:
                    pass
        to_server.write(client_to_server.read())
        server_to_client.write(to_client.read())
    return server_end


def authenticate_over_tls(
    tmp_path: Path, cert_pem: bytes | None, key_pem: bytes | None
) -> UserInfo | None:
    pki = ensure_pki(tmp_path)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(pki.serving_cert, pki.serving_key)
    server.load_verify_locations(pki.ca_cert)
    server.verify_mode = ssl.CERT_OPTIONAL
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.load_verify_locations(pki.ca_cert)
    if cert_pem and key_pem:
        (tmp_path / "client.crt").write_bytes(cert_pem)
        (tmp_path / "client.key").write_bytes(key_pem)
        client.load_cert_chain(tmp_path / "client.crt", tmp_path / "client.key")
    conn = handshake(server, client)
    req = AuthRequest(
        headers={}, peer_cert=conn.getpeercert(), peer_cert_der=conn.getpeercert(binary_form=True)
    )
    return asyncio.run(X509Authenticator().authenticate(req))


def test_a_verified_client_certificate_names_the_user_and_its_groups(tmp_path: Path) -> None:
    cert_pem, key_pem = issue_client_cert(ensure_pki(tmp_path), "alice", ["dev", "ops"])
    user = authenticate_over_tls(tmp_path, cert_pem, key_pem)
    assert user is not None
    assert (user.name, user.uid, user.groups) == ("alice", "", ("dev", "ops"))


def test_the_credential_id_is_the_sha256_of_the_certificate(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path)
    user = authenticate_over_tls(tmp_path, pki.admin_cert.read_bytes(), pki.admin_key.read_bytes())
    der = ssl.PEM_cert_to_DER_cert(pki.admin_cert.read_text())
    assert user is not None
    assert user.extra == {CREDENTIAL_ID_KEY: ("X509SHA256=" + hashlib.sha256(der).hexdigest(),)}
    assert user.groups == ("system:masters",)


def test_a_connection_without_a_client_certificate_carries_no_credential(tmp_path: Path) -> None:
    assert authenticate_over_tls(tmp_path, None, None) is None


def test_no_peer_certificate_or_an_unverified_empty_one_is_no_credential() -> None:
    assert asyncio.run(X509Authenticator().authenticate(AuthRequest(headers={}))) is None
    assert (
        asyncio.run(X509Authenticator().authenticate(AuthRequest(headers={}, peer_cert={}))) is None
    )


def test_a_certificate_without_a_common_name_is_no_credential() -> None:
    cert = {"subject": ((("organizationName", "dev"),),)}
    assert (
        asyncio.run(X509Authenticator().authenticate(AuthRequest(headers={}, peer_cert=cert)))
        is None
    )


def test_groups_come_from_every_organization_in_order_and_the_last_cn_wins() -> None:
    cert = {
        "subject": (
            (("organizationName", "b"), ("organizationName", "a")),
            (("commonName", "first"),),
            (("organizationalUnitName", "not-a-group"),),
            (("organizationName", "c"),),
            (("commonName", "bob"),),
        )
    }
    user = asyncio.run(X509Authenticator().authenticate(AuthRequest(headers={}, peer_cert=cert)))
    assert user == UserInfo(name="bob", groups=("b", "a", "c"))
