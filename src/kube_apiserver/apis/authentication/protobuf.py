"""The protobuf wire form of the authentication.k8s.io/v1 reviews (`kubectl auth whoami` sends
a SelfSubjectReview this way). Field numbers are those of
k8s.io/api/authentication/v1/generated.proto."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import OBJECT_META, Field, Message, register

_TOKEN_REVIEW_SPEC: Message = {1: Field("token"), 2: Field("audiences", repeated=True)}

MESSAGES: dict[str, Message] = {
    "SelfSubjectReview": {1: Field("metadata", "message", OBJECT_META)},
    "TokenReview": {
        1: Field("metadata", "message", OBJECT_META),
        2: Field("spec", "message", _TOKEN_REVIEW_SPEC),
    },
}


def register_messages() -> None:
    for kind, message in MESSAGES.items():
        register("authentication.k8s.io/v1", kind, message)
