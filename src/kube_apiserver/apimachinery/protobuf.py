"""Reading Kubernetes' protobuf request bodies, for the kinds whose wire form is described here.

client-go's typed clients (and so `kubectl auth`, ...) send `application/vnd.kubernetes.protobuf`:
the bytes `k8s\\x00`, then a runtime.Unknown message holding the TypeMeta and the object's own
protobuf encoding. Field numbers are not in the OpenAPI data, so a kind is readable once its
messages are described (`Message`: field number -> `Field`) and registered by its API group.
The result is the object's JSON form: zero scalars and empty lists are left out (the JSON
encoding omits them too), a zero creationTimestamp reads as null. Unknown fields are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kube_apiserver.apimachinery import errors

MAGIC = b"k8s\x00"
_GO_ZERO_TIME_SECONDS = -62135596800


@dataclass(frozen=True)
class Field:
    name: str  # the JSON name
    kind: str = "string"  # string, bool, int, time, message, map
    message: Mapping[int, Field] | None = None  # of a message field, or of a map's values
    repeated: bool = False


Message = Mapping[int, Field]

_REGISTERED: dict[tuple[str, str], Message] = {}


def register(api_version: str, kind: str, message: Message) -> None:
    _REGISTERED[(api_version, kind)] = message


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int, Any]]:
    """(number, wire type, value) of each field: ints for varints, bytes for the rest."""
    out: list[tuple[int, int, Any]] = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            length, pos = _varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, pos = data[pos : pos + size], pos + size
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if pos > len(data):
            raise ValueError("truncated field")
        out.append((number, wire, value))
    return out


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _time(data: bytes) -> str | None:
    parts = {n: v for n, _, v in _fields(data)}
    # client-go writes an unset time as an empty message.
    seconds = _signed(parts.get(1, 0))
    if not parts or seconds == _GO_ZERO_TIME_SECONDS:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _scalar(spec: Field, value: Any) -> Any:
    if spec.kind == "string":
        return value.decode("utf-8", "replace")
    if spec.kind == "bool":
        return bool(value)
    if spec.kind == "int":
        return _signed(value)
    if spec.kind == "time":
        return _time(value)
    if spec.kind == "message":
        return decode_message(value, spec.message or {})
    raise ValueError(f"unknown field kind {spec.kind}")


def decode_message(data: bytes, message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for number, _, value in _fields(data):
        spec = message.get(number)
        if spec is None:
            continue
        if spec.kind == "map":
            entry = {n: v for n, _, v in _fields(value)}
            key = entry.get(1, b"").decode("utf-8", "replace")
            raw = entry.get(2, b"")
            item = decode_message(raw, spec.message) if spec.message else raw.decode()
            out.setdefault(spec.name, {})[key] = item
        elif spec.repeated:
            out.setdefault(spec.name, []).append(_scalar(spec, value))
        else:
            out[spec.name] = _scalar(spec, value)
    # The JSON form leaves zero values out; an unset creation time reads as null.
    return {k: v for k, v in out.items() if v not in ("", 0, False) or k == "creationTimestamp"}


def decode(body: bytes) -> dict[str, Any] | None:
    """The JSON form of a protobuf-encoded object; None when it is not one this server can
    read (no envelope, or a kind whose wire form is not described)."""
    if not body.startswith(MAGIC):
        return None
    try:
        envelope = {n: v for n, _, v in _fields(body[len(MAGIC) :])}
        type_meta = {n: v.decode() for n, _, v in _fields(envelope.get(1, b""))}
        api_version, kind = type_meta.get(1, ""), type_meta.get(2, "")
        message = _REGISTERED.get((api_version, kind))
        if message is None:
            return None
        obj = decode_message(envelope.get(2, b""), message)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"unable to decode protobuf body: {exc}") from None
    return {"apiVersion": api_version, "kind": kind, **obj}


# ObjectMeta, shared by every kind (managed fields and owner references are not read).
OBJECT_META: Message = {
    1: Field("name"),
    2: Field("generateName"),
    3: Field("namespace"),
    4: Field("selfLink"),
    5: Field("uid"),
    6: Field("resourceVersion"),
    7: Field("generation", "int"),
    8: Field("creationTimestamp", "time"),
    9: Field("deletionTimestamp", "time"),
    10: Field("deletionGracePeriodSeconds", "int"),
    11: Field("labels", "map"),
    12: Field("annotations", "map"),
    14: Field("finalizers", repeated=True),
}
