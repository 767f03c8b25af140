"""authorization.k8s.io/v1 resources: create-only reviews, kept nowhere.

Only LocalSubjectAccessReviews are namespaced; a SelfSubjectRulesReview names its namespace in
its spec.
"""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource


def _review(name: str, kind: str, *, namespaced: bool = False) -> Resource:
    return Resource(
        "authorization.k8s.io",
        "v1",
        name,
        kind,
        kind.lower(),
        namespaced,
        ("create",),
        stored=False,
    )


localsubjectaccessreviews = _review(
    "localsubjectaccessreviews", "LocalSubjectAccessReview", namespaced=True
)
selfsubjectaccessreviews = _review("selfsubjectaccessreviews", "SelfSubjectAccessReview")
selfsubjectrulesreviews = _review("selfsubjectrulesreviews", "SelfSubjectRulesReview")
subjectaccessreviews = _review("subjectaccessreviews", "SubjectAccessReview")

RESOURCES = (
    localsubjectaccessreviews,
    selfsubjectaccessreviews,
    selfsubjectrulesreviews,
    subjectaccessreviews,
)
