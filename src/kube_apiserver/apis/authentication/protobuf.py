"""The protobuf wire form of the authentication.k8s.io/v1 kinds clients POST: the reviews
(`kubectl auth whoami` sends a SelfSubjectReview this way) and TokenRequest (`kubectl create
token`, to serviceaccounts/token). Field numbers are those of
k8s.io/api/authentication/v1/generated.proto."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import (
    OBJECT_META,
    Field,
    Message,
    register_all,
    spec_and_status,
)

_TOKEN_REVIEW_SPEC: Message = {1: Field("token"), 2: Field("audiences", repeated=True)}

_BOUND_OBJECT_REFERENCE: Message = {
    1: Field("kind"),
    2: Field("apiVersion"),
    3: Field("name"),
    4: Field("uid"),
}
_TOKEN_REQUEST_SPEC: Message = {
    1: Field("audiences", repeated=True),
    3: Field("boundObjectRef", "message", _BOUND_OBJECT_REFERENCE),
    4: Field("expirationSeconds", "int"),
}

MESSAGES: dict[str, Message] = {
    "SelfSubjectReview": {
        1: Field("metadata", "message", OBJECT_META),
        2: Field("status", "status"),
    },
    "TokenReview": spec_and_status(_TOKEN_REVIEW_SPEC),
    "TokenRequest": spec_and_status(_TOKEN_REQUEST_SPEC),
}


def register_messages() -> None:
    register_all("authentication.k8s.io/v1", MESSAGES)
