"""Service account issuer discovery: the OpenID provider metadata and the key set relying parties
use to verify service account tokens without asking the API server (`kubectl get --raw
/.well-known/openid-configuration`, `/openid/v1/jwks`).

As kube-apiserver, the documents are rendered once at start from the first issuer and every
verification key, and are only served when the issuer is an https URL without query or
fragment; `jwks_uri` is `--service-account-jwks-uri`, else the key set's path on the server's own
external address.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

import orjson

from kube_apiserver.serviceaccount import keys as sakeys

log = logging.getLogger(__name__)

OPENID_CONFIG_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/openid/v1/jwks"
# What kube-apiserver sends them as.
CONTENT_TYPES = {OPENID_CONFIG_PATH: "application/json", JWKS_PATH: "application/jwk-set+json"}


def _issuer_problem(issuer: str) -> str:
    """Why an issuer cannot be an OpenID provider's, or "" when it can."""
    if not issuer:
        return "empty issuer URL"
    try:
        url = urlsplit(issuer)
    except ValueError as exc:
        return str(exc)
    if url.scheme != "https":
        return f"issuer URL must use https scheme, got: {issuer}"
    if url.query:
        return f"issuer URL may not include a query, got: {issuer}"
    if url.fragment:
        return f"issuer URL may not include a fragment, got: {issuer}"
    return ""


def documents(
    issuer: str, *, jwks_uri: str, external_url: str, keys: Sequence[sakeys.PublicKey]
) -> dict[str, bytes]:
    """Path -> JSON body of the two discovery documents; empty (and the reason logged) when
    the issuer cannot have them."""
    problem = _issuer_problem(issuer)
    if not problem and not jwks_uri and not external_url:
        problem = "either the JWKS URI or the default external address, or both, must be set"
    if not problem and jwks_uri and urlsplit(jwks_uri).scheme != "https":
        problem = f"jwksURI requires https scheme, parsed as: {jwks_uri}"
    if not problem and not keys:
        problem = "no keys provided for validating keyset"
    if problem:
        log.warning("service account issuer discovery is not served: %s", problem)
        return {}
    jwks = [sakeys.jwk(key) for key in keys]
    config = {
        "issuer": issuer,
        "jwks_uri": jwks_uri or external_url.rstrip("/") + JWKS_PATH,
        "response_types_supported": ["id_token"],  # Kubernetes issues ID tokens only
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": sorted({k["alg"] for k in jwks}),
    }
    return {OPENID_CONFIG_PATH: orjson.dumps(config), JWKS_PATH: orjson.dumps({"keys": jwks})}
