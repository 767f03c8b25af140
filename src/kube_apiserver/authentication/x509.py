"""Client-certificate authentication (`--client-ca-file`).

By the time a request reaches the filter, TLS has already verified the client's certificate
against the client CA and checked it is good for client auth (OpenSSL's server side applies the
"sslclient" purpose, the equivalent of Go's ExtKeyUsageClientAuth check). What is left is what
Kubernetes' CommonNameUserConversion does: the subject CN is the user name, every O value is a
group, and the certificate's SHA-256 fingerprint identifies the credential in `extra`.

The certificate arrives in the dict form `ssl.SSLSocket.getpeercert()` returns: the subject is a
sequence of RDNs, each a sequence of (attribute, value) pairs.
"""

from __future__ import annotations

import hashlib
from typing import Any

from kube_apiserver.authentication.interface import AuthRequest
from kube_apiserver.authentication.user import CREDENTIAL_ID_KEY, UserInfo


class X509Authenticator:
    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        # An empty dict is what getpeercert() gives for a certificate it did not verify.
        if not req.peer_cert:
            return None
        common_name, organizations = _subject_names(req.peer_cert)
        # A certificate without a CN names nobody: Kubernetes treats it as no credential.
        if not common_name:
            return None
        extra: dict[str, tuple[str, ...]] = {}
        if req.peer_cert_der:
            fingerprint = hashlib.sha256(req.peer_cert_der).hexdigest()
            extra[CREDENTIAL_ID_KEY] = ("X509SHA256=" + fingerprint,)
        return UserInfo(name=common_name, groups=organizations, extra=extra)


def _subject_names(cert: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The CN and the O values of a certificate subject, read the way Go's pkix.Name is filled.

    Go keeps the last CN it meets and every O in order, across multi-valued RDNs too.
    """
    common_name = ""
    organizations: list[str] = []
    for rdn in cert.get("subject", ()):
        for attribute, value in rdn:
            if attribute == "commonName":
                common_name = value
            elif attribute == "organizationName":
                organizations.append(value)
    return common_name, tuple(organizations)
