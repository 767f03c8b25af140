"""Table printers for certificates.k8s.io/v1: the columns `kubectl get csr` shows.

Kubernetes documents these columns with the v1beta1 field docs, which this server's schema data
does not carry, so their text is written out here (where it differs from v1's). CONDITION sums the request up: Denied wins
over Approved, otherwise Pending, then `,Failed` and `,Issued` when they apply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.meta.table import (
    NONE,
    Column,
    TableDef,
    age,
    age_column,
    field_doc,
    human_duration,
    name_column,
    object_name,
)

_SIGNER_NAME_DOC = (
    "Requested signer for the request. It is a qualified name in the form: "
    "`scope-hostname.io/name`. If empty, it will be defaulted:\n"
    " 1. If it's a kubelet client certificate, it is assigned\n"
    '    "kubernetes.io/kube-apiserver-client-kubelet".\n'
    " 2. If it's a kubelet serving certificate, it is assigned\n"
    '    "kubernetes.io/kubelet-serving".\n'
    ' 3. Otherwise, it is assigned "kubernetes.io/legacy-unknown".\n'
    "Distribution of trust for signers happens out of band. You can select on this field "
    "using `spec.signerName`."
)
# v1beta1 documents expirationSeconds with the same text as v1.
_EXPIRATION_DOC = field_doc(
    "io.k8s.api.certificates.v1.CertificateSigningRequestSpec", "expirationSeconds"
)


def condition_summary(csr: dict[str, Any]) -> str:
    status = csr.get("status") or {}
    types = {(c or {}).get("type") for c in status.get("conditions") or []}
    summary = "Denied" if "Denied" in types else "Approved" if "Approved" in types else "Pending"
    if "Failed" in types:
        summary += ",Failed"
    if status.get("certificate"):
        summary += ",Issued"
    return summary


def _csr_row(csr: dict[str, Any], now: datetime) -> list[Any]:
    spec = csr.get("spec") or {}
    seconds = spec.get("expirationSeconds")
    return [
        object_name(csr),
        age(csr, now),
        spec.get("signerName") or NONE,
        spec.get("username", ""),
        human_duration(seconds) if isinstance(seconds, int) else NONE,
        condition_summary(csr),
    ]


CERTIFICATE_SIGNING_REQUESTS = TableDef(
    columns=(
        name_column(),
        age_column(),
        Column("SignerName", description=_SIGNER_NAME_DOC),
        Column("Requestor", description="Base64-encoded PKCS#10 CSR data"),
        Column("RequestedDuration", description=_EXPIRATION_DOC),
        Column(
            "Condition",
            description="Conditions applied to the request, such as approval or denial.",
        ),
    ),
    row=_csr_row,
)

TABLES: dict[str, TableDef] = {"certificatesigningrequests": CERTIFICATE_SIGNING_REQUESTS}
