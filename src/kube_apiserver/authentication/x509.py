"""Client-certificate authentication (`--client-ca-file`), and the CA check it shares with the
front-proxy authenticator.

Python's TLS layer can ask for a client certificate only by verifying it, so the server trusts
every CA a client certificate may come from at once: the client CA and the request-header
(front proxy) CA. TLS then vouches only that the certificate chains to one of them and is good
for client auth (OpenSSL's "sslclient" purpose, Go's ExtKeyUsageClientAuth); which one is each
authenticator's business, as in Kubernetes where each keeps its own pool of roots. A `CABundle`
answers that for one CA file: the certificate must be directly issued by a certificate in the
file and be within its validity period now (a connection may outlive its certificate).
Certificates are checked once each and remembered by their DER bytes, since the front-proxy
authenticator asks on every request.

What follows is Kubernetes' CommonNameUserConversion: the subject CN is the user name, every O
value is a group, and the certificate's SHA-256 fingerprint identifies the credential in `extra`.
A certificate not issued by the client CA is an error, not "no credential", as Kubernetes
reports it: a later authenticator (a token) may still succeed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import NameOID

from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.user import CREDENTIAL_ID_KEY, UserInfo

UNKNOWN_AUTHORITY = "x509: certificate signed by unknown authority"
# Enough for every client certificate a busy server sees; past it the memory starts afresh.
_MAX_REMEMBERED = 4096


class CertificateError(Exception):
    """A certificate the CA bundle does not vouch for; the message is Go's crypto/x509 text."""


@dataclass(frozen=True, slots=True)
class _Checked:
    cert: x509.Certificate | None
    error: str  # why the CA does not vouch for it regardless of time; "" when it does
    issuer_expires: datetime.datetime | None = None


class CABundle:
    """The certificates of one CA file, as the roots client certificates are checked against."""

    def __init__(self, authorities: Sequence[x509.Certificate]) -> None:
        self._authorities = tuple(authorities)
        self._checked: dict[bytes, _Checked] = {}

    @classmethod
    def from_file(cls, path: str | Path) -> CABundle:
        return cls(x509.load_pem_x509_certificates(Path(path).read_bytes()))

    def verify(self, der: bytes, now: datetime.datetime | None = None) -> x509.Certificate:
        """The certificate, if one of the bundle's CAs issued it and it is valid now."""
        checked = self._checked.get(der)
        if checked is None:
            if len(self._checked) >= _MAX_REMEMBERED:
                self._checked.clear()
            checked = self._checked[der] = self._check(der)
        now = now or datetime.datetime.now(datetime.UTC)
        if checked.cert is None or checked.error:
            raise CertificateError(checked.error)
        if checked.issuer_expires is not None and now > checked.issuer_expires:
            raise CertificateError(UNKNOWN_AUTHORITY)
        _check_validity(checked.cert, now)
        return checked.cert

    def _check(self, der: bytes) -> _Checked:
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError:
            return _Checked(None, "x509: malformed certificate")
        now = datetime.datetime.now(datetime.UTC)
        for authority in self._authorities:
            # A CA past its validity issues nothing, as Go skips such a candidate root.
            if not authority.not_valid_before_utc <= now <= authority.not_valid_after_utc:
                continue
            try:
                cert.verify_directly_issued_by(authority)
            except (ValueError, TypeError, InvalidSignature):
                continue
            return _Checked(cert, "", authority.not_valid_after_utc)
        return _Checked(cert, UNKNOWN_AUTHORITY)


def _check_validity(cert: x509.Certificate, now: datetime.datetime) -> None:
    if now < cert.not_valid_before_utc:
        bound, relation = cert.not_valid_before_utc, "before"
    elif now > cert.not_valid_after_utc:
        bound, relation = cert.not_valid_after_utc, "after"
    else:
        return
    raise CertificateError(
        "x509: certificate has expired or is not yet valid: "
        f"current time {_rfc3339(now)} is {relation} {_rfc3339(bound)}"
    )


class X509Authenticator:
    def __init__(self, client_ca: CABundle) -> None:
        self._client_ca = client_ca

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        if not req.peer_cert_der:
            return None
        try:
            cert = self._client_ca.verify(req.peer_cert_der)
        except CertificateError as err:
            raise AuthenticationError(
                f"verifying certificate {certificate_identifier(req.peer_cert_der)} failed: {err}"
            ) from None
        common_name, organizations = subject_names(cert)
        # A certificate without a CN names nobody: Kubernetes treats it as no credential.
        if not common_name:
            return None
        fingerprint = hashlib.sha256(req.peer_cert_der).hexdigest()
        return UserInfo(
            name=common_name,
            groups=organizations,
            extra={CREDENTIAL_ID_KEY: ("X509SHA256=" + fingerprint,)},
        )


def subject_names(cert: x509.Certificate) -> tuple[str, tuple[str, ...]]:
    """The CN and the O values of a certificate subject, read the way Go's pkix.Name is filled.

    Go keeps the last CN it meets and every O in order, across multi-valued RDNs too.
    """
    common_name = ""
    organizations: list[str] = []
    for rdn in cert.subject.rdns:
        for attribute in rdn:
            if not isinstance(attribute.value, str):
                continue
            if attribute.oid == NameOID.COMMON_NAME:
                common_name = attribute.value
            elif attribute.oid == NameOID.ORGANIZATION_NAME:
                organizations.append(attribute.value)
    return common_name, tuple(organizations)


def certificate_identifier(der: bytes) -> str:
    """How Kubernetes names a certificate in its logs: serial number and key identifiers."""
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return "SN=, SKID=, AKID="
    return (
        f"SN={cert.serial_number}, SKID={_key_id(cert, x509.SubjectKeyIdentifier)}, "
        f"AKID={_key_id(cert, x509.AuthorityKeyIdentifier)}"
    )


def _key_id(
    cert: x509.Certificate,
    kind: type[x509.SubjectKeyIdentifier] | type[x509.AuthorityKeyIdentifier],
) -> str:
    try:
        value = cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return ""
    digest = value.digest if isinstance(value, x509.SubjectKeyIdentifier) else value.key_identifier
    return ":".join(f"{byte:02X}" for byte in digest or b"")


def _rfc3339(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
