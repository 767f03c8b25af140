"""Encryption at rest: `--encryption-provider-config` in Kubernetes' EncryptionConfiguration format.

Each `resources` entry names resources (`secrets`, `deployments.apps`, `*.apps`, `*.*`) and an
ordered list of providers; the first entry that names a resource applies to it. The first
provider encrypts what is written; every provider listed can read, which is how keys are
rotated: add the new key first, rewrite the objects, then drop the old key.

Stored values carry their provider and key name, as Kubernetes writes them:
`k8s:enc:<provider>:v1:<key name>:` followed by
- aescbc: a 16-byte IV and AES-CBC of the PKCS#7-padded value;
- aesgcm: a 12-byte nonce and AES-GCM of the value, authenticated with the storage key;
- secretbox: a 24-byte nonce and XSalsa20-Poly1305 of the value.
`identity` stores plain values; listed after another provider, it lets unencrypted values
written before encryption was turned on still be read.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.secret
import yaml
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kube_apiserver.storage.value import IDENTITY, Transformer

PREFIX = b"k8s:enc:"
KINDS = ("apiserver.config.k8s.io/v1", "EncryptionConfiguration")


class ConfigError(ValueError):
    pass


class _AESCBC:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def seal(self, data: bytes, context: bytes) -> bytes:
        iv = os.urandom(16)
        padder = padding.PKCS7(128).padder()
        enc = Cipher(algorithms.AES(self._key), modes.CBC(iv)).encryptor()
        return iv + enc.update(padder.update(data) + padder.finalize()) + enc.finalize()

    def open(self, sealed: bytes, context: bytes) -> bytes:
        if len(sealed) < 32 or len(sealed) % 16:
            raise ValueError("aescbc: the stored value is not whole blocks")
        dec = Cipher(algorithms.AES(self._key), modes.CBC(sealed[:16])).decryptor()
        unpadder = padding.PKCS7(128).unpadder()
        return unpadder.update(dec.update(sealed[16:]) + dec.finalize()) + unpadder.finalize()


class _AESGCM:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, data: bytes, context: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, data, context)

    def open(self, sealed: bytes, context: bytes) -> bytes:
        return self._aead.decrypt(sealed[:12], sealed[12:], context)


class _SecretBox:
    def __init__(self, key: bytes) -> None:
        self._box = nacl.secret.SecretBox(key)

    def seal(self, data: bytes, context: bytes) -> bytes:
        return bytes(self._box.encrypt(data))  # nonce + ciphertext

    def open(self, sealed: bytes, context: bytes) -> bytes:
        return self._box.decrypt(sealed)


_CIPHERS: dict[str, tuple[Callable[[bytes], Any], tuple[int, ...]]] = {
    "aescbc": (_AESCBC, (16, 24, 32)),
    "aesgcm": (_AESGCM, (16, 24, 32)),
    "secretbox": (_SecretBox, (32,)),
}


@dataclass(frozen=True)
class _Key:
    prefix: bytes  # k8s:enc:<provider>:v1:<name>:
    cipher: Any


class ProviderChain:
    """A resource's providers: the first writes, all read (a Transformer)."""

    def __init__(self, keys: list[_Key | None]) -> None:
        self._keys = keys  # None stands for identity
        self._readers = [k for k in keys if k is not None]
        self._reads_plain = any(k is None for k in keys)

    def encrypt(self, data: bytes, context: bytes) -> bytes:
        first = self._keys[0]
        return data if first is None else first.prefix + first.cipher.seal(data, context)

    def decrypt(self, stored: bytes, context: bytes) -> bytes:
        if not stored.startswith(PREFIX):
            if self._reads_plain:
                return stored
            raise ValueError("the stored value is not encrypted, and identity is not a provider")
        for key in self._readers:
            if stored.startswith(key.prefix):
                return key.cipher.open(stored[len(key.prefix) :], context)
        raise ValueError("no provider's key can read the stored value (was its key removed?)")


def _provider_keys(provider: dict[str, Any], at: str) -> list[_Key | None]:
    if not isinstance(provider, dict) or len(provider) != 1:
        raise ConfigError(f"{at}: exactly one provider type per entry")
    ((name, spec),) = provider.items()
    if name == "identity":
        return [None]
    if name not in _CIPHERS:
        raise ConfigError(
            f"{at}: provider {name!r} is not supported (identity, aescbc, aesgcm, secretbox)"
        )
    make, sizes = _CIPHERS[name]
    keys = (spec or {}).get("keys") or []
    if not keys:
        raise ConfigError(f"{at}.{name}.keys: at least one key is required")
    out: list[_Key | None] = []
    for i, key in enumerate(keys):
        key_at = f"{at}.{name}.keys[{i}]"
        try:
            secret = base64.b64decode(key["secret"], validate=True)
        except (KeyError, TypeError, binascii.Error):
            raise ConfigError(f"{key_at}.secret: must be base64") from None
        if len(secret) not in sizes:
            raise ConfigError(
                f"{key_at}.secret: {name} keys are {' or '.join(map(str, sizes))} bytes long, "
                f"not {len(secret)}"
            )
        if not key.get("name"):
            raise ConfigError(f"{key_at}.name: required")
        out.append(_Key(PREFIX + f"{name}:v1:{key['name']}:".encode(), make(secret)))
    return out


class EncryptionConfig:
    def __init__(self, entries: list[tuple[list[str], ProviderChain]]) -> None:
        self._entries = entries

    @classmethod
    def load(cls, path: Path) -> EncryptionConfig:
        try:
            doc = yaml.safe_load(path.read_text())
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        if not isinstance(doc, dict) or (doc.get("apiVersion"), doc.get("kind")) != KINDS:
            raise ConfigError(f"{path}: not an {KINDS[0]} {KINDS[1]}")
        entries = []
        for i, entry in enumerate(doc.get("resources") or []):
            at = f"resources[{i}]"
            names = entry.get("resources") or []
            if not names:
                raise ConfigError(f"{at}.resources: at least one resource is required")
            providers = entry.get("providers") or []
            if not providers:
                raise ConfigError(f"{at}.providers: at least one provider is required")
            keys = [
                k
                for j, p in enumerate(providers)
                for k in _provider_keys(p, f"{at}.providers[{j}]")
            ]
            entries.append((list(names), ProviderChain(keys)))
        return cls(entries)

    def transformer(self, resource: str, group: str) -> Transformer:
        """The providers of the first entry naming this resource (identity when none does)."""
        candidates = {f"{resource}.{group}", f"*.{group}", "*.*"}
        if not group:
            candidates |= {resource, "*."}
        for names, chain in self._entries:
            if candidates.intersection(names):
                return chain
        return IDENTITY

    def by_key(self, key_roots: dict[str, tuple[str, str]]) -> Callable[[str], Transformer]:
        """A storage key's transformer, given each key root's (resource, group)."""
        roots = sorted(
            ((root, self.transformer(*gr)) for root, gr in key_roots.items()),
            key=lambda item: -len(item[0]),  # /registry/services/specs/ before /registry/services/
        )

        def for_key(key: str) -> Transformer:
            for root, transformer in roots:
                if key.startswith(root):
                    return transformer
            return IDENTITY

        return for_key
