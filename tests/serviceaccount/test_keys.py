"""Service account keys: PEM files as Kubernetes reads them, key ids, JWKs, the generated key."""

from __future__ import annotations

import base64
import hashlib
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from client_certs import new_ca, pem_private, pem_public
from kube_apiserver.serviceaccount import keys as sakeys
from serviceaccount.world import EC_KEY, RSA_KEY


def test_key_id_is_the_unpadded_base64url_sha256_of_the_public_key_der(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_bytes(pem_private(RSA_KEY))
    der = subprocess.run(
        ["openssl", "pkey", "-in", str(path), "-pubout", "-outform", "DER"],
        capture_output=True,
        check=True,
    ).stdout
    expected = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")
    assert sakeys.key_id(RSA_KEY.public_key()) == expected
    assert len(expected) == 43 and "=" not in expected


@pytest.mark.parametrize(
    ("curve", "alg"),
    [(ec.SECP256R1(), "ES256"), (ec.SECP384R1(), "ES384"), (ec.SECP521R1(), "ES512")],
)
def test_ecdsa_keys_sign_with_their_curves_algorithm(tmp_path: Path, curve, alg) -> None:
    key = ec.generate_private_key(curve)
    path = tmp_path / "sa.key"
    path.write_bytes(pem_private(key, serialization.PrivateFormat.TraditionalOpenSSL))
    loaded = sakeys.load_signing_key(path)
    assert sakeys.public_key(loaded).alg == alg
    assert sakeys.public_key(loaded).accepted == (alg,)


def test_rsa_keys_sign_rs256_and_verify_any_rsa_algorithm(tmp_path: Path) -> None:
    path = tmp_path / "sa.key"
    path.write_bytes(pem_private(RSA_KEY, serialization.PrivateFormat.TraditionalOpenSSL))
    key = sakeys.public_key(sakeys.load_signing_key(path))
    assert key.alg == "RS256"
    assert set(key.accepted) == {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
    assert "none" not in key.accepted and not any(a.startswith("HS") for a in key.accepted)


def test_other_curves_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown private key curve, must be 256, 384, or 521"):
        sakeys.public_key(ec.generate_private_key(ec.SECP224R1()))


def test_a_signing_key_file_without_a_private_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sa.pub"
    path.write_bytes(pem_public(RSA_KEY) + pem_private(ed25519.Ed25519PrivateKey.generate()))
    with pytest.raises(ValueError) as err:
        sakeys.load_signing_key(path)
    assert str(err.value) == (
        "failed to parse service-account-issuer-key-file: "
        "data does not contain a valid RSA or ECDSA private key"
    )


def test_verification_files_hold_any_number_of_public_private_and_certificate_keys(
    tmp_path: Path,
) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "keys.pem"
    path.write_bytes(
        b"-----BEGIN NOTHING-----\nbm90IGEga2V5\n-----END NOTHING-----\n"  # skipped
        + pem_public(RSA_KEY)
        + pem_private(EC_KEY, serialization.PrivateFormat.TraditionalOpenSSL)
        + new_ca("sa", other).cert_pem
        + pem_private(ed25519.Ed25519PrivateKey.generate())  # not RSA or ECDSA: skipped
    )
    keys = sakeys.load_public_keys(path)
    assert [k.kid for k in keys] == [
        sakeys.key_id(RSA_KEY.public_key()),
        sakeys.key_id(EC_KEY.public_key()),
        sakeys.key_id(other.public_key()),
    ]
    assert [k.alg for k in keys] == ["RS256", "ES256", "RS256"]


def test_a_verification_file_with_no_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.pem"
    path.write_bytes(b"nothing here\n")
    with pytest.raises(ValueError) as err:
        sakeys.load_public_keys(path)
    assert str(err.value) == (
        f'failed to parse key file "{path}": data does not contain any valid RSA or ECDSA '
        "public keys"
    )


def test_the_generated_key_is_made_once_private_and_kept(tmp_path: Path) -> None:
    first = sakeys.ensure_signing_key(tmp_path)
    path = tmp_path / "pki" / "sa.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert isinstance(first, rsa.RSAPrivateKey) and first.key_size == 2048
    again = sakeys.ensure_signing_key(tmp_path)
    assert sakeys.key_id(again.public_key()) == sakeys.key_id(first.public_key())


def test_rsa_jwk_has_go_joses_members() -> None:
    key = sakeys.public_key(RSA_KEY)
    jwk = sakeys.jwk(key)
    assert list(jwk) == ["use", "kty", "kid", "alg", "n", "e"]
    assert jwk["e"] == "AQAB" and jwk["kid"] == key.kid and jwk["use"] == "sig"
    n = int.from_bytes(base64.urlsafe_b64decode(jwk["n"] + "=="), "big")
    assert n == RSA_KEY.public_key().public_numbers().n


def test_ecdsa_jwk_coordinates_are_padded_to_the_curve_size() -> None:
    key = ec.generate_private_key(ec.SECP521R1())
    jwk = sakeys.jwk(sakeys.public_key(key))
    assert list(jwk) == ["use", "kty", "kid", "crv", "alg", "x", "y"]
    assert (jwk["crv"], jwk["alg"]) == ("P-521", "ES512")
    for member in ("x", "y"):
        assert len(base64.urlsafe_b64decode(jwk[member] + "==")) == 66
