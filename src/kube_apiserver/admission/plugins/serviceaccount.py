"""ServiceAccount admission: every pod runs as a service account and gets its API credentials.

As Kubernetes 1.33's plugin does, on pod create:
- an empty `spec.serviceAccountName` becomes `default`; the account must exist (403 otherwise);
- unless `automountServiceAccountToken` is false (the pod's word first, then the account's), the
  pod gets the projected volume `kube-api-access-xxxxx` (a bound token, the cluster CA from
  `kube-root-ca.crt`, the namespace), mounted read-only at the well-known path in every init
  and regular container that does not mount something there already;
- a pod without `imagePullSecrets` gets its account's;
- an account annotated `kubernetes.io/enforce-mountable-secrets: "true"` limits the secrets the
  pod may use to those the account lists (checked again when ephemeral containers are added);
- mirror pods (a kubelet's copy of a static pod) are left as they are, and may name no service
  account, secret or token projection.

Accounts are read from the watch cache. A namespace's `default` account is made by a controller
(controllers/serviceaccounts.py) just after the namespace: where Kubernetes retries its lookup
for about a second, we wait on the cache's watch for it (bounded), so a pod created the moment
its namespace is does not fail.
"""

from __future__ import annotations

import asyncio
from typing import Any

from kube_apiserver.admission.interface import CREATE, UPDATE, Attributes
from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.core.defaults import service_account_name
from kube_apiserver.apis.meta.unstructured import dict_items, get_dict, get_str, get_str_map
from kube_apiserver.authorization.node.references import MIRROR_POD_ANNOTATION, pod_secret_names
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.registry.rest import generate_name
from kube_apiserver.storage.interface import DELETED, KeyNotFoundError

Obj = dict[str, Any]

DEFAULT_ACCOUNT = "default"
ENFORCE_MOUNTABLE_SECRETS = "kubernetes.io/enforce-mountable-secrets"
VOLUME_PREFIX = "kube-api-access-"
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
# An hour and seven seconds: the lifetime Kubernetes asks for, which lets the API server tell
# these automatically mounted tokens apart (it may extend them, warning on use past the hour).
TOKEN_EXPIRATION_SECONDS = 3607
ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
WAIT_FOR_DEFAULT_SECONDS = 5.0
_GO_TRUE = ("1", "t", "T", "TRUE", "true", "True")  # what Go's strconv.ParseBool reads as true


def token_volume(name: str) -> Obj:
    """The projected volume a pod's containers read their API credentials from."""
    return {
        "name": name,
        "projected": {
            "sources": [
                {
                    "serviceAccountToken": {
                        "expirationSeconds": TOKEN_EXPIRATION_SECONDS,
                        "path": "token",
                    }
                },
                {
                    "configMap": {
                        "name": ROOT_CA_CONFIGMAP,
                        "items": [{"key": "ca.crt", "path": "ca.crt"}],
                    }
                },
                {
                    "downwardAPI": {
                        "items": [
                            {
                                "path": "namespace",
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                            }
                        ]
                    }
                },
            ],
            "defaultMode": 420,  # set explicitly, as Kubernetes does
        },
    }


def _automount(spec: Obj, account: Obj) -> bool:
    for choice in (
        spec.get("automountServiceAccountToken"),
        account.get("automountServiceAccountToken"),
    ):
        if isinstance(choice, bool):
            return choice
    return True


def _mount_token(spec: Obj) -> None:
    """Mount the token volume in every init and regular container (not ephemeral ones) that
    mounts nothing at the token path; a volume already named kube-api-access-* is reused."""
    existing = next(
        (
            get_str(v, "name")
            for v in dict_items(spec, "volumes")
            if get_str(v, "name").startswith(VOLUME_PREFIX)
        ),
        "",
    )
    name = existing or generate_name(VOLUME_PREFIX)
    needed = False
    for kind in ("initContainers", "containers"):
        for container in dict_items(spec, kind):
            if container.get("volumeMounts") is None:
                container["volumeMounts"] = []
            mounts = container["volumeMounts"]
            if not isinstance(mounts, list) or any(
                get_str(m, "mountPath") == TOKEN_MOUNT_PATH for m in mounts
            ):
                continue
            mounts.append({"name": name, "readOnly": True, "mountPath": TOKEN_MOUNT_PATH})
            needed = True
    if needed and not existing:
        if spec.get("volumes") is None:
            spec["volumes"] = []
        if isinstance(spec["volumes"], list):
            spec["volumes"].append(token_volume(name))


def _enforces_mountable_secrets(account: Obj) -> bool:
    annotations = get_str_map(get_dict(account, "metadata"), "annotations") or {}
    return annotations.get(ENFORCE_MOUNTABLE_SECRETS) in _GO_TRUE


def _unlisted_secret(account: Obj, spec: Obj) -> str:
    """Why the pod may not use a secret its enforcing account does not list ("" when it may)."""
    account_name = get_str(get_dict(account, "metadata"), "name")
    mountable = {get_str(ref, "name") for ref in dict_items(account, "secrets")}
    for volume in dict_items(spec, "volumes"):
        if not isinstance(volume.get("secret"), dict):
            continue
        secret = get_str(volume["secret"], "secretName")
        if secret not in mountable:
            return (
                f'volume with secret.secretName="{secret}" is not allowed because service '
                f"account {account_name} does not reference that secret"
            )
    for kind, label in (("initContainers", "init container"), ("containers", "container")):
        for container in dict_items(spec, kind):
            if why := _unlisted_env_secret(container, label, mountable, account_name):
                return why
    pull_secrets = {get_str(ref, "name") for ref in dict_items(account, "imagePullSecrets")}
    for i, ref in enumerate(dict_items(spec, "imagePullSecrets")):
        if get_str(ref, "name") not in pull_secrets:
            return (
                f'imagePullSecrets[{i}].name="{get_str(ref, "name")}" is not allowed because '
                f"service account {account_name} does not reference that imagePullSecret"
            )
    return ""


def _unlisted_env_secret(container: Obj, label: str, mountable: set[str], account: str) -> str:
    name = get_str(container, "name")
    tail = f"is not allowed because service account {account} does not reference that secret"
    for env in dict_items(container, "env"):
        ref = get_dict(get_dict(env, "valueFrom"), "secretKeyRef")
        if ref and get_str(ref, "name") not in mountable:
            return (
                f"{label} {name} with envVar {get_str(env, 'name')} referencing "
                f'secret.secretName="{get_str(ref, "name")}" {tail}'
            )
    for source in dict_items(container, "envFrom"):
        ref = get_dict(source, "secretRef")
        if ref and get_str(ref, "name") not in mountable:
            return f'{label} {name} with envFrom referencing secret.secretName="{get_str(ref, "name")}" {tail}'
    return ""


def _pod(attrs: Attributes) -> Obj | None:
    """The pod this plugin looks at: pods themselves and their ephemeralcontainers."""
    res = attrs.resource
    if res.group or res.name != "pods" or attrs.subresource not in ("", "ephemeralcontainers"):
        return None
    return attrs.obj if isinstance(attrs.obj, dict) else None


def _is_mirror(pod: Obj) -> bool:
    return MIRROR_POD_ANNOTATION in (get_str_map(get_dict(pod, "metadata"), "annotations") or {})


class ServiceAccount:
    name = "ServiceAccount"

    def __init__(self, *, wait_for_default: float = WAIT_FOR_DEFAULT_SECONDS) -> None:
        self._wait_for_default = wait_for_default
        self._accounts: Store | None = None
        self._namespaces: Store | None = None

    def attach(self, stores: dict[str, Store]) -> None:
        self._accounts = stores.get("serviceaccounts")
        self._namespaces = stores.get("namespaces")

    async def admit(self, attrs: Attributes) -> None:
        pod = _pod(attrs)
        if pod is None or attrs.operation != CREATE:
            return
        if _is_mirror(pod):  # a kubelet would delete a mirror pod whose spec it did not write
            self._refuse_mirror_references(attrs, pod)
            return
        spec = pod.setdefault("spec", {})
        if not isinstance(spec, dict):
            return  # not a pod spec: validation refuses it
        spec["serviceAccountName"] = service_account_name(spec) or DEFAULT_ACCOUNT
        account = await self._account(attrs, spec["serviceAccountName"])
        if _automount(spec, account):
            _mount_token(spec)
        if not spec.get("imagePullSecrets") and dict_items(account, "imagePullSecrets"):
            spec["imagePullSecrets"] = [
                {"name": get_str(ref, "name")} for ref in dict_items(account, "imagePullSecrets")
            ]
        await self.validate(attrs)

    async def validate(self, attrs: Attributes) -> None:
        pod = _pod(attrs)
        if pod is None:
            return
        spec = get_dict(pod, "spec")
        if attrs.operation == UPDATE and attrs.subresource == "ephemeralcontainers":
            await self._limit_ephemeral_containers(attrs, pod, spec)
            return
        if attrs.operation != CREATE:
            return
        if _is_mirror(pod):
            self._refuse_mirror_references(attrs, pod)
            return
        account = await self._named_account(attrs, pod, spec)
        if _enforces_mountable_secrets(account) and (why := _unlisted_secret(account, spec)):
            raise self._forbidden(attrs, why)

    async def _limit_ephemeral_containers(self, attrs: Attributes, pod: Obj, spec: Obj) -> None:
        account = await self._named_account(attrs, pod, spec)
        if not _enforces_mountable_secrets(account):
            return
        mountable = {get_str(ref, "name") for ref in dict_items(account, "secrets")}
        account_name = get_str(get_dict(account, "metadata"), "name")
        for container in dict_items(spec, "ephemeralContainers"):
            if why := _unlisted_env_secret(
                container, "ephemeral container", mountable, account_name
            ):
                # Kubernetes returns this one as a plain error: a 500 with no reason.
                raise errors.StatusError(500, "", why)

    def _refuse_mirror_references(self, attrs: Attributes, pod: Obj) -> None:
        spec = get_dict(pod, "spec")
        if service_account_name(spec):
            raise self._forbidden(attrs, "a mirror pod may not reference service accounts")
        if any(pod_secret_names(pod)):
            raise self._forbidden(attrs, "a mirror pod may not reference secrets")
        for volume in dict_items(spec, "volumes"):
            for projection in dict_items(get_dict(volume, "projected"), "sources"):
                if projection.get("serviceAccountToken") is not None:
                    raise self._forbidden(
                        attrs, "a mirror pod may not use ServiceAccountToken volume projections"
                    )

    async def _named_account(self, attrs: Attributes, pod: Obj, spec: Obj) -> Obj:
        name = service_account_name(spec)
        if not name:
            pod_name = get_str(get_dict(pod, "metadata"), "name")
            raise self._forbidden(
                attrs, f"no service account specified for pod {attrs.namespace}/{pod_name}"
            )
        return await self._account(attrs, name)

    async def _account(self, attrs: Attributes, name: str) -> Obj:
        account = await self._lookup(attrs.namespace, name)
        if account is None:
            raise self._forbidden(
                attrs,
                f"error looking up service account {attrs.namespace}/{name}: "
                f'serviceaccount "{name}" not found',
            )
        return account

    async def _lookup(self, namespace: str, name: str) -> Obj | None:
        store = self._accounts
        if store is None:
            return None
        key = store.key(namespace, name)
        if (item := store.cache.get_cached(key)) is not None:
            return item.obj
        try:  # written, but not in the cache yet?
            return (await store.cache.get(key)).obj
        except KeyNotFoundError:
            pass
        if name != DEFAULT_ACCOUNT or not await self._namespace_active(namespace):
            return None
        return await self._wait_for(store, key)

    async def _wait_for(self, store: Store, key: str) -> Obj | None:
        """The object at key once the cache sees it, or None after the bounded wait."""
        watcher = store.cache.watch_from(key, store.cache.revision, None, initial=False)
        try:
            if (item := store.cache.get_cached(key)) is not None:  # arrived meanwhile
                return item.obj
            async with asyncio.timeout(self._wait_for_default):
                async for event in watcher:
                    if event.current.key == key and event.type != DELETED:
                        return event.current.obj
        except TimeoutError:
            pass
        finally:
            watcher.close()
        return None

    async def _namespace_active(self, name: str) -> bool:
        """Whether the controller will make the namespace's default account."""
        store = self._namespaces
        if store is None:
            return False
        try:
            namespace = (await store.cache.get(store.key("", name))).obj
        except KeyNotFoundError:
            return False
        meta = get_dict(namespace, "metadata")
        phase = get_str(get_dict(namespace, "status"), "phase")
        return phase != "Terminating" and not meta.get("deletionTimestamp")

    @staticmethod
    def _forbidden(attrs: Attributes, why: str) -> errors.StatusError:
        # Named as Kubernetes names it: by the request, else the object's name or generateName.
        meta = get_dict(attrs.obj, "metadata")
        name = attrs.name or get_str(meta, "name") or get_str(meta, "generateName") or "Unknown"
        return errors.forbidden("pods", "", name, why)
