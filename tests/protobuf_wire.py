"""Protobuf bytes built by hand, for tests of the server's decoder: the field encodings and the
`k8s\\x00` envelope Kubernetes puts around an object."""

from __future__ import annotations

from kube_apiserver.apimachinery import protobuf


def varint(n: int) -> bytes:
    n &= (1 << 64) - 1  # negative numbers as Go writes int64: ten bytes of two's complement
    out = b""
    while True:
        byte, n = n & 0x7F, n >> 7
        out += bytes([byte | (0x80 if n else 0)])
        if not n:
            return out


def field(number: int, payload: bytes | str) -> bytes:
    """A length-delimited field: a string, bytes or an embedded message."""
    data = payload.encode() if isinstance(payload, str) else payload
    return varint(number << 3 | 2) + varint(len(data)) + data


def int_field(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value)


def entry(number: int, key: str, value: bytes | str) -> bytes:
    """One entry of a map field."""
    return field(number, field(1, key) + field(2, value))


def envelope(api_version: str, kind: str, raw: bytes) -> bytes:
    type_meta = field(1, api_version) + field(2, kind)
    return protobuf.MAGIC + field(1, type_meta) + field(2, raw)
