"""flowcontrol.apiserver.k8s.io/v1 resources: API Priority and Fairness configuration."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

GROUP = "flowcontrol.apiserver.k8s.io"

flowschemas = Resource(
    GROUP,
    "v1",
    "flowschemas",
    "FlowSchema",
    "flowschema",
    False,
    subresources=(Subresource("status", "FlowSchema"),),
)
prioritylevelconfigurations = Resource(
    GROUP,
    "v1",
    "prioritylevelconfigurations",
    "PriorityLevelConfiguration",
    "prioritylevelconfiguration",
    False,
    subresources=(Subresource("status", "PriorityLevelConfiguration"),),
)

RESOURCES = (flowschemas, prioritylevelconfigurations)
