"""Schema-driven decoding of request bodies for built-in kinds.

kube-apiserver decodes a body into Go structs: fields the struct lacks are dropped (and
reported as `unknown field "spec.foo"` for the `fieldValidation` modes), values of the wrong
JSON type fail with Go's json error (`json: cannot unmarshal string into Go struct field
DeploymentSpec.spec.replicas of type int32`), and the few types with their own decoders
(Time, MicroTime, Quantity, IntOrString, []byte) fail with their own messages.

The OpenAPI definitions stand in for the Go structs. Each is compiled once into decoder
nodes (property maps, element decoders, Go type names for messages), because this runs on
every write; decoding copies nothing unless a field is removed, so a subtree comes back as
the very object passed in when nothing in it was dropped. Errors are ordered as Go reports
them: a failure inside a type's own decoder stops decoding and wins, so it goes first;
otherwise the first type error in document order. Unknown fields matter only without errors.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from kube_apiserver.openapi import definitions as defs

_META = "io.k8s.apimachinery.pkg.apis.meta.v1."
# Typed as plain objects, but Go decodes them into raw JSON holders that accept anything.
_FREE_FORM = frozenset(
    {
        "io.k8s.apimachinery.pkg.runtime.RawExtension",
        _META + "FieldsV1",
        _META + "Patch",
    }
)
# Go structs embedded inline: their fields appear flat in JSON but Go's error path names
# them (`Volume.spec.volumes.VolumeSource.configMap`). name -> (embedded struct, the fields
# that are its own, or with a leading "!" the outer struct's own fields instead).
_INLINED = {
    "io.k8s.api.core.v1.Volume": ("VolumeSource", "!name"),
    "io.k8s.api.core.v1.EphemeralContainer": ("EphemeralContainerCommon", "!targetContainerName"),
    "io.k8s.api.core.v1.Probe": ("ProbeHandler", "exec httpGet tcpSocket grpc"),
    "io.k8s.api.core.v1.PersistentVolumeSpec": (
        "PersistentVolumeSource",
        "!accessModes "
        "capacity claimRef mountOptions nodeAffinity persistentVolumeReclaimPolicy "
        "storageClassName volumeMode volumeAttributesClassName",
    ),
}
_RESOURCE_LIST_OWNERS = ("io.k8s.api.core.v1.", "io.k8s.api.node.v1.")
_DROP = object()


@dataclass(slots=True)
class DecodeResult:
    obj: Any
    unknown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# A path is a chain of (parent, segment, Go field names, Go struct name) tuples, built per
# level but only rendered when something is reported. Segments are field names, map keys
# (both rendered `.x`) or list indexes (`[i]`); Go's own type-error path keeps field names only.
Path = tuple[Any, str | int, tuple[str, ...], str | None] | None


def _strict_path(path: Path, leaf: str) -> str:
    parts = ["." + leaf]
    while path is not None:
        path, seg = path[0], path[1]
        parts.append(f"[{seg}]" if type(seg) is int else "." + seg)
    return "".join(reversed(parts))[1:]


class _State:
    __slots__ = ("unknown", "errors", "fatal")

    def __init__(self) -> None:
        self.unknown: list[str] = []
        self.errors: list[str] = []
        self.fatal = False

    def add_unknown(self, path: Path, key: str) -> None:
        if len(self.unknown) < 100:  # Go stops collecting strict errors at 100
            self.unknown.append(_strict_path(path, key))

    def error(self, message: str, *, fatal: bool = False) -> None:
        first_fatal, self.fatal = fatal and not self.fatal, self.fatal or fatal
        self.errors.insert(0 if first_fatal else len(self.errors), message)

    def type_error(self, desc: str, go_type: str, path: Path, *, fatal: bool = False) -> None:
        names: list[str] = []
        struct = None
        while path is not None:
            path, _, go_names, owner = path
            names[:0], struct = go_names, struct or owner
        target = f"struct field {struct}.{'.'.join(names)}" if struct else "value"
        self.error(f"json: cannot unmarshal {desc} into Go {target} of type {go_type}", fatal=fatal)


_JSON_KINDS = {str: "string", bool: "bool", dict: "object", list: "array"}


def _describe(value: Any) -> str:
    """How Go's json names a JSON value that does not fit."""
    return _JSON_KINDS.get(type(value), "number")


class _Node:
    """Decodes one value; `fast` lists Python types accepted without a call."""

    __slots__ = ("go_type", "fast")
    go_type: str
    fast: frozenset[type]

    def decode(self, value: Any, path: Path, st: _State) -> Any:
        return value


class _Object(_Node):
    """A struct (known properties, the rest dropped) or a map (`elem` for every key)."""

    __slots__ = ("struct", "props", "elem")

    def __init__(self, go_type: str, struct: str | None, elem: _Node | None = None) -> None:
        self.go_type, self.fast, self.struct = go_type, frozenset(), struct
        self.props: dict[str, tuple[_Node, tuple[str, ...]]] = {}
        self.elem = None if elem is None else (elem, ())

    def decode(self, value: Any, path: Path, st: _State) -> Any:
        if type(value) is not dict:
            st.type_error(_describe(value), self.go_type, path)
            return value
        props, elem, struct, repl = self.props, self.elem, self.struct, None
        for key, item in value.items():
            entry = props.get(key, elem)
            if entry is None:
                st.add_unknown(path, key)
                repl = repl or {}  # once set it is never empty, so `or` keeps it
                repl[key] = _DROP
                continue
            node = entry[0]
            if item is None or type(item) in node.fast:
                continue
            new = node.decode(item, (path, key, entry[1], struct), st)
            if new is not item:
                repl = repl or {}
                repl[key] = new
        return (
            value
            if repl is None
            else {k: new for k, old in value.items() if (new := repl.get(k, old)) is not _DROP}
        )


class _Array(_Node):
    __slots__ = ("elem",)

    def __init__(self, elem: _Node) -> None:
        self.elem, self.go_type, self.fast = elem, "[]" + elem.go_type, frozenset()

    def decode(self, value: Any, path: Path, st: _State) -> Any:
        if type(value) is not list:
            st.type_error(_describe(value), self.go_type, path)
            return value
        elem, out = self.elem, None
        for i, item in enumerate(value):
            if item is None or type(item) in elem.fast:
                continue
            new = elem.decode(item, (path, i, (), None), st)
            if new is not item:
                out = out or list(value)
                out[i] = new
        return value if out is None else out


class _Scalar(_Node):
    """string, bool and float fields check the JSON type; free-form values accept anything."""

    __slots__ = ()

    def __init__(self, go_type: str, fast: set[type]) -> None:
        self.go_type, self.fast = go_type, frozenset(fast)

    def decode(self, value: Any, path: Path, st: _State) -> Any:
        st.type_error(_describe(value), self.go_type, path)
        return value


class _Int(_Node):
    """int32/int64; an integral float (1.0) is accepted, a fractional or overflowing one is not.

    IntOrString is one too: strings pass untouched, and as it decodes its int half itself,
    a failure there stops decoding (`fatal`).
    """

    __slots__ = ("low", "high", "target", "fatal")

    def __init__(self, bits: int, *, int_or_string: bool = False) -> None:
        self.target, self.fatal = f"int{bits}", int_or_string
        self.go_type = "intstr.IntOrString" if int_or_string else self.target
        self.fast = frozenset({str}) if int_or_string else frozenset()
        self.low, self.high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1

    def decode(self, value: Any, path: Path, st: _State) -> Any:
        kind = type(value)
        if kind is int or kind is float:
            if (kind is int or value.is_integer()) and self.low <= value <= self.high:
                return value
            desc = f"number {value!r}"
        else:
            desc = _describe(value)
        st.type_error(desc, self.target, path, fatal=self.fatal)
        return value


class _Bytes(_Node):
    """`[]byte`: a base64 string (Go's StdEncoding) or, as Go allows, a list of bytes."""

    __slots__ = ()

    def __init__(self) -> None:
        self.go_type, self.fast = "[]uint8", frozenset()

    def decode(self, value: Any, path: Path, st: _State) -> Any:
        if type(value) is list:
            for item in value:
                if item is not None and not (type(item) is int and 0 <= item <= 255):
                    desc = f"number {item!r}" if type(item) in (int, float) else _describe(item)
                    st.type_error(desc, "uint8", path)
        elif type(value) is not str:
            st.type_error(_describe(value), self.go_type, path)
        elif (at := _base64_error(value)) is not None:
            st.error(f"illegal base64 data at input byte {at}")
        return value


_B64_CANONICAL = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_B64_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _base64_error(text: str) -> int | None:
    """Where Go's padded standard base64 decoder gives up (it skips CR/LF), or None."""
    if _B64_CANONICAL.fullmatch(text):
        return None
    src = text.encode()
    n, si, j = len(src), 0, 0  # j: characters seen of the current 4-character quantum
    while si < n:
        c = src[si]
        si += 1
        if c in _B64_ALPHABET:
            j = (j + 1) % 4
        elif c not in b"\r\n":
            if c != 61 or j < 2:  # not '=', or padding too early
                return si - 1
            if j == 2:  # "==" expected: find the second '='
                while si < n and src[si] in b"\r\n":
                    si += 1
                if si == n or src[si] != 61:
                    return n if si == n else si - 1
                si += 1
            while si < n and src[si] in b"\r\n":
                si += 1
            return si if si < n else None  # anything after the padding is garbage
    return None if j == 0 else n - j


class _Quantity(_Node):
    __slots__ = ()

    def __init__(self) -> None:
        self.go_type, self.fast = "resource.Quantity", frozenset({int, float})

    def decode(self, value: Any, path: Path, st: _State) -> Any:
        # Quantity parses the raw JSON text, so `true` or `{}` fail its own format check.
        if message := _quantity_error(value.strip()) if type(value) is str else _QUANTITY_FORMAT:
            st.error(message, fatal=True)
        return value


_QUANTITY_FORMAT = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
_QUANTITY_SHAPE = re.compile(r"[+-]?[0-9]*+(?:\.[0-9]*+)?+([eEinumkKMGTP]*+[-+]?[0-9]*+)")
_QUANTITY_SUFFIXES = frozenset(["", *"n u m k M G T P E Ki Mi Gi Ti Pi Ei".split()])
_EXPONENT = re.compile(r"[eE][+-]?[0-9]+")


def _quantity_error(text: str) -> str | None:
    match = _QUANTITY_SHAPE.fullmatch(text) if text else None
    if match is None:
        return _QUANTITY_FORMAT
    suffix = match[1]
    if suffix in _QUANTITY_SUFFIXES or (
        _EXPONENT.fullmatch(suffix) and abs(int(suffix[1:])) < 1 << 63
    ):
        return None
    return "unable to parse quantity's suffix"


class _Time(_Node):
    """metav1.Time (RFC 3339) and MicroTime (RFC 3339 with exactly six fractional digits)."""

    __slots__ = ("micro",)

    def __init__(self, go_type: str, *, micro: bool) -> None:
        self.go_type, self.fast, self.micro = go_type, frozenset(), micro

    def decode(self, value: Any, path: Path, st: _State) -> Any:
        if type(value) is not str:  # the type's own decoder reads a Go string first
            st.type_error(_describe(value), "string", path, fatal=True)
        elif message := _time_error(value, micro=self.micro):
            st.error(message, fatal=True)
        return value


def _time_layout(*, micro: bool) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(literal prefix, layout element, what Go's parser accepts there) for each element."""
    # The hour may be one digit; a layout without fractional seconds still takes them.
    seconds = (("", ".000000", r"[.,][0-9]{6}"),) if micro else ()
    return tuple(
        (prefix, elem, re.compile(pattern))
        for prefix, elem, pattern in (
            ("", "2006", r"[+-][0-9]{3}|[0-9]{4}"),
            ("-", "01", r"[0-9]{2}"),
            ("-", "02", r"[0-9]{2}"),
            ("T", "15", r"[0-9]{1,2}"),
            (":", "04", r"[0-9]{2}"),
            (":", "05", r"[0-9]{2}" if micro else r"[0-9]{2}(?:[.,][0-9]+)?"),
            *seconds,
            ("", "Z07:00", r"Z|[+-]([0-9]{2}):([0-9]{2})"),
        )
    )


_LAYOUTS = {
    False: ("2006-01-02T15:04:05Z07:00", _time_layout(micro=False)),
    True: ("2006-01-02T15:04:05.000000Z07:00", _time_layout(micro=True)),
}
_RANGES = {
    "01": (1, 12, "month"),
    "15": (0, 23, "hour"),
    "04": (0, 59, "minute"),
    "05": (0, 59, "second"),
}


def _out_of_range(elem: str, match: re.Match[str]) -> str | None:
    if elem == "Z07:00":
        if match[2] and int(match[2]) > 60:
            return "time zone offset minute"
        return "time zone offset hour" if match[1] and int(match[1]) > 24 else None
    low, high, what = _RANGES.get(elem) or (0, 0, None)
    return None if what is None or low <= int(match[0][:2]) <= high else what


def _time_error(value: str, *, micro: bool) -> str | None:
    """Go's time.Parse error for the RFC 3339 (or RFC 3339 micro) layout, or None."""
    layout, elements = _LAYOUTS[micro]
    head, pos, numbers = f"parsing time {_go_quote(value)}", 0, []
    for prefix, elem, pattern in elements:
        if not value.startswith(prefix, pos):
            elem = prefix
        else:
            pos += len(prefix)
            match = pattern.match(value, pos)
            if match is not None:
                if (what := _out_of_range(elem, match)) is not None:
                    return f"{head}: {what} out of range"
                pos = match.end()
                numbers.append(match[0])
                continue
        return (
            f"{head} as {_go_quote(layout)}: cannot parse {_go_quote(value[pos:])} "
            f"as {_go_quote(elem)}"
        )
    if pos < len(value):
        return f"{head}: extra text: {_go_quote(value[pos:])}"
    year, month, day = int(numbers[0]), int(numbers[1]), int(numbers[2])
    days = (31, 28 + calendar.isleap(year), 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return None if 1 <= day <= days else f"{head}: day out of range"


def _go_name(name: str) -> str:
    """`io.k8s.api.core.v1.PodSpec` -> `v1.PodSpec`, as Go's reflect prints the type."""
    return ".".join(name.rsplit(".", 2)[-2:])


def _type_of(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")  # nullable types are lists: ["string", "null"]
    return next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind


class _Compiler:
    """Turns definitions into decoder nodes, each definition once (they refer to themselves)."""

    def __init__(self) -> None:
        self.named: dict[str, _Node] = {}

    def named_node(self, name: str) -> _Node:
        node = self.named.get(name)
        if node is None:
            node = self.named[name] = self.node(defs.definitions()[name], name=name)
        return node

    def node(self, schema: dict[str, Any], *, name: str = "", owner: str = "") -> _Node:
        ref = schema.get("$ref")
        if ref:
            return self.named_node(ref[len(defs.REF_PREFIX) :])
        go_type = _go_name(name) if name else ""
        if schema.get("x-kubernetes-preserve-unknown-fields"):
            return _free(go_type or "map[string]interface {}")
        if "oneOf" in schema:
            kinds = {_type_of(choice) for choice in schema["oneOf"]}
            if kinds == {"string", "integer"}:
                return _Int(32, int_or_string=True)
            return _Quantity() if kinds == {"string", "number"} else _free(go_type)
        kind = _type_of(schema)
        if kind == "object" or "properties" in schema:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                elem = self.node(extra, owner=owner)
                map_type = f"map[string]{elem.go_type}"
                if isinstance(elem, _Quantity) and owner.startswith(_RESOURCE_LIST_OWNERS):
                    map_type = "v1.ResourceList"
                return _Object(go_type or map_type, None, elem)
            if "properties" in schema or (name and name not in _FREE_FORM):
                return self.struct(schema, name or owner, register=name in defs.definitions())
            return _free(go_type or "map[string]interface {}")
        if kind == "array":
            return _Array(self.node(schema.get("items") or {}, owner=owner))
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "date-time":
                return _Time(go_type or "v1.Time", micro=name.endswith("MicroTime"))
            return _Bytes() if fmt == "byte" else _Scalar(go_type or "string", {str})
        if kind == "integer":
            return _Int(32 if schema.get("format") == "int32" else 64)
        if kind in ("number", "boolean"):
            return _Scalar(go_type or _SCALAR_TYPES[kind][0], _SCALAR_TYPES[kind][1])
        return _free(go_type)

    def struct(self, schema: dict[str, Any], name: str, *, register: bool) -> _Object:
        node = _Object(_go_name(name), name.rsplit(".", 1)[-1])
        if register:
            self.named[name] = node  # before its fields, which may lead back to it
        embedded, listed = _INLINED.get(name, ("", ""))
        own, listed = listed.startswith("!"), set(listed.lstrip("!").split())
        for prop, sub in schema.get("properties", {}).items():
            inlined = embedded and (prop in listed) != own
            go_names = (embedded, prop) if inlined else (prop,)
            node.props[prop] = (self.node(sub, owner=name), go_names)
        return node


def _free(go_type: str) -> _Node:
    return _Scalar(go_type or "interface {}", {dict, list, str, int, float, bool})


_SCALAR_TYPES = {"number": ("float64", {int, float}), "boolean": ("bool", {bool})}


@functools.cache
def _compiled() -> tuple[_Compiler, dict[int, str]]:
    """All definitions compiled up front, and their names by identity to find the top level."""
    compiler = _Compiler()
    for name in defs.definitions():
        compiler.named_node(name)
    return compiler, {id(schema): name for name, schema in defs.definitions().items()}


def _node_for(schema: dict[str, Any]) -> _Node:
    compiler, names = _compiled()
    name = names.get(id(schema))
    if name is not None:
        return compiler.named[name]
    # A schema that is not one of the definitions (a test's own) is compiled on each call.
    kinds = schema.get("x-kubernetes-group-version-kind") or [{}]
    return compiler.node(schema, name=kinds[0].get("kind") or "Object")


def decode_object(obj: dict[str, Any], schema: dict[str, Any]) -> DecodeResult:
    """Decode a request body against its kind's top-level definition.

    `errors[0]`, when present, is the message Kubernetes fails the request with (wrapped by
    the caller as "<Kind> in version ... cannot be handled as a <Kind>: ..."); otherwise
    `unknown` lists the dropped fields for the `fieldValidation` directive.
    """
    st = _State()
    for key in ("apiVersion", "kind") if type(obj) is dict else ():
        # Go sniffs these into an anonymous struct before decoding anything else.
        if (value := obj.get(key)) is not None and type(value) is not str:
            return DecodeResult(
                obj,
                [],
                [
                    f"couldn't get version/kind; json parse error: json: "
                    f"cannot unmarshal {_describe(value)} into Go struct "
                    f"field .{key} of type string"
                ],
            )
    decoded = _node_for(schema).decode(obj, None, st)
    return DecodeResult(decoded, st.unknown, st.errors)


_GO_ESCAPES = {
    "\a": "a",
    "\b": "b",
    "\f": "f",
    "\n": "n",
    "\r": "r",
    "\t": "t",
    "\v": "v",
    '"': '"',
    "\\": "\\",
}


def _go_quote(text: str) -> str:
    """Go's strconv.Quote, near enough: printable text kept, the rest escaped."""
    out = []
    for ch in text:
        code = ord(ch)
        out.append(
            "\\" + _GO_ESCAPES[ch]
            if ch in _GO_ESCAPES
            else ch
            if ch.isprintable()
            else f"\\x{code:02x}"
            if code < 0x80
            else f"\\u{code:04x}"
            if code < 0x10000
            else f"\\U{code:08x}"
        )
    return '"' + "".join(out) + '"'


def unknown_field_errors(unknown: list[str]) -> list[str]:
    """Each unknown field as Go's strict decoder words it: `unknown field "spec.foo"`."""
    return [f"unknown field {_go_quote(path)}" for path in unknown]


def unknown_fields_message(unknown: list[str]) -> str:
    """The Strict-mode 400 text: `strict decoding error: unknown field "a", unknown field "b"`."""
    return "strict decoding error: " + ", ".join(unknown_field_errors(unknown))


def warning_header_values(unknown: list[str]) -> list[str]:
    """`Warning` header values for Warn mode: `299 - "unknown field \\"spec.foo\\""`."""
    return [
        '299 - "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        for text in unknown_field_errors(unknown)
    ]
