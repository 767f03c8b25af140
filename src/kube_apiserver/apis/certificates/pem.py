"""PEM blocks, certificate requests and certificates, read as Go's encoding/pem and crypto/x509 do.

A CSR's `spec.request` must hold a "CERTIFICATE REQUEST" block whose signature verifies; an
issued `status.certificate` is one or more "CERTIFICATE" blocks without headers. The errors are
the texts Go's packages give, since Kubernetes puts them in its field errors verbatim (parse
failures of the DER itself are reported with Go's generic "malformed" text).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

_BLOCK = re.compile(
    rb"(?:^|\n)-----BEGIN ([^\n]*?)-----[ \t]*\r?\n((?:.*?\n)?)-----END \1-----[ \t]*(?:\r?\n|$)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Block:
    type: str
    headers: dict[str, str]
    data: bytes


def field_bytes(value: Any) -> bytes:
    """A `[]byte` field as decoded JSON holds it: base64 text, or a list of byte values."""
    if isinstance(value, list):
        return bytes(v for v in value if isinstance(v, int) and 0 <= v <= 255)
    if isinstance(value, str):
        try:
            return base64.b64decode(value)
        except (binascii.Error, ValueError):
            return b""
    return b""


def decode(data: bytes) -> tuple[Block | None, bytes]:
    """The first well-formed PEM block in `data` and what follows it (pem.Decode)."""
    start = 0
    while (match := _BLOCK.search(data, start)) is not None:
        headers: dict[str, str] = {}
        lines = match.group(2).replace(b"\r", b"").split(b"\n")
        while lines and b":" in lines[0]:
            key, _, value = lines.pop(0).partition(b":")
            headers[key.decode(errors="replace").strip()] = value.decode(errors="replace").strip()
        if headers and lines and not lines[0].strip():
            lines.pop(0)
        try:
            body = base64.b64decode(b"".join(line.strip() for line in lines), validate=True)
        except (binascii.Error, ValueError):
            # Go skips a block whose body is not base64 and goes on looking.
            start = match.end()
            continue
        block = Block(match.group(1).decode(errors="replace"), headers, body)
        return block, data[match.end() :]
    return None, data


def request_error(request: bytes) -> str | None:
    """Why `request` is not a PEM certificate request with a valid signature, or None."""
    block, _ = decode(request)
    if block is None or block.type != "CERTIFICATE REQUEST":
        return "PEM block type must be CERTIFICATE REQUEST"
    try:
        csr = x509.load_der_x509_csr(block.data)
        key = csr.public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return "x509: malformed certificate request"
    try:
        valid = csr.is_signature_valid
    except (ValueError, TypeError, UnsupportedAlgorithm):
        valid = False
    if valid:
        return None
    if isinstance(key, rsa.RSAPublicKey):
        return "crypto/rsa: verification error"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "x509: ECDSA verification failure"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "x509: Ed25519 verification failure"
    return "x509: cannot verify signature: algorithm unimplemented"


def certificate_error(data: bytes) -> str | None:
    """Why issued certificate data is not a list of CERTIFICATE blocks, or None (empty is fine)."""
    if not data:
        return None
    blocks = 0
    while True:
        block, data = decode(data)
        if block is None:
            break
        if block.type != "CERTIFICATE":
            return f'only CERTIFICATE PEM blocks are allowed, found "{block.type}"'
        if block.headers:
            return "no PEM block headers are permitted"
        blocks += 1
        try:
            x509.load_der_x509_certificate(block.data)
        except ValueError:
            return "x509: malformed certificate"
    if blocks == 0:
        return "must contain at least one CERTIFICATE PEM block"
    return None
