"""Keys, certificate authorities and client certificates minted for tests.

Made by the server's own code (`server/certs.py`: ECDSA P-256, the extensions OpenSSL and Go
look at), with the knobs the tests need: any subject, any validity window, any issuer.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from kube_apiserver.server import certs

# A test CA lives a day, so that a test can look past its end.
CA_VALIDITY = datetime.timedelta(days=1)


def pem_private(
    key: Any, fmt: serialization.PrivateFormat = serialization.PrivateFormat.PKCS8
) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())


def pem_public(key: Any) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass(frozen=True)
class Pair:
    cert: x509.Certificate
    key: Any  # an ECDSA or RSA private key

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return pem_private(self.key, serialization.PrivateFormat.TraditionalOpenSSL)

    def write(self, directory: Path, name: str) -> tuple[Path, Path]:
        """The certificate and key as `<name>.crt` and `<name>.key` files."""
        cert, key = directory / f"{name}.crt", directory / f"{name}.key"
        cert.write_bytes(self.cert_pem)
        key.write_bytes(self.key_pem)
        return cert, key


def name(common_name: str | None, organizations: Sequence[str] = ()) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org) for org in organizations]
    if common_name is not None:
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def new_ca(common_name: str, key: Any = None) -> Pair:
    """A self-signed CA certificate, for a new ECDSA key unless given `key`."""
    return Pair(*certs.new_ca(common_name, validity=CA_VALIDITY, key=key))


def load_ca(pki_dir: Path) -> Pair:
    """A server's own CA (`ca.crt` and `ca.key` in its `pki` directory), to issue with."""
    return Pair(
        x509.load_pem_x509_certificate((pki_dir / "ca.crt").read_bytes()),
        serialization.load_pem_private_key((pki_dir / "ca.key").read_bytes(), password=None),
    )


def issue(
    ca: Pair,
    common_name: str | None,
    organizations: Sequence[str] = (),
    *,
    subject: x509.Name | None = None,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
) -> Pair:
    """A client certificate signed by `ca`, valid as the server's own are unless told."""
    cert, key = certs.issue_cert(
        (ca.cert, ca.key),
        subject or name(common_name, organizations),
        not_before=not_before,
        not_after=not_after,
    )
    return Pair(cert, key)
