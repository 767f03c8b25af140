"""EncryptionConfiguration: providers, key rotation and the refusals of a bad config."""

from __future__ import annotations

import base64
import os

import pytest
import yaml

from kube_apiserver.storage.encryption import ConfigError, EncryptionConfig

KEY = b"/registry/secrets/default/s"


def config(tmp_path, resources: list[dict]) -> EncryptionConfig:
    path = tmp_path / "enc.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "apiserver.config.k8s.io/v1",
                "kind": "EncryptionConfiguration",
                "resources": resources,
            }
        )
    )
    return EncryptionConfig.load(path)


def provider(kind: str, name: str, size: int = 32) -> dict:
    return {kind: {"keys": [{"name": name, "secret": base64.b64encode(os.urandom(size)).decode()}]}}


@pytest.mark.parametrize("kind", ["aescbc", "aesgcm", "secretbox"])
def test_each_provider_round_trips_and_marks_what_it_wrote(tmp_path, kind):
    t = config(
        tmp_path, [{"resources": ["secrets"], "providers": [provider(kind, "k1")]}]
    ).transformer("secrets", "")
    sealed = t.encrypt(b'{"data":"x"}', KEY)
    assert sealed.startswith(f"k8s:enc:{kind}:v1:k1:".encode()) and b'"data"' not in sealed
    assert t.decrypt(sealed, KEY) == b'{"data":"x"}'


def test_the_first_provider_writes_and_all_read(tmp_path):
    old, new = provider("aescbc", "old"), provider("aesgcm", "new")
    before = config(tmp_path, [{"resources": ["secrets"], "providers": [old, {"identity": {}}]}])
    sealed_old = before.transformer("secrets", "").encrypt(b"v", KEY)
    after = config(tmp_path, [{"resources": ["secrets"], "providers": [new, old]}]).transformer(
        "secrets", ""
    )
    assert after.decrypt(sealed_old, KEY) == b"v"
    assert after.encrypt(b"v", KEY).startswith(b"k8s:enc:aesgcm:v1:new:")
    with pytest.raises(ValueError):
        after.decrypt(b'{"plain":true}', KEY)  # identity is no longer listed
    assert before.transformer("secrets", "").decrypt(b'{"plain":true}', KEY) == b'{"plain":true}'
    only_new = config(tmp_path, [{"resources": ["secrets"], "providers": [new]}]).transformer(
        "secrets", ""
    )
    with pytest.raises(ValueError):
        only_new.decrypt(sealed_old, KEY)


def test_aesgcm_binds_a_value_to_its_key(tmp_path):
    t = config(
        tmp_path, [{"resources": ["secrets"], "providers": [provider("aesgcm", "k")]}]
    ).transformer("secrets", "")
    sealed = t.encrypt(b"v", KEY)
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        t.decrypt(sealed, b"/registry/secrets/default/other")


def test_resources_match_by_name_group_and_wildcards(tmp_path):
    c = config(
        tmp_path,
        [
            {"resources": ["secrets"], "providers": [provider("aescbc", "s")]},
            {"resources": ["*.apps"], "providers": [provider("aescbc", "apps")]},
            {"resources": ["*.*"], "providers": [{"identity": {}}]},
        ],
    )
    assert c.transformer("secrets", "").encrypt(b"v", KEY).startswith(b"k8s:enc:aescbc:v1:s:")
    assert (
        c.transformer("deployments", "apps")
        .encrypt(b"v", KEY)
        .startswith(b"k8s:enc:aescbc:v1:apps:")
    )
    assert c.transformer("configmaps", "").encrypt(b"v", KEY) == b"v"
    by_key = c.by_key(
        {"/registry/secrets/": ("secrets", ""), "/registry/deployments/": ("deployments", "apps")}
    )
    assert (
        by_key("/registry/deployments/ns/d")
        .encrypt(b"v", KEY)
        .startswith(b"k8s:enc:aescbc:v1:apps:")
    )


@pytest.mark.parametrize(
    ("providers", "message"),
    [
        ([{"aescbc": {"keys": [{"name": "k", "secret": "not base64!"}]}}], "must be base64"),
        ([provider("aescbc", "k", size=7)], "aescbc keys are 16 or 24 or 32 bytes long, not 7"),
        ([provider("secretbox", "k", size=16)], "secretbox keys are 32 bytes long, not 16"),
        ([{"kms": {"name": "x"}}], "provider 'kms' is not supported"),
        ([], "at least one provider is required"),
    ],
)
def test_a_bad_config_is_refused_with_where_and_why(tmp_path, providers, message):
    with pytest.raises(ConfigError, match=message):
        config(tmp_path, [{"resources": ["secrets"], "providers": providers}])
