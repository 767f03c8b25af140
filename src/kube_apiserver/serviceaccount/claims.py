"""What service account tokens say, and whom they name: the claims Kubernetes 1.33 writes, and the
user a verified token authenticates as.

Two kinds of token exist. Bound tokens (TokenRequest, `kubectl create token`, projected volumes)
carry the standard claims (`iss` one of the configured issuers, `sub`, `aud`, `exp`, `iat`, `nbf`,
`jti`) and a private `kubernetes.io` claim naming the namespace, the service account and the
object the token is bound to (a pod, with the pod's node, a secret or a node), each by name and
uid. Legacy tokens (kept in Secrets of type kubernetes.io/service-account-token) never expire and
carry flat `kubernetes.io/serviceaccount/...` claims instead, with `iss` "kubernetes/serviceaccount".
"""

from __future__ import annotations

import uuid
from typing import Any

from kube_apiserver.authentication.user import CREDENTIAL_ID_KEY, UserInfo

Obj = dict[str, Any]

LEGACY_ISSUER = "kubernetes/serviceaccount"
PRIVATE_CLAIM = "kubernetes.io"
# Legacy tokens' claims.
LEGACY_NAMESPACE = "kubernetes.io/serviceaccount/namespace"
LEGACY_SECRET_NAME = "kubernetes.io/serviceaccount/secret.name"
LEGACY_SA_NAME = "kubernetes.io/serviceaccount/service-account.name"
LEGACY_SA_UID = "kubernetes.io/serviceaccount/service-account.uid"

# A pod-bound token asked for with exactly this lifetime (what kubelets ask for) is issued for a
# year and warns after the asked time instead, so old clients that never refresh keep working.
WARN_ONLY_EXPIRATION_SECONDS = 60 * 60 + 7
EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60

USERNAME_PREFIX = "system:serviceaccount:"
ALL_GROUP = "system:serviceaccounts"
POD_NAME_KEY = "authentication.kubernetes.io/pod-name"
POD_UID_KEY = "authentication.kubernetes.io/pod-uid"
NODE_NAME_KEY = "authentication.kubernetes.io/node-name"
NODE_UID_KEY = "authentication.kubernetes.io/node-uid"


def username(namespace: str, name: str) -> str:
    return f"{USERNAME_PREFIX}{namespace}:{name}"


def _ref(obj: Obj) -> Obj:
    """A `{name, uid}` reference to an object, empty members left out."""
    meta = obj.get("metadata") or {}
    return {k: v for k, v in (("name", meta.get("name")), ("uid", meta.get("uid"))) if v}


def bound_claims(
    sa: Obj,
    *,
    audiences: list[str],
    expiration_seconds: int,
    now: int,
    warn_after_seconds: int = 0,
    pod: Obj | None = None,
    secret: Obj | None = None,
    node: Obj | None = None,
) -> Obj:
    """The claims of a bound token for `sa`, without `iss` (the signer adds it).

    A token is bound to at most a pod (then also naming the pod's node when known), a secret or
    a node."""
    meta = sa["metadata"]
    private: Obj = {"namespace": meta["namespace"], "serviceaccount": _ref(sa)}
    if pod is not None:
        private["pod"] = _ref(pod)
        if node is not None:
            private["node"] = _ref(node)
    elif secret is not None:
        private["secret"] = _ref(secret)
    elif node is not None:
        private["node"] = _ref(node)
    if warn_after_seconds:
        private["warnafter"] = now + warn_after_seconds
    return {
        "aud": audiences,
        "exp": now + expiration_seconds,
        "iat": now,
        "jti": str(uuid.uuid4()),
        PRIVATE_CLAIM: private,
        "nbf": now,
        "sub": username(meta["namespace"], meta["name"]),
    }


def legacy_claims(sa: Obj, secret_name: str) -> Obj:
    """The claims of a legacy token kept in the Secret `secret_name`, without `iss`."""
    meta = sa["metadata"]
    return {
        LEGACY_NAMESPACE: meta["namespace"],
        LEGACY_SECRET_NAME: secret_name,
        LEGACY_SA_NAME: meta["name"],
        LEGACY_SA_UID: meta.get("uid", ""),
        "sub": username(meta["namespace"], meta["name"]),
    }


def service_account_user(
    namespace: str,
    name: str,
    uid: str,
    *,
    pod: tuple[str, str] | None = None,
    node: tuple[str, str] | None = None,
    jti: str = "",
) -> UserInfo:
    """Who a service account token authenticates as: the account, its groups, and in `extra`
    the pod and node it is bound to and the token's id, as Kubernetes records them."""
    extra: dict[str, tuple[str, ...]] = {}
    if pod is not None:
        extra[POD_NAME_KEY] = (pod[0],)
        extra[POD_UID_KEY] = (pod[1],)
    if jti:
        extra[CREDENTIAL_ID_KEY] = ("JTI=" + jti,)
    if node is not None and node[0]:
        extra[NODE_NAME_KEY] = (node[0],)
        if node[1]:  # a pod's node may be named without its uid
            extra[NODE_UID_KEY] = (node[1],)
    return UserInfo(
        name=username(namespace, name),
        uid=uid,
        groups=(ALL_GROUP, f"{ALL_GROUP}:{namespace}"),
        extra=extra,
    )
