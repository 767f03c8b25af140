"""CEL match conditions of authorization webhooks (`matchConditions` in `--authorization-config`).

Each condition is a boolean expression over one variable, `request`: the SubjectAccessReview
spec (`authorization.k8s.io/v1`) the webhook would be sent, as JSON with empty fields left out.
Kubernetes evaluates the conditions against that unstructured form, so a field the request does
not carry is an error, not a zero value: `request.resourceAttributes.namespace` fails for a
non-resource request, and `has(request.resourceAttributes)` is how to tell the two apart.

The webhook is called only when every condition is true. As Kubernetes decides it:

- one condition evaluating to false skips the webhook, even if others failed;
- otherwise any failure is an error, which the webhook's failure policy turns into a decision.

Compiling and evaluating reuse the authentication CEL helpers (`Program`, the error types, the
extensions of Kubernetes' base environment and cel-go's wording of compile errors).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cel_expr_python import cel

from kube_apiserver.authentication.cel import (
    CompileError,
    EvalError,
    Program,
    cel_go_text,
    extensions,
)

REQUEST = "request"
MAX_CONDITIONS = 64

_ENV = cel.NewEnv(
    variables={REQUEST: cel.Type.Map(cel.Type.STRING, cel.Type.DYN)}, extensions=extensions()
)

__all__ = ["CompileError", "EvalError", "MatchConditions", "compile_condition"]


def compile_condition(expression: str) -> Program:
    """Compile one match condition; CompileError with Kubernetes' detail when it cannot be one."""
    try:
        compiled = _ENV.compile(expression)
    except RuntimeError as err:
        raise CompileError("compilation failed: " + cel_go_text(str(err))) from None
    returns = compiled.return_type()
    if returns != cel.Type.BOOL:
        raise CompileError(f"must evaluate to bool but got {returns.name().lower()}")
    return Program(expression, compiled, REQUEST)


@dataclass(frozen=True)
class MatchConditions:
    programs: tuple[Program, ...]

    @classmethod
    def compile(cls, expressions: Sequence[str]) -> MatchConditions:
        return cls(tuple(compile_condition(e) for e in expressions))

    def matches(self, spec: Mapping[str, Any]) -> bool:
        """Whether the webhook should see a request with this SubjectAccessReview spec; raises
        EvalError when no condition is false but some could not be evaluated."""
        activation = _ENV.Activation(data={REQUEST: spec})
        errors = []
        for program in self.programs:
            try:
                value = program.eval(activation)
            except EvalError as err:
                errors.append(
                    f"cel evaluation error: expression '{program.expression}' resulted in "
                    f"error: {err}"
                )
                continue
            if value is False:
                return False
        if errors:
            raise EvalError(errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]")
        return True
