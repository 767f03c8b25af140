"""The patch engine behind PATCH requests: (content type, current object, body) -> new object.

kube-apiserver accepts three patch formats for built-in kinds, named by the request's
Content-Type: JSON patch (RFC 6902, a list of operations), JSON merge patch (RFC 7386) and
strategic merge patch (merge patch steered by the kind's schema, see `strategicpatch`).
Server-side apply is the fourth type it lists but is not implemented here.

Every failure is a `PatchError` whose `code` is the HTTP status kube-apiserver answers with for
it (400 undecodable patch, 413 too many operations, 415 unsupported type, 422 an operation that
does not apply, 500 the merge errors apimachinery leaves untyped), and whose message follows the
Go libraries' wording, since kubectl prints it verbatim after "Error from server". JSON patch
operations run through the `jsonpatch` library one at a time so a failure can be described in
terms of the operation that failed, and keep the Go library's leniencies (replace of a missing
object key adds it; a missing `value` means null).
"""

from __future__ import annotations

import copy
from typing import Any

import jsonpatch
import jsonpointer
import orjson

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH)

MAX_JSON_PATCH_OPERATIONS = 10000

_OPERATIONS = ("add", "remove", "replace", "move", "test", "copy")
_MISSING_PATH = {
    "add": 'add operation does not apply: doc is missing path: "{}": missing value',
    "remove": 'remove operation does not apply: doc is missing path: "{}": missing value',
    "replace": "replace operation does not apply: doc is missing path: {}: missing value",
    "move": "move operation does not apply: doc is missing destination path: {}: missing value",
    "copy": "copy operation does not apply: doc is missing destination path: {}: missing value",
}
_UNDECODABLE_PATH = {
    "add": "add operation failed to decode path: missing value",
    "remove": "remove operation failed to decode path: missing value",
    "copy": "copy operation failed to decode path: missing value",
}


class PatchError(Exception):
    """A patch that cannot be applied; `code` is the HTTP status to answer with."""

    def __init__(self, message: str, *, code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class UnsupportedPatchType(PatchError):
    """A Content-Type this server does not apply (415 Unsupported Media Type)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=415)


def apply_patch(
    patch_type: str, original: dict[str, Any], patch_bytes: bytes, schema: dict[str, Any] | None
) -> dict[str, Any]:
    """Apply a PATCH body of content type `patch_type` to `original`, returning a new object.

    `schema` is the kind's definition, used by strategic merge patch (None for unknown kinds).
    """
    # Imported here because strategicpatch imports PatchError from this module.
    from kube_apiserver.apimachinery.strategicpatch import apply_strategic_merge_patch

    media_type = patch_type.split(";", 1)[0].strip().lower()
    if media_type == APPLY_PATCH:
        raise UnsupportedPatchType(
            f"{APPLY_PATCH} (server-side apply) is not supported by this server; "
            "use client-side apply"
        )
    if media_type not in PATCH_TYPES:
        raise UnsupportedPatchType(
            "the body of the request was in an unknown format - accepted media types include: "
            + ", ".join(PATCH_TYPES)
        )
    try:
        body = orjson.loads(patch_bytes)
    except orjson.JSONDecodeError as exc:
        raise PatchError(str(exc)) from exc
    if media_type == JSON_PATCH:
        return _json_patch(original, body)
    if media_type == MERGE_PATCH:
        if not isinstance(body, dict):
            raise PatchError("Invalid JSON Patch")
        return _merge_patch(original, body)
    if body is None:  # Go decodes `null` into an empty patch
        body = {}
    if not isinstance(body, dict):
        raise PatchError(_cannot_unmarshal(body, "map[string]interface {}"))
    return apply_strategic_merge_patch(original, body, schema)


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def _json_patch(original: dict[str, Any], operations: Any) -> dict[str, Any]:
    if not isinstance(operations, list):
        raise PatchError(_cannot_unmarshal(operations, "jsonpatch.Patch"))
    for operation in operations:
        if not isinstance(operation, dict):
            raise PatchError(_cannot_unmarshal(operation, "jsonpatch.Operation"))
    if len(operations) > MAX_JSON_PATCH_OPERATIONS:
        raise PatchError(
            f"The allowed maximum operations in a JSON patch is {MAX_JSON_PATCH_OPERATIONS}, "
            f"got {len(operations)}",
            code=413,
        )
    doc: Any = copy.deepcopy(original)
    for operation in operations:
        doc = _apply_operation(doc, operation)
    if not isinstance(doc, dict):
        raise PatchError(_cannot_unmarshal(doc, "map[string]interface {}"), code=422)
    return doc


def _apply_operation(doc: Any, operation: dict[str, Any]) -> Any:
    kind = operation.get("op")
    if kind not in _OPERATIONS:
        raise PatchError(
            f"Unexpected kind: {kind if isinstance(kind, str) else 'unknown'}", code=422
        )
    operation = dict(operation)
    if kind in ("move", "copy"):
        source = operation.get("from")
        if not isinstance(source, str):
            raise _failed(
                f"{kind} operation failed to decode from: operation, missing from field: missing value"
            )
        located = _locate(doc, source)
        if located is None:
            raise _failed(
                f"{kind} operation does not apply: doc is missing from path: {source}: missing value"
            )
        operation["from"] = located[2]
    path = operation.get("path")
    if not isinstance(path, str):
        raise _failed(
            _UNDECODABLE_PATH.get(kind)
            or f"{kind} operation failed to decode path: operation missing path field: missing value"
        )
    if kind == "test":
        _test(doc, path, operation)
        return doc
    if kind in ("add", "replace"):
        operation.setdefault("value", None)  # the Go library applies a missing value as null
    target = None
    if not (kind == "replace" and path == ""):
        target = _locate(doc, path, inserting=kind in ("add", "move", "copy"))
        if target is None:
            raise _failed(_MISSING_PATH[kind].format(path))
        container, key, operation["path"] = target
        if kind == "replace" and isinstance(container, dict) and key not in container:
            operation["op"] = "add"  # the Go library adds a missing object key
    try:
        return jsonpatch.JsonPatch([operation]).apply(doc, in_place=True)
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
        raise _failed(_describe(kind, path, target, exc)) from exc


def _describe(kind: str, path: str, target: tuple[Any, str, str] | None, exc: Exception) -> str:
    container, key, _ = target or (None, "", "")
    if isinstance(container, list):
        if kind == "replace":
            return f"replace operation does not apply: doc is missing key: {path}: missing value"
        return (
            f"error in {kind} for path: '{path}': Unable to access invalid index: {key}: "
            "invalid index referenced"
        )
    if kind == "remove":
        return (
            f"error in remove for path: '{path}': Unable to remove nonexistent key: {key}: "
            "missing value"
        )
    return f"{kind} operation does not apply: {exc}"


def _test(doc: Any, path: str, operation: dict[str, Any]) -> None:
    if path == "":
        actual = doc
    else:
        target = _locate(doc, path)
        if target is None:
            raise _failed(f"test operation does not apply: is missing path: {path}: missing value")
        container, key, _ = target
        if isinstance(container, dict):
            actual = container.get(key)
        else:
            index = _list_index(key, len(container))
            if index is None:
                raise _failed(
                    f"error in test for path: '{path}': Unable to access invalid index: {key}: "
                    "invalid index referenced"
                )
            actual = container[index]
    expected = operation.get("value")
    if actual is None and expected is None:
        return
    if actual is None or "value" not in operation or not _json_equal(actual, expected):
        raise _failed(f"testing value {path} failed: test failed")


def _locate(doc: Any, pointer: str, *, inserting: bool = False) -> tuple[Any, str, str] | None:
    """The container a JSON pointer's last token addresses, that token, and the pointer with
    negative list indexes (a Go library extension) made absolute; None when the path to the
    container does not exist (the Go library's notion of a missing path)."""
    tokens = pointer.split("/")
    if len(tokens) < 2:
        return None
    node, last = doc, len(tokens) - 1
    for at in range(1, len(tokens)):
        if not isinstance(node, dict | list):
            return None
        if isinstance(node, list) and tokens[at].startswith("-") and tokens[at][1:].isdigit():
            # An insertion may address one past the end, so it counts from len + 1.
            absolute = int(tokens[at]) + len(node) + (inserting and at == last)
            tokens[at] = str(absolute) if absolute >= 0 else tokens[at]
        token = tokens[at].replace("~1", "/").replace("~0", "~")
        if at == last:
            break
        if isinstance(node, dict):
            node = node.get(token)
        else:
            index = _list_index(token, len(node))
            node = None if index is None else node[index]
    return node, token, "/".join(tokens)


def _list_index(token: str, length: int) -> int | None:
    return int(token) if token.isdigit() and int(token) < length else None


def _json_equal(left: Any, right: Any) -> bool:
    """JSON equality that, like the Go library, tells 1, 1.0 and true apart."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(
            _json_equal(v, right[k]) for k, v in left.items()
        )
    if isinstance(left, list):
        return len(left) == len(right) and all(map(_json_equal, left, right))
    return left == right


def _failed(message: str) -> PatchError:
    return PatchError(message, code=422)


def _cannot_unmarshal(value: Any, go_type: str) -> str:
    if isinstance(value, bool):
        kind = "bool"
    else:
        kind = {dict: "object", list: "array", str: "string", int: "number", float: "number"}.get(
            type(value), "null"
        )
    return f"json: cannot unmarshal {kind} into Go value of type {go_type}"
