"""The protobuf wire form of the rbac.authorization.k8s.io/v1 kinds that kubectl 1.32+ creates
from Go (`create role|clusterrole|rolebinding|clusterrolebinding`). Field numbers are those of
k8s.io/api/rbac/v1/generated.proto; each is checked against what kubectl itself sends."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import (
    LABEL_SELECTOR,
    OBJECT_META,
    Field,
    Message,
    register_all,
)

_POLICY_RULE: Message = {
    1: Field("verbs", repeated=True),
    2: Field("apiGroups", repeated=True),  # "" (the core group) is an element, kept
    3: Field("resources", repeated=True),
    4: Field("resourceNames", repeated=True),
    5: Field("nonResourceURLs", repeated=True),
}
_AGGREGATION_RULE: Message = {
    1: Field("clusterRoleSelectors", "message", LABEL_SELECTOR, repeated=True),
}
_SUBJECT: Message = {
    1: Field("kind"),
    2: Field("apiGroup"),
    3: Field("name"),
    4: Field("namespace"),
}
_ROLE_REF: Message = {1: Field("apiGroup"), 2: Field("kind"), 3: Field("name")}

_ROLE: Message = {
    1: Field("metadata", "message", OBJECT_META),
    2: Field("rules", "message", _POLICY_RULE, repeated=True),
}
_BINDING: Message = {
    1: Field("metadata", "message", OBJECT_META),
    2: Field("subjects", "message", _SUBJECT, repeated=True),
    3: Field("roleRef", "message", _ROLE_REF),
}

MESSAGES: dict[str, Message] = {
    "Role": _ROLE,
    "ClusterRole": {**_ROLE, 3: Field("aggregationRule", "message", _AGGREGATION_RULE)},
    "RoleBinding": _BINDING,
    "ClusterRoleBinding": _BINDING,
}


def register_messages() -> None:
    register_all("rbac.authorization.k8s.io/v1", MESSAGES)
