"""autoscaling resources: HorizontalPodAutoscalers, served at v2 (where they are stored) and v1."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource


def _hpa(version: str) -> Resource:
    return Resource(
        "autoscaling",
        version,
        "horizontalpodautoscalers",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscaler",
        True,
        short_names=("hpa",),
        categories=("all",),
        subresources=(Subresource("status", "HorizontalPodAutoscaler"),),
    )


hpa_v2 = _hpa("v2")
hpa_v1 = _hpa("v1")

RESOURCES = (hpa_v2, hpa_v1)
