from __future__ import annotations

import asyncio
import datetime
import hashlib
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from client_certs import Pair, issue, new_ca
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.user import CREDENTIAL_ID_KEY, UserInfo
from kube_apiserver.authentication.x509 import CABundle, X509Authenticator
from kube_apiserver.server import serve
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


def client_context(ca_cert: Path, files: tuple[Path, Path] | None) -> ssl.SSLContext:
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.load_verify_locations(ca_cert)
    if files is not None:
        client.load_cert_chain(*files)
    return client


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
    return asyncio.run(X509Authenticator(CABundle.from_file(pki.ca_cert)).authenticate(req))


def authenticate(ca: Pair | list[Pair], der: bytes) -> UserInfo | None:
    bundle = CABundle([c.cert for c in (ca if isinstance(ca, list) else [ca])])
    return asyncio.run(X509Authenticator(bundle).authenticate(AuthRequest({}, peer_cert_der=der)))


def refusal(ca: Pair | list[Pair], der: bytes) -> str:
    with pytest.raises(AuthenticationError) as err:
        authenticate(ca, der)
    return err.value.reason


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


def test_no_peer_certificate_is_no_credential() -> None:
    authenticator = X509Authenticator(CABundle([new_ca("ca").cert]))
    assert asyncio.run(authenticator.authenticate(AuthRequest(headers={}))) is None
    assert asyncio.run(authenticator.authenticate(AuthRequest({}, {}, b""))) is None


def test_a_certificate_without_a_common_name_is_no_credential() -> None:
    ca = new_ca("ca")
    assert authenticate(ca, issue(ca, None, ["dev"]).der) is None


def test_groups_come_from_every_organization_in_order_and_the_last_cn_wins() -> None:
    ca = new_ca("ca")
    subject = x509.Name(
        [
            x509.RelativeDistinguishedName(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "b"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "a"),
                ]
            ),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COMMON_NAME, "first")]),
            x509.RelativeDistinguishedName(
                [x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "not-a-group")]
            ),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "c")]),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COMMON_NAME, "bob")]),
        ]
    )
    user = authenticate(ca, issue(ca, None, subject=subject).der)
    assert user is not None
    # A multi-valued RDN is a DER SET: its values come in encoding order, as Go reads them.
    assert (user.name, sorted(user.groups[:2]), user.groups[2]) == ("bob", ["a", "b"], "c")


def test_a_certificate_from_another_ca_is_refused_even_under_the_same_ca_name() -> None:
    # Both CAs are called "kubernetes", as every server's generated CA is: only the signature
    # tells them apart.
    client_ca, other_ca = new_ca("kubernetes"), new_ca("kubernetes")
    cert = issue(other_ca, "mallory", ["system:masters"])
    skid = cert.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    akid = other_ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert refusal(client_ca, cert.der) == (
        f"verifying certificate SN={cert.cert.serial_number}, "
        f"SKID={skid.digest.hex(':').upper()}, AKID={akid.digest.hex(':').upper()} "
        "failed: x509: certificate signed by unknown authority"
    )
    assert authenticate(other_ca, cert.der) is not None


def test_a_certificate_from_any_ca_of_the_bundle_is_accepted() -> None:
    first, second = new_ca("first"), new_ca("second")
    user = authenticate([first, second], issue(second, "carol", ["qa"]).der)
    assert user is not None and (user.name, user.groups) == ("carol", ("qa",))


def test_an_expired_or_not_yet_valid_certificate_is_refused() -> None:
    ca = new_ca("ca")
    now = datetime.datetime.now(datetime.UTC)
    expired = issue(
        ca,
        "alice",
        not_before=now - datetime.timedelta(hours=2),
        not_after=now - datetime.timedelta(seconds=2),
    )
    assert "x509: certificate has expired or is not yet valid: current time " in refusal(
        ca, expired.der
    )
    assert refusal(ca, expired.der).endswith(
        " is after " + expired.cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    future = issue(ca, "alice", not_before=now + datetime.timedelta(minutes=5))
    assert " is before " in refusal(ca, future.der)


def test_a_ca_past_its_validity_vouches_for_nothing() -> None:
    ca = new_ca("ca")
    cert = issue(ca, "alice")
    bundle = CABundle([ca.cert])
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)
    assert bundle.verify(cert.der).subject == cert.cert.subject
    with pytest.raises(Exception, match="signed by unknown authority"):
        bundle.verify(cert.der, now=later)


def test_a_malformed_certificate_is_refused() -> None:
    assert refusal(new_ca("ca"), b"\x30\x03junk").endswith("x509: malformed certificate")


def test_the_tls_layer_trusts_the_client_ca_and_the_request_header_ca(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path)
    proxy_ca, stranger_ca = new_ca("front-proxy-ca"), new_ca("stranger")
    proxy_ca_file = proxy_ca.write(tmp_path, "front-proxy-ca")[0]
    config = serve.make_config(
        None,
        host="127.0.0.1",
        port=0,
        cert_file=pki.serving_cert,
        key_file=pki.serving_key,
        client_ca_file=pki.ca_cert,
        requestheader_client_ca_file=proxy_ca_file,
    )
    assert config.ssl is not None and config.ssl.verify_mode == ssl.CERT_OPTIONAL
    proxy = issue(proxy_ca, "front-proxy-client").write(tmp_path, "proxy")
    for files in ((pki.admin_cert, pki.admin_key), proxy, None):
        conn = handshake(config.ssl, client_context(pki.ca_cert, files))
        assert bool(conn.getpeercert()) == (files is not None)
    stranger = issue(stranger_ca, "x").write(tmp_path, "stranger")
    with pytest.raises(ssl.SSLError):
        handshake(config.ssl, client_context(pki.ca_cert, stranger))
