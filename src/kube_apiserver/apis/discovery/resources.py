"""discovery.k8s.io/v1 resources: EndpointSlices (no short name, no subresources)."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource

GROUP = "discovery.k8s.io"

endpointslices = Resource(GROUP, "v1", "endpointslices", "EndpointSlice", "endpointslice", True)
