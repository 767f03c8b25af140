"""authentication.k8s.io/v1: the token and self-subject reviews, which store nothing."""

from __future__ import annotations

from kube_apiserver.apis.authentication import protobuf
from kube_apiserver.apis.authentication import resources as authentication
from kube_apiserver.registry.authentication.selfsubjectreview import SelfSubjectReviewREST
from kube_apiserver.registry.authentication.tokenreview import TokenReviewREST
from kube_apiserver.registry.provider import Endpoint, ResourceSpec

SPECS: tuple[ResourceSpec, ...] = ()
ENDPOINTS = (
    Endpoint(authentication.selfsubjectreviews, SelfSubjectReviewREST),
    Endpoint(authentication.tokenreviews, TokenReviewREST),
)

# kubectl sends these reviews as protobuf.
protobuf.register_messages()
