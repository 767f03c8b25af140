"""Field errors: what validation returns, shaped as Kubernetes reports them.

A validation function returns a list of `FieldError`; the registry turns a non-empty list
into a 422 `Invalid` Status whose causes carry `reason`, `message` and `field` exactly as
kube-apiserver writes them (e.g. `FieldValueRequired`, "Required value", "spec.containers").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson


def _quote(value: Any) -> str:
    if isinstance(value, str):
        return orjson.dumps(value).decode()
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    return orjson.dumps(value).decode()


@dataclass(frozen=True)
class FieldError:
    reason: str  # FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, ...
    field: str  # "spec.containers[0].name"
    detail: str  # the message without the field path

    def message(self) -> str:
        """The cause message: what follows "<field>: " in the Status message."""
        return self.detail

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}" if self.field else self.detail


def required(field: str, detail: str = "") -> FieldError:
    return FieldError(
        "FieldValueRequired", field, "Required value" + (": " + detail if detail else "")
    )


def invalid(field: str, value: Any, detail: str = "") -> FieldError:
    text = f"Invalid value: {_quote(value)}"
    return FieldError("FieldValueInvalid", field, text + (": " + detail if detail else ""))


def invalid_rendered(field: str, rendered: str, detail: str) -> FieldError:
    """`invalid` with the value already rendered, for values Kubernetes prints as Go does."""
    return FieldError("FieldValueInvalid", field, f"Invalid value: {rendered}: {detail}")


def not_supported(field: str, value: Any, supported: list[str]) -> FieldError:
    text = f"Unsupported value: {_quote(value)}"
    if supported:
        text += ": supported values: " + ", ".join(_quote(s) for s in supported)
    return FieldError("FieldValueNotSupported", field, text)


def duplicate(field: str, value: Any) -> FieldError:
    return FieldError("FieldValueDuplicate", field, f"Duplicate value: {_quote(value)}")


def forbidden(field: str, detail: str) -> FieldError:
    return FieldError("FieldValueForbidden", field, f"Forbidden: {detail}")


def too_long(field: str, max_length: int) -> FieldError:
    return FieldError(
        "FieldValueTooLong", field, f"Too long: may not be more than {max_length} bytes"
    )


def too_many(field: str, actual: int, maximum: int) -> FieldError:
    return FieldError(
        "FieldValueTooMany", field, f"Too many: {actual}: must have at most {maximum} items"
    )


def immutable(field: str, value: Any) -> FieldError:
    return invalid(field, value, "field is immutable")


def path(base: str, *parts: str | int) -> str:
    """Join a field path: path("spec", "containers", 0, "name") -> spec.containers[0].name."""
    out = base
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += "." + part
        else:
            out = part
    return out
