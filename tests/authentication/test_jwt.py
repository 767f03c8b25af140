"""The OIDC authenticator of the `--oidc-*` flags against a real identity provider on loopback:
each check from both sides, the token that passes and the one that must be refused."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from kube_apiserver.authentication import jwt
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.user import CREDENTIAL_ID_KEY, UserInfo
from kube_apiserver.cmd.options.authentication import AuthenticationOptions
from oidc_idp import CLIENT_ID, IdentityProvider


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    provider = IdentityProvider(tmp_path_factory.mktemp("idp"))
    provider.add_key("ec-1", "ES256")
    provider.start()
    yield provider
    provider.stop()


def options(idp: IdentityProvider, **flags: Any) -> AuthenticationOptions:
    opts = AuthenticationOptions(
        oidc_issuer_url=idp.issuer, oidc_client_id=CLIENT_ID, oidc_ca_file=str(idp.ca_file)
    )
    for name, value in flags.items():
        setattr(opts, name, value)
    opts.complete()
    assert opts.validate() == []
    return opts


async def authenticate_when_ready(authenticator: Any, token: str) -> UserInfo | None:
    """Authenticate, waiting (boundedly) for the keys the provider fetches in the background."""
    req = AuthRequest({"authorization": f"Bearer {token}"})
    deadline = time.monotonic() + 10
    while True:
        try:
            return await authenticator.authenticate(req)
        except AuthenticationError as err:
            if "not initialized" not in err.reason or time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.02)


def authenticate(idp: IdentityProvider, token: str, **flags: Any) -> UserInfo | None:
    async def run() -> UserInfo | None:
        (authenticator,) = jwt.from_options(options(idp, **flags))
        return await authenticate_when_ready(authenticator, token)

    return asyncio.run(run())


def refused(idp: IdentityProvider, token: str, **flags: Any) -> str:
    with pytest.raises(AuthenticationError) as err:
        authenticate(idp, token, **flags)
    return err.value.reason


def test_a_valid_token_names_the_user_by_sub_prefixed_with_the_issuer(idp) -> None:
    user = authenticate(idp, idp.token())
    assert user == UserInfo(name=f"{idp.issuer}#alice-sub")
    assert user.groups == () and user.uid == ""


def test_no_authenticator_is_built_without_an_issuer() -> None:
    assert jwt.from_options(AuthenticationOptions()) == []


def test_tokens_that_are_not_ours_are_left_to_other_authenticators(idp) -> None:
    for token in (
        idp.token(iss="https://other.example.com"),
        "not-a-jwt",
        "a.b.c",
        "e30.e30.",  # {}.{}: no issuer at all
        "e30.eyJpc3MiOlsieCJdfQ.",  # {}.{"iss":["x"]}: not a string
    ):
        assert authenticate(idp, token) is None
    assert asyncio.run(_without_header(idp)) is None


async def _without_header(idp: IdentityProvider) -> UserInfo | None:
    (authenticator,) = jwt.from_options(options(idp))
    return await authenticator.authenticate(AuthRequest({}))


def test_the_email_claim_is_not_prefixed_and_must_be_verified(idp) -> None:
    user = authenticate(idp, idp.token(), oidc_username_claim="email")
    assert user.name == "alice@example.com"
    assert authenticate(idp, idp.token(email_verified=None), oidc_username_claim="email").name == (
        "alice@example.com"
    )
    reason = refused(idp, idp.token(email_verified=False), oidc_username_claim="email")
    assert reason == "oidc: email not verified"
    assert "email_verified" in refused(
        idp, idp.token(email_verified="true"), oidc_username_claim="email"
    )


def test_an_explicit_username_prefix_replaces_the_issuer_and_dash_disables_it(idp) -> None:
    assert authenticate(idp, idp.token(), oidc_username_prefix="oidc:").name == "oidc:alice-sub"
    assert authenticate(idp, idp.token(), oidc_username_prefix="-").name == "alice-sub"
    assert (
        authenticate(idp, idp.token(), oidc_username_claim="email", oidc_username_prefix="o:").name
        == "o:alice@example.com"
    )


def test_a_missing_or_non_string_username_claim_is_refused(idp) -> None:
    assert (
        refused(idp, idp.token(sub=None)) == 'oidc: parse username claims "sub": claim not present'
    )
    assert "cannot unmarshal number" in refused(idp, idp.token(sub=42))


def test_groups_come_from_a_list_or_a_single_string_with_their_prefix(idp) -> None:
    flags = {"oidc_groups_claim": "groups", "oidc_groups_prefix": "oidc:"}
    assert authenticate(idp, idp.token(groups=["dev", "ops"]), **flags).groups == (
        "oidc:dev",
        "oidc:ops",
    )
    assert authenticate(idp, idp.token(groups="admins"), **flags).groups == ("oidc:admins",)
    assert authenticate(idp, idp.token(), **flags).groups == ()
    assert authenticate(idp, idp.token(groups=["dev"]), oidc_groups_claim="groups").groups == (
        "dev",
    )
    assert "parse groups claim" in refused(idp, idp.token(groups=[1, 2]), **flags)
    assert "parse groups claim" in refused(idp, idp.token(groups={"a": "b"}), **flags)


def test_required_claims_must_be_present_with_the_value(idp) -> None:
    flags = {"oidc_required_claim": {"hd": "example.com", "tier": "gold"}}
    assert authenticate(idp, idp.token(hd="example.com", tier="gold"), **flags) is not None
    assert (
        refused(idp, idp.token(hd="example.com"), **flags)
        == "oidc: required claim tier not present in ID token"
    )
    assert (
        refused(idp, idp.token(hd="example.com", tier="silver"), **flags)
        == "oidc: required claim tier value does not match. Got = silver, want = gold"
    )
    assert "oidc: parse claim tier" in refused(idp, idp.token(hd="example.com", tier=1), **flags)


def test_expired_and_not_yet_valid_tokens_are_refused(idp) -> None:
    now = int(time.time())
    assert "token is expired" in refused(idp, idp.token(exp=now - 5))
    assert "token is expired" in refused(idp, idp.token(exp=None))
    assert "before the nbf" in refused(idp, idp.token(nbf=now + 3600))
    # A minute of leeway for clocks that disagree a little.
    assert authenticate(idp, idp.token(nbf=now + 30)) is not None
    assert authenticate(idp, idp.token(nbf=now - 30)) is not None


def test_a_token_signed_by_another_key_is_refused(idp) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    reason = refused(idp, idp.token(kid="rsa-1", key=stranger))
    assert (
        reason
        == "oidc: verify token: failed to verify signature: failed to verify id token signature"
    )
    # The same claims with the signature of another token.
    good, other = idp.token().split("."), idp.token(sub="mallory").split(".")
    assert "failed to verify" in refused(idp, ".".join([other[0], other[1], good[2]]))


def test_a_token_with_changed_claims_is_refused(idp) -> None:
    header, _, signature = idp.token().split(".")
    claims = base64.urlsafe_b64encode(json.dumps(idp.claims(sub="root")).encode()).rstrip(b"=")
    assert "failed to verify" in refused(idp, f"{header}.{claims.decode()}.{signature}")


def test_the_audience_must_include_the_client_id(idp) -> None:
    assert "expected audience" in refused(idp, idp.token(aud="someone-else"))
    assert "expected audience" in refused(idp, idp.token(aud=None))
    assert authenticate(idp, idp.token(aud=["someone-else", CLIENT_ID])) is not None


def test_only_the_allowed_signing_algorithms_are_accepted(idp) -> None:
    es256 = idp.token(kid="ec-1")
    assert "unsupported algorithm" in refused(idp, es256)
    assert authenticate(idp, es256, oidc_signing_algs=["ES256"]).name == f"{idp.issuer}#alice-sub"
    assert "unsupported algorithm" in refused(idp, idp.token(), oidc_signing_algs=["ES256"])
    hmac = pyjwt.encode(idp.claims(), "a-shared-secret-long-enough-for-hs256", algorithm="HS256")
    assert "unsupported algorithm" in refused(idp, hmac)
    unsigned = pyjwt.encode(idp.claims(), None, algorithm="none")
    assert "unsupported algorithm" in refused(idp, unsigned)
    _, claims, signature = idp.token().split(".")
    odd = base64.urlsafe_b64encode(b'{"alg":["RS256"],"kid":"rsa-1"}').rstrip(b"=").decode()
    assert "unsupported algorithm" in refused(idp, f"{odd}.{claims}.{signature}")


def test_a_key_of_the_wrong_type_for_the_algorithm_does_not_verify(idp) -> None:
    # An RS256 header naming the EC key: that key cannot check an RSA signature.
    token = pyjwt.encode(
        idp.claims(), idp.keys["rsa-1"], algorithm="RS256", headers={"kid": "ec-1"}
    )
    assert "failed to verify" in refused(idp, token, oidc_signing_algs=["RS256", "ES256"])


def test_the_token_id_becomes_the_credential_id(idp) -> None:
    user = authenticate(idp, idp.token(jti="token-1"))
    assert user.extra == {CREDENTIAL_ID_KEY: ("JTI=token-1",)}


def test_the_flags_are_validated_at_start(idp, tmp_path: Path) -> None:
    def errors(**flags: Any) -> list[str]:
        opts = AuthenticationOptions(**flags)
        opts.complete()
        return opts.validate()

    assert errors(oidc_issuer_url="http://idp.example.com", oidc_client_id="k") == [
        "invalid authentication configuration: jwt[0].issuer.url: Invalid value: "
        '"http://idp.example.com": URL scheme must be https'
    ]
    assert errors(oidc_issuer_url="https://idp.example.com") == [
        "oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set"
    ]
    assert errors(oidc_groups_claim="groups") == [
        "oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set"
    ]
    assert errors(
        oidc_issuer_url="https://idp.example.com", oidc_client_id="k", oidc_signing_algs=["HS256"]
    ) == ['oidc: unsupported signing alg: "HS256"']
    config = tmp_path / "authn.yaml"
    config.write_text(
        "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\n"
    )
    assert errors(
        authentication_config=str(config), oidc_issuer_url="https://x", oidc_client_id="k"
    ) == ["authentication-config file and oidc-* flags are mutually exclusive"]
    assert errors(
        oidc_issuer_url="https://kubernetes.default.svc.cluster.local", oidc_client_id="k"
    ) == [
        "invalid authentication configuration: jwt[0].issuer.url: Invalid value: "
        '"https://kubernetes.default.svc.cluster.local": URL must not overlap with disallowed '
        "issuers: [https://kubernetes.default.svc.cluster.local]"
    ]
    assert (
        errors(oidc_issuer_url=idp.issuer, oidc_client_id="k", oidc_ca_file=str(idp.ca_file)) == []
    )
