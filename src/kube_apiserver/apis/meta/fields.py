"""Field selectors: the `?fieldSelector=` grammar, as k8s.io/apimachinery/pkg/fields parses it.

A field selector is a comma-separated AND of `field=value`, `field==value` and
`field!=value` terms. Values may carry `\\,`, `\\=` and `\\\\` escapes (so a value can hold
the separators); field names cannot. Terms are sorted before use, as Kubernetes sorts them,
which decides both the printed form and which unsupported field is reported first.

Matching runs against an object's selectable fields (a flat `{"metadata.name": ...}` dict
each resource's strategy builds); a field the object does not have compares as "".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kube_apiserver.apis.meta.labels import SelectorError

__all__ = ["FieldSelector", "SelectorError", "escape_value", "parse_field_selector"]

# Tried in this order at each position, so "==" is not read as "=" followed by "=value".
_OPERATORS = ("!=", "==", "=")


def escape_value(value: str) -> str:
    """The inverse of the parser's unescaping: backslash first, then the separators."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


class FieldSelector:
    """An AND of (field, "=" | "!=", value) requirements; the empty selector matches everything."""

    __slots__ = ("_requirements",)

    def __init__(self, requirements: Iterable[tuple[str, str, str]] = ()) -> None:
        self._requirements = tuple(requirements)

    @property
    def requirements(self) -> list[tuple[str, str, str]]:
        return list(self._requirements)

    @property
    def empty(self) -> bool:
        return not self._requirements

    def matches(self, fields: Mapping[str, str]) -> bool:
        for name, op, value in self._requirements:
            if (fields.get(name, "") == value) != (op == "="):
                return False
        return True

    def fields(self) -> set[str]:
        """The field names the selector refers to."""
        return {name for name, _, _ in self._requirements}

    def unsupported(self, fields_allowed: set[str]) -> str | None:
        """The first field (in Kubernetes' sorted term order) the resource cannot select on."""
        for name, _, _ in self._requirements:
            if name not in fields_allowed:
                return name
        return None

    def exact_match(self, name: str) -> str | None:
        """The value an `=` term pins `name` to, if any (used to narrow a list by name or namespace)."""
        for field_name, op, value in self._requirements:
            if field_name == name and op == "=":
                return value
        return None

    def __str__(self) -> str:
        return ",".join(
            f"{name}{op}{escape_value(value)}" for name, op, value in self._requirements
        )

    def __repr__(self) -> str:
        return f"FieldSelector({str(self)!r})"


def _split_terms(text: str) -> list[str]:
    """Split on commas that are not escaped; escapes stay in the terms for later."""
    terms: list[str] = []
    start = 0
    escaped = False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    """Split at the first operator; field names have no escaping, so the first one wins."""
    for i in range(len(term)):
        for op in _OPERATORS:
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op) :]
    return None


def _unescape(value: str) -> str:
    if "\\" not in value and "," not in value and "=" not in value:
        return value
    out: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            if char not in "\\,=":
                raise SelectorError(f"invalid field selector: invalid escape sequence: \\{char}")
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",=":
            # Go prints the offending rune with %v, i.e. as its code point number.
            raise SelectorError(
                f"invalid field selector: unescaped character in value: {ord(char)}"
            )
        else:
            out.append(char)
    if escaped:
        raise SelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def parse_field_selector(text: str) -> FieldSelector:
    """Parse a `fieldSelector` query value; "" selects everything."""
    requirements: list[tuple[str, str, str]] = []
    for term in sorted(_split_terms(text)):
        if not term:
            continue
        split = _split_term(term)
        if split is None:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{term}'")
        name, op, raw = split
        requirements.append((name, "!=" if op == "!=" else "=", _unescape(raw)))
    return FieldSelector(requirements)
