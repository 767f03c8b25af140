"""The protobuf wire form of the authorization.k8s.io/v1 reviews (`kubectl auth can-i` sends
SelfSubjectAccessReviews and SelfSubjectRulesReviews this way). Field numbers are those of
k8s.io/api/authorization/v1/generated.proto."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import Field, Message, register_all, spec_and_status

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
_SELF_SPEC: Message = {
    1: Field("resourceAttributes", "message", _RESOURCE_ATTRIBUTES),
    2: Field("nonResourceAttributes", "message", _NON_RESOURCE_ATTRIBUTES),
}
_SPEC: Message = {
    **_SELF_SPEC,
    3: Field("user"),
    4: Field("groups", repeated=True),
    5: Field("extra", "map", value="stringlist"),
    6: Field("uid"),
}
_RULES_SPEC: Message = {1: Field("namespace")}


MESSAGES: dict[str, Message] = {
    "SubjectAccessReview": spec_and_status(_SPEC),
    "LocalSubjectAccessReview": spec_and_status(_SPEC),
    "SelfSubjectAccessReview": spec_and_status(_SELF_SPEC),
    "SelfSubjectRulesReview": spec_and_status(_RULES_SPEC),
}


def register_messages() -> None:
    register_all("authorization.k8s.io/v1", MESSAGES)
