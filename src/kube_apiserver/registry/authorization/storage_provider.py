"""authorization.k8s.io/v1: the access and rules reviews, which store nothing."""

from __future__ import annotations

from kube_apiserver.apis.authorization import protobuf
from kube_apiserver.apis.authorization import resources as authorization
from kube_apiserver.registry.authorization.selfsubjectrulesreview import SelfSubjectRulesReviewREST
from kube_apiserver.registry.authorization.subjectaccessreview import (
    LocalSubjectAccessReviewREST,
    SelfSubjectAccessReviewREST,
    SubjectAccessReviewREST,
)
from kube_apiserver.registry.provider import Endpoint, ResourceSpec

SPECS: tuple[ResourceSpec, ...] = ()
ENDPOINTS = (
    Endpoint(authorization.localsubjectaccessreviews, LocalSubjectAccessReviewREST),
    Endpoint(authorization.selfsubjectaccessreviews, SelfSubjectAccessReviewREST),
    Endpoint(authorization.selfsubjectrulesreviews, SelfSubjectRulesReviewREST),
    Endpoint(authorization.subjectaccessreviews, SubjectAccessReviewREST),
)

# kubectl sends these reviews as protobuf.
protobuf.register_messages()
