"""coordination.k8s.io/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.coordination import resources as coordination
from kube_apiserver.registry.coordination.lease import LeaseStrategy
from kube_apiserver.registry.provider import ResourceSpec

SPECS = (ResourceSpec(coordination.leases, LeaseStrategy, "/registry/leases/"),)
