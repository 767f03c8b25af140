"""The server's embedded PKI: a private CA, the serving certificate, the admin client certificate
and a kubeconfig that lets kubectl in as cluster admin with no setup.

Layout and names follow kubeadm so that everything looks familiar: under `<data_dir>/pki/` a CA
(`ca.crt`/`ca.key`, CN "kubernetes"), the serving pair (`apiserver.crt`/`apiserver.key`, CN
"kube-apiserver", SANs for localhost, the in-cluster `kubernetes.default...` names and the first
service IP 10.0.0.1) and the admin pair (`admin.crt`/`admin.key`, CN "kubernetes-admin" in
`system:masters`), and `<data_dir>/admin.kubeconfig` with all of it embedded.

Keys are ECDSA P-256: quick to generate at first start and accepted everywhere. Certificates carry
the extensions Go's crypto/x509 (kubectl, client-go) and OpenSSL (Python's ssl) look at: basic
constraints, key usage, extended key usage, subject and authority key identifiers.

`ensure_pki` is idempotent: it reuses what is on disk and only replaces what is missing, expired,
not issued by the current CA, or (for the serving certificate) missing a required name, so a
restart keeps every kubeconfig handed out so far working. The kubeconfig is rewritten only when
its content would change (a new server URL, a reissued admin certificate).
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "kubernetes"
SERVING_NAME = "kube-apiserver"
ADMIN_NAME = "kubernetes-admin"
ADMIN_GROUP = "system:masters"
CLUSTER_NAME = "kubernetes"

# The names in-cluster clients and local users reach the API server by; 10.0.0.1 is the first
# address of the default service range 10.0.0.0/24, the IP of the `kubernetes` Service.
DEFAULT_SANS = (
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
    "127.0.0.1",
    "::1",
    "10.0.0.1",
)

CA_VALIDITY = datetime.timedelta(days=3650)
LEAF_VALIDITY = datetime.timedelta(days=365)
# Certificates start a little in the past so a client whose clock lags still accepts them.
CLOCK_SKEW = datetime.timedelta(minutes=5)

_Key = ec.EllipticCurvePrivateKey
_IssuerKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
_SanName = x509.DNSName | x509.IPAddress


@dataclass(frozen=True)
class PKI:
    ca_cert: Path
    ca_key: Path
    serving_cert: Path
    serving_key: Path
    admin_cert: Path
    admin_key: Path
    kubeconfig: Path


def ensure_pki(
    data_dir: Path, *, server_url: str = "https://127.0.0.1:6443", extra_sans: Sequence[str] = ()
) -> PKI:
    """Create (or reuse) the CA, serving and admin certificates and the admin kubeconfig."""
    pki_dir = Path(data_dir) / "pki"
    pki_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    pki = PKI(
        ca_cert=pki_dir / "ca.crt",
        ca_key=pki_dir / "ca.key",
        serving_cert=pki_dir / "apiserver.crt",
        serving_key=pki_dir / "apiserver.key",
        admin_cert=pki_dir / "admin.crt",
        admin_key=pki_dir / "admin.key",
        kubeconfig=Path(data_dir) / "admin.kubeconfig",
    )
    now = _now()

    ca = _load_pair(pki.ca_cert, pki.ca_key)
    # Without its key (or past its end) the CA can sign nothing: start a new one.
    if ca is None or ca[0].not_valid_after_utc <= now:
        ca = _new_ca(now)
        _write_pair(pki.ca_cert, pki.ca_key, *ca)

    sans = _serving_names(server_url, extra_sans)
    serving = _load_pair(pki.serving_cert, pki.serving_key)
    if (
        serving is None
        or not _usable(serving[0], ca[0], now)
        or not _names(serving[0]) >= set(sans)
    ):
        serving = _issue(ca, now, subject=_name(SERVING_NAME), server_names=sans)
        _write_pair(pki.serving_cert, pki.serving_key, *serving)

    admin = _load_pair(pki.admin_cert, pki.admin_key)
    if admin is None or not _usable(admin[0], ca[0], now):
        admin = _issue(ca, now, subject=_name(ADMIN_NAME, [ADMIN_GROUP]))
        _write_pair(pki.admin_cert, pki.admin_key, *admin)

    write_kubeconfig(
        pki.kubeconfig,
        server_url=server_url,
        ca_pem=_cert_pem(ca[0]),
        cert_pem=_cert_pem(admin[0]),
        key_pem=_key_pem(admin[1]),
    )
    return pki


def issue_client_cert(
    pki: PKI, common_name: str, organizations: Sequence[str] = ()
) -> tuple[bytes, bytes]:
    """A new client certificate (PEM) and key (PEM) for user `common_name` in `organizations`."""
    ca = _load_pair(pki.ca_cert, pki.ca_key)
    if ca is None:
        raise FileNotFoundError(f"no CA certificate and key at {pki.ca_cert}, {pki.ca_key}")
    cert, key = _issue(ca, _now(), subject=_name(common_name, organizations))
    return _cert_pem(cert), _key_pem(key)


def new_ca(
    common_name: str,
    *,
    validity: datetime.timedelta = CA_VALIDITY,
    key: _IssuerKey | None = None,
) -> tuple[x509.Certificate, _IssuerKey]:
    """A self-signed CA other than the server's own (a front proxy's, a test's), made as the
    server's is; with a new ECDSA key unless given `key`."""
    return _new_ca(_now(), common_name, validity=validity, key=key)


def issue_cert(
    ca: tuple[x509.Certificate, _IssuerKey],
    subject: x509.Name,
    *,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
) -> tuple[x509.Certificate, _Key]:
    """A client certificate for `subject` signed by `ca`, valid as the server's own are unless
    given `not_before` and `not_after`."""
    return _issue(ca, _now(), subject=subject, not_before=not_before, not_after=not_after)


def write_kubeconfig(
    path: Path,
    *,
    server_url: str,
    ca_pem: bytes,
    cert_pem: bytes,
    key_pem: bytes,
    user: str = "admin",
) -> None:
    """Write a single-cluster kubeconfig with every credential embedded; untouched if unchanged."""
    context = f"{user}@{CLUSTER_NAME}"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": CLUSTER_NAME,
                "cluster": {"certificate-authority-data": _b64(ca_pem), "server": server_url},
            }
        ],
        "contexts": [{"name": context, "context": {"cluster": CLUSTER_NAME, "user": user}}],
        "current-context": context,
        "preferences": {},
        "users": [
            {
                "name": user,
                "user": {
                    "client-certificate-data": _b64(cert_pem),
                    "client-key-data": _b64(key_pem),
                },
            }
        ],
    }
    content = yaml.safe_dump(config, sort_keys=False).encode()
    path = Path(path)
    if path.exists() and path.read_bytes() == content:
        return
    _write_file(path, content, mode=0o600)


def _new_ca(
    now: datetime.datetime,
    common_name: str = CA_NAME,
    *,
    validity: datetime.timedelta = CA_VALIDITY,
    key: _IssuerKey | None = None,
) -> tuple[x509.Certificate, _IssuerKey]:
    key = key or ec.generate_private_key(ec.SECP256R1())
    subject = _name(common_name)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + validity)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _issue(
    ca: tuple[x509.Certificate, _IssuerKey],
    now: datetime.datetime,
    *,
    subject: x509.Name,
    server_names: Sequence[str] = (),
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
) -> tuple[x509.Certificate, _Key]:
    """A leaf signed by `ca`: a serving certificate when given names, else a client certificate."""
    ca_cert, ca_key = ca
    key = ec.generate_private_key(ec.SECP256R1())
    usage = ExtendedKeyUsageOID.SERVER_AUTH if server_names else ExtendedKeyUsageOID.CLIENT_AUTH
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - CLOCK_SKEW)
        # A leaf cannot outlive its CA.
        .not_valid_after(not_after or min(now + LEAF_VALIDITY, ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
    )
    if server_names:
        sans = x509.SubjectAlternativeName([_san(name) for name in server_names])
        builder = builder.add_extension(sans, critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    # ECDSA keys sign (TLS handshakes, certificates); they never encipher keys.
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _name(common_name: str, organizations: Sequence[str] = ()) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org) for org in organizations]
    return x509.Name([*attributes, x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _serving_names(server_url: str, extra_sans: Sequence[str]) -> list[str]:
    """The serving certificate's SANs: the defaults, the server URL's host, then the extras."""
    names = list(DEFAULT_SANS)
    host = urlsplit(server_url).hostname
    for name in [*([host] if host else []), *extra_sans]:
        if _canonical(name) not in {_canonical(known) for known in names}:
            names.append(name)
    return names


def _canonical(name: str) -> str:
    """One spelling per name, so "::1" and "0:0::1" or "LOCALHOST" and "localhost" match."""
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name.lower()


def _san(name: str) -> _SanName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _names(cert: x509.Certificate) -> set[str]:
    """The certificate's SANs in canonical spelling."""
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    dns = sans.get_values_for_type(x509.DNSName)
    ips = sans.get_values_for_type(x509.IPAddress)
    return {_canonical(name) for name in [*dns, *(str(ip) for ip in ips)]}


def _usable(cert: x509.Certificate, ca_cert: x509.Certificate, now: datetime.datetime) -> bool:
    """Whether a leaf on disk is still current and signed by the CA now in use."""
    if cert.not_valid_after_utc <= now:
        return False
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _load_pair(cert_path: Path, key_path: Path) -> tuple[x509.Certificate, _Key] | None:
    """A certificate and its key from disk; None if either is missing or they do not belong together."""
    if not cert_path.exists() or not key_path.exists():
        return None
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or cert.public_key() != key.public_key():
        return None
    return cert, key


def _write_pair(cert_path: Path, key_path: Path, cert: x509.Certificate, key: _IssuerKey) -> None:
    _write_file(key_path, _key_pem(key), mode=0o600)
    _write_file(cert_path, _cert_pem(cert), mode=0o644)


def _write_file(path: Path, content: bytes, *, mode: int) -> None:
    """Write atomically (temp file, then rename) so a crash never leaves half a key behind."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: _IssuerKey) -> bytes:
    # "EC PRIVATE KEY" PEM, as kubeadm writes ECDSA keys.
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)
