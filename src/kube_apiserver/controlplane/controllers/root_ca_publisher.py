"""The `kube-root-ca.crt` ConfigMap in every active namespace, as kube-controller-manager's
root-ca-cert-publisher keeps it.

It holds the CA that signed the API server's serving certificate (key `ca.crt`), so that pods
can verify the server: their automatically mounted token volume projects it. A copy that is
deleted, or whose data or description annotation is changed, is put back.

Every server sharing a storage runs this publisher (kube-controller-manager elects one). Servers
with the same CA agree; servers with different CAs would overwrite each other without end, so
restores of one namespace's copy draw on a small budget (a burst, then one per interval).
"""

from __future__ import annotations

import asyncio
import logging

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta.unstructured import get_dict, get_str_map
from kube_apiserver.controlplane.controllers.per_namespace import (
    Obj,
    PerNamespaceController,
    refused_by_namespace,
)
from kube_apiserver.registry.generic.store import Store

log = logging.getLogger(__name__)

CONFIGMAP = "kube-root-ca.crt"
DESCRIPTION_ANNOTATION = "kubernetes.io/description"
DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters."
)
RESTORE_BURST = 5
RESTORE_INTERVAL_SECONDS = 10.0


class RootCAPublisher(PerNamespaceController):
    object_name = CONFIGMAP

    def __init__(self, stores: dict[str, Store], *, root_ca: bytes) -> None:
        super().__init__(stores["namespaces"], stores["configmaps"])
        self.data = {"ca.crt": root_ca.decode()}
        self._budget: dict[str, tuple[float, float]] = {}  # namespace -> (restores left, when)

    def start(self) -> None:
        if self.data["ca.crt"]:  # nothing to publish without a CA
            super().start()

    async def sync(self, namespace: Obj) -> None:
        name = namespace["metadata"]["name"]
        current = self.store.cache.get_cached(self.store.key(name, CONFIGMAP))
        if current is None:
            await self._create(name)
            return
        annotations = get_str_map(get_dict(current.obj, "metadata"), "annotations") or {}
        if current.obj.get("data") == self.data and annotations.get(DESCRIPTION_ANNOTATION):
            return
        if wait := self._spend_restore(name):
            log.warning(
                "%s in %s keeps being changed; restoring it in %.0fs", CONFIGMAP, name, wait
            )
            self.sync_later(name, wait)
            return

        async def restore(configmap: Obj) -> Obj:
            # Only the data and the description: other labels and annotations stay.
            configmap["data"] = dict(self.data)
            meta = configmap.setdefault("metadata", {})
            if not isinstance(meta.get("annotations"), dict):
                meta["annotations"] = {}
            meta["annotations"][DESCRIPTION_ANNOTATION] = DESCRIPTION
            return configmap

        await self.store.update(name, CONFIGMAP, restore, allow_create=False)

    def _spend_restore(self, namespace: str) -> float:
        """0 when the copy may be restored now (spending one restore), else seconds to wait."""
        now = asyncio.get_running_loop().time()
        left, at = self._budget.get(namespace, (RESTORE_BURST, now))
        left = min(RESTORE_BURST, left + (now - at) / RESTORE_INTERVAL_SECONDS)
        if left < 1:
            self._budget[namespace] = (left, now)
            return (1 - left) * RESTORE_INTERVAL_SECONDS
        self._budget[namespace] = (left - 1, now)
        return 0.0

    async def _create(self, namespace: str) -> None:
        configmap = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": CONFIGMAP,
                "namespace": namespace,
                "annotations": {DESCRIPTION_ANNOTATION: DESCRIPTION},
            },
            "data": dict(self.data),
        }
        try:
            await self.store.create(namespace, configmap)
        except errors.StatusError as exc:
            if not refused_by_namespace(exc):
                raise  # 409 included: retried, and then compared with what is there
