"""policy/v1 resources, with the discovery facts of Kubernetes 1.33."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

poddisruptionbudgets = Resource(
    "policy",
    "v1",
    "poddisruptionbudgets",
    "PodDisruptionBudget",
    "poddisruptionbudget",
    True,
    short_names=("pdb",),
    subresources=(Subresource("status", "PodDisruptionBudget"),),
)

RESOURCES = (poddisruptionbudgets,)
