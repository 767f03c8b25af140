"""certificates.k8s.io/v1 resources and their storage."""

from __future__ import annotations

from kube_apiserver.apis.certificates import resources as certificates
from kube_apiserver.registry.certificates import certificatesigningrequest as csr
from kube_apiserver.registry.provider import ResourceSpec

SPECS = (
    ResourceSpec(
        certificates.certificatesigningrequests,
        csr.CSRStrategy,
        "/registry/certificatesigningrequests/",
        {"approval": csr.ApprovalREST, "status": csr.status_rest},
    ),
)
