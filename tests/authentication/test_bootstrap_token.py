"""Bootstrap token authentication, against Secrets in a real store and its watch cache."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from kube_apiserver.admission.interface import Chain
from kube_apiserver.authentication.bootstrap import BootstrapTokenAuthenticator, from_options
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.cmd.options.authentication import AuthenticationOptions
from kube_apiserver.registry.core.storage_provider import SPECS
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_apiserver.storage.cacher import Cacher
from kube_apiserver.storage.sqlite import SQLiteStorage

TOKEN = "abcdef.0123456789abcdef"
LOGGER = "kube_apiserver.authentication.bootstrap"


def token_secret(
    *, name: str = "bootstrap-token-abcdef", type: str = "bootstrap.kubernetes.io/token", **data
) -> dict[str, Any]:
    """A bootstrap token Secret for TOKEN; keyword arguments replace (None: drop) data keys."""
    values = {
        "token-id": "abcdef",
        "token-secret": "0123456789abcdef",
        "usage-bootstrap-authentication": "true",
    }
    values.update({key.replace("_", "-"): value for key, value in data.items()})
    encoded = {
        key: base64.b64encode(value.encode()).decode()
        for key, value in values.items()
        if value is not None
    }
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "finalizers": ["example.com/hold"]},
        "type": type,
        "data": encoded,
    }


@contextlib.asynccontextmanager
async def secrets_store(tmp_path: Path) -> AsyncIterator[Store]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage = SQLiteStorage(tmp_path / "db")
    spec = next(spec for spec in SPECS if spec.resource.name == "secrets")
    cacher = Cacher(storage, spec.key_root)
    await cacher.start()
    try:
        yield Store(
            spec.strategy(spec.resource), cacher, key_root=spec.key_root, admission=Chain([])
        )
    finally:
        await cacher.stop()
        await storage.close()


def authenticate(
    tmp_path: Path,
    secret: dict[str, Any] | None,
    *,
    token: str | None = TOKEN,
    namespace: str = "kube-system",
    deleting: bool = False,
) -> UserInfo | None:
    """What the authenticator answers for `token` with `secret` stored (and maybe being deleted)."""

    async def run() -> UserInfo | None:
        async with secrets_store(tmp_path) as store:
            if secret is not None:
                created = await store.create(namespace, secret)
                await store.cache.wait_until(created.mod_revision)
                if deleting:
                    await store.delete(namespace, secret["metadata"]["name"], DeleteOptions())
                    await store.cache.wait_until(created.mod_revision + 1)
            authenticator = BootstrapTokenAuthenticator()
            authenticator.attach({"secrets": store})
            headers = {"authorization": f"Bearer {token}"} if token is not None else {}
            return await authenticator.authenticate(AuthRequest(headers))

    return asyncio.run(run())


def refused(tmp_path: Path, secret: dict[str, Any] | None, caplog, **kwargs) -> str:
    """The logged reason for refusing TOKEN; the error itself says only "invalid bearer token"."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        with pytest.raises(AuthenticationError) as err:
            authenticate(tmp_path, secret, **kwargs)
    assert err.value.reason == "invalid bearer token"
    [record] = [r for r in caplog.records if r.name == LOGGER]
    return record.getMessage()


def test_a_valid_token_is_system_bootstrap_id_in_system_bootstrappers(tmp_path: Path) -> None:
    user = authenticate(tmp_path, token_secret())
    assert user == UserInfo(name="system:bootstrap:abcdef", groups=("system:bootstrappers",))


def test_extra_groups_are_added_sorted_and_without_duplicates(tmp_path: Path) -> None:
    groups = "system:bootstrappers:kubeadm:default-node-token,system:bootstrappers:a"
    user = authenticate(
        tmp_path, token_secret(auth_extra_groups=groups + ",system:bootstrappers:a")
    )
    assert user is not None and user.groups == (
        "system:bootstrappers",
        "system:bootstrappers:a",
        "system:bootstrappers:kubeadm:default-node-token",
    )


def test_a_token_whose_expiration_is_ahead_is_accepted(tmp_path: Path) -> None:
    for expiration in ("2999-01-01T00:00:00Z", "2999-01-01T00:00:00.123456789+02:00"):
        assert authenticate(tmp_path / expiration[-6:], token_secret(expiration=expiration))


def test_an_expired_token_is_refused(tmp_path: Path, caplog) -> None:
    reason = refused(tmp_path, token_secret(expiration="2020-01-01T00:00:00Z"), caplog)
    assert reason == (
        "Expired bootstrap token in kube-system/bootstrap-token-abcdef Secret: 2020-01-01T00:00:00Z"
    )


def test_an_unparseable_expiration_counts_as_expired(tmp_path: Path, caplog) -> None:
    # A date alone, or a space for the "T", is ISO 8601 but not Go's RFC 3339 layout.
    spellings = ("2999-01-01", "2999-01-01 00:00:00Z", "2999-13-01T00:00:00Z")
    for n, expiration in enumerate(spellings):
        caplog.clear()
        reason = refused(tmp_path / str(n), token_secret(expiration=expiration), caplog)
        assert reason == (
            f"Unparseable expiration time ({expiration}) in kube-system/bootstrap-token-abcdef "
            "Secret. Treating as expired."
        )


def test_a_wrong_secret_is_refused_without_logging_the_presented_one(
    tmp_path: Path, caplog
) -> None:
    presented = "abcdef.ffffffffffffffff"
    reason = refused(tmp_path, token_secret(), caplog, token=presented)
    assert reason == (
        "Bootstrap secret kube-system/bootstrap-token-abcdef matching bearer token "
        "has invalid value for key token-secret."
    )
    assert "ffffffffffffffff" not in caplog.text and "0123456789abcdef" not in caplog.text


def test_a_secret_whose_token_id_differs_from_its_name_is_refused(tmp_path: Path, caplog) -> None:
    reason = refused(tmp_path, token_secret(token_id="zzzzzz"), caplog)
    assert reason.endswith("has invalid value for key token-id, expected abcdef.")


def test_a_token_not_marked_for_authentication_is_refused(tmp_path: Path, caplog) -> None:
    for usage in (None, "false", "True"):
        caplog.clear()
        reason = refused(
            tmp_path / str(usage), token_secret(usage_bootstrap_authentication=usage), caplog
        )
        assert reason == (
            "Bootstrap secret kube-system/bootstrap-token-abcdef matching bearer token "
            "not marked usage-bootstrap-authentication=true."
        )


def test_an_extra_group_outside_system_bootstrappers_is_refused(tmp_path: Path, caplog) -> None:
    # The plain default group is not a valid extra group either: it needs a suffix.
    for group in (
        "system:masters",
        "system:bootstrappers",
        "system:bootstrappers:",
        "system:bootstrappers:Admins",
    ):
        caplog.clear()
        secret = token_secret(auth_extra_groups=f"system:bootstrappers:ok,{group}")
        reason = refused(tmp_path / group.replace(":", "_"), secret, caplog)
        assert reason == (
            "Bootstrap secret kube-system/bootstrap-token-abcdef matching bearer token has "
            f'invalid value for key auth-extra-groups: bootstrap group "{group}" is invalid '
            r"(must match \Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z)."
        )


def test_a_secret_being_deleted_is_refused(tmp_path: Path, caplog) -> None:
    reason = refused(tmp_path, token_secret(), caplog, deleting=True)
    assert reason.endswith("matching bearer token is deleted and awaiting removal")


def test_a_secret_of_another_type_is_refused(tmp_path: Path, caplog) -> None:
    reason = refused(tmp_path, token_secret(type="Opaque"), caplog)
    assert reason.endswith("has invalid type, expected bootstrap.kubernetes.io/token.")


def test_a_token_without_its_secret_in_kube_system_is_refused(tmp_path: Path, caplog) -> None:
    reason = refused(tmp_path, token_secret(), caplog, namespace="default")
    assert reason == "No secret of name bootstrap-token-abcdef to match bootstrap bearer token"
    caplog.clear()
    reason = refused(tmp_path / "other", token_secret(name="bootstrap-token-zzzzzz"), caplog)
    assert reason == "No secret of name bootstrap-token-abcdef to match bootstrap bearer token"


@pytest.mark.parametrize(
    "token",
    [
        None,
        "abcdef.0123456789abcde",  # a secret one character short
        "abcdef.0123456789abcdefa",
        "ABCDEF.0123456789ABCDEF",
        "abcdef:0123456789abcdef",
        "abcdef.0123456789abcdef.x",
        "abcde_.0123456789abcdef",
        "\u0430bcdef.0123456789abcdef",  # a Cyrillic "a"
    ],
)
def test_a_token_not_in_bootstrap_form_is_left_to_other_authenticators(
    tmp_path: Path, token: str | None
) -> None:
    assert authenticate(tmp_path, token_secret(), token=token) is None


def test_basic_credentials_are_not_a_bearer_token(tmp_path: Path) -> None:
    async def run() -> UserInfo | None:
        request = AuthRequest({"authorization": "Basic " + TOKEN})
        return await BootstrapTokenAuthenticator().authenticate(request)

    assert asyncio.run(run()) is None


def test_a_refused_bootstrap_token_is_never_anonymous(tmp_path: Path) -> None:
    async def run(token: str) -> UserInfo | None:
        async with secrets_store(tmp_path / token[:6]) as store:
            created = await store.create(
                "kube-system", token_secret(usage_bootstrap_authentication="false")
            )
            await store.cache.wait_until(created.mod_revision)
            union = UnionAuthenticator([BootstrapTokenAuthenticator()], anonymous=True)
            union.attach({"secrets": store})
            return await union.authenticate(AuthRequest({"authorization": f"Bearer {token}"}))

    # A bootstrap-shaped token that fails, and a token no authenticator knows: both refused.
    for token in (TOKEN, "not-a-bootstrap-token"):
        with pytest.raises(AuthenticationError, match="^invalid bearer token$"):
            asyncio.run(run(token))


def test_the_authenticator_exists_only_with_enable_bootstrap_token_auth() -> None:
    assert from_options(AuthenticationOptions()) == []
    [authenticator] = from_options(AuthenticationOptions(enable_bootstrap_token_auth=True))
    assert isinstance(authenticator, BootstrapTokenAuthenticator)
