"""certificates.k8s.io/v1 resources, with the discovery facts of Kubernetes 1.33.

ClusterTrustBundles (v1alpha1, v1beta1) are off by default in 1.33 and not served here.
"""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource, Subresource

KIND = "CertificateSigningRequest"

certificatesigningrequests = Resource(
    "certificates.k8s.io",
    "v1",
    "certificatesigningrequests",
    KIND,
    "certificatesigningrequest",
    False,
    short_names=("csr",),
    subresources=(Subresource("approval", KIND), Subresource("status", KIND)),
)

RESOURCES = (certificatesigningrequests,)
