"""The token issuer built from the flags: keys, issuers, audiences and the discovery documents."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import jwt as pyjwt
import pytest

from client_certs import pem_private, pem_public
from kube_apiserver.cmd.options.authentication import AuthenticationOptions
from kube_apiserver.serviceaccount import claims as saclaims
from kube_apiserver.serviceaccount import keys as sakeys
from kube_apiserver.serviceaccount.tokens import ServiceAccountTokens
from serviceaccount.world import EC_KEY, ISSUER, OTHER_RSA_KEY, RSA_KEY, make_tokens

SA = {"metadata": {"name": "robot", "namespace": "team", "uid": "u-1"}}


def options(**values) -> AuthenticationOptions:
    opts = AuthenticationOptions(**values)
    opts.complete()
    return opts


def write_private(path: Path, key) -> str:
    path.write_bytes(pem_private(key))
    return str(path)


def write_public(path: Path, *keys) -> str:
    path.write_bytes(b"".join(pem_public(k) for k in keys))
    return str(path)


def header_of(tokens: ServiceAccountTokens) -> dict:
    claims = saclaims.bound_claims(SA, audiences=[ISSUER], expiration_seconds=600, now=0)
    return pyjwt.get_unverified_header(tokens.issue(claims))


def test_without_a_signing_key_one_is_made_in_the_data_dir_and_kept(tmp_path: Path) -> None:
    first = ServiceAccountTokens.from_options(options(), tmp_path)
    again = ServiceAccountTokens.from_options(options(), tmp_path)
    assert (tmp_path / "pki" / "sa.key").exists()
    assert header_of(first) == header_of(again)
    assert header_of(first)["alg"] == "RS256"


@pytest.mark.parametrize(("key", "alg"), [(RSA_KEY, "RS256"), (EC_KEY, "ES256")])
def test_the_signing_key_file_signs(tmp_path: Path, key, alg: str) -> None:
    opts = options(service_account_signing_key_file=write_private(tmp_path / "sa.key", key))
    tokens = ServiceAccountTokens.from_options(opts, tmp_path)
    assert header_of(tokens) == {"alg": alg, "kid": sakeys.key_id(key.public_key())}
    assert not (tmp_path / "pki" / "sa.key").exists()


def test_verification_keys_come_from_every_key_file(tmp_path: Path) -> None:
    opts = options(
        service_account_signing_key_file=write_private(tmp_path / "sa.key", RSA_KEY),
        service_account_key_file=[
            write_public(tmp_path / "new.pub", RSA_KEY, EC_KEY),
            write_public(tmp_path / "old.pub", OTHER_RSA_KEY),
        ],
    )
    tokens = ServiceAccountTokens.from_options(opts, tmp_path)
    jwks = json.loads(tokens.discovery_documents("https://10.0.0.5:6443")["/openid/v1/jwks"])
    assert [k["kid"] for k in jwks["keys"]] == [
        sakeys.key_id(k.public_key()) for k in (RSA_KEY, EC_KEY, OTHER_RSA_KEY)
    ]


def test_a_signing_key_that_nothing_verifies_is_warned_of(tmp_path: Path, caplog) -> None:
    opts = options(
        service_account_signing_key_file=write_private(tmp_path / "sa.key", RSA_KEY),
        service_account_key_file=[write_public(tmp_path / "old.pub", OTHER_RSA_KEY)],
    )
    with caplog.at_level(logging.WARNING):
        ServiceAccountTokens.from_options(opts, tmp_path)
    assert "the service account signing key is not among the --service-account-key-file" in (
        caplog.text
    )


def test_an_unreadable_key_file_stops_the_server(tmp_path: Path) -> None:
    (tmp_path / "junk").write_text("junk")
    with pytest.raises(ValueError, match="data does not contain any valid RSA or ECDSA"):
        ServiceAccountTokens.from_options(
            options(service_account_key_file=[str(tmp_path / "junk")]), tmp_path
        )


def test_the_discovery_documents_describe_the_first_issuer_and_every_key() -> None:
    keys = [sakeys.public_key(k) for k in (RSA_KEY, EC_KEY)]
    tokens = make_tokens(verification_keys=keys, issuers=[ISSUER, "https://old.example.com"])
    docs = tokens.discovery_documents("https://10.0.0.5:6443")
    assert json.loads(docs["/.well-known/openid-configuration"]) == {
        "issuer": ISSUER,
        "jwks_uri": "https://10.0.0.5:6443/openid/v1/jwks",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256", "RS256"],
    }
    assert json.loads(docs["/openid/v1/jwks"]) == {"keys": [sakeys.jwk(k) for k in keys]}


def test_the_jwks_uri_flag_overrides_the_default() -> None:
    tokens = make_tokens(jwks_uri="https://issuer.example.com/keys")
    docs = tokens.discovery_documents("https://10.0.0.5:6443")
    config = json.loads(docs["/.well-known/openid-configuration"])
    assert config["jwks_uri"] == "https://issuer.example.com/keys"


@pytest.mark.parametrize(
    ("issuer", "jwks_uri"),
    [
        ("kubernetes/serviceaccount", ""),
        ("http://insecure.example.com", ""),
        ("https://issuer.example.com?x=1", ""),
        ("https://issuer.example.com#frag", ""),
        (ISSUER, "http://insecure.example.com/keys"),
    ],
)
def test_no_discovery_for_issuers_that_are_no_https_urls(
    issuer: str, jwks_uri: str, caplog
) -> None:
    tokens = make_tokens(issuers=[issuer], jwks_uri=jwks_uri)
    with caplog.at_level(logging.WARNING):
        assert tokens.discovery_documents("https://10.0.0.5:6443") == {}
    assert "service account issuer discovery is not served" in caplog.text


def test_legacy_tokens_carry_the_legacy_claims_only() -> None:
    token = make_tokens().legacy_token(SA, "robot-token")
    assert pyjwt.decode(token, options={"verify_signature": False}) == {
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": "team",
        "kubernetes.io/serviceaccount/secret.name": "robot-token",
        "kubernetes.io/serviceaccount/service-account.name": "robot",
        "kubernetes.io/serviceaccount/service-account.uid": "u-1",
        "sub": "system:serviceaccount:team:robot",
    }


def test_claims_are_written_in_sorted_order_as_go_writes_a_map() -> None:
    now = int(time.time())
    tokens = make_tokens()
    claims = saclaims.bound_claims(SA, audiences=["a"], expiration_seconds=600, now=now)
    payload = pyjwt.api_jws.PyJWS().decode_complete(
        tokens.issue(claims), options={"verify_signature": False}
    )["payload"]
    assert list(json.loads(payload)) == sorted(json.loads(payload))


def test_the_audiences_of_a_token_for_a_review() -> None:
    tokens = make_tokens(api_audiences=[ISSUER, "api"])
    bound = tokens.issue(
        saclaims.bound_claims(SA, audiences=["vault", "api"], expiration_seconds=600, now=0)
    )
    legacy = tokens.legacy_token(SA, "robot-token")
    assert tokens.audiences_of(bound, ["api", "vault", "x"]) == ("api", "vault")
    assert tokens.audiences_of(legacy, ["x", "api", ISSUER]) == ("api", ISSUER)
    assert tokens.audiences_of("static-token", ["api"]) is None


def test_with_no_keys_there_is_no_authenticator_and_no_token() -> None:
    tokens = ServiceAccountTokens()
    assert tokens.authenticators() == []
    assert not tokens.can_issue
    assert tokens.discovery_documents("https://x:1") == {}


def test_max_expiration_is_between_an_hour_and_2_32_seconds() -> None:
    message = "the service-account-max-token-expiration must be between 1 hour and 2^32 seconds"
    for seconds in (600.0, 3599.0, float((1 << 32) + 1)):
        assert message in options(service_account_max_token_expiration=seconds).validate()
    for seconds in (0.0, 3600.0, float(1 << 32)):
        assert message not in options(service_account_max_token_expiration=seconds).validate()
