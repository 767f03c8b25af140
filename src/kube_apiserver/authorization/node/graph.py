"""Which API objects each node may read: a graph whose edges all lead towards nodes.

    node <- pod <- secret, configmap, pvc, serviceAccount, resourceclaim
                   pvc <- pv <- secret
    node <- volumeattachment

A vertex is (kind, namespace, name). An edge whose far end is known to lead to one node (pod to
node, and everything into a pod) is marked with that node's name; the edges a PV brings (PV to
claim, secret to PV) are not, since the claim may not be used by any pod yet. Each vertex keeps a
count of the nodes its marked edges lead to, so "may node N read this?" looks at that count and
walks only the unmarked edges (PV chains), however many pods share a secret.

Vertices exist only while an edge holds them: removing a pod removes the secrets, claims, ...
that no other pod uses, and the node once no pod is bound to it, as Kubernetes' graph does.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kube_apiserver.authorization.node import references

Vertex = tuple[str, str, str]  # (kind, namespace, name)
Obj = dict[str, Any]

CONFIGMAP = "configmap"
NODE = "node"
POD = "pod"
PVC = "pvc"
PV = "pv"
RESOURCECLAIM = "resourceclaim"
SECRET = "secret"
SERVICEACCOUNT = "serviceAccount"
VOLUMEATTACHMENT = "volumeattachment"


class Graph:
    def __init__(self) -> None:
        self._out: dict[Vertex, dict[Vertex, str]] = {}  # from -> {to: node name, "" if unmarked}
        self._in: dict[Vertex, set[Vertex]] = {}
        self._unmarked: dict[Vertex, set[Vertex]] = {}  # from -> to, for the unmarked edges only
        self._leads_to: dict[Vertex, Counter[str]] = {}  # from -> node name -> marked edges

    # -- questions --------------------------------------------------------------------------

    def has_path(self, node: str, kind: str, namespace: str, name: str) -> bool:
        """Whether the object leads to the node (so the node may read it)."""
        start = (kind, namespace, name)
        if (NODE, "", node) not in self._out or start not in self._out:
            return False
        seen, stack = {start}, [start]
        while stack:
            vertex = stack.pop()
            if self._leads_to[vertex][node]:
                return True
            for to in self._unmarked[vertex]:
                if to not in seen:
                    seen.add(to)
                    stack.append(to)
        return False

    def __contains__(self, vertex: Vertex) -> bool:
        return vertex in self._out

    # -- changes the populator makes --------------------------------------------------------

    def add_pod(self, pod: Obj) -> None:
        """Record a pod bound to a node: what it references is fixed once it is bound."""
        meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
        namespace, name = meta.get("namespace", ""), meta.get("name", "")
        node_name = spec.get("nodeName") or ""
        self.delete_pod(namespace, name)
        pod_vertex, node_vertex = (POD, namespace, name), (NODE, "", node_name)
        self._add_edge(pod_vertex, node_vertex, node_name)
        # A node can create mirror pods: never let one grant it anything (defence in depth
        # behind NodeRestriction, which refuses mirror pods that reference objects).
        if references.MIRROR_POD_ANNOTATION in (meta.get("annotations") or {}):
            return
        if service_account := spec.get("serviceAccountName"):
            self._add_edge((SERVICEACCOUNT, namespace, service_account), pod_vertex, node_name)
        for kind, names in (
            (SECRET, references.pod_secret_names(pod)),
            (CONFIGMAP, references.pod_configmap_names(pod)),
            (PVC, references.pod_claim_names(pod)),
            (RESOURCECLAIM, references.pod_resource_claim_names(pod)),
        ):
            for referenced in names:
                self._add_edge((kind, namespace, referenced), pod_vertex, node_name)

    def delete_pod(self, namespace: str, name: str) -> None:
        self._remove((POD, namespace, name))

    def add_pv(self, pv: Obj) -> None:
        name = (pv.get("metadata") or {}).get("name", "")
        self.delete_pv(name)
        claim = (pv.get("spec") or {}).get("claimRef")
        if not isinstance(claim, dict):
            return
        pv_vertex = (PV, "", name)
        self._add_edge(pv_vertex, (PVC, claim.get("namespace", ""), claim.get("name", "")))
        for namespace, secret in references.pv_kubelet_secrets(pv):
            self._add_edge((SECRET, namespace, secret), pv_vertex)

    def delete_pv(self, name: str) -> None:
        self._remove((PV, "", name))

    def add_volume_attachment(self, name: str, node_name: str) -> None:
        self.delete_volume_attachment(name)
        if node_name:
            self._add_edge((VOLUMEATTACHMENT, "", name), (NODE, "", node_name), node_name)

    def delete_volume_attachment(self, name: str) -> None:
        self._remove((VOLUMEATTACHMENT, "", name))

    # -- the edges ------------------------------------------------------------------------

    def _vertex(self, vertex: Vertex) -> None:
        if vertex not in self._out:
            self._out[vertex] = {}
            self._in[vertex] = set()
            self._unmarked[vertex] = set()
            self._leads_to[vertex] = Counter()

    def _add_edge(self, frm: Vertex, to: Vertex, node_name: str = "") -> None:
        self._vertex(frm)
        self._vertex(to)
        if to in self._out[frm]:
            if self._out[frm][to] == node_name:
                return
            self._drop_edge(frm, to)
        self._out[frm][to] = node_name
        self._in[to].add(frm)
        if node_name:
            self._leads_to[frm][node_name] += 1
        else:
            self._unmarked[frm].add(to)

    def _drop_edge(self, frm: Vertex, to: Vertex) -> None:
        node_name = self._out[frm].pop(to)
        self._in[to].discard(frm)
        if node_name:
            counts = self._leads_to[frm]
            counts[node_name] -= 1
            if not counts[node_name]:
                del counts[node_name]
        else:
            self._unmarked[frm].discard(to)

    def _remove(self, vertex: Vertex) -> None:
        """Remove a vertex and its edges, then the neighbours left with no edge at all."""
        if vertex not in self._out:
            return
        neighbours = set(self._out[vertex]) | self._in[vertex]
        for to in list(self._out[vertex]):
            self._drop_edge(vertex, to)
        for frm in list(self._in[vertex]):
            self._drop_edge(frm, vertex)
        self._forget(vertex)
        for neighbour in neighbours:
            if not self._out[neighbour] and not self._in[neighbour]:
                self._forget(neighbour)

    def _forget(self, vertex: Vertex) -> None:
        del self._out[vertex], self._in[vertex], self._unmarked[vertex], self._leads_to[vertex]
