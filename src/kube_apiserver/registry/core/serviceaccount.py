"""ServiceAccounts and their `token` subresource: TokenRequest, as `kubectl create token` and
kubelets ask for bound service account tokens (Kubernetes' TokenREST).

POST a TokenRequest to `serviceaccounts/<name>/token`; the answer is the same TokenRequest with
its metadata filled (name, namespace, creationTimestamp), the spec as applied (audiences default
to the API audiences, expirationSeconds to an hour) and `status.token` and
`status.expirationTimestamp`. The token names the service account by name and uid, and the object
`spec.boundObjectRef` binds it to — a Pod (of that service account; its node is named too), a
Secret or a Node, which must exist (and have the given uid, when one is given). It stops
authenticating when any of them is deleted.

Lifetimes: at least 10 minutes and at most 2^32 seconds; `--service-account-max-token-expiration`
shortens longer requests (with a warning); and with `--service-account-extend-token-expiration`
a pod-bound token for API audiences asked for exactly 3607 seconds (what kubelets ask for) is
made valid for a year and warns after the hour, as Kubernetes does.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from kube_apiserver.admission.interface import CREATE, Attributes
from kube_apiserver.apimachinery import errors, warning
from kube_apiserver.apis.meta import field as fe
from kube_apiserver.registry.core import simple
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.registry.rest import Obj
from kube_apiserver.serviceaccount import claims as saclaims
from kube_apiserver.serviceaccount.tokens import ServiceAccountTokens

GROUP = "authentication.k8s.io"
KIND = "TokenRequest"
DEFAULT_EXPIRATION_SECONDS = 60 * 60
MIN_EXPIRATION_SECONDS = 10 * 60
MAX_EXPIRATION_SECONDS = 1 << 32
# boundObjectRef kind -> the store of the objects a token may be bound to
_BINDABLE = {"Pod": "pods", "Secret": "secrets", "Node": "nodes"}


class ServiceAccountStrategy(simple.ServiceAccountStrategy):
    """ServiceAccounts, holding what their token subresource needs: the stores of the objects
    tokens are bound to, and the server's token issuer."""

    stores: dict[str, Store] = {}
    tokens: ServiceAccountTokens | None = None

    def attach(self, stores: dict[str, Any]) -> None:
        self.stores = stores

    def attach_auth(self, authorizer: Any, tokens: Any) -> None:
        self.tokens = tokens


def _rfc3339(seconds: float) -> str:
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _invalid(name: str, path: str, value: Any, detail: str) -> errors.StatusError:
    return errors.invalid(KIND, GROUP, name, [fe.invalid(path, value, detail)])


def _group_version_kind(api_version: str, kind: str) -> tuple[str, str, str]:
    """Go's schema.FromAPIVersionAndKind: an unparsable apiVersion keeps only the kind."""
    if api_version.count("/") > 1:
        return "", "", kind
    group, _, version = api_version.rpartition("/")
    return group, version, kind


class TokenREST:
    """`serviceaccounts/token`: POST a TokenRequest, get it back with a token."""

    verbs = ("create",)
    group, version, kind = GROUP, "v1", KIND

    def __init__(self, parent: ServiceAccountStrategy) -> None:
        self.parent = parent

    async def create(
        self, store: Store, namespace: str, name: str, req: Obj, *, user: Any, dry_run: bool
    ) -> Obj:
        tokens = self.parent.tokens
        if tokens is None or not tokens.can_issue:
            raise errors.not_found_path()  # kube-apiserver serves no TokenRequest then
        meta = req["metadata"] = (
            req.get("metadata") if isinstance(req.get("metadata"), dict) else {}
        )
        if meta.get("name") and meta["name"] != name:
            detail = "must match the service account name if specified"
            raise _invalid(name, "metadata.name", meta["name"], detail)
        if meta.get("namespace") and meta["namespace"] != namespace:
            detail = "must match the service account namespace if specified"
            raise _invalid(name, "metadata.namespace", meta["namespace"], detail)
        attrs = Attributes(
            CREATE, store.resource, namespace, name, req, None, user, "token", dry_run
        )
        await store.admission.admit(attrs)
        sa = (await store.get(namespace, name)).obj
        spec = req["spec"] = req.get("spec") if isinstance(req.get("spec"), dict) else {}
        spec["audiences"] = list(spec.get("audiences") or tokens.api_audiences)
        if spec.get("expirationSeconds") is None:
            spec["expirationSeconds"] = DEFAULT_EXPIRATION_SECONDS
        meta["name"] = meta.get("name") or name
        meta["namespace"] = meta.get("namespace") or namespace
        now = int(time.time())
        meta["creationTimestamp"] = _rfc3339(now)
        req.pop("status", None)
        self._validate(spec)
        await store.admission.validate(attrs)
        bound = await self._bound_objects(namespace, name, spec.get("boundObjectRef"))
        requested = spec["expirationSeconds"]
        limit = tokens.max_expiration_seconds
        if limit and requested > limit:
            warning.add(f"requested expiration of {requested} seconds shortened to {limit} seconds")
            spec["expirationSeconds"] = requested = limit
        lifetime, warn_after = requested, 0
        if (
            tokens.extend_expiration
            and bound.get("pod") is not None
            and requested == saclaims.WARN_ONLY_EXPIRATION_SECONDS
            and set(spec["audiences"]) <= set(tokens.api_audiences)
        ):
            lifetime, warn_after = saclaims.EXPIRATION_EXTENSION_SECONDS, requested
        claims = saclaims.bound_claims(
            sa,
            audiences=spec["audiences"],
            expiration_seconds=lifetime,
            now=now,
            warn_after_seconds=warn_after,
            **bound,
        )
        req["status"] = {
            "token": tokens.issue(claims),
            "expirationTimestamp": _rfc3339(now + requested),
        }
        return req

    @staticmethod
    def _validate(spec: Obj) -> None:
        seconds = spec["expirationSeconds"]
        errs = []
        if seconds < MIN_EXPIRATION_SECONDS:
            detail = "may not specify a duration less than 10 minutes"
            errs.append(fe.invalid("spec.expirationSeconds", seconds, detail))
        if seconds > MAX_EXPIRATION_SECONDS:
            detail = "may not specify a duration larger than 2^32 seconds"
            errs.append(fe.invalid("spec.expirationSeconds", seconds, detail))
        if errs:
            raise errors.invalid(KIND, GROUP, "", errs)

    async def _bound_objects(self, namespace: str, sa_name: str, ref: Any) -> dict[str, Obj]:
        """The object the token is to be bound to (and a pod's node), keyed as bound_claims
        takes them; errors as Kubernetes answers a reference it cannot bind to."""
        if not isinstance(ref, dict):
            return {}
        group, version, kind = _group_version_kind(
            str(ref.get("apiVersion") or ""), str(ref.get("kind") or "")
        )
        resource = _BINDABLE.get(kind) if group == "" else None
        if resource is None:
            raise errors.bad_request(
                f"cannot bind token to object of type {group}/{version}, Kind={kind}"
            )
        ref_name = str(ref.get("name") or "")
        stores = self.parent.stores
        obj = (await stores[resource].get("" if kind == "Node" else namespace, ref_name)).obj
        bound = {kind.lower(): obj}
        if kind == "Pod":
            spec = obj.get("spec") or {}
            if spec.get("serviceAccountName") != sa_name:
                raise errors.bad_request(
                    f'cannot bind token for serviceaccount "{sa_name}" to pod running with '
                    "different serviceaccount name."
                )
            if spec.get("nodeName"):
                bound["node"] = await self._node(stores["nodes"], spec["nodeName"])
        uid = (obj.get("metadata") or {}).get("uid", "")
        if ref.get("uid") and ref["uid"] != uid:
            raise errors.conflict(
                kind,
                group,
                ref_name,
                f"the UID in the bound object reference ({ref['uid']}) does not match the UID in "
                "record. The object might have been deleted and then recreated",
            )
        return bound

    @staticmethod
    async def _node(nodes: Store, name: str) -> Obj:
        """A pod's node; when it does not exist the token still names it, without a uid."""
        cached = nodes.cache.get_cached(nodes.key("", name))
        if cached is not None:
            return cached.obj
        try:
            return (await nodes.get("", name)).obj
        except errors.StatusError as exc:
            if exc.code != 404:
                raise
            return {"metadata": {"name": name}}
