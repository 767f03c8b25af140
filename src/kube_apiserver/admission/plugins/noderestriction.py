"""NodeRestriction: a kubelet may change only what belongs to its own node.

The Node authorizer lets every node create pods, update nodes and node status, and so on,
because it does not see the objects; this plugin, as Kubernetes 1.33's does, looks at them.
A node (`system:node:<name>` in `system:nodes`) may:

- create mirror pods bound to itself, owned by its own Node (a controller owner reference with
  its uid), naming no service account, secret, config map, cluster trust bundle or claim; delete
  pods bound to itself; update the status of its pods (not their labels or resource claim
  statuses) and evict them;
- create and update only its own Node, never setting `spec.configSource`, changing its taints,
  or setting labels under kubernetes.io or k8s.io other than the kubelet's own (and never any
  under node-restriction.kubernetes.io);
- update only `status.capacity`/`conditions`/allocated resources of PVCs (the authorizer limits
  which PVCs);
- touch only its own Lease (in kube-node-lease) and CSINode;
- ask for service account tokens only bound to a pod on itself, for an audience that pod uses
  (`noderestriction_tokens.py`);
- create kubelet certificate requests only for its own name.

Refusals are 403s worded as Kubernetes words them (`pods "m" is forbidden: node "n1" can only
create pods with spec.nodeName set to itself`). The plugin runs in the mutating phase, as
Kubernetes', and reads pods and nodes from the watch caches.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from kube_apiserver.admission.interface import CREATE, DELETE, UPDATE, Attributes, forbidden
from kube_apiserver.admission.plugins import noderestriction_tokens as tokens
from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.certificates import pem
from kube_apiserver.apis.meta.unstructured import dict_items, get_dict, get_str, get_str_map
from kube_apiserver.authorization.interface import Authorizer, go_quote
from kube_apiserver.authorization.node import references
from kube_apiserver.authorization.node.identity import NODE_USER_PREFIX, node_identity
from kube_apiserver.authorization.node.references import MIRROR_POD_ANNOTATION
from kube_apiserver.storage.interface import KeyNotFoundError

Obj = dict[str, Any]

NODE_LEASE_NAMESPACE = "kube-node-lease"
NODE_RESTRICTION_LABELS = "node-restriction.kubernetes.io"
# Labels a kubelet sets on its own Node (k8s.io/kubelet/pkg/apis), and the label namespaces
# (and their subdomains) it may use freely.
KUBELET_LABELS = frozenset(
    {
        "kubernetes.io/hostname",
        "topology.kubernetes.io/zone",
        "topology.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/region",
        "beta.kubernetes.io/instance-type",
        "node.kubernetes.io/instance-type",
        "kubernetes.io/os",
        "kubernetes.io/arch",
        "beta.kubernetes.io/os",
        "beta.kubernetes.io/arch",
    }
)
KUBELET_LABEL_NAMESPACES = ("kubelet.kubernetes.io", "node.kubernetes.io")
KUBELET_SIGNERS = ("kubernetes.io/kubelet-serving", "kubernetes.io/kube-apiserver-client-kubelet")
# PVC status fields a kubelet reports (allocated resources: RecoverVolumeExpansionFailure, on).
PVC_STATUS_FIELDS = ("capacity", "conditions", "allocatedResourceStatuses", "allocatedResources")


def _meta(obj: Any) -> Obj:
    return get_dict(obj, "metadata")


def _semantically_equal(a: Any, b: Any) -> bool:
    """Deep equality as Kubernetes' semantic equality sees decoded JSON: absent, null and
    empty lists or maps are all the same."""
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a or {}, b or {}
        if not isinstance(a, dict) or not isinstance(b, dict):
            return False
        keys = {k for k, v in a.items() if v not in (None, [], {})}
        keys |= {k for k, v in b.items() if v not in (None, [], {})}
        return all(_semantically_equal(a.get(k), b.get(k)) for k in keys)
    if isinstance(a, list) or isinstance(b, list):
        a, b = a or [], b or []
        if not isinstance(a, list) or not isinstance(b, list) or len(a) != len(b):
            return False
        return all(_semantically_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _differences(old: Obj, new: Obj, path: str = "") -> list[str]:
    """The dotted paths of the fields that differ semantically, sorted."""
    found = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if _semantically_equal(a, b):
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            found += _differences(a, b, f"{path}{key}.")
        else:
            found.append(path + key)
    return found


# -- labels -----------------------------------------------------------------------------------


def _label_namespace(key: str) -> str:
    namespace, slash, _ = key.partition("/")
    return namespace if slash else ""


def _in_namespace(namespace: str, domain: str) -> bool:
    return namespace == domain or namespace.endswith("." + domain)


def is_kubelet_label(key: str) -> bool:
    if key in KUBELET_LABELS:
        return True
    namespace = _label_namespace(key)
    return any(_in_namespace(namespace, allowed) for allowed in KUBELET_LABEL_NAMESPACES)


def forbidden_labels(new: dict[str, str], old: dict[str, str]) -> list[str]:
    """The labels added, removed or changed that a node may not touch, sorted."""
    modified = {k for k in new.keys() | old.keys() if new.get(k) != old.get(k)}
    refused = set()
    for key in modified:
        namespace = _label_namespace(key)
        if _in_namespace(namespace, NODE_RESTRICTION_LABELS):
            refused.add(key)
        kubernetes = _in_namespace(namespace, "kubernetes.io") or _in_namespace(namespace, "k8s.io")
        if kubernetes and not is_kubelet_label(key):
            refused.add(key)
    return sorted(refused)


def _labels(obj: Any) -> dict[str, str]:
    return get_str_map(_meta(obj), "labels") or {}


class NodeRestriction:
    name = "NodeRestriction"

    def __init__(self, authorizer: Authorizer | None = None) -> None:
        # The server's authorizer: RBAC may grant a node more token audiences.
        self.authorizer = authorizer
        self._stores: dict[str, Any] = {}

    def attach(self, stores: dict[str, Any]) -> None:
        self._stores = stores

    async def admit(self, attrs: Attributes) -> None:
        node, is_node = node_identity(attrs.user)
        if not is_node:
            return
        if not node:
            user = attrs.user.name if attrs.user else ""
            raise forbidden(attrs, f"could not determine node from user {go_quote(user)}")
        res = attrs.resource
        if (res.group, res.name) == ("", "pods"):
            await self._pod(node, attrs)
        elif (res.group, res.name) == ("", "nodes"):
            self._node(node, attrs)
        elif (res.group, res.name) == ("", "persistentvolumeclaims"):
            self._pvc(node, attrs)
        elif (res.group, res.name) == ("", "serviceaccounts"):
            await tokens.admit_token_request(self, node, attrs)
        elif (res.group, res.name) == ("coordination.k8s.io", "leases"):
            self._lease(node, attrs)
        elif (res.group, res.name) == ("storage.k8s.io", "csinodes"):
            self._csinode(node, attrs)
        elif (res.group, res.name) == ("certificates.k8s.io", "certificatesigningrequests"):
            self._csr(node, attrs)

    async def validate(self, attrs: Attributes) -> None:
        return None

    # -- reading what the plugin needs (Kubernetes reads its informers' caches) ----------------

    async def lookup(self, store_key: str, namespace: str, name: str) -> Obj:
        """The object from the watch cache (or storage, if the cache has not seen it yet);
        404 worded as a lister's (`pod "x" not found`) when there is none."""
        store = self._stores.get(store_key)
        if store is None:
            raise errors.not_found(store_key.partition(".")[0], "", name)
        key = store.key(namespace, name)
        cached = store.cache.get_cached(key)
        if cached is not None:
            return cached.obj
        try:
            return (await store.cache.get(key)).obj
        except KeyNotFoundError:
            raise errors.not_found(store.resource.singular, store.resource.group, name) from None

    # -- pods -----------------------------------------------------------------------------

    async def _pod(self, node: str, attrs: Attributes) -> None:
        if attrs.subresource == "":
            if attrs.operation == CREATE:
                await self._mirror_pod(node, attrs)
            elif attrs.operation == DELETE:
                pod = attrs.old or await self.lookup("pods", attrs.namespace, attrs.name)
                if get_str(get_dict(pod, "spec"), "nodeName") != node:
                    raise forbidden(
                        attrs,
                        f"node {go_quote(node)} can only delete pods with spec.nodeName set to itself",
                    )
            else:
                raise forbidden(
                    attrs,
                    f"unexpected operation {go_quote(attrs.operation)}, node {go_quote(node)} "
                    "can only create and delete mirror pods",
                )
        elif attrs.subresource == "status":
            self._pod_status(node, attrs)
        elif attrs.subresource == "eviction":
            await self._eviction(node, attrs)
        else:
            raise forbidden(
                attrs,
                f"unexpected pod subresource {go_quote(attrs.subresource)}, "
                "only 'status' and 'eviction' are allowed",
            )

    async def _mirror_pod(self, node: str, attrs: Attributes) -> None:
        pod = attrs.obj or {}
        quoted = go_quote(node)
        if MIRROR_POD_ANNOTATION not in (get_str_map(_meta(pod), "annotations") or {}):
            raise forbidden(
                attrs,
                f"pod does not have {go_quote(MIRROR_POD_ANNOTATION)} annotation, "
                f"node {quoted} can only create mirror pods",
            )
        spec = get_dict(pod, "spec")
        if get_str(spec, "nodeName") != node:
            raise forbidden(
                attrs, f"node {quoted} can only create pods with spec.nodeName set to itself"
            )
        owners = dict_items(_meta(pod), "ownerReferences")
        if len(owners) > 1:
            raise forbidden(
                attrs,
                f"node {quoted} can only create pods with a single owner reference set to itself",
            )
        if not owners:
            raise forbidden(
                attrs, f"node {quoted} can only create pods with an owner reference set to itself"
            )
        await self._owned_by_node(node, attrs, owners[0])
        if get_str(spec, "serviceAccountName"):
            raise forbidden(
                attrs, f"node {quoted} can not create pods that reference a service account"
            )
        for kind, names in (
            ("secrets", references.pod_secret_names(pod)),
            ("configmaps", references.pod_configmap_names(pod)),
        ):
            if next(names, None) is not None:
                raise forbidden(attrs, f"node {quoted} can not create pods that reference {kind}")
        volumes = dict_items(spec, "volumes")
        for volume in volumes:
            for source in dict_items(get_dict(volume, "projected"), "sources"):
                if source.get("clusterTrustBundle") is not None:
                    raise forbidden(
                        attrs,
                        f"node {quoted} can not create pods that reference clustertrustbundles",
                    )
        if any(volume.get("persistentVolumeClaim") is not None for volume in volumes):
            raise forbidden(
                attrs,
                f"node {quoted} can not create pods that reference persistentvolumeclaims",
            )

    async def _owned_by_node(self, node: str, attrs: Attributes, owner: Obj) -> None:
        quoted = go_quote(node)
        if (get_str(owner, "apiVersion"), get_str(owner, "kind"), get_str(owner, "name")) != (
            "v1",
            "Node",
            node,
        ):
            raise forbidden(
                attrs, f"node {quoted} can only create pods with an owner reference set to itself"
            )
        if owner.get("controller") is not True:
            raise forbidden(
                attrs,
                f"node {quoted} can only create pods with a controller owner reference set to itself",
            )
        if owner.get("blockOwnerDeletion") is True:
            raise forbidden(
                attrs, f"node {quoted} must not set blockOwnerDeletion on an owner reference"
            )
        node_uid = get_str(_meta(await self.lookup("nodes", "", node)), "uid")
        owner_uid = get_str(owner, "uid")
        if owner_uid != node_uid:
            raise forbidden(attrs, f"node {node} UID mismatch: expected {owner_uid} got {node_uid}")

    def _pod_status(self, node: str, attrs: Attributes) -> None:
        if attrs.operation != UPDATE:
            raise forbidden(attrs, f"unexpected operation {go_quote(attrs.operation)}")
        quoted = go_quote(node)
        if get_str(get_dict(attrs.old, "spec"), "nodeName") != node:
            raise forbidden(
                attrs,
                f"node {quoted} can only update pod status for pods with spec.nodeName set to itself",
            )
        if _labels(attrs.obj) != _labels(attrs.old):
            raise forbidden(attrs, f"node {quoted} cannot update labels through pod status")
        if references.resource_claim_statuses(
            attrs.obj or {}
        ) != references.resource_claim_statuses(attrs.old or {}):
            raise forbidden(attrs, f"node {quoted} cannot update resource claim statues")

    async def _eviction(self, node: str, attrs: Attributes) -> None:
        if attrs.operation != CREATE:
            raise forbidden(attrs, f"unexpected operation {attrs.operation}")
        pod_name = attrs.name or get_str(_meta(attrs.obj), "name")
        if not pod_name:
            raise forbidden(attrs, "could not determine pod from request data")
        pod = await self.lookup("pods", attrs.namespace, pod_name)
        if get_str(get_dict(pod, "spec"), "nodeName") != node:
            raise forbidden(
                attrs, f"node {node} can only evict pods with spec.nodeName set to itself"
            )

    # -- its Node -------------------------------------------------------------------------

    def _node(self, node: str, attrs: Attributes) -> None:
        quoted = go_quote(node)
        if attrs.name != node:
            raise forbidden(
                attrs, f"node {quoted} is not allowed to modify node {go_quote(attrs.name)}"
            )
        new_spec = get_dict(attrs.obj, "spec")
        if attrs.operation == CREATE:
            # The node's access follows its spec: it may not point itself at a config source.
            if new_spec.get("configSource") is not None:
                raise forbidden(
                    attrs,
                    f"node {quoted} is not allowed to create pods with a non-nil configSource",
                )
            # Labels steer workloads: a node may not give itself ones that attract privileged pods.
            if refused := forbidden_labels(_labels(attrs.obj), {}):
                raise forbidden(
                    attrs,
                    f"node {quoted} is not allowed to set the following labels: {', '.join(refused)}",
                )
        elif attrs.operation == UPDATE:
            old_spec = get_dict(attrs.old, "spec")
            # Old kubelets drop the field in status updates: only a new non-nil value counts.
            if new_spec.get("configSource") is not None and not _semantically_equal(
                new_spec.get("configSource"), old_spec.get("configSource")
            ):
                raise forbidden(
                    attrs,
                    f"node {quoted} is not allowed to update configSource to a new non-nil configSource",
                )
            if not _semantically_equal(new_spec.get("taints"), old_spec.get("taints")):
                raise forbidden(attrs, f"node {quoted} is not allowed to modify taints")
            if refused := forbidden_labels(_labels(attrs.obj), _labels(attrs.old)):
                raise forbidden(attrs, f"is not allowed to modify labels: {', '.join(refused)}")

    # -- claims, leases, CSINodes, certificate requests -------------------------------------

    def _pvc(self, node: str, attrs: Attributes) -> None:
        if attrs.subresource != "status":
            raise forbidden(attrs, "may only update PVC status")
        if attrs.operation != UPDATE:
            raise forbidden(attrs, f"unexpected operation {go_quote(attrs.operation)}")
        old, new = _without_reported_status(attrs.old), _without_reported_status(attrs.obj)
        if changed := _differences(old, new):
            # Kubernetes appends a go-cmp diff here; the paths that differ say the same.
            raise forbidden(
                attrs,
                f"node {go_quote(node)} is not allowed to update fields other than "
                f"status.quantity and status.conditions: {', '.join(changed)}",
            )

    def _lease(self, node: str, attrs: Attributes) -> None:
        if attrs.namespace != NODE_LEASE_NAMESPACE:
            raise forbidden(
                attrs,
                f"can only access leases in the {go_quote(NODE_LEASE_NAMESPACE)} system namespace",
            )
        name = get_str(_meta(attrs.obj), "name") if attrs.operation == CREATE else attrs.name
        if name != node:
            raise forbidden(
                attrs, "can only access node lease with the same name as the requesting node"
            )

    def _csinode(self, node: str, attrs: Attributes) -> None:
        name = get_str(_meta(attrs.obj), "name") if attrs.operation == CREATE else attrs.name
        if name != node:
            raise forbidden(
                attrs, "can only access CSINode with the same name as the requesting node"
            )

    def _csr(self, node: str, attrs: Attributes) -> None:
        """A kubelet's client or serving certificate request must be for its own name."""
        if attrs.operation != CREATE:
            return
        spec = get_dict(attrs.obj, "spec")
        if get_str(spec, "signerName") not in KUBELET_SIGNERS:
            return
        common_name, error = _csr_common_name(pem.field_bytes(spec.get("request")))
        if error:
            raise forbidden(attrs, f"unable to parse csr: {error}")
        if common_name != NODE_USER_PREFIX + node:
            raise forbidden(attrs, f"can only create a node CSR with CN={NODE_USER_PREFIX}{node}")


def _without_reported_status(pvc: Any) -> Obj:
    """A PVC without what a kubelet may report, nor what every write changes."""
    copy = dict(pvc or {})
    meta = copy["metadata"] = dict(_meta(copy))
    meta.pop("resourceVersion", None)
    meta.pop("managedFields", None)
    status = copy["status"] = dict(get_dict(copy, "status"))
    for key in PVC_STATUS_FIELDS:
        status.pop(key, None)
    return copy


def _csr_common_name(request: bytes) -> tuple[str, str]:
    """(subject common name, "") of a PEM certificate request, or ("", why it does not parse)."""
    block, _ = pem.decode(request)
    if block is None or block.type != "CERTIFICATE REQUEST":
        return "", "PEM block type must be CERTIFICATE REQUEST"
    try:
        csr = x509.load_der_x509_csr(block.data)
    except ValueError:
        return "", "x509: malformed certificate request"
    names = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return (str(names[0].value) if names else ""), ""
