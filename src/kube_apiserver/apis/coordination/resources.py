"""coordination.k8s.io/v1 resources."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource

leases = Resource("coordination.k8s.io", "v1", "leases", "Lease", "lease", True)

RESOURCES = (leases,)
