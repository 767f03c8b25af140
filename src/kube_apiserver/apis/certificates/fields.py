"""Selectable fields of CertificateSigningRequests: the name, and the signer a controller
watches its requests by (`spec.signerName`)."""

from __future__ import annotations

from typing import Any


def csr_fields(csr: dict[str, Any]) -> dict[str, str]:
    spec = csr.get("spec") or {}
    signer = spec.get("signerName")
    return {
        "metadata.name": (csr.get("metadata") or {}).get("name", ""),
        "spec.signerName": signer if isinstance(signer, str) else "",
    }
