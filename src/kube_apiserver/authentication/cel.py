"""CEL for the structured authentication configuration: compiling and evaluating the expressions
of JWT authenticators.

Kubernetes gives these expressions one variable each, in two environments:

- `claims`, a `map(string, any)` of the verified token's claims, for claim validation rules and
  claim mappings (username, groups, uid, extra);
- `user`, an object `kubernetes.UserInfo` with `username`, `uid`, `groups` and `extra`, for user
  validation rules, so a typo such as `user.usrname` fails when the file is loaded.

The object type is declared as a protobuf message built at import time (cel-expr-python types
objects through a descriptor pool); `extra` maps to `google.protobuf.ListValue`, which CEL sees as
a list. Both environments carry the string, optional, binding and encoder extensions of
Kubernetes' base CEL environment. Compilation errors read as cel-go writes them
(`ERROR: <input>:1:5: Syntax error: ...`), because Kubernetes puts that text in field errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cel_expr_python import cel
from cel_expr_python.ext import ext_bindings, ext_encoders, ext_optional, ext_strings
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, struct_pb2

CLAIMS = "claims"
USER = "user"
_USER_TYPE = "kubernetes.UserInfo"


class CompileError(Exception):
    """An expression that does not compile, or whose type cannot be what the field needs."""


class EvalError(Exception):
    """An expression that failed while evaluating (a missing claim, a type mismatch)."""


def _user_message_class() -> tuple[descriptor_pool.DescriptorPool, type]:
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(struct_pb2.DESCRIPTOR.serialized_pb)
    proto = descriptor_pb2.FieldDescriptorProto
    file = descriptor_pb2.FileDescriptorProto(
        name="kubernetes/userinfo.proto",
        package="kubernetes",
        syntax="proto3",
        dependency=["google/protobuf/struct.proto"],
    )
    message = file.message_type.add(name="UserInfo")
    message.field.add(name="username", number=1, type=proto.TYPE_STRING)
    message.field.add(name="uid", number=2, type=proto.TYPE_STRING)
    message.field.add(name="groups", number=3, type=proto.TYPE_STRING, label=proto.LABEL_REPEATED)
    entry = message.nested_type.add(name="ExtraEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=proto.TYPE_STRING)
    entry.field.add(
        name="value", number=2, type=proto.TYPE_MESSAGE, type_name=".google.protobuf.ListValue"
    )
    message.field.add(
        name="extra",
        number=4,
        type=proto.TYPE_MESSAGE,
        type_name=f".{_USER_TYPE}.ExtraEntry",
        label=proto.LABEL_REPEATED,
    )
    pool.Add(file)
    return pool, message_factory.GetMessageClass(pool.FindMessageTypeByName(_USER_TYPE))


def extensions() -> list[cel.CelExtensionBase]:
    return [
        ext_strings.ExtStrings(),
        ext_optional.ExtOptional(),
        ext_bindings.ExtBindings(),
        ext_encoders.ExtEncoders(),
    ]


_POOL, _UserInfo = _user_message_class()
_ENVS = {
    CLAIMS: cel.NewEnv(
        variables={CLAIMS: cel.Type.Map(cel.Type.STRING, cel.Type.DYN)}, extensions=extensions()
    ),
    USER: cel.NewEnv(_POOL, variables={USER: cel.Type(_USER_TYPE)}, extensions=extensions()),
}


@dataclass(frozen=True)
class Program:
    """A compiled expression and the text it came from (messages quote the text)."""

    expression: str
    compiled: cel.Expression
    variable: str

    def eval(self, activation: cel.Activation) -> Any:
        """The expression's value as plain Python (str, bool, list, dict, None, numbers)."""
        try:
            value = self.compiled.eval(activation)
        except (RuntimeError, TypeError, ValueError, OverflowError) as err:
            raise EvalError(str(err)) from None
        if value.type() == cel.Type.ERROR:
            raise EvalError(str(value.plain_value()))
        return value.plain_value()


def compile_expression(expression: str, variable: str, *, boolean: bool = False) -> Program:
    """Compile against the `claims` or `user` environment; `boolean` when the field is a rule."""
    env = _ENVS[variable]
    try:
        compiled = env.compile(expression)
    except RuntimeError as err:
        raise CompileError("compilation failed: " + cel_go_text(str(err))) from None
    if boolean and compiled.return_type() != cel.Type.BOOL:
        raise CompileError("must evaluate to bool")
    return Program(expression, compiled, variable)


def claims_activation(claims: Mapping[str, Any]) -> cel.Activation:
    """One activation per token: the claims are converted to CEL values once for every rule."""
    try:
        return _ENVS[CLAIMS].Activation(data={CLAIMS: claims})
    except (RuntimeError, TypeError, ValueError, OverflowError) as err:
        raise EvalError(f"claims cannot be read by CEL: {err}") from None


def user_activation(
    *, username: str, uid: str, groups: Sequence[str], extra: Mapping[str, Sequence[str]]
) -> cel.Activation:
    message = _UserInfo(username=username, uid=uid, groups=list(groups))
    for key, values in extra.items():
        message.extra[key].extend(list(values))
    return _ENVS[USER].Activation(data={USER: message})


# A select of `claims.<name>` or `claims.?<name>`; string literals are blanked out first.
_STRING_LITERAL = re.compile(
    r"""(?s)[rRbB]*('''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
)


def selects_claim(expression: str, claim: str) -> bool:
    """Whether the expression reads `claims.<claim>`, as Kubernetes checks for `email` and
    `email_verified` (indexing with `claims["email"]` does not count, there either)."""
    code = _STRING_LITERAL.sub('""', expression)
    return re.search(rf"\b{CLAIMS}\s*\.\s*\??\s*{re.escape(claim)}\b", code) is not None


def cel_go_text(message: str) -> str:
    """cel-cpp's status text without the status code around it, as cel-go prints issues."""
    message = message.removeprefix("INVALID_ARGUMENT: ")
    return message.removesuffix(" [INVALID_ARGUMENT]")
