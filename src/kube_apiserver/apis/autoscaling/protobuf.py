"""The protobuf wire form of HorizontalPodAutoscalers as kubectl 1.33 `autoscale` sends them:
autoscaling/v2 first, and autoscaling/v1 when the server refuses v2. Field numbers are those
of k8s.io/api/autoscaling/{v1,v2}/generated.proto; each is checked against what kubectl itself
sends."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import Field, Message, register, spec_and_status

_TARGET_REF: Message = {1: Field("kind"), 2: Field("name"), 3: Field("apiVersion")}

# minReplicas and the CPU targets are pointers; maxReplicas JSON writes even when zero.
_V1_SPEC: Message = {
    1: Field("scaleTargetRef", "message", _TARGET_REF),
    2: Field("minReplicas", "int", keep_zero=True),
    3: Field("maxReplicas", "int", keep_zero=True),
    4: Field("targetCPUUtilizationPercentage", "int", keep_zero=True),
}

_V2_METRIC_TARGET: Message = {
    1: Field("type"),
    4: Field("averageUtilization", "int", keep_zero=True),
}
_V2_RESOURCE_METRIC: Message = {
    1: Field("name"),
    2: Field("target", "message", _V2_METRIC_TARGET),
}
_V2_METRIC: Message = {
    1: Field("type"),
    4: Field("resource", "message", _V2_RESOURCE_METRIC),
}
_V2_SPEC: Message = {
    1: Field("scaleTargetRef", "message", _TARGET_REF),
    2: Field("minReplicas", "int", keep_zero=True),
    3: Field("maxReplicas", "int", keep_zero=True),
    4: Field("metrics", "message", _V2_METRIC, repeated=True),
}


def register_messages() -> None:
    register("autoscaling/v1", "HorizontalPodAutoscaler", spec_and_status(_V1_SPEC))
    register("autoscaling/v2", "HorizontalPodAutoscaler", spec_and_status(_V2_SPEC))
