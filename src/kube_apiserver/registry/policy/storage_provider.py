"""policy/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.policy import protobuf
from kube_apiserver.apis.policy import resources as policy
from kube_apiserver.registry.policy.poddisruptionbudget import PodDisruptionBudgetStrategy
from kube_apiserver.registry.provider import STATUS, ResourceSpec

SPECS = (
    ResourceSpec(
        policy.poddisruptionbudgets,
        PodDisruptionBudgetStrategy,
        "/registry/poddisruptionbudgets/",
        STATUS,
    ),
)

# kubectl 1.32+ sends its `create` generators as protobuf.
protobuf.register_messages()
