"""The service account issuer's keys: the signing key, the verification keys, their ids and JWKs.

Kubernetes reads keys from PEM files (`--service-account-signing-key-file`, and any number of
`--service-account-key-file`s, each holding any number of PEM blocks). A verification key file may
hold public keys, private keys (their public half is used) or certificates; blocks that are no
RSA or ECDSA key are skipped, and a file with none is an error. When no signing key is given this
server makes one, as kubeadm does (`<data-dir>/pki/sa.key`, RSA 2048), and keeps it across
restarts so tokens it issued stay valid.

A key's id (`kid`) is Kubernetes' own: the unpadded base64url SHA-256 of the public key's DER
(SubjectPublicKeyInfo). It travels in each token's header and in the JWKS, so relying parties pick
the right key and the id reveals nothing of the key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kube_apiserver.server import certs

log = logging.getLogger(__name__)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKeyType = rsa.RSAPublicKey | ec.EllipticCurvePublicKey

GENERATED_KEY = "sa.key"  # under <data-dir>/pki/, as kubeadm names it
GENERATED_KEY_BITS = 2048

# The JWS algorithm tokens are signed with, by curve (RSA keys always sign RS256).
_EC_ALGORITHMS = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
_EC_JWK_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
# What a signature made with a key may claim as its algorithm: go-jose verifies any RSA
# algorithm with an RSA key, and an ECDSA key only with its curve's.
_RSA_ACCEPTED = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")

_PEM_BLOCK = re.compile(rb"-----BEGIN ([^-\r\n]+)-----(.*?)-----END \1-----", re.DOTALL)


@dataclass(frozen=True)
class PublicKey:
    """A verification key with what tokens and the JWKS say of it."""

    key: PublicKeyType
    kid: str
    alg: str  # the algorithm this key signs with, as the JWKS advertises it
    accepted: tuple[str, ...]  # algorithms a token verified with it may name


def public_key(key: PublicKeyType | PrivateKey) -> PublicKey:
    """The verification key of a public key, or of a private key's public half."""
    if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        key = key.public_key()
    alg = algorithm(key)
    accepted = _RSA_ACCEPTED if isinstance(key, rsa.RSAPublicKey) else (alg,)
    return PublicKey(key, key_id(key), alg, accepted)


def key_id(key: PublicKeyType) -> str:
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()


def algorithm(key: PublicKeyType) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256"
    alg = _EC_ALGORITHMS.get(key.curve.name)
    if alg is None:
        raise ValueError("unknown private key curve, must be 256, 384, or 521")
    return alg


def load_signing_key(path: Path) -> PrivateKey:
    """The first RSA or ECDSA private key of a PEM file; ValueError with Kubernetes' words if none."""
    for der in _pem_blocks(path.read_bytes()):
        key = _private_key(der)
        if key is not None:
            return key
    raise ValueError(
        "failed to parse service-account-issuer-key-file: "
        "data does not contain a valid RSA or ECDSA private key"
    )


def ensure_signing_key(data_dir: Path) -> PrivateKey:
    """The signing key kept in the data dir, made (once) when there is none."""
    path = data_dir / "pki" / GENERATED_KEY
    if path.exists():
        return load_signing_key(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = rsa.generate_private_key(public_exponent=65537, key_size=GENERATED_KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    certs._write_file(path, pem, mode=0o600)  # atomic, as the CA's key is written
    log.info("generated the service account signing key %s", path)
    return key


def load_public_keys(path: Path) -> list[PublicKey]:
    """Every RSA or ECDSA key of a PEM file (public, private or in a certificate), in order."""
    keys = []
    for der in _pem_blocks(path.read_bytes()):
        key = _private_key(der) or _public_key(der)
        if key is not None:
            keys.append(public_key(key))
    if not keys:
        raise ValueError(
            f'failed to parse key file "{path}": '
            "data does not contain any valid RSA or ECDSA public keys"
        )
    return keys


def jwk(key: PublicKey) -> dict[str, Any]:
    """The key as a public JWK, its members in the order go-jose writes them."""
    if isinstance(key.key, rsa.RSAPublicKey):
        numbers = key.key.public_numbers()
        return {
            "use": "sig",
            "kty": "RSA",
            "kid": key.kid,
            "alg": key.alg,
            "n": _b64(numbers.n),
            "e": _b64(numbers.e),
        }
    size = (key.key.curve.key_size + 7) // 8
    point = key.key.public_numbers()
    return {
        "use": "sig",
        "kty": "EC",
        "kid": key.kid,
        "crv": _EC_JWK_CURVES[key.key.curve.name],
        "alg": key.alg,
        "x": _b64(point.x, size),
        "y": _b64(point.y, size),
    }


def _b64(number: int, size: int = 0) -> str:
    raw = number.to_bytes(max(size, (number.bit_length() + 7) // 8), "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _pem_blocks(data: bytes) -> list[bytes]:
    """The DER content of each PEM block; encrypted blocks (with headers) and bad base64 skipped."""
    out = []
    for match in _PEM_BLOCK.finditer(data):
        body = match.group(2)
        if b":" in body:
            continue
        try:
            out.append(base64.b64decode(b"".join(body.split()), validate=True))
        except (binascii.Error, ValueError):
            continue
    return out


def _private_key(der: bytes) -> PrivateKey | None:
    try:
        key = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) else None


def _public_key(der: bytes) -> PublicKeyType | None:
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, TypeError):
        try:
            key = x509.load_der_x509_certificate(der).public_key()
        except ValueError:
            return None
    return key if isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey) else None
