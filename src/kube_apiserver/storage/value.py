"""Value transformers: what a backend applies to an object's bytes on their way to and from
the store (Kubernetes' `value.Transformer`). Encryption at rest is one (see encryption.py)."""

from __future__ import annotations

from typing import Protocol


class Transformer(Protocol):
    def encrypt(self, data: bytes, context: bytes) -> bytes:
        """The bytes to store for `data`; `context` is the storage key (authenticated data)."""
        ...

    def decrypt(self, stored: bytes, context: bytes) -> bytes:
        """The plain bytes for a stored value; raises ValueError when it cannot be read."""
        ...


class Identity:
    """Stores values as they are."""

    def encrypt(self, data: bytes, context: bytes) -> bytes:
        return data

    def decrypt(self, stored: bytes, context: bytes) -> bytes:
        return stored


IDENTITY = Identity()
