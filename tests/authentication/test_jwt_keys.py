"""How the JWT authenticator gets its issuer's keys: discovery, an identity provider that is down
at start, key rotation with a rate-limited refetch, and an issuer that cannot be trusted."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kube_apiserver.authentication import config
from kube_apiserver.authentication.config_validation import validate_jwt_authenticator
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.jwt import IssuerAuthenticator, JWTTokenAuthenticator
from kube_apiserver.authentication.oidc_provider import Provider
from kube_apiserver.authentication.user import UserInfo
from oidc_idp import CLIENT_ID, IdentityProvider

DEADLINE_SECONDS = 10


@pytest.fixture
def idp(tmp_path: Path) -> Iterator[IdentityProvider]:
    provider = IdentityProvider(tmp_path / "idp").start()
    yield provider
    provider.stop()


def build(
    idp: IdentityProvider,
    *,
    min_refresh_interval: float = 0.0,
    discovery_url: str = "",
    ca_pem: str | None = None,
) -> JWTTokenAuthenticator:
    spec = config.from_oidc_flags(
        issuer_url=idp.issuer,
        client_id=CLIENT_ID,
        ca_file=str(idp.ca_file),
        username_claim="sub",
        username_prefix="-",
        groups_claim="",
        groups_prefix="",
        required_claims={},
    )
    rules, errs = validate_jwt_authenticator(spec, "jwt[0]")
    assert errs == []
    provider = Provider(
        idp.issuer,
        discovery_url=discovery_url,
        ca_pem=spec.issuer.certificate_authority if ca_pem is None else ca_pem,
        retry_interval=0.05,
        min_refresh_interval=min_refresh_interval,
    )
    issuer = IssuerAuthenticator(spec, rules, algorithms=["RS256", "ES256"], provider=provider)
    return JWTTokenAuthenticator([issuer])


def bearer(token: str) -> AuthRequest:
    return AuthRequest({"authorization": f"Bearer {token}"})


async def outcome(authenticator: JWTTokenAuthenticator, token: str) -> UserInfo | str | None:
    try:
        return await authenticator.authenticate(bearer(token))
    except AuthenticationError as err:
        return err.reason


async def eventually(check: Callable[[], object]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def until_accepted(authenticator: JWTTokenAuthenticator, token: str) -> UserInfo:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        result = await outcome(authenticator, token)
        if isinstance(result, UserInfo):
            return result
        assert time.monotonic() < deadline, result
        await asyncio.sleep(0.02)


def test_keys_are_fetched_through_the_discovery_document(idp) -> None:
    async def run() -> None:
        authenticator = build(idp)
        user = await until_accepted(authenticator, idp.token())
        assert user.name == "alice-sub"
        assert idp.discovery_fetches == 1 and idp.jwks_fetches == 1
        # Verifying more tokens reads no more keys.
        for _ in range(5):
            assert isinstance(await outcome(authenticator, idp.token(sub="bob")), UserInfo)
        assert idp.jwks_fetches == 1

    asyncio.run(run())


def test_tokens_are_refused_until_a_provider_down_at_start_comes_up(tmp_path: Path) -> None:
    idp = IdentityProvider(tmp_path / "idp")  # not started: nothing listens on its port

    async def run() -> None:
        authenticator = build(idp)
        result = await outcome(authenticator, idp.token())
        assert isinstance(result, str) and "not initialized" in result
        idp.start()
        try:
            assert (await until_accepted(authenticator, idp.token())).name == "alice-sub"
        finally:
            idp.stop()

    asyncio.run(run())


def test_a_new_key_id_makes_the_key_set_be_fetched_again(idp) -> None:
    async def run() -> None:
        authenticator = build(idp)
        await until_accepted(authenticator, idp.token())
        idp.add_key("rsa-2", "RS256")
        idp.add_key("ec-2", "ES256")
        assert (await outcome(authenticator, idp.token(kid="rsa-2"))).name == "alice-sub"
        assert idp.jwks_fetches == 2
        assert (await outcome(authenticator, idp.token(kid="ec-2"))).name == "alice-sub"
        assert idp.jwks_fetches == 2  # fetched with rsa-2 already

    asyncio.run(run())


def test_refetching_is_rate_limited(idp) -> None:
    async def run() -> None:
        authenticator = build(idp, min_refresh_interval=3600)
        await until_accepted(authenticator, idp.token())
        idp.add_key("rsa-2", "RS256")
        for _ in range(3):
            result = await outcome(authenticator, idp.token(kid="rsa-2"))
            assert isinstance(result, str) and "failed to verify" in result
        assert idp.jwks_fetches == 1
        # Keys it knows still work.
        assert isinstance(await outcome(authenticator, idp.token()), UserInfo)

    asyncio.run(run())


def test_concurrent_unknown_key_ids_share_one_fetch(idp) -> None:
    async def run() -> None:
        authenticator = build(idp)
        await until_accepted(authenticator, idp.token())
        results = await asyncio.gather(
            *(
                outcome(authenticator, idp.token(kid=f"made-up-{i}", key=idp.keys["rsa-1"]))
                for i in range(20)
            )
        )
        assert all(isinstance(r, str) and "failed to verify" in r for r in results)
        assert idp.jwks_fetches == 2

    asyncio.run(run())


def test_a_known_key_id_with_a_bad_signature_fetches_nothing(idp, tmp_path: Path) -> None:
    other = IdentityProvider(tmp_path / "other")  # same key id, other key

    async def run() -> None:
        authenticator = build(idp)
        await until_accepted(authenticator, idp.token())
        result = await outcome(authenticator, other.token(idp.claims()))
        assert isinstance(result, str) and "failed to verify" in result
        assert idp.jwks_fetches == 1

    asyncio.run(run())


def test_a_discovery_document_naming_another_issuer_is_not_trusted(idp) -> None:
    idp.discovery_issuer = "https://evil.example.com"

    async def run() -> None:
        authenticator = build(idp)
        await eventually(lambda: idp.discovery_fetches >= 2)  # it tried, and tried again
        result = await outcome(authenticator, idp.token())
        assert isinstance(result, str) and "not initialized" in result
        assert idp.jwks_fetches == 0

    asyncio.run(run())


def test_the_discovery_url_can_differ_from_the_issuer(idp) -> None:
    async def run() -> None:
        authenticator = build(idp, discovery_url=f"https://127.0.0.1:{idp.port}/discovery")
        assert (await until_accepted(authenticator, idp.token())).name == "alice-sub"
        assert idp.discovery_fetches == 1

    asyncio.run(run())


def test_a_provider_whose_certificate_the_ca_does_not_sign_is_not_trusted(
    idp, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stranger_ca = IdentityProvider(tmp_path / "other").ca_file.read_text()
    caplog.set_level(logging.ERROR, logger="kube_apiserver.authentication.oidc_provider")

    async def run() -> None:
        authenticator = build(idp, ca_pem=stranger_ca)
        await eventually(lambda: "certificate verify failed" in caplog.text)
        result = await outcome(authenticator, idp.token())
        assert isinstance(result, str) and "not initialized" in result
        assert idp.discovery_fetches == 0

    asyncio.run(run())
