"""authentication.k8s.io/v1 resources: create-only reviews, kept nowhere."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource


def _review(name: str, kind: str) -> Resource:
    return Resource(
        "authentication.k8s.io", "v1", name, kind, kind.lower(), False, ("create",), stored=False
    )


selfsubjectreviews = _review("selfsubjectreviews", "SelfSubjectReview")
tokenreviews = _review("tokenreviews", "TokenReview")

RESOURCES = (selfsubjectreviews, tokenreviews)
