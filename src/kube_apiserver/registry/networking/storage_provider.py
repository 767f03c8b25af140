"""networking.k8s.io/v1 resources and their storage (Ingresses live under `ingress/`)."""

from __future__ import annotations

from kube_apiserver.apis.networking import protobuf
from kube_apiserver.apis.networking import resources as networking
from kube_apiserver.registry.networking.ingress import IngressStrategy
from kube_apiserver.registry.networking.ingressclass import IngressClassStrategy
from kube_apiserver.registry.networking.ipaddress import IPAddressStrategy
from kube_apiserver.registry.networking.networkpolicy import NetworkPolicyStrategy
from kube_apiserver.registry.networking.servicecidr import ServiceCIDRStrategy
from kube_apiserver.registry.provider import STATUS, ResourceSpec

SPECS = (
    ResourceSpec(networking.ingressclasses, IngressClassStrategy, "/registry/ingressclasses/"),
    ResourceSpec(networking.ingresses, IngressStrategy, "/registry/ingress/", STATUS),
    ResourceSpec(networking.ipaddresses, IPAddressStrategy, "/registry/ipaddresses/"),
    ResourceSpec(networking.networkpolicies, NetworkPolicyStrategy, "/registry/networkpolicies/"),
    ResourceSpec(networking.servicecidrs, ServiceCIDRStrategy, "/registry/servicecidrs/", STATUS),
)

# kubectl 1.32+ sends its `create` generators as protobuf.
protobuf.register_messages()
