"""Reading Kubernetes' protobuf request bodies, for the kinds whose wire form is described here.

client-go's typed clients send `application/vnd.kubernetes.protobuf`: kubectl 1.32+ for its
`create <kind>` generators, `create token` and `auth` commands. The body is the bytes `k8s\\x00`,
then a runtime.Unknown message holding the TypeMeta and the object's own protobuf encoding.
Field numbers are not in the OpenAPI data, so a kind is readable once its messages are
described (`Message`: field number -> `Field`) and registered by its API group; each API group
describes its kinds in `apis/<group>/protobuf.py`.

The result is the object's JSON form. Go writes every non-pointer field, zero or not, and JSON
leaves zero values out (`omitempty`), so zeros are dropped unless a field says otherwise
(`keep_zero`: a pointer, whose zero the client set on purpose). A field this server does not
describe is refused when it carries a value rather than dropped: a body is read whole or not
at all.
"""

from __future__ import annotations

import base64
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
    # string, bool, int, time, bytes (base64 in JSON), quantity, intorstring, message,
    # stringlist (a message of one repeated string, e.g. ExtraValue: a list in JSON), map,
    # status (an empty status, which creates and updates ignore), ignored (managedFields: the
    # server's own), or inline (a message whose fields JSON writes into its parent's object).
    kind: str = "string"
    message: Mapping[int, Field] | None = None  # of a message field, or of a map's values
    repeated: bool = False
    keep_zero: bool = False  # a pointer: a zero value is kept, not dropped
    value: str = "string"  # the kind of a map's values


Message = Mapping[int, Field]

_REGISTERED: dict[tuple[str, str], Message] = {}


class Undescribed(Exception):
    """A body carries a field this server has no description of."""


def register(api_version: str, kind: str, message: Message) -> None:
    _REGISTERED[(api_version, kind)] = message


def register_all(api_version: str, messages: Mapping[str, Message]) -> None:
    for kind, message in messages.items():
        register(api_version, kind, message)


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


def _int_or_string(data: bytes) -> int | str:
    parts = {n: v for n, _, v in _fields(data)}
    if parts.get(1, 0) == 1:
        return parts.get(3, b"").decode("utf-8", "replace")
    return _signed(parts.get(2, 0))


def _value(kind: str, message: Message | None, value: Any, path: str) -> Any:
    if kind == "string":
        return value.decode("utf-8", "replace")
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return _signed(value)
    if kind == "time":
        return _time(value)
    if kind == "bytes":
        return base64.b64encode(value).decode()
    if kind == "quantity":
        return {n: v for n, _, v in _fields(value)}.get(1, b"").decode()
    if kind == "intorstring":
        return _int_or_string(value)
    if kind == "stringlist":
        return [v.decode("utf-8", "replace") for n, _, v in _fields(value) if n == 1]
    if kind == "message":
        return decode_message(value, message or {}, path)
    raise ValueError(f"unknown field kind {kind}")


def _is_zero(value: Any) -> bool:
    return value in ("", 0, False, None, b"")


def _all_zero(data: bytes) -> bool:
    """Whether a message holds only zero values, as Go writes an empty struct."""
    try:
        return all(_is_zero(v) or (w == 2 and _all_zero(v)) for _, w, v in _fields(data))
    except ValueError:
        return False


def decode_message(data: bytes, message: Message, path: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for number, _, value in _fields(data):
        spec = message.get(number)
        if spec is None:
            if _is_zero(value):
                continue
            raise Undescribed(f"field {number} of {path or 'the object'}")
        where = f"{path}.{spec.name}" if path else spec.name
        if spec.kind == "ignored":
            continue
        if spec.kind == "inline":
            # A Go struct embedded with `json:",inline"`: its fields are the parent's in JSON.
            out.update(decode_message(value, spec.message or {}, path))
            continue
        if spec.kind == "status":
            # Creates and updates ignore a status, but a status update would need it: one that
            # carries values is refused rather than lost.
            if not _all_zero(value):
                raise Undescribed(where)
            continue
        if spec.kind == "map":
            entry = {n: v for n, _, v in _fields(value)}
            key = entry.get(1, b"").decode("utf-8", "replace")
            item = _value(spec.value, spec.message, entry.get(2, b""), f"{where}[{key}]")
            out.setdefault(spec.name, {})[key] = item
        elif spec.repeated:
            items = out.setdefault(spec.name, [])
            items.append(_value(spec.kind, spec.message, value, f"{where}[{len(items)}]"))
        else:
            item = _value(spec.kind, spec.message, value, where)
            if _is_zero(item) and not spec.keep_zero and spec.kind != "time":
                out.pop(spec.name, None)
                continue
            out[spec.name] = item
    # An unset time is left out, except creationTimestamp, which Go's JSON writes as null.
    return {k: v for k, v in out.items() if v is not None or k == "creationTimestamp"}


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
    except Undescribed as exc:
        raise errors.StatusError(
            415,
            "UnsupportedMediaType",
            f"this server cannot read {exc} in a protobuf {kind}; send it as JSON or YAML",
        ) from None
    return {"apiVersion": api_version, "kind": kind, **obj}


# The k8s.io/apimachinery messages every group uses (meta/v1).
OWNER_REFERENCE: Message = {
    1: Field("kind"),
    3: Field("name"),
    4: Field("uid"),
    5: Field("apiVersion"),
    6: Field("controller", "bool", keep_zero=True),
    7: Field("blockOwnerDeletion", "bool", keep_zero=True),
}
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
    10: Field("deletionGracePeriodSeconds", "int", keep_zero=True),
    11: Field("labels", "map"),
    12: Field("annotations", "map"),
    13: Field("ownerReferences", "message", OWNER_REFERENCE, repeated=True),
    14: Field("finalizers", repeated=True),
    17: Field("managedFields", "ignored"),
}
LABEL_SELECTOR_REQUIREMENT: Message = {
    1: Field("key"),
    2: Field("operator"),
    3: Field("values", repeated=True),
}
LABEL_SELECTOR: Message = {
    1: Field("matchLabels", "map"),
    2: Field("matchExpressions", "message", LABEL_SELECTOR_REQUIREMENT, repeated=True),
}


def spec_and_status(spec: Message) -> Message:
    """The usual shape of a kind: metadata 1, spec 2 and a status 3 that writes ignore."""
    return {
        1: Field("metadata", "message", OBJECT_META),
        2: Field("spec", "message", spec),
        3: Field("status", "status"),
    }
