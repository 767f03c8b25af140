"""NodeRestriction: what a node may write, refused in Kubernetes' words, over real stores (SQLite
and watch caches) written through the real admission chain."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kube_apiserver.admission.interface import CREATE, UPDATE, Attributes, Chain
from kube_apiserver.admission.plugins.noderestriction import NodeRestriction
from kube_apiserver.apimachinery import errors
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.alwaysallow import AlwaysAllowAuthorizer
from kube_apiserver.authorization.alwaysdeny import AlwaysDenyAuthorizer
from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from registry_stores import open_stores

Obj = dict[str, Any]
KEYS = (
    "pods",
    "nodes",
    "persistentvolumeclaims",
    "persistentvolumes",
    "serviceaccounts",
    "csidrivers.storage.k8s.io",
    "csinodes.storage.k8s.io",
    "leases.coordination.k8s.io",
    "certificatesigningrequests.certificates.k8s.io",
)
N1 = UserInfo(name="system:node:n1", groups=("system:nodes", "system:authenticated"))
MIRROR = {"kubernetes.io/config.mirror": "hash"}


@contextlib.asynccontextmanager
async def cluster(
    tmp_path: Path, authorizer: Authorizer | None = None
) -> AsyncIterator[tuple[NodeRestriction, dict[str, Store]]]:
    """Stores behind NodeRestriction, with nodes n1 and n2 registered by an admin."""
    plugin = NodeRestriction(authorizer or AlwaysDenyAuthorizer())
    async with open_stores(tmp_path, KEYS, Chain([plugin])) as stores:
        plugin.attach(stores)
        for name in ("n1", "n2"):
            await stores["nodes"].create("", {"metadata": {"name": name}})
        yield plugin, stores


def run(
    tmp_path: Path, test: Callable[[NodeRestriction, dict[str, Store]], Awaitable[None]]
) -> None:
    async def scenario() -> None:
        async with cluster(tmp_path) as (plugin, stores):
            await test(plugin, stores)

    asyncio.run(scenario())


async def refusal(write: Awaitable[Any]) -> tuple[int, str]:
    with pytest.raises(errors.StatusError) as caught:
        await write
    return caught.value.code, caught.value.message


def pod(name: str, node: str, **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "ns"},
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}], **spec},
    }


async def mirror_pod(stores: dict[str, Store], name: str, node: str = "n1", **spec: Any) -> Obj:
    """A mirror pod as a kubelet makes it: annotated and owned by its Node (with its uid)."""
    uid = stores["nodes"].cache.get_cached(stores["nodes"].key("", node))
    obj = pod(name, node, **spec)
    obj["metadata"]["annotations"] = dict(MIRROR)
    obj["metadata"]["ownerReferences"] = [
        {
            "apiVersion": "v1",
            "kind": "Node",
            "name": node,
            "uid": uid.obj["metadata"]["uid"] if uid else "none",
            "controller": True,
        }
    ]
    return obj


def replace(changes: Callable[[Obj], None]) -> Callable[[Obj], Awaitable[Obj]]:
    """An update's new-object function applying `changes` to the current object."""

    async def new_object(current: Obj) -> Obj:
        changed = copy.deepcopy(current)
        changes(changed)
        return changed

    return new_object


# -- pods ------------------------------------------------------------------------------------


def test_a_node_creates_and_deletes_mirror_pods_bound_to_itself(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        pods = stores["pods"]
        await pods.create("ns", await mirror_pod(stores, "static"), user=N1)
        await pods.delete("ns", "static", DeleteOptions(grace_period_seconds=0), user=N1)

    run(tmp_path, test)


def test_a_node_may_create_no_other_pod(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        pods = stores["pods"]

        async def refused(obj: Obj) -> tuple[int, str]:
            return await refusal(pods.create("ns", obj, user=N1))

        assert await refused(pod("plain", "n1")) == (
            403,
            'pods "plain" is forbidden: pod does not have "kubernetes.io/config.mirror" '
            'annotation, node "n1" can only create mirror pods',
        )
        assert await refused(await mirror_pod(stores, "elsewhere", "n2")) == (
            403,
            'pods "elsewhere" is forbidden: node "n1" can only create pods with spec.nodeName '
            "set to itself",
        )
        unowned = await mirror_pod(stores, "m")
        unowned["metadata"]["ownerReferences"] = []
        assert (await refused(unowned))[1].endswith(
            'node "n1" can only create pods with an owner reference set to itself'
        )
        two = await mirror_pod(stores, "m")
        two["metadata"]["ownerReferences"] *= 2
        assert (await refused(two))[1].endswith(
            'node "n1" can only create pods with a single owner reference set to itself'
        )
        other_owner = await mirror_pod(stores, "m", "n1")
        other_owner["metadata"]["ownerReferences"][0]["name"] = "n2"
        assert (await refused(other_owner))[1].endswith(
            'node "n1" can only create pods with an owner reference set to itself'
        )
        not_controller = await mirror_pod(stores, "m")
        not_controller["metadata"]["ownerReferences"][0]["controller"] = False
        assert (await refused(not_controller))[1].endswith(
            'node "n1" can only create pods with a controller owner reference set to itself'
        )
        blocking = await mirror_pod(stores, "m")
        blocking["metadata"]["ownerReferences"][0]["blockOwnerDeletion"] = True
        assert (await refused(blocking))[1].endswith(
            'node "n1" must not set blockOwnerDeletion on an owner reference'
        )
        stale = await mirror_pod(stores, "m")
        stale["metadata"]["ownerReferences"][0]["uid"] = "old-uid"
        node_uid = stores["nodes"].cache.get_cached("/registry/minions/n1").obj["metadata"]["uid"]
        assert (await refused(stale))[1].endswith(
            f"node n1 UID mismatch: expected old-uid got {node_uid}"
        )

    run(tmp_path, test)


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ({"serviceAccountName": "default"}, "a service account"),
        ({"imagePullSecrets": [{"name": "pull"}]}, "secrets"),
        ({"volumes": [{"name": "v", "secret": {"secretName": "s"}}]}, "secrets"),
        ({"volumes": [{"name": "v", "configMap": {"name": "cm"}}]}, "configmaps"),
        (
            {
                "volumes": [
                    {
                        "name": "v",
                        "projected": {
                            "sources": [{"clusterTrustBundle": {"name": "b", "path": "p"}}]
                        },
                    }
                ]
            },
            "clustertrustbundles",
        ),
        (
            {"volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "data"}}]},
            "persistentvolumeclaims",
        ),
    ],
)
def test_a_mirror_pod_may_reference_no_api_object(tmp_path: Path, spec: Obj, kind: str) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        obj = await mirror_pod(stores, "static", **spec)
        assert await refusal(stores["pods"].create("ns", obj, user=N1)) == (
            403,
            f'pods "static" is forbidden: node "n1" can not create pods that reference {kind}',
        )

    run(tmp_path, test)


def test_a_mirror_pod_needs_the_node_to_exist(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        n3 = UserInfo(name="system:node:n3", groups=("system:nodes",))
        obj = await mirror_pod(stores, "static", "n3")
        assert await refusal(stores["pods"].create("ns", obj, user=n3)) == (
            404,
            'node "n3" not found',
        )

    run(tmp_path, test)


def test_a_node_deletes_and_updates_the_status_of_its_own_pods_only(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        pods = stores["pods"]
        await pods.create("ns", pod("mine", "n1"))
        await pods.create("ns", pod("theirs", "n2"))
        status = stores["pods"].strategy

        async def update_status(name: str, changes: Callable[[Obj], None]) -> Any:
            return await pods.update(
                "ns", name, replace(changes), subresource="status", user=N1, strategy=status
            )

        await update_status("mine", lambda p: p.setdefault("status", {}).update(phase="Running"))
        assert await refusal(
            update_status("theirs", lambda p: p.setdefault("status", {}).update(phase="Running"))
        ) == (
            403,
            'pods "theirs" is forbidden: node "n1" can only update pod status for pods with '
            "spec.nodeName set to itself",
        )
        assert await refusal(
            update_status("mine", lambda p: p["metadata"].update(labels={"evil": "yes"}))
        ) == (403, 'pods "mine" is forbidden: node "n1" cannot update labels through pod status')
        assert await refusal(pods.update("ns", "mine", replace(lambda p: None), user=N1)) == (
            403,
            'pods "mine" is forbidden: unexpected operation "UPDATE", node "n1" can only create '
            "and delete mirror pods",
        )
        assert await refusal(
            pods.delete("ns", "theirs", DeleteOptions(grace_period_seconds=0), user=N1)
        ) == (
            403,
            'pods "theirs" is forbidden: node "n1" can only delete pods with spec.nodeName set '
            "to itself",
        )
        await pods.delete("ns", "mine", DeleteOptions(grace_period_seconds=0), user=N1)

    run(tmp_path, test)


def test_a_node_evicts_its_own_pods_only(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        await stores["pods"].create("ns", pod("mine", "n1"))
        await stores["pods"].create("ns", pod("theirs", "n2"))
        res = stores["pods"].resource

        def eviction(name: str, op: str = CREATE) -> Attributes:
            obj = {"metadata": {"name": name, "namespace": "ns"}}
            return Attributes(op, res, "ns", name, obj, None, N1, "eviction")

        await plugin.admit(eviction("mine"))
        assert await refusal(plugin.admit(eviction("theirs"))) == (
            403,
            'pods "theirs" is forbidden: node n1 can only evict pods with spec.nodeName set to '
            "itself",
        )
        assert await refusal(plugin.admit(eviction("gone"))) == (404, 'pod "gone" not found')
        assert await refusal(plugin.admit(eviction("mine", UPDATE))) == (
            403,
            'pods "mine" is forbidden: unexpected operation UPDATE',
        )
        binding = Attributes(CREATE, res, "ns", "mine", {}, None, N1, "binding")
        assert await refusal(plugin.admit(binding)) == (
            403,
            'pods "mine" is forbidden: unexpected pod subresource "binding", only \'status\' '
            "and 'eviction' are allowed",
        )

    run(tmp_path, test)


# -- nodes -----------------------------------------------------------------------------------

KUBELET_LABELS = {
    "kubernetes.io/hostname": "n3",
    "kubernetes.io/os": "linux",
    "beta.kubernetes.io/arch": "amd64",
    "topology.kubernetes.io/zone": "z",
    "node.kubernetes.io/instance-type": "big",
    "kubelet.kubernetes.io/anything": "x",
    "foo.node.kubernetes.io/anything": "x",
    "example.com/mine": "x",
    "plain": "x",
}


def test_a_node_registers_itself_with_kubelet_labels_only(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        nodes = stores["nodes"]
        n3 = UserInfo(name="system:node:n3", groups=("system:nodes",))
        assert await refusal(nodes.create("", {"metadata": {"name": "n4"}}, user=n3)) == (
            403,
            'nodes "n4" is forbidden: node "n3" is not allowed to modify node "n4"',
        )
        labels = {
            **KUBELET_LABELS,
            "node-role.kubernetes.io/control-plane": "",
            "node-restriction.kubernetes.io/pool": "a",
            "other.k8s.io/x": "y",
        }
        assert await refusal(
            nodes.create("", {"metadata": {"name": "n3", "labels": labels}}, user=n3)
        ) == (
            403,
            'nodes "n3" is forbidden: node "n3" is not allowed to set the following labels: '
            "node-restriction.kubernetes.io/pool, node-role.kubernetes.io/control-plane, "
            "other.k8s.io/x",
        )
        config = {"metadata": {"name": "n3"}, "spec": {"configSource": {"configMap": {}}}}
        assert await refusal(nodes.create("", config, user=n3)) == (
            403,
            'nodes "n3" is forbidden: node "n3" is not allowed to create pods with a non-nil '
            "configSource",
        )
        await nodes.create("", {"metadata": {"name": "n3", "labels": KUBELET_LABELS}}, user=n3)

    run(tmp_path, test)


def test_a_node_updates_itself_but_not_its_taints_nor_restricted_labels(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        nodes = stores["nodes"]
        await nodes.update(
            "", "n1", replace(lambda n: n["metadata"].update(labels=KUBELET_LABELS)), user=N1
        )
        await nodes.update(
            "",
            "n1",
            replace(lambda n: n.setdefault("status", {}).update(phase="Running")),
            subresource="status",
            user=N1,
        )
        assert await refusal(
            nodes.update("", "n2", replace(lambda n: None), subresource="status", user=N1)
        ) == (403, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"')
        taint = {"key": "k", "effect": "NoSchedule"}
        assert await refusal(
            nodes.update(
                "",
                "n1",
                replace(lambda n: n.setdefault("spec", {}).update(taints=[taint])),
                user=N1,
            )
        ) == (403, 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints')

        def relabel(n: Obj) -> None:
            del n["metadata"]["labels"]["kubernetes.io/hostname"]  # allowed: a kubelet label
            n["metadata"]["labels"]["node-role.kubernetes.io/worker"] = ""

        assert await refusal(nodes.update("", "n1", replace(relabel), user=N1)) == (
            403,
            'nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/worker',
        )

    run(tmp_path, test)


def test_an_admin_sets_any_label(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        admin = UserInfo(name="admin", groups=("system:masters",))
        labels = {"node-role.kubernetes.io/control-plane": ""}
        await stores["nodes"].update(
            "", "n1", replace(lambda n: n["metadata"].update(labels=labels)), user=admin
        )

    run(tmp_path, test)


# -- claims, leases, CSINodes, certificate requests -----------------------------------------


def test_a_node_updates_only_a_claims_reported_status(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        claims = stores["persistentvolumeclaims"]
        await claims.create(
            "ns",
            {
                "metadata": {"name": "data", "namespace": "ns"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            },
        )

        def status(changes: Obj) -> Callable[[Obj], Awaitable[Obj]]:
            return replace(lambda c: c.setdefault("status", {}).update(changes))

        await claims.update(
            "ns", "data", status({"capacity": {"storage": "2Gi"}}), subresource="status", user=N1
        )
        assert await refusal(
            claims.update("ns", "data", status({"phase": "Lost"}), subresource="status", user=N1)
        ) == (
            403,
            'persistentvolumeclaims "data" is forbidden: node "n1" is not allowed to update '
            "fields other than status.quantity and status.conditions: status.phase",
        )
        assert await refusal(claims.update("ns", "data", status({}), user=N1)) == (
            403,
            'persistentvolumeclaims "data" is forbidden: may only update PVC status',
        )

    run(tmp_path, test)


def test_a_node_keeps_its_own_lease_and_csinode(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        leases = stores["leases.coordination.k8s.io"]
        lease = {"metadata": {"name": "n1", "namespace": "kube-node-lease"}, "spec": {}}
        await leases.create("kube-node-lease", lease, user=N1)
        other = {"metadata": {"name": "n2", "namespace": "kube-node-lease"}, "spec": {}}
        assert await refusal(leases.create("kube-node-lease", other, user=N1)) == (
            403,
            'leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the '
            "same name as the requesting node",
        )
        elsewhere = {"metadata": {"name": "n1", "namespace": "default"}, "spec": {}}
        assert await refusal(leases.create("default", elsewhere, user=N1)) == (
            403,
            'leases.coordination.k8s.io "n1" is forbidden: can only access leases in the '
            '"kube-node-lease" system namespace',
        )
        csinodes = stores["csinodes.storage.k8s.io"]
        await csinodes.create("", {"metadata": {"name": "n1"}, "spec": {"drivers": []}}, user=N1)
        assert await refusal(
            csinodes.create("", {"metadata": {"name": "n2"}, "spec": {"drivers": []}}, user=N1)
        ) == (
            403,
            'csinodes.storage.k8s.io "n2" is forbidden: can only access CSINode with the same '
            "name as the requesting node",
        )

    run(tmp_path, test)


def certificate_request(common_name: str) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "system:nodes"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    return base64.b64encode(csr.public_bytes(serialization.Encoding.PEM)).decode()


def test_a_node_requests_kubelet_certificates_for_its_own_name_only(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        res = stores["certificatesigningrequests.certificates.k8s.io"].resource

        def csr(signer: str, request: str) -> Attributes:
            obj = {"metadata": {"name": "c"}, "spec": {"signerName": signer, "request": request}}
            return Attributes(CREATE, res, "", "c", obj, None, N1)

        serving = "kubernetes.io/kubelet-serving"
        await plugin.admit(csr(serving, certificate_request("system:node:n1")))
        await plugin.admit(csr("example.com/other", certificate_request("system:node:n2")))
        assert await refusal(plugin.admit(csr(serving, certificate_request("system:node:n2")))) == (
            403,
            'certificatesigningrequests.certificates.k8s.io "c" is forbidden: can only create a '
            "node CSR with CN=system:node:n1",
        )
        garbage = base64.b64encode(b"not pem").decode()
        assert await refusal(
            plugin.admit(csr("kubernetes.io/kube-apiserver-client-kubelet", garbage))
        ) == (
            403,
            'certificatesigningrequests.certificates.k8s.io "c" is forbidden: unable to parse '
            "csr: PEM block type must be CERTIFICATE REQUEST",
        )

    run(tmp_path, test)


def test_users_that_are_not_nodes_pass_and_a_nameless_node_is_refused(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        pods = stores["pods"]
        await pods.create("ns", pod("plain", "n2"), user=UserInfo(name="alice"))
        nameless = UserInfo(name="system:node:", groups=("system:nodes",))
        assert await refusal(pods.create("ns", pod("p", "n1"), user=nameless)) == (
            403,
            'pods "p" is forbidden: could not determine node from user "system:node:"',
        )

    run(tmp_path, test)


# -- service account tokens -----------------------------------------------------------------


def token_request(pod_name: str, uid: str, *audiences: str) -> Obj:
    ref = {"apiVersion": "v1", "kind": "Pod", "name": pod_name, "uid": uid} if pod_name else None
    return {
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenRequest",
        "spec": {"audiences": list(audiences), "boundObjectRef": ref},
    }


def test_a_node_gets_tokens_bound_to_its_pods_for_their_audiences(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        projected = {
            "projected": {"sources": [{"serviceAccountToken": {"path": "t", "audience": "vault"}}]}
        }
        volumes = [
            {"name": "token", **projected},
            {"name": "csi", "csi": {"driver": "secrets.example.com"}},
        ]
        mine = await stores["pods"].create(
            "ns", pod("mine", "n1", serviceAccountName="default", volumes=volumes)
        )
        mine = mine.obj
        theirs = (await stores["pods"].create("ns", pod("theirs", "n2"))).obj
        uid = mine["metadata"]["uid"]
        res = stores["serviceaccounts"].resource
        await stores["csidrivers.storage.k8s.io"].create(
            "",
            {
                "metadata": {"name": "secrets.example.com"},
                "spec": {"tokenRequests": [{"audience": "csi-audience"}]},
            },
        )

        async def request(obj: Obj) -> None:
            await plugin.admit(Attributes(CREATE, res, "ns", "default", obj, None, N1, "token"))

        await request(token_request("mine", uid, "vault"))
        await request(token_request("mine", uid, "csi-audience"))
        prefix = 'serviceaccounts "default" is forbidden: '
        assert await refusal(request(token_request("", ""))) == (
            403,
            prefix + "node requested token not bound to a pod",
        )
        assert await refusal(request(token_request("mine", ""))) == (
            403,
            prefix + "node requested token with a pod binding without a uid",
        )
        assert await refusal(request(token_request("gone", "x"))) == (404, 'pod "gone" not found')
        assert await refusal(request(token_request("mine", "stale"))) == (
            403,
            prefix + "the UID in the bound object reference (stale) does not match the UID in "
            "record. The object might have been deleted and then recreated",
        )
        assert await refusal(request(token_request("theirs", theirs["metadata"]["uid"]))) == (
            403,
            prefix + "node requested token bound to a pod scheduled on a different node",
        )
        assert await refusal(request(token_request("mine", uid, "a", "b"))) == (
            403,
            prefix + "node may only request 0 or 1 audiences",
        )
        assert await refusal(request(token_request("mine", uid, "elsewhere"))) == (
            403,
            prefix + 'audience "elsewhere" not found in pod spec volume, system:node:n1 is not '
            "authorized to request tokens for this audience",
        )

    run(tmp_path, test)


def test_an_audience_behind_a_missing_claim_or_driver_is_an_error(tmp_path: Path) -> None:
    async def test(plugin: NodeRestriction, stores: dict[str, Store]) -> None:
        res = stores["serviceaccounts"].resource
        claim = [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]
        with_claim = (await stores["pods"].create("ns", pod("claims", "n1", volumes=claim))).obj
        driver = [{"name": "csi", "csi": {"driver": "missing.example.com"}}]
        with_driver = (await stores["pods"].create("ns", pod("csi", "n1", volumes=driver))).obj

        async def request(target: Obj) -> None:
            obj = token_request(target["metadata"]["name"], target["metadata"]["uid"], "aud")
            await plugin.admit(Attributes(CREATE, res, "ns", "default", obj, None, N1, "token"))

        prefix = 'serviceaccounts "default" is forbidden: error validating audience "aud": '
        assert await refusal(request(with_claim)) == (
            403,
            prefix + 'persistentvolumeclaim "data" not found',
        )
        assert await refusal(request(with_driver)) == (
            403,
            prefix + 'csidriver.storage.k8s.io "missing.example.com" not found',
        )

    run(tmp_path, test)


def test_an_authorizer_may_grant_a_node_more_audiences(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with cluster(tmp_path, AlwaysAllowAuthorizer()) as (plugin, stores):
            mine = (await stores["pods"].create("ns", pod("mine", "n1"))).obj
            obj = token_request("mine", mine["metadata"]["uid"], "registry.example.com")
            res = stores["serviceaccounts"].resource
            await plugin.admit(Attributes(CREATE, res, "ns", "default", obj, None, N1, "token"))

    asyncio.run(scenario())
