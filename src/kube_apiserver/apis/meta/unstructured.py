"""Reading an object's JSON defensively: one field at a time, wrong types read as absent.

Validation and defaulting walk objects that have only been decoded, not checked: a field of
the wrong JSON type is read as its zero value instead of crashing, since decoding, not
validation, is where Kubernetes refuses it. These play the part of apimachinery's
`unstructured.Nested*` helpers, one key deep and without the error return.
"""

from __future__ import annotations

from typing import Any


def get_dict(obj: Any, key: str) -> dict:
    """The object at `key`, or {}."""
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, dict) else {}


def get_dicts(obj: Any, key: str) -> list[dict]:
    """A list of objects; non-objects become {} so indexes in field paths stay right."""
    v = obj.get(key) if isinstance(obj, dict) else None
    return [x if isinstance(x, dict) else {} for x in v] if isinstance(v, list) else []


def get_str(obj: Any, key: str) -> str:
    """The string at `key`, or ""."""
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, str) else ""


def get_strs(obj: Any, key: str) -> list[str]:
    """A list of strings; non-strings become "" so indexes in field paths stay right."""
    v = obj.get(key) if isinstance(obj, dict) else None
    return [x if isinstance(x, str) else "" for x in v] if isinstance(v, list) else []


def get_int(obj: Any, key: str) -> int | None:
    """The integer at `key` (never a bool), or None."""
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def get_bool(obj: Any, key: str) -> bool:
    """Whether `key` is the JSON value true."""
    return isinstance(obj, dict) and obj.get(key) is True


def get_str_map(obj: Any, key: str) -> dict[str, str] | None:
    """A map[string]string (non-string values become ""), or None when it is not an object."""
    v = obj.get(key) if isinstance(obj, dict) else None
    return (
        {str(k): x if isinstance(x, str) else "" for k, x in v.items()}
        if isinstance(v, dict)
        else None
    )


def is_set(obj: Any, key: str) -> bool:
    """Whether `key` is present and not null: what a Go pointer field's non-nil means."""
    return isinstance(obj, dict) and obj.get(key) is not None


# ---------------------------------------------------------------- for defaulting, which writes


def ensure_dict(obj: dict, key: str) -> dict:
    """obj[key] as a dict, creating it when missing (a wrong type is left for validation)."""
    v = obj.get(key)
    if v is None:
        v = obj[key] = {}
    return v if isinstance(v, dict) else {}


def find_dict(obj: Any, key: str) -> dict | None:
    """The object at `key`, or None: for defaulting that touches only what is there."""
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, dict) else None


def dict_items(obj: Any, key: str) -> list[dict]:
    """The objects in the list at `key`, anything else skipped: what defaulting walks
    (validation wants `get_dicts`, which keeps every position)."""
    v = obj.get(key) if isinstance(obj, dict) else None
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []
