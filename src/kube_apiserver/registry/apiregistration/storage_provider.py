"""apiregistration.k8s.io/v1: APIServices, where Kubernetes stores them.

The local APIServices for the served group/versions are kept by `local.py` at start, since
which ones exist depends on `--runtime-config`.
"""

from __future__ import annotations

from kube_apiserver.apis.apiregistration import resources as apiregistration
from kube_apiserver.registry.apiregistration.apiservice import APIServiceStrategy
from kube_apiserver.registry.provider import STATUS, ResourceSpec

SPECS = (
    ResourceSpec(
        apiregistration.apiservices,
        APIServiceStrategy,
        "/registry/apiregistration.k8s.io/apiservices/",
        STATUS,
    ),
)
