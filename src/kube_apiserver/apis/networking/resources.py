"""networking.k8s.io/v1 resources, as Kubernetes 1.33 serves them.

IPAddress and ServiceCIDR went GA in 1.33; their v1beta1 versions are off by default, as
every beta API is, so only v1 is served. NetworkPolicy has had no status since 1.28.
"""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

GROUP = "networking.k8s.io"

ingressclasses = Resource(GROUP, "v1", "ingressclasses", "IngressClass", "ingressclass", False)
ingresses = Resource(
    GROUP,
    "v1",
    "ingresses",
    "Ingress",
    "ingress",
    True,
    short_names=("ing",),
    subresources=(Subresource("status", "Ingress"),),
)
ipaddresses = Resource(
    GROUP, "v1", "ipaddresses", "IPAddress", "ipaddress", False, short_names=("ip",)
)
networkpolicies = Resource(
    GROUP,
    "v1",
    "networkpolicies",
    "NetworkPolicy",
    "networkpolicy",
    True,
    short_names=("netpol",),
)
servicecidrs = Resource(
    GROUP,
    "v1",
    "servicecidrs",
    "ServiceCIDR",
    "servicecidr",
    False,
    subresources=(Subresource("status", "ServiceCIDR"),),
)
