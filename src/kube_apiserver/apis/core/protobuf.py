"""The protobuf wire form of the core/v1 kinds that clients create from Go (kubectl 1.32+
`create namespace|configmap|secret|serviceaccount|service|quota`). Field numbers are those of
k8s.io/api/core/v1/generated.proto; each is checked against what kubectl itself sends, or, where
no kubectl command sends a field, against the same object posted as JSON.

Zeros follow Go's JSON for the same object: a pointer's zero is kept, and so is a field whose
JSON tag has no `omitempty` (a ServicePort's `port` and `targetPort`), so that a body reads the
same whichever way it came. Fields whose numbers are not settled across releases (ServiceSpec's
`trafficDistribution`) are left out: a body carrying one is refused, not misread.
"""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import (
    OBJECT_META,
    Field,
    Message,
    register_all,
    spec_and_status,
)

OBJECT_REFERENCE: Message = {
    1: Field("kind"),
    2: Field("namespace"),
    3: Field("name"),
    4: Field("uid"),
    5: Field("apiVersion"),
    6: Field("resourceVersion"),
    7: Field("fieldPath"),
}
LOCAL_OBJECT_REFERENCE: Message = {1: Field("name")}

_NAMESPACE_SPEC: Message = {1: Field("finalizers", repeated=True)}

_SERVICE_PORT: Message = {
    1: Field("name"),
    2: Field("protocol"),
    3: Field("port", "int", keep_zero=True),
    4: Field("targetPort", "intorstring", keep_zero=True),
    5: Field("nodePort", "int"),
    6: Field("appProtocol", keep_zero=True),
}
_CLIENT_IP_CONFIG: Message = {1: Field("timeoutSeconds", "int", keep_zero=True)}
_SESSION_AFFINITY_CONFIG: Message = {1: Field("clientIP", "message", _CLIENT_IP_CONFIG)}
_SERVICE_SPEC: Message = {
    1: Field("ports", "message", _SERVICE_PORT, repeated=True),
    2: Field("selector", "map"),
    3: Field("clusterIP"),
    4: Field("type"),
    5: Field("externalIPs", repeated=True),
    7: Field("sessionAffinity"),
    8: Field("loadBalancerIP"),
    9: Field("loadBalancerSourceRanges", repeated=True),
    10: Field("externalName"),
    11: Field("externalTrafficPolicy"),
    12: Field("healthCheckNodePort", "int"),
    13: Field("publishNotReadyAddresses", "bool"),
    14: Field("sessionAffinityConfig", "message", _SESSION_AFFINITY_CONFIG),
    17: Field("ipFamilyPolicy", keep_zero=True),
    18: Field("clusterIPs", repeated=True),
    19: Field("ipFamilies", repeated=True),
    20: Field("allocateLoadBalancerNodePorts", "bool", keep_zero=True),
    21: Field("loadBalancerClass", keep_zero=True),
    22: Field("internalTrafficPolicy", keep_zero=True),
}

_SCOPED_RESOURCE_SELECTOR_REQUIREMENT: Message = {
    1: Field("scopeName", keep_zero=True),
    2: Field("operator", keep_zero=True),
    3: Field("values", repeated=True),
}
_SCOPE_SELECTOR: Message = {
    1: Field("matchExpressions", "message", _SCOPED_RESOURCE_SELECTOR_REQUIREMENT, repeated=True)
}
_RESOURCE_QUOTA_SPEC: Message = {
    1: Field("hard", "map", value="quantity"),
    2: Field("scopes", repeated=True),
    3: Field("scopeSelector", "message", _SCOPE_SELECTOR),
}

MESSAGES: dict[str, Message] = {
    "Namespace": spec_and_status(_NAMESPACE_SPEC),
    "ConfigMap": {
        1: Field("metadata", "message", OBJECT_META),
        2: Field("data", "map"),
        3: Field("binaryData", "map", value="bytes"),
        4: Field("immutable", "bool", keep_zero=True),
    },
    "Secret": {
        1: Field("metadata", "message", OBJECT_META),
        2: Field("data", "map", value="bytes"),
        3: Field("type"),
        4: Field("stringData", "map"),
        5: Field("immutable", "bool", keep_zero=True),
    },
    "ServiceAccount": {
        1: Field("metadata", "message", OBJECT_META),
        2: Field("secrets", "message", OBJECT_REFERENCE, repeated=True),
        3: Field("imagePullSecrets", "message", LOCAL_OBJECT_REFERENCE, repeated=True),
        4: Field("automountServiceAccountToken", "bool", keep_zero=True),
    },
    "Service": spec_and_status(_SERVICE_SPEC),
    "ResourceQuota": spec_and_status(_RESOURCE_QUOTA_SPEC),
}


def register_messages() -> None:
    register_all("v1", MESSAGES)
