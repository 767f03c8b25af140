"""autoscaling: HorizontalPodAutoscalers, stored as autoscaling/v2 and served as v1 too."""

from __future__ import annotations

from kube_apiserver.apis.autoscaling import protobuf
from kube_apiserver.apis.autoscaling import resources as autoscaling
from kube_apiserver.registry.autoscaling.horizontalpodautoscaler import (
    HorizontalPodAutoscalerStrategy,
    HorizontalPodAutoscalerV1Store,
)
from kube_apiserver.registry.provider import STATUS, ResourceSpec, View

SPECS = (
    ResourceSpec(
        autoscaling.hpa_v2,
        HorizontalPodAutoscalerStrategy,
        "/registry/horizontalpodautoscalers/",
        STATUS,
    ),
)
VIEWS: tuple[View, ...] = (
    (autoscaling.hpa_v1, autoscaling.hpa_v2, HorizontalPodAutoscalerV1Store),
)

# kubectl 1.32+ sends its `create` generators as protobuf.
protobuf.register_messages()
