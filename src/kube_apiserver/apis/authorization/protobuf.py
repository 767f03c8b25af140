"""The protobuf wire form of the authorization.k8s.io/v1 reviews (`kubectl auth can-i` sends
SelfSubjectAccessReviews and SelfSubjectRulesReviews this way). Field numbers are those of
k8s.io/api/authorization/v1/generated.proto."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import OBJECT_META, Field, Message, register

_REQUIREMENT: Message = {1: Field("key"), 2: Field("operator"), 3: Field("values", repeated=True)}
_SELECTOR: Message = {
    1: Field("rawSelector"),
    2: Field("requirements", "message", _REQUIREMENT, repeated=True),
}
_RESOURCE_ATTRIBUTES: Message = {
    1: Field("namespace"),
    2: Field("verb"),
    3: Field("group"),
    4: Field("version"),
    5: Field("resource"),
    6: Field("subresource"),
    7: Field("name"),
    8: Field("fieldSelector", "message", _SELECTOR),
    9: Field("labelSelector", "message", _SELECTOR),
}
_NON_RESOURCE_ATTRIBUTES: Message = {1: Field("path"), 2: Field("verb")}
_EXTRA_VALUE: Message = {1: Field("items", repeated=True)}
_SELF_SPEC: Message = {
    1: Field("resourceAttributes", "message", _RESOURCE_ATTRIBUTES),
    2: Field("nonResourceAttributes", "message", _NON_RESOURCE_ATTRIBUTES),
}
_SPEC: Message = {
    **_SELF_SPEC,
    3: Field("user"),
    4: Field("groups", repeated=True),
    5: Field("extra", "map", _EXTRA_VALUE),
    6: Field("uid"),
}
_RULES_SPEC: Message = {1: Field("namespace")}


def _review(spec: Message) -> Message:
    return {1: Field("metadata", "message", OBJECT_META), 2: Field("spec", "message", spec)}


MESSAGES: dict[str, Message] = {
    "SubjectAccessReview": _review(_SPEC),
    "LocalSubjectAccessReview": _review(_SPEC),
    "SelfSubjectAccessReview": _review(_SELF_SPEC),
    "SelfSubjectRulesReview": _review(_RULES_SPEC),
}


def register_messages() -> None:
    for kind, message in MESSAGES.items():
        register("authorization.k8s.io/v1", kind, message)
