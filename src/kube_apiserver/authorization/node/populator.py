"""Keeps the Node authorizer's graph in step with the pods, PVs and volume attachments caches.

As Kubernetes' graph populator does with informers, one task per resource follows its watch
cache: it first reconciles the graph with the cache's current objects, then applies each change.
A pod enters the graph once bound to a node and is re-added only when its node, uid or resource
claim statuses change (everything else it references is immutable); PVs are re-added on every
change; attachments when their node changes. When a watch ends (the cache listed again after a
compaction, or dropped a watcher that fell behind) the follower reconciles and watches again, so
a deletion it missed is still applied.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from kube_apiserver.authorization.node import references
from kube_apiserver.authorization.node.graph import Graph
from kube_apiserver.storage.interface import ADDED, DELETED, MODIFIED

log = logging.getLogger(__name__)

Obj = dict[str, Any]

# Store keys (registry.provider.store_key) of the resources the graph is built from.
PODS, PVS, ATTACHMENTS = "pods", "persistentvolumes", "volumeattachments.storage.k8s.io"


class _Follower:
    """The graph's view of one resource: the signature each object was last added with."""

    def __init__(
        self,
        signature: Callable[[Obj], Any],
        add: Callable[[Obj], None],
        remove: Callable[[Obj], None],
    ) -> None:
        self.signature = signature  # None: not in the graph (a pod not bound yet)
        self.add, self.remove = add, remove
        self.known: dict[str, tuple[Any, Obj]] = {}

    def changed(self, key: str, obj: Obj) -> None:
        # One object the graph cannot take must not stop the follower: a graph that no longer
        # sees deletions would keep granting nodes what their pods no longer use.
        try:
            signature = self.signature(obj)
            if signature is None:
                return
            known = self.known.get(key)
            if known is not None and known[0] == signature:
                return
            self.known[key] = (signature, obj)
            self.add(obj)
        except Exception:
            log.exception("node authorizer: could not add %s to the graph", key)

    def deleted(self, key: str) -> None:
        known = self.known.pop(key, None)
        if known is not None:
            self.remove(known[1])

    def reconcile(self, current: dict[str, Obj]) -> None:
        for key in [key for key in self.known if key not in current]:
            self.deleted(key)
        for key, obj in current.items():
            self.changed(key, obj)


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def _pod_signature(pod: Obj) -> Any:
    node_name = (pod.get("spec") or {}).get("nodeName")
    if not node_name:
        return None
    return node_name, _meta(pod).get("uid"), references.resource_claim_statuses(pod)


def followers(graph: Graph) -> dict[str, _Follower]:
    """What each followed resource does to the graph, by store key."""
    return {
        PODS: _Follower(
            _pod_signature,
            graph.add_pod,
            lambda pod: graph.delete_pod(
                _meta(pod).get("namespace", ""), _meta(pod).get("name", "")
            ),
        ),
        PVS: _Follower(
            lambda pv: _meta(pv).get("resourceVersion"),
            graph.add_pv,
            lambda pv: graph.delete_pv(_meta(pv).get("name", "")),
        ),
        ATTACHMENTS: _Follower(
            lambda attachment: (attachment.get("spec") or {}).get("nodeName") or "",
            lambda attachment: graph.add_volume_attachment(
                _meta(attachment).get("name", ""),
                (attachment.get("spec") or {}).get("nodeName") or "",
            ),
            lambda attachment: graph.delete_volume_attachment(_meta(attachment).get("name", "")),
        ),
    }


async def follow(store: Any, follower: _Follower) -> None:
    """Apply the store's cache to the graph, for good."""
    cache = store.cache
    while True:
        # The snapshot and the revision are read with no await between: they agree.
        follower.reconcile({item.key: item.obj for item in cache.snapshot(cache.prefix)})
        watcher = cache.watch_from(cache.prefix, cache.revision, None, initial=False)
        async for event in watcher:
            if event.type == DELETED:
                follower.deleted(event.current.key)
            elif event.type in (ADDED, MODIFIED):
                follower.changed(event.current.key, event.current.obj)
        log.info("node authorizer: the watch of %s ended; reconciling", cache.prefix)


def start(graph: Graph, stores: dict[str, Any]) -> list[asyncio.Task[None]]:
    """Follow every resource the server serves (an API group may be disabled)."""
    return [
        asyncio.create_task(follow(stores[key], follower), name=f"node-graph-{key}")
        for key, follower in followers(graph).items()
        if key in stores
    ]
