"""The protobuf wire form of scheduling.k8s.io/v1 PriorityClasses, which kubectl 1.32+ sends
for `create priorityclass`. Field numbers are those of k8s.io/api/scheduling/v1/generated.proto;
each is checked against what kubectl itself sends."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import OBJECT_META, Field, Message, register_all

MESSAGES: dict[str, Message] = {
    "PriorityClass": {
        1: Field("metadata", "message", OBJECT_META),
        2: Field("value", "int", keep_zero=True),  # JSON writes `value: 0` too
        3: Field("globalDefault", "bool"),
        4: Field("description"),
        5: Field("preemptionPolicy", keep_zero=True),  # a pointer
    },
}


def register_messages() -> None:
    register_all("scheduling.k8s.io/v1", MESSAGES)
