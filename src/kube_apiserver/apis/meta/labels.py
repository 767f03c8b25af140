"""Label selectors: the `?labelSelector=` grammar and metav1.LabelSelector, as kube-apiserver reads them.

Two sources produce the same `LabelSelector`: the string form a client puts in a query
(`app=web,tier in (a,b),!canary`) and the structured form objects carry
(`{"matchLabels": ..., "matchExpressions": ...}`). Both follow apimachinery's rules to the
letter, because clients see the error text: the lexer splits on the same special characters,
`in`/`notin` turn back into plain words where a value is expected, keys must be qualified
names and values label values, and failures read exactly like Kubernetes' (including the
`<nil>:` field path its parser reports for a bad key).

A selector runs once per object of every filtered list and watch, so each requirement is
compiled up front into a `(key, opcode, argument)` tuple and `matches` is a tight loop over them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from kube_apiserver.apis.meta import field
from kube_apiserver.apis.meta.validation import label_value_errors, qualified_name_errors

# Operator spellings, as k8s.io/apimachinery/pkg/selection names them.
IN = "in"
NOT_IN = "notin"
EQUALS = "="
DOUBLE_EQUALS = "=="
NOT_EQUALS = "!="
EXISTS = "exists"
DOES_NOT_EXIST = "!"
GREATER_THAN = "gt"
LESS_THAN = "lt"

_BINARY_OPERATORS = ", ".join(
    (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
)
_METAV1_OPERATORS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


class SelectorError(ValueError):
    """A selector that cannot be parsed; the message is the one kube-apiserver returns."""


class Requirement(NamedTuple):
    key: str
    operator: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        prefix = "!" if self.operator == DOES_NOT_EXIST else ""
        if self.operator in (EXISTS, DOES_NOT_EXIST):
            return prefix + self.key
        values = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if self.operator in (IN, NOT_IN):
            return f"{self.key} {self.operator} ({values})"
        symbol = {GREATER_THAN: ">", LESS_THAN: "<"}.get(self.operator, self.operator)
        return f"{self.key}{symbol}{values}"


# Compiled opcodes: equality operators collapse into set membership.
_OP_IN, _OP_NOT_IN, _OP_EXISTS, _OP_ABSENT, _OP_GT, _OP_LT = range(6)
_ABSENT = object()
_INT64 = re.compile(r"[+-]?[0-9]+")


def _parse_int64(text: str) -> int | None:
    """Go's strconv.ParseInt(text, 10, 64): no spaces, no underscores, int64 range."""
    if not _INT64.fullmatch(text):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _compile(req: Requirement) -> tuple[str, int, object]:
    op = req.operator
    if op in (IN, EQUALS, DOUBLE_EQUALS):
        return req.key, _OP_IN, frozenset(req.values)
    if op in (NOT_IN, NOT_EQUALS):
        return req.key, _OP_NOT_IN, frozenset(req.values)
    if op == EXISTS:
        return req.key, _OP_EXISTS, None
    if op == DOES_NOT_EXIST:
        return req.key, _OP_ABSENT, None
    return req.key, _OP_GT if op == GREATER_THAN else _OP_LT, _parse_int64(req.values[0])


class LabelSelector:
    """An AND of requirements; the empty selector matches everything."""

    __slots__ = ("_requirements", "_compiled", "_matches_nothing")

    def __init__(
        self, requirements: Iterable[Requirement] = (), *, matches_nothing: bool = False
    ) -> None:
        self._requirements = tuple(requirements)
        self._compiled = tuple(_compile(r) for r in self._requirements)
        self._matches_nothing = matches_nothing

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return self._requirements

    @property
    def empty(self) -> bool:
        """True when the selector does not restrict anything."""
        return not self._requirements and not self._matches_nothing

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self._matches_nothing:
            return False
        if labels is None:
            labels = {}
        for key, op, arg in self._compiled:
            value = labels.get(key, _ABSENT)
            if op == _OP_IN:
                if value is _ABSENT or value not in arg:
                    return False
            elif op == _OP_NOT_IN:
                if value is not _ABSENT and value in arg:
                    return False
            elif op == _OP_EXISTS:
                if value is _ABSENT:
                    return False
            elif op == _OP_ABSENT:
                if value is not _ABSENT:
                    return False
            else:
                number = None if value is _ABSENT else _parse_int64(value)
                if number is None or not (number > arg if op == _OP_GT else number < arg):
                    return False
        return True

    def __str__(self) -> str:
        return ",".join(str(r) for r in self._requirements)

    def __repr__(self) -> str:
        return f"LabelSelector({str(self)!r})"


_NOTHING = LabelSelector(matches_nothing=True)


def _go_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _go_string_slice(values: list[str]) -> str:
    """A []string as Go's %#v prints it (an empty one came from a nil slice)."""
    if not values:
        return "[]string(nil)"
    return "[]string{" + ", ".join(_go_quote(v) for v in values) + "}"


def _aggregate(messages: list[str]) -> str:
    """utilerrors.Aggregate's text: one error alone, several bracketed, duplicates dropped."""
    unique = list(dict.fromkeys(messages))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def _new_requirement(key: str, operator: str, values: list[str]) -> Requirement:
    """Check a requirement as labels.NewRequirement does (no field path: "key", "values")."""
    errors: list[str] = []
    key_errors = qualified_name_errors(key)
    if key_errors:
        errors.append(str(field.invalid("key", key, "; ".join(key_errors))))
    if operator in (IN, NOT_IN) and not values:
        detail = "for 'in', 'notin' operators, values set can't be empty"
        errors.append(f"values: Invalid value: {_go_string_slice(values)}: {detail}")
    elif operator in (EXISTS, DOES_NOT_EXIST) and values:
        detail = "values set must be empty for exists and does not exist"
        errors.append(f"values: Invalid value: {_go_string_slice(values)}: {detail}")
    elif operator in (GREATER_THAN, LESS_THAN):
        for i, value in enumerate(values):
            if _parse_int64(value) is None:
                detail = "for 'Gt', 'Lt' operators, the value must be an integer"
                errors.append(str(field.invalid(f"values[{i}]", value, detail)))
    for i, value in enumerate(values):
        value_errors = label_value_errors(value)
        if value_errors:
            errors.append(str(field.invalid(f"values[{i}][{key}]", value, "; ".join(value_errors))))
    if errors:
        raise SelectorError(_aggregate(errors))
    return Requirement(key, operator, tuple(values))


def selector_from_label_selector(obj: Mapping | None) -> LabelSelector:
    """metav1.LabelSelectorAsSelector: None selects nothing, an empty selector everything."""
    if obj is None:
        return _NOTHING
    match_labels = obj.get("matchLabels") or {}
    expressions = obj.get("matchExpressions") or []
    requirements = [_new_requirement(k, EQUALS, [v]) for k, v in match_labels.items()]
    for expr in expressions:
        operator = _METAV1_OPERATORS.get(expr.get("operator") or "")
        if operator is None:
            raise SelectorError(
                f"{_go_quote(expr.get('operator') or '')} is not a valid label selector operator"
            )
        requirements.append(
            _new_requirement(expr.get("key") or "", operator, list(expr.get("values") or []))
        )
    return LabelSelector(sorted(requirements, key=lambda r: r.key))


# --- the string grammar -------------------------------------------------------------------

_END, _WORD, _COMMA, _OPEN, _CLOSE, _BANG, _EQ, _DEQ, _NEQ, _GT, _LT, _KW_IN, _KW_NOTIN = range(13)
_WHITESPACE = " \t\r\n"
_SPECIAL = "=!(),><"
_SYMBOLS = {"=": _EQ, "!": _BANG, "(": _OPEN, ")": _CLOSE, ",": _COMMA, ">": _GT, "<": _LT}
_KEYWORDS = {"in": _KW_IN, "notin": _KW_NOTIN}
_OPERATOR_TOKENS = {
    _KW_IN: IN,
    _KW_NOTIN: NOT_IN,
    _EQ: EQUALS,
    _DEQ: DOUBLE_EQUALS,
    _NEQ: NOT_EQUALS,
    _GT: GREATER_THAN,
    _LT: LESS_THAN,
}


_WORD_RE = re.compile(r"[^=!(),>< \t\r\n\0]+")


def _tokenize(text: str) -> list[tuple[int, str]]:
    """Split into (token, literal) pairs; like Kubernetes' lexer, a NUL where a token would start ends it."""
    tokens: list[tuple[int, str]] = []
    pos, size = 0, len(text)
    while True:
        while pos < size and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= size or text[pos] == "\0":
            tokens.append((_END, ""))
            return tokens
        if text[pos] in _SPECIAL:
            pair = text[pos : pos + 2]
            if pair in ("==", "!="):
                tokens.append((_DEQ if pair == "==" else _NEQ, pair))
                pos += 2
            else:
                tokens.append((_SYMBOLS[text[pos]], text[pos]))
                pos += 1
        else:
            word = _WORD_RE.match(text, pos).group()
            tokens.append((_KEYWORDS.get(word, _WORD), word))
            pos += len(word)
        if pos < size and text[pos] == "\0":
            pos += 1  # Kubernetes' lexer swallows a NUL that ends a token and carries on after it


class _Parser:
    """Recursive descent over the token list; `in`/`notin` are words except where an operator goes."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[int, str]:
        kind, literal = self.tokens[self.pos]
        return (_WORD if kind in (_KW_IN, _KW_NOTIN) else kind), literal

    def take(self, *, operator: bool = False) -> tuple[int, str]:
        kind, literal = self.tokens[self.pos]
        self.pos += 1
        if not operator and kind in (_KW_IN, _KW_NOTIN):
            kind = _WORD
        return kind, literal

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            kind, literal = self.peek()
            if kind == _END:
                return requirements
            if kind not in (_WORD, _BANG):
                raise SelectorError(
                    f"found '{literal}', expected: !, identifier, or 'end of string'"
                )
            try:
                requirements.append(self.requirement())
            except SelectorError as err:
                raise SelectorError(f"unable to parse requirement: {err}") from None
            kind, literal = self.take()
            if kind == _END:
                return requirements
            if kind != _COMMA:
                raise SelectorError(f"found '{literal}', expected: ',' or 'end of string'")
            kind, literal = self.peek()
            if kind not in (_WORD, _BANG):
                raise SelectorError(f"found '{literal}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        negated = False
        kind, key = self.take()
        if kind == _BANG:
            negated = True
            kind, key = self.take()
        if kind != _WORD:
            raise SelectorError(f"found '{key}', expected: identifier")
        key_errors = qualified_name_errors(key)
        if key_errors:
            # The parser checks the key with a nil field path, which Go prints as "<nil>".
            raise SelectorError(str(field.invalid("<nil>", key, "; ".join(key_errors))))
        if negated:
            return _new_requirement(key, DOES_NOT_EXIST, [])
        if self.peek()[0] in (_END, _COMMA):
            return _new_requirement(key, EXISTS, [])
        kind, literal = self.take(operator=True)
        operator = _OPERATOR_TOKENS.get(kind)
        if operator is None:
            raise SelectorError(f"found '{literal}', expected: {_BINARY_OPERATORS}")
        values = self.value_set() if operator in (IN, NOT_IN) else self.exact_value()
        return _new_requirement(key, operator, sorted(values))

    def value_set(self) -> set[str]:
        kind, literal = self.take()
        if kind != _OPEN:
            raise SelectorError(f"found '{literal}' expected: '('")
        kind, literal = self.peek()
        if kind == _CLOSE:
            self.take()
            return {""}
        if kind not in (_WORD, _COMMA):
            raise SelectorError(f"found '{literal}', expected: ',', ')' or identifier")
        values: set[str] = set()
        while True:
            kind, literal = self.take()
            if kind == _WORD:
                values.add(literal)
                kind, literal = self.peek()
                if kind == _CLOSE:
                    self.take()
                    return values
                if kind != _COMMA:
                    raise SelectorError(f"found '{literal}', expected: ',' or ')'")
            elif kind == _COMMA:
                # Commas with nothing between them (or at either end) stand for "".
                if not values:
                    values.add("")
                kind, _ = self.peek()
                if kind == _CLOSE:
                    self.take()
                    values.add("")
                    return values
                if kind == _COMMA:
                    self.take()
                    values.add("")
            else:
                raise SelectorError(f"found '{literal}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        if self.peek()[0] in (_END, _COMMA):
            return {""}
        kind, literal = self.take()
        if kind != _WORD:
            raise SelectorError(f"found '{literal}', expected: identifier")
        return {literal}


def parse_label_selector(text: str) -> LabelSelector:
    """Parse a `labelSelector` query value; requirements come out sorted by key, as Kubernetes sorts them."""
    requirements = _Parser(text).parse()
    return LabelSelector(sorted(requirements, key=lambda r: r.key))
