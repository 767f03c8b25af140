"""The protobuf wire form of networking.k8s.io/v1 Ingresses, which kubectl 1.32+ sends for
`create ingress`. Field numbers are those of k8s.io/api/networking/v1/generated.proto; each is
checked against what kubectl itself sends."""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import Field, Message, register_all, spec_and_status

_SERVICE_PORT: Message = {1: Field("name"), 2: Field("number", "int")}
_SERVICE_BACKEND: Message = {1: Field("name"), 2: Field("port", "message", _SERVICE_PORT)}
_BACKEND: Message = {4: Field("service", "message", _SERVICE_BACKEND)}
_PATH: Message = {
    1: Field("path"),
    2: Field("backend", "message", _BACKEND),
    3: Field("pathType", keep_zero=True),  # a pointer
}
_HTTP: Message = {1: Field("paths", "message", _PATH, repeated=True)}
_RULE_VALUE: Message = {1: Field("http", "message", _HTTP)}
# A rule's value is embedded in it in Go (`json:",inline"`): `http` sits next to `host`.
_RULE: Message = {1: Field("host"), 2: Field("ingressRuleValue", "inline", _RULE_VALUE)}
_TLS: Message = {1: Field("hosts", repeated=True), 2: Field("secretName")}
_SPEC: Message = {
    1: Field("defaultBackend", "message", _BACKEND),
    2: Field("tls", "message", _TLS, repeated=True),
    3: Field("rules", "message", _RULE, repeated=True),
    4: Field("ingressClassName", keep_zero=True),  # a pointer
}

MESSAGES: dict[str, Message] = {"Ingress": spec_and_status(_SPEC)}


def register_messages() -> None:
    register_all("networking.k8s.io/v1", MESSAGES)
