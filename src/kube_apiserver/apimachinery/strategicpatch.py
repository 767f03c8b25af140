"""Kubernetes strategic merge patch, applied the way kube-apiserver applies it.

`application/strategic-merge-patch+json` is what client-side `kubectl apply` and `kubectl
patch` send by default. It is JSON merge patch plus knowledge taken from the kind's OpenAPI
schema: lists marked `x-kubernetes-patch-strategy: merge` are merged element by element (by
their `x-kubernetes-patch-merge-key`, or as sets of primitives), `retainKeys` lets a patch
clear the keys it does not list, and the patch may carry directives: `$patch` (replace, delete),
`$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.

The steps follow apimachinery's apply path in its order (a map's `$patch` first, then
`$retainKeys`, then the ordered lists, then every other key), with its list ordering rules and
its error messages, because kubectl computes its three-way patches against exactly those rules.
Values a patch introduces wholesale lose their nulls and directives, which is what the typed
decode after the merge does in the real server. A field without schema merges like JSON merge
patch (maps merge, lists are replaced). Inputs are never mutated: each level copies the map or
list it changes and shares everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kube_apiserver.apimachinery.patch import PatchError
from kube_apiserver.openapi.definitions import resolve

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ORDER_PREFIX = "$setElementOrder"
DELETE_PREFIX = "$deleteFromPrimitiveList"

# The status kube-apiserver answers with: typed bad-request errors give 400, list-of-lists 422,
# and the untyped errors of the merge code surface as 500s.
_BAD_REQUEST = 400
_UNPROCESSABLE = 422
_INTERNAL = 500

_MAP = "map[string]interface {}"
_LIST = "[]interface {}"
_DROP = object()  # a patch value that must vanish rather than be stored


@dataclass(frozen=True, slots=True)
class _Field:
    """Patch metadata of one field: the schema to recurse with, strategy and merge key."""

    schema: dict[str, Any] | None
    strategy: str = ""
    merge_key: str = ""


def apply_strategic_merge_patch(
    original: dict[str, Any], patch: dict[str, Any], schema: dict[str, Any] | None
) -> dict[str, Any]:
    """Apply a strategic merge `patch` to `original`; `schema` is the kind's definition (None
    when unknown). Returns a new object; raises PatchError for malformed patches."""
    return _merge_map(original or {}, patch, schema)


def _merge_map(original: dict[str, Any], patch: dict[str, Any], schema: Any) -> dict[str, Any]:
    if DIRECTIVE in patch:
        return _map_directive(patch)
    result = dict(original)
    pending = dict(patch)
    if RETAIN_KEYS in pending:
        _retain_keys(result, pending.pop(RETAIN_KEYS), pending)
    for key in [k for k in pending if k.startswith(SET_ORDER_PREFIX)]:
        _apply_element_order(result, pending, key, schema)
    for key, value in pending.items():
        _merge_field(result, key, value, schema)
    return result


def _map_directive(patch: dict[str, Any]) -> dict[str, Any]:
    directive = patch[DIRECTIVE]
    if directive == "replace":
        return _without_directives({k: v for k, v in patch.items() if k != DIRECTIVE})
    if directive == "delete":
        return {}
    raise PatchError(f"unknown patch type: {_go(directive)} in map: {_go(patch)}", code=_INTERNAL)


def _retain_keys(result: dict[str, Any], keep: Any, pending: dict[str, Any]) -> None:
    if not isinstance(keep, list):
        raise PatchError("invalid patch format of retainKeys", code=_BAD_REQUEST)
    allowed = {k for k in keep if isinstance(k, str)}
    for key, value in pending.items():
        if value is None or key.startswith((DELETE_PREFIX, SET_ORDER_PREFIX)):
            continue
        if key not in allowed:
            raise PatchError("invalid patch format of retainKeys", code=_BAD_REQUEST)
    for key in [k for k in result if k not in allowed]:
        del result[key]


def _merge_field(result: dict[str, Any], key: str, value: Any, schema: Any) -> None:
    deleting = key.startswith(DELETE_PREFIX)
    if deleting:
        key = _directive_target(key, DELETE_PREFIX, "invalid patch format of primitive list")
    if value is None:
        result.pop(key, None)
        return
    if key not in result:
        if not deleting:
            _store(result, key, _without_directives(value))
        return
    current = result[key]
    if isinstance(current, dict) and isinstance(value, dict):
        field = _lookup(schema, key, items=False)
        base = {} if field.strategy == "replace" else current
        result[key] = _merge_map(base, value, field.schema)
    elif isinstance(current, list) and isinstance(value, list):
        result[key] = _merge_list_field(
            current, value, _lookup(schema, key, items=True), deleting=deleting
        )
    elif not deleting or _go_type(current) == _go_type(value):
        _store(result, key, _without_directives(value))


def _store(result: dict[str, Any], key: str, value: Any) -> None:
    if value is _DROP:
        result.pop(key, None)
    else:
        result[key] = value


def _merge_list_field(
    current: list[Any], incoming: list[Any], field: _Field, *, deleting: bool
) -> list[Any]:
    if field.strategy != "merge":
        return _without_directives(incoming)
    return _merge_list(current, incoming, field, deleting=deleting)


def _merge_list(
    original: list[Any], patch: list[Any], field: _Field, *, deleting: bool
) -> list[Any]:
    if not original and not patch:
        return []
    key = field.merge_key
    if _element_type(original, patch) != _MAP:
        if deleting:
            return [item for item in original if not _contains(patch, item)]
        key = ""
        merged = _dedupe([*original, *patch])
    else:
        if not key:
            raise PatchError(
                f"cannot merge lists without merge key for {_type_name(field.schema)}",
                code=_INTERNAL,
            )
        original, patch = _list_directives(original, patch, key)
        merged = _merge_by_key(original, patch, key, field.schema)
    in_patch, server_only = _partition(merged, patch, key)
    return _normalize(in_patch, server_only, patch, original, key)


def _list_directives(
    original: list[Any], patch: list[Any], key: str
) -> tuple[list[Any], list[Any]]:
    """Apply `$patch` elements: delete matching entries, or replace the whole list."""
    plain: list[Any] = []
    replace = False
    for item in patch:
        if DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == "delete":
            if key not in item:
                raise _no_merge_key(item, key)
            original = [o for o in original if not (key in o and _same(o[key], item[key]))]
        elif directive == "replace":
            replace = True  # keep scanning so other directive elements are still dropped
        elif directive == "merge":
            raise PatchError("merging lists cannot yet be specified in the patch", code=_INTERNAL)
        else:
            raise PatchError(
                f"unknown patch type: {_go(directive)} in map: {_go(item)}", code=_INTERNAL
            )
    if replace:
        return [_without_directives(item) for item in plain], []
    return original, plain


def _merge_by_key(original: list[Any], patch: list[Any], key: str, schema: Any) -> list[Any]:
    merged = list(original)
    for item in patch:
        if key not in item:
            raise _no_merge_key(item, key)
        at = _find(merged, key, item[key])
        if at is None:
            merged.append(_without_directives(item))
        else:
            merged[at] = _merge_map(merged[at], item, schema)
    return merged


def _apply_element_order(
    result: dict[str, Any], pending: dict[str, Any], directive: str, schema: Any
) -> None:
    """Merge the list a `$setElementOrder/<list>` names and put it in the order given."""
    order = pending.pop(directive)
    if not isinstance(order, list):
        raise _bad_arg(_LIST, order)
    name = _directive_target(
        directive, SET_ORDER_PREFIX, "invalid patch format of setElementOrder list"
    )
    has_current, has_incoming = name in result, name in pending
    current, incoming = result.get(name), pending.pop(name, None)
    if has_current and not isinstance(current, list):
        raise _bad_arg(_LIST, current)
    if has_incoming and not isinstance(incoming, list):
        raise _bad_arg(_LIST, incoming)
    field = _lookup(schema, name, items=True)
    _check_order(incoming or [], order, field.merge_key)
    if has_current and has_incoming:
        merged = _merge_list_field(current, incoming, field, deleting=False)
    elif has_incoming:
        merged = _without_directives(incoming)
    elif has_current:
        merged = current
    else:
        return
    if _element_type(current or [], incoming or []) is None:
        result[name] = merged
        return
    in_order, server_only = _partition(merged, order, field.merge_key)
    result[name] = _normalize(in_order, server_only, order, current or [], field.merge_key)


def _check_order(incoming: list[Any], order: list[Any], key: str) -> None:
    """The patch list must follow the relative order of `$setElementOrder` (deletions aside)."""
    if not order or not incoming:
        return
    items = incoming
    if key:
        for item in incoming:
            if not isinstance(item, dict):
                raise _bad_arg(_MAP, item)
        items = [item for item in incoming if item.get(DIRECTIVE) != "delete"]
    at = pos = 0
    while at < len(items) and pos < len(order):
        if isinstance(items[at], dict) and DIRECTIVE in items[at]:
            at += 1
            continue
        if _key_equal(items[at], order[pos], key):
            at += 1
        pos += 1
    if at < len(items):
        raise PatchError(
            f"the order in patch list:\n{_go(incoming)}\n doesn't match "
            f"{SET_ORDER_PREFIX} list:\n{_go(order)}",
            code=_INTERNAL,
        )


def _partition(items: list[Any], by: list[Any], key: str) -> tuple[list[Any], list[Any]]:
    inside: list[Any] = []
    outside: list[Any] = []
    for item in items:
        if key:
            _require_key(item, key)
            found = _find(by, key, item[key]) is not None
        else:
            found = _contains(by, item)
        (inside if found else outside).append(item)
    return inside, outside


def _normalize(
    in_patch: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    key: str,
) -> list[Any]:
    """Order patch items as the patch does and server-only items as the server had them, then
    interleave them: a server-only item goes first only where the server had it before the next
    patch item, so items new to the server come ahead of the server-only ones."""
    if key:
        for item in (*in_patch, *patch_order, *server_only, *server_order):
            _require_key(item, key)
    in_patch = _sorted_by(in_patch, patch_order, key)
    server_only = _sorted_by(server_only, server_order, key)
    out: list[Any] = []
    i = j = 0
    while i < len(server_only) and j < len(in_patch):
        left = _position(server_order, server_only[i], key)
        right = _position(server_order, in_patch[j], key)
        if 0 <= left < right:
            out.append(server_only[i])
            i += 1
        else:
            out.append(in_patch[j])
            j += 1
    return [*out, *server_only[i:], *in_patch[j:]]


def _sorted_by(items: list[Any], order: list[Any], key: str) -> list[Any]:
    def rank(item: Any) -> int:
        at = _position(order, item, key)
        return at if at >= 0 else len(order)

    return sorted(items, key=rank)


def _position(items: list[Any], value: Any, key: str) -> int:
    for at, item in enumerate(items):
        if key and isinstance(item, dict) and _same(item.get(key), value.get(key)):
            return at
        if not key and _same(item, value):
            return at
    return -1


def _find(items: list[Any], key: str, value: Any) -> int | None:
    for at, item in enumerate(items):
        if not isinstance(item, dict):
            raise PatchError(f"value for key {at} is not a map.", code=_INTERNAL)
        if key in item and _same(item[key], value):
            return at
    return None


def _key_equal(left: Any, right: Any, key: str) -> bool:
    if not key:
        return _same(left, right)
    _require_key(left, key)
    _require_key(right, key)
    return _same(left[key], right[key])


def _require_key(item: Any, key: str) -> None:
    if not isinstance(item, dict):
        raise _bad_arg(_MAP, item)
    if key not in item:
        raise _no_merge_key(item, key)


def _element_type(*lists: list[Any]) -> str | None:
    """The Go type all elements share; apimachinery refuses mixed lists and lists of lists."""
    seen: str | None = None
    for items in lists:
        for item in items:
            kind = _go_type(item)
            if seen is None:
                if isinstance(item, list):
                    raise PatchError("lists of lists are not supported", code=_UNPROCESSABLE)
                seen = kind
            elif kind != seen:
                raise PatchError(
                    f"list element types are not identical: {_go(list(lists))}", code=_INTERNAL
                )
    return seen


def _same(left: Any, right: Any) -> bool:
    """Go's interface equality: the same JSON type and value (1, 1.0 and true all differ)."""
    return type(left) is type(right) and left == right


def _contains(items: Iterable[Any], value: Any) -> bool:
    return any(_same(item, value) for item in items)


def _dedupe(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if not _contains(out, item):
            out.append(item)
    return out


def _without_directives(value: Any) -> Any:
    """A patch value taken as is: maps carrying `$patch` vanish, nulls and directive keys go."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            return _DROP
        out = {}
        for key, item in value.items():
            if item is None or _is_directive_key(key):
                continue
            item = _without_directives(item)
            if item is not _DROP:
                out[key] = item
        return out
    if isinstance(value, list):
        return [item for item in map(_without_directives, value) if item is not _DROP]
    return value


def _is_directive_key(key: str) -> bool:
    return key == RETAIN_KEYS or key.startswith((SET_ORDER_PREFIX + "/", DELETE_PREFIX + "/"))


def _directive_target(key: str, prefix: str, message: str) -> str:
    head, slash, name = key.partition("/")
    if not slash or head != prefix:
        raise PatchError(message, code=_BAD_REQUEST)
    return name


def _lookup(schema: Any, key: str, *, items: bool) -> _Field:
    """Patch metadata of `key` in `schema`: a property, else the map's value schema."""
    node = _node(schema)
    prop = None
    if node is not None:
        prop = (node.get("properties") or {}).get(key)
        if prop is None and isinstance(node.get("additionalProperties"), dict):
            prop = node["additionalProperties"]
    if prop is None:
        return _Field(None)
    strategies = [s for s in prop.get("x-kubernetes-patch-strategy", "").split(",") if s]
    others = [s for s in strategies if s != "retainKeys"]
    if len(strategies) > 2 or len(others) > 1:
        raise PatchError(f"unexpected patch strategy: {_go(strategies)}", code=_INTERNAL)
    sub = prop
    if items:
        node = _node(prop)
        sub = node.get("items") if node else None
    return _Field(sub, others[0] if others else "", prop.get("x-kubernetes-patch-merge-key", ""))


def _node(schema: Any) -> dict[str, Any] | None:
    """The object or array schema behind a `$ref` or a `oneOf`/`anyOf`/`allOf` alternative."""
    if not isinstance(schema, dict):
        return None
    node = resolve(schema)
    for combinator in ("oneOf", "anyOf", "allOf"):
        for alternative in node.get(combinator, ()):
            alternative = resolve(alternative)
            if {"properties", "items", "additionalProperties"} & alternative.keys():
                return alternative
    return node


def _type_name(schema: Any) -> str:
    node = _node(schema) or {}
    types = node.get("type", "object")
    kind = next((t for t in types if t != "null"), "object") if isinstance(types, list) else types
    return {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool"}.get(
        kind, "struct"
    )


def _no_merge_key(item: Any, key: str) -> PatchError:
    return PatchError(
        f"map: {_go(item)} does not contain declared merge key: {key}", code=_INTERNAL
    )


def _bad_arg(expected: str, value: Any) -> PatchError:
    return PatchError(f"expected a {expected}, but received a {_go_type(value)}", code=_INTERNAL)


def _go_type(value: Any) -> str:
    """The Go type name apimachinery's JSON decoding gives a value (as its messages print it)."""
    if value is None:
        return "%!s(<nil>)"
    if isinstance(value, bool):
        return "bool"
    return {dict: _MAP, list: _LIST, str: "string", int: "int64", float: "float64"}.get(
        type(value), "unknown"
    )


def _go(value: Any) -> str:
    """A value as Go's `%v` prints it (maps with sorted keys), for error messages."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(_go(item) for item in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)
