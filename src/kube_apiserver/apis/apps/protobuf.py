"""The protobuf wire form of apps/v1 Deployment, which kubectl 1.32+ sends for `create
deployment`. Field numbers are those of k8s.io/api/apps/v1/generated.proto.

ReplicaSet, StatefulSet and DaemonSet stay undescribed: no kubectl command sends them, so
their descriptions could not be checked against Go's own encoder.
"""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import (
    LABEL_SELECTOR,
    Field,
    Message,
    register_all,
    spec_and_status,
)
from kube_apiserver.apis.core.protobuf_pods import POD_TEMPLATE_SPEC

_DEPLOYMENT_STRATEGY: Message = {
    1: Field("type"),
    2: Field(
        "rollingUpdate",
        "message",
        {1: Field("maxUnavailable", "intorstring"), 2: Field("maxSurge", "intorstring")},
    ),
}
_DEPLOYMENT_SPEC: Message = {
    1: Field("replicas", "int", keep_zero=True),  # *int32: `--replicas=0` means zero
    2: Field("selector", "message", LABEL_SELECTOR),
    3: Field("template", "message", POD_TEMPLATE_SPEC),
    4: Field("strategy", "message", _DEPLOYMENT_STRATEGY),
    5: Field("minReadySeconds", "int"),
    6: Field("revisionHistoryLimit", "int", keep_zero=True),
    7: Field("paused", "bool"),
    9: Field("progressDeadlineSeconds", "int", keep_zero=True),
}

MESSAGES: dict[str, Message] = {"Deployment": spec_and_status(_DEPLOYMENT_SPEC)}


def register_messages() -> None:
    register_all("apps/v1", MESSAGES)
