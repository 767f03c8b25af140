"""The Node authorizer: what a kubelet (`system:node:<name>` in `system:nodes`) may do.

Kubernetes 1.33's rules, with its default feature gates (AuthorizeNodeWithSelectors on):

- secrets and config maps: get, and list/watch narrowed to one object by name, of those used by
  a pod bound to the node; PVCs (and their status), PVs, resource claims, volume attachments and
  service account tokens: only those related to the node through the graph;
- its own Node: read it (even before it exists), create/update/patch nodes and node status
  (NodeRestriction keeps it to its own); pods: get those bound to it, list/watch with
  `spec.nodeName=<node>`, create/delete (mirror pods), status, evictions (NodeRestriction again);
- its own Lease in kube-node-lease and its own CSINode;
- everything else by the node policy rules (`rules.py`).

Refusals are "no opinion" with Kubernetes' reason, so a later authorizer (RBAC) may still allow:
the 403 then reads `...: no relationship found between node 'n1' and this object`. Users that
are not nodes get no opinion and no reason.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import Attributes, Decision, Rules, go_quote
from kube_apiserver.authorization.node import graph as vertices
from kube_apiserver.authorization.node import populator, rules
from kube_apiserver.authorization.node.graph import Graph
from kube_apiserver.authorization.node.identity import node_identity

log = logging.getLogger(__name__)

NODE_LEASE_NAMESPACE = "kube-node-lease"

Answer = tuple[Decision, str]
ALLOW: Answer = (Decision.ALLOW, "")
NO_OPINION: Answer = (Decision.NO_OPINION, "")


def _refuse(node: str, attrs: Attributes, reason: str) -> Answer:
    log.debug("NODE DENY: %r %s: %s", node, attrs, reason)
    return Decision.NO_OPINION, reason


class NodeAuthorizer:
    def __init__(self) -> None:
        self.graph = Graph()
        # Held so the event loop does not collect the tasks that keep the graph current.
        self._followers: list[asyncio.Task[None]] = []

    def attach(self, stores: dict[str, Any]) -> None:
        """Start following the pods, PVs and volume attachments the graph is made of."""
        self._followers = populator.start(self.graph, stores)

    async def authorize(self, attrs: Attributes) -> Answer:
        node, is_node = node_identity(attrs.user)
        if not is_node:
            return NO_OPINION
        if not node:
            return _refuse(node, attrs, f"unknown node for user {go_quote(attrs.user.name)}")
        if not attrs.resource_request:
            return NO_OPINION
        decide = _BY_RESOURCE.get((attrs.api_group, attrs.resource))
        if decide is not None:
            return decide(self, node, attrs)
        if rules.allows(attrs.api_group, attrs.resource, attrs.subresource, attrs.verb):
            return ALLOW
        return NO_OPINION

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        if node_identity(user)[1]:
            # Nodes' permissions depend on objects, so they cannot be listed.
            return Rules(
                incomplete=True, error="node authorizer does not support user rule resolution"
            )
        return Rules()

    # -- objects reached through the graph -------------------------------------------------

    def _related(self, node: str, kind: str, attrs: Attributes) -> Answer:
        if not attrs.name:
            return _refuse(node, attrs, "No Object name found")
        if self.graph.has_path(node, kind, attrs.namespace, attrs.name):
            return ALLOW
        return _refuse(node, attrs, f"no relationship found between node '{node}' and this object")

    def _get(self, node: str, kind: str, attrs: Attributes) -> Answer:
        if attrs.verb != "get":
            return _refuse(node, attrs, "can only get individual resources of this type")
        if attrs.subresource:
            return _refuse(node, attrs, "cannot get subresource")
        return self._related(node, kind, attrs)

    def _read_namespaced(self, node: str, kind: str, attrs: Attributes) -> Answer:
        """get, or a list/watch narrowed to one object by a metadata.name field selector."""
        if attrs.verb not in ("get", "list", "watch"):
            return _refuse(node, attrs, "can only read resources of this type")
        if attrs.subresource:
            return _refuse(node, attrs, "cannot read subresource")
        if not attrs.namespace:
            return _refuse(node, attrs, "can only read namespaced object of this type")
        return self._related(node, kind, attrs)

    def _secret(self, node: str, attrs: Attributes) -> Answer:
        return self._read_namespaced(node, vertices.SECRET, attrs)

    def _configmap(self, node: str, attrs: Attributes) -> Answer:
        return self._read_namespaced(node, vertices.CONFIGMAP, attrs)

    def _pvc(self, node: str, attrs: Attributes) -> Answer:
        if attrs.subresource == "status":
            if attrs.verb not in ("update", "patch"):
                return _refuse(node, attrs, "can only get/update/patch this type")
            return self._related(node, vertices.PVC, attrs)
        return self._get(node, vertices.PVC, attrs)

    def _pv(self, node: str, attrs: Attributes) -> Answer:
        return self._get(node, vertices.PV, attrs)

    def _resource_claim(self, node: str, attrs: Attributes) -> Answer:
        return self._get(node, vertices.RESOURCECLAIM, attrs)

    def _volume_attachment(self, node: str, attrs: Attributes) -> Answer:
        return self._get(node, vertices.VOLUMEATTACHMENT, attrs)

    def _service_account(self, node: str, attrs: Attributes) -> Answer:
        """Tokens for the service accounts of the node's pods (NodeRestriction checks the pod)."""
        if attrs.verb != "create" or not attrs.name:
            return _refuse(node, attrs, "can only create tokens for individual service accounts")
        if attrs.subresource != "token":
            return _refuse(node, attrs, "can only create token subresource of serviceaccount")
        return self._related(node, vertices.SERVICEACCOUNT, attrs)

    # -- objects named after the node ------------------------------------------------------

    def _lease(self, node: str, attrs: Attributes) -> Answer:
        if attrs.verb not in ("get", "create", "update", "patch", "delete"):
            return _refuse(
                node, attrs, "can only get, create, update, patch, or delete a node lease"
            )
        if attrs.namespace != NODE_LEASE_NAMESPACE:
            return _refuse(
                node,
                attrs,
                f'can only access leases in the "{NODE_LEASE_NAMESPACE}" system namespace',
            )
        # A create names no object here; NodeRestriction checks the new lease's name.
        if attrs.verb != "create" and attrs.name != node:
            return _refuse(
                node, attrs, "can only access node lease with the same name as the requesting node"
            )
        return ALLOW

    def _csinode(self, node: str, attrs: Attributes) -> Answer:
        if attrs.verb not in ("get", "create", "update", "patch", "delete"):
            return _refuse(node, attrs, "can only get, create, update, patch, or delete a CSINode")
        if attrs.subresource:
            return _refuse(node, attrs, "cannot authorize CSINode subresources")
        if attrs.verb != "create" and attrs.name != node:
            return _refuse(
                node, attrs, "can only access CSINode with the same name as the requesting node"
            )
        return ALLOW

    def _node(self, node: str, attrs: Attributes) -> Answer:
        if not attrs.subresource:
            if attrs.verb in ("create", "update", "patch"):
                return ALLOW  # NodeRestriction: only its own Node
            if attrs.verb in ("get", "list", "watch"):
                # By name, not the graph: a kubelet reads its Node before creating it.
                if attrs.name == node:
                    return ALLOW
                if not attrs.name:
                    return _refuse(
                        node,
                        attrs,
                        f"node '{node}' cannot read all nodes, only its own Node object",
                    )
                return _refuse(
                    node,
                    attrs,
                    f"node '{node}' cannot read '{attrs.name}', only its own Node object",
                )
        elif attrs.subresource == "status" and attrs.verb in ("update", "patch"):
            return ALLOW  # NodeRestriction: only its own status
        return _refuse(node, attrs, "")

    def _pod(self, node: str, attrs: Attributes) -> Answer:
        if not attrs.subresource:
            if attrs.verb == "get":
                return self._get(node, vertices.POD, attrs)
            if attrs.verb in ("list", "watch"):
                if ("spec.nodeName", "=", node) in attrs.field_selector:
                    return ALLOW
                if attrs.name:
                    return self._related(node, vertices.POD, attrs)
                return _refuse(
                    node, attrs, "can only list/watch pods with spec.nodeName field selector"
                )
            if attrs.verb in ("create", "delete"):
                return ALLOW  # mirror pods; NodeRestriction: only bound to itself
        elif attrs.subresource == "status" and attrs.verb in ("update", "patch"):
            return ALLOW  # NodeRestriction: only pods bound to itself
        elif attrs.subresource == "eviction" and attrs.verb == "create":
            return ALLOW  # NodeRestriction: only pods bound to itself
        return _refuse(node, attrs, "")


_BY_RESOURCE: dict[tuple[str, str], Callable[[NodeAuthorizer, str, Attributes], Answer]] = {
    ("", "secrets"): NodeAuthorizer._secret,
    ("", "configmaps"): NodeAuthorizer._configmap,
    ("", "persistentvolumeclaims"): NodeAuthorizer._pvc,
    ("", "persistentvolumes"): NodeAuthorizer._pv,
    ("resource.k8s.io", "resourceclaims"): NodeAuthorizer._resource_claim,
    ("storage.k8s.io", "volumeattachments"): NodeAuthorizer._volume_attachment,
    ("", "serviceaccounts"): NodeAuthorizer._service_account,
    ("coordination.k8s.io", "leases"): NodeAuthorizer._lease,
    ("storage.k8s.io", "csinodes"): NodeAuthorizer._csinode,
    ("", "nodes"): NodeAuthorizer._node,
    ("", "pods"): NodeAuthorizer._pod,
}
