"""The protobuf wire form of policy/v1 PodDisruptionBudgets, which kubectl 1.32+ sends for
`create pdb`. Field numbers are those of k8s.io/api/policy/v1/generated.proto; each is checked
against what kubectl itself sends."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import (
    LABEL_SELECTOR,
    Field,
    Message,
    register_all,
    spec_and_status,
)

_SPEC: Message = {
    # Pointers: `--min-available=0` is a budget of its own, not an unset one.
    1: Field("minAvailable", "intorstring", keep_zero=True),
    2: Field("selector", "message", LABEL_SELECTOR),
    3: Field("maxUnavailable", "intorstring", keep_zero=True),
}

MESSAGES: dict[str, Message] = {"PodDisruptionBudget": spec_and_status(_SPEC)}


def register_messages() -> None:
    register_all("policy/v1", MESSAGES)
