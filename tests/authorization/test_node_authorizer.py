"""The Node authorizer's decisions and reasons, each rule from both sides, and its graph kept
current from real watch caches as pods are created, bound and deleted."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import Attributes, Decision, Rules
from kube_apiserver.authorization.node.authorizer import NodeAuthorizer
from kube_apiserver.authorization.node.populator import PODS, followers
from kube_apiserver.authorization.rbac.bootstrappolicy.cluster_roles import node_rules
from kube_apiserver.registry.core.binding import bind
from kube_apiserver.registry.generic.store import DeleteOptions
from registry_stores import open_stores

ALLOW = (Decision.ALLOW, "")
SILENT = (Decision.NO_OPINION, "")
NOT_RELATED = "no relationship found between node '{}' and this object"


def node_user(name: str) -> UserInfo:
    return UserInfo(name=f"system:node:{name}", groups=("system:nodes", "system:authenticated"))


def ask(
    authorizer: NodeAuthorizer,
    node: str,
    verb: str,
    resource: str,
    *,
    user: UserInfo | None = None,
    **rest: Any,
) -> tuple[Decision, str]:
    attrs = Attributes(
        user=user or node_user(node), verb=verb, resource_request=True, resource=resource, **rest
    )
    return asyncio.run(authorizer.authorize(attrs))


def refused(reason: str) -> tuple[Decision, str]:
    return Decision.NO_OPINION, reason


@pytest.fixture
def authorizer() -> NodeAuthorizer:
    """n1 runs `web` (secret s1, config map cm1, claim data, account sa); n2 runs nothing."""
    authorizer = NodeAuthorizer()
    authorizer.graph.add_pod(
        {
            "metadata": {"namespace": "ns", "name": "web"},
            "spec": {
                "nodeName": "n1",
                "serviceAccountName": "sa",
                "volumes": [
                    {"name": "a", "secret": {"secretName": "s1"}},
                    {"name": "b", "configMap": {"name": "cm1"}},
                    {"name": "c", "persistentVolumeClaim": {"claimName": "data"}},
                ],
            },
        }
    )
    authorizer.graph.add_pv(
        {"metadata": {"name": "pv1"}, "spec": {"claimRef": {"namespace": "ns", "name": "data"}}}
    )
    authorizer.graph.add_volume_attachment("va1", "n1")
    authorizer.graph.add_pod(
        {"metadata": {"namespace": "ns", "name": "other"}, "spec": {"nodeName": "n2"}}
    )
    return authorizer


def test_users_that_are_not_nodes_get_no_opinion_and_no_reason(authorizer: NodeAuthorizer) -> None:
    for user in (
        UserInfo(name="alice", groups=("system:nodes",)),
        UserInfo(name="system:node:n1", groups=("system:authenticated",)),
        UserInfo(name="system:serviceaccount:ns:sa", groups=("system:serviceaccounts",)),
    ):
        assert ask(authorizer, "", "get", "secrets", user=user, namespace="ns", name="s1") == SILENT


def test_a_node_with_no_name_is_refused(authorizer: NodeAuthorizer) -> None:
    user = UserInfo(name="system:node:", groups=("system:nodes",))
    assert ask(authorizer, "", "get", "nodes", user=user, name="n1") == refused(
        'unknown node for user "system:node:"'
    )


@pytest.mark.parametrize(
    ("resource", "name"),
    [("secrets", "s1"), ("configmaps", "cm1"), ("persistentvolumeclaims", "data")],
)
def test_a_node_reads_what_its_pods_use_and_no_other_node_does(
    authorizer: NodeAuthorizer, resource: str, name: str
) -> None:
    assert ask(authorizer, "n1", "get", resource, namespace="ns", name=name) == ALLOW
    assert ask(authorizer, "n2", "get", resource, namespace="ns", name=name) == refused(
        NOT_RELATED.format("n2")
    )
    assert ask(authorizer, "n1", "get", resource, namespace="ns", name="unused") == refused(
        NOT_RELATED.format("n1")
    )
    # A node no pod is bound to is unknown to the graph: refused the same way.
    assert ask(authorizer, "n9", "get", resource, namespace="ns", name=name) == refused(
        NOT_RELATED.format("n9")
    )


def test_secrets_and_config_maps_may_be_watched_one_by_one_only(authorizer: NodeAuthorizer) -> None:
    # A metadata.name field selector names the object (request info sets the name).
    for verb in ("list", "watch"):
        assert ask(authorizer, "n1", verb, "secrets", namespace="ns", name="s1") == ALLOW
        assert ask(authorizer, "n1", verb, "configmaps", namespace="ns") == refused(
            "No Object name found"
        )
    assert ask(authorizer, "n1", "list", "secrets") == refused(
        "can only read namespaced object of this type"
    )
    for verb in ("create", "update", "patch", "delete"):
        assert ask(authorizer, "n1", verb, "secrets", namespace="ns", name="s1") == refused(
            "can only read resources of this type"
        )
    assert ask(
        authorizer, "n1", "get", "configmaps", namespace="ns", name="cm1", subresource="x"
    ) == refused("cannot read subresource")


def test_volumes_claims_and_attachments_may_only_be_got(authorizer: NodeAuthorizer) -> None:
    assert ask(authorizer, "n1", "get", "persistentvolumes", name="pv1") == ALLOW
    assert ask(authorizer, "n2", "get", "persistentvolumes", name="pv1") == refused(
        NOT_RELATED.format("n2")
    )
    attachments = {"api_group": "storage.k8s.io", "name": "va1"}
    assert ask(authorizer, "n1", "get", "volumeattachments", **attachments) == ALLOW
    assert ask(authorizer, "n2", "get", "volumeattachments", **attachments) == refused(
        NOT_RELATED.format("n2")
    )
    assert ask(authorizer, "n1", "list", "persistentvolumes") == refused(
        "can only get individual resources of this type"
    )
    assert ask(
        authorizer, "n1", "get", "persistentvolumes", name="pv1", subresource="x"
    ) == refused("cannot get subresource")


def test_a_node_updates_the_status_of_its_pods_claims_only(authorizer: NodeAuthorizer) -> None:
    claim = {"namespace": "ns", "subresource": "status"}
    assert ask(authorizer, "n1", "patch", "persistentvolumeclaims", name="data", **claim) == ALLOW
    assert ask(authorizer, "n2", "update", "persistentvolumeclaims", name="data", **claim) == (
        refused(NOT_RELATED.format("n2"))
    )
    assert ask(authorizer, "n1", "get", "persistentvolumeclaims", name="data", **claim) == refused(
        "can only get/update/patch this type"
    )


def test_tokens_only_for_the_accounts_of_its_pods(authorizer: NodeAuthorizer) -> None:
    token = {"namespace": "ns", "name": "sa", "subresource": "token"}
    assert ask(authorizer, "n1", "create", "serviceaccounts", **token) == ALLOW
    assert ask(authorizer, "n2", "create", "serviceaccounts", **token) == refused(
        NOT_RELATED.format("n2")
    )
    assert ask(authorizer, "n1", "get", "serviceaccounts", namespace="ns", name="sa") == refused(
        "can only create tokens for individual service accounts"
    )
    assert ask(authorizer, "n1", "create", "serviceaccounts", namespace="ns", name="sa") == refused(
        "can only create token subresource of serviceaccount"
    )


def test_its_own_lease_in_kube_node_lease_only(authorizer: NodeAuthorizer) -> None:
    lease = {"api_group": "coordination.k8s.io", "namespace": "kube-node-lease"}
    for verb in ("get", "update", "patch", "delete"):
        assert ask(authorizer, "n1", verb, "leases", name="n1", **lease) == ALLOW
        assert ask(authorizer, "n1", verb, "leases", name="n2", **lease) == refused(
            "can only access node lease with the same name as the requesting node"
        )
    assert ask(authorizer, "n1", "create", "leases", **lease) == ALLOW  # NodeRestriction: name
    assert ask(authorizer, "n1", "list", "leases", **lease) == refused(
        "can only get, create, update, patch, or delete a node lease"
    )
    assert ask(
        authorizer, "n1", "get", "leases", api_group="coordination.k8s.io", namespace="x", name="n1"
    ) == refused('can only access leases in the "kube-node-lease" system namespace')


def test_its_own_csinode_only(authorizer: NodeAuthorizer) -> None:
    storage = {"api_group": "storage.k8s.io"}
    assert ask(authorizer, "n1", "get", "csinodes", name="n1", **storage) == ALLOW
    assert ask(authorizer, "n1", "create", "csinodes", **storage) == ALLOW
    assert ask(authorizer, "n1", "delete", "csinodes", name="n2", **storage) == refused(
        "can only access CSINode with the same name as the requesting node"
    )
    assert ask(authorizer, "n1", "list", "csinodes", **storage) == refused(
        "can only get, create, update, patch, or delete a CSINode"
    )
    assert ask(authorizer, "n1", "get", "csinodes", name="n1", subresource="x", **storage) == (
        refused("cannot authorize CSINode subresources")
    )


def test_a_node_reads_its_own_node_object_even_before_it_exists(authorizer: NodeAuthorizer) -> None:
    for verb in ("get", "list", "watch"):
        assert ask(authorizer, "new", verb, "nodes", name="new") == ALLOW
    assert ask(authorizer, "n1", "get", "nodes", name="n2") == refused(
        "node 'n1' cannot read 'n2', only its own Node object"
    )
    assert ask(authorizer, "n1", "list", "nodes") == refused(
        "node 'n1' cannot read all nodes, only its own Node object"
    )
    for verb in ("create", "update", "patch"):  # NodeRestriction keeps these to its own
        assert ask(authorizer, "n1", verb, "nodes", name="n2") == ALLOW
    assert ask(authorizer, "n1", "patch", "nodes", name="n1", subresource="status") == ALLOW
    assert ask(authorizer, "n1", "delete", "nodes", name="n1") == SILENT
    assert ask(authorizer, "n1", "get", "nodes", name="n1", subresource="status") == SILENT


def test_pods_bound_to_it_and_lists_narrowed_to_it(authorizer: NodeAuthorizer) -> None:
    assert ask(authorizer, "n1", "get", "pods", namespace="ns", name="web") == ALLOW
    assert ask(authorizer, "n1", "get", "pods", namespace="ns", name="other") == refused(
        NOT_RELATED.format("n1")
    )
    own = (("spec.nodeName", "=", "n1"),)
    assert ask(authorizer, "n1", "list", "pods", field_selector=own) == ALLOW
    assert ask(authorizer, "n1", "watch", "pods", namespace="ns", field_selector=own) == ALLOW
    assert ask(authorizer, "n2", "watch", "pods", field_selector=own) == refused(
        "can only list/watch pods with spec.nodeName field selector"
    )
    assert ask(
        authorizer, "n1", "list", "pods", field_selector=(("spec.nodeName", "!=", "n1"),)
    ) == (refused("can only list/watch pods with spec.nodeName field selector"))
    assert ask(authorizer, "n1", "watch", "pods", namespace="ns", name="web") == ALLOW
    pod = {"namespace": "ns", "name": "web"}
    for verb, subresource in (
        ("create", ""),
        ("delete", ""),
        ("update", "status"),
        ("create", "eviction"),
    ):
        assert ask(authorizer, "n1", verb, "pods", subresource=subresource, **pod) == ALLOW
    assert ask(authorizer, "n1", "update", "pods", **pod) == SILENT
    assert ask(authorizer, "n1", "get", "pods", subresource="log", **pod) == SILENT


def test_other_resources_follow_the_node_policy_rules(authorizer: NodeAuthorizer) -> None:
    for verb, resource, group in (
        ("list", "services", ""),
        ("create", "events", ""),
        ("get", "endpoints", ""),
        ("create", "tokenreviews", "authentication.k8s.io"),
        ("create", "subjectaccessreviews", "authorization.k8s.io"),
        ("watch", "certificatesigningrequests", "certificates.k8s.io"),
        ("list", "csidrivers", "storage.k8s.io"),
        ("get", "runtimeclasses", "node.k8s.io"),
    ):
        assert ask(authorizer, "n1", verb, resource, api_group=group) == ALLOW, resource
    for verb, resource, group in (
        ("delete", "services", ""),
        ("list", "deployments", "apps"),
        ("create", "selfsubjectaccessreviews", "authorization.k8s.io"),
        ("list", "endpoints", ""),
    ):
        assert ask(authorizer, "n1", verb, resource, api_group=group) == SILENT, resource
    healthz = Attributes(user=node_user("n1"), verb="get", resource_request=False, path="/healthz")
    assert asyncio.run(authorizer.authorize(healthz)) == SILENT


def test_a_nodes_rules_cannot_be_listed(authorizer: NodeAuthorizer) -> None:
    assert asyncio.run(authorizer.rules_for(node_user("n1"), "ns")) == Rules(
        incomplete=True, error="node authorizer does not support user rule resolution"
    )
    assert asyncio.run(authorizer.rules_for(UserInfo(name="alice"), "ns")) == Rules()


def test_reconciling_drops_pods_the_cache_no_longer_has() -> None:
    authorizer = NodeAuthorizer()
    pods = followers(authorizer.graph)[PODS]
    web = {"metadata": {"namespace": "ns", "name": "web", "uid": "1"}, "spec": {"nodeName": "n1"}}
    pods.reconcile({"/registry/pods/ns/web": web})
    assert ask(authorizer, "n1", "get", "pods", namespace="ns", name="web") == ALLOW
    pods.reconcile({})
    assert ask(authorizer, "n1", "get", "pods", namespace="ns", name="web") == refused(
        NOT_RELATED.format("n1")
    )


async def _eventually(check: Any, want: tuple[Decision, str]) -> None:
    """Wait (boundedly) for the graph to catch up with the cache, then compare."""
    for _ in range(500):
        if await check() == want:
            break
        await asyncio.sleep(0.01)
    assert await check() == want


def test_the_graph_follows_pods_as_they_are_bound_and_deleted(tmp_path: Path) -> None:
    async def scenario() -> None:
        authorizer = NodeAuthorizer()
        async with open_stores(
            tmp_path, ("pods", "persistentvolumes", "volumeattachments.storage.k8s.io")
        ) as stores:
            authorizer.attach(stores)
            pods = stores["pods"]
            await pods.create(
                "ns",
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": "web", "namespace": "ns"},
                    "spec": {
                        "containers": [{"name": "c", "image": "nginx"}],
                        "volumes": [{"name": "s", "secret": {"secretName": "s1"}}],
                    },
                },
            )

            async def secret_for(node: str) -> tuple[Decision, str]:
                attrs = Attributes(
                    user=node_user(node),
                    verb="get",
                    resource_request=True,
                    resource="secrets",
                    namespace="ns",
                    name="s1",
                )
                return await authorizer.authorize(attrs)

            # Not bound yet: no node may read its secret.
            await _eventually(lambda: secret_for("n1"), refused(NOT_RELATED.format("n1")))
            binding = {"metadata": {"name": "web"}, "target": {"kind": "Node", "name": "n1"}}
            await bind(pods, "ns", "web", binding, dry_run=False)
            await _eventually(lambda: secret_for("n1"), ALLOW)
            assert await secret_for("n2") == refused(NOT_RELATED.format("n2"))
            await pods.delete("ns", "web", DeleteOptions(grace_period_seconds=0))
            await _eventually(lambda: secret_for("n1"), refused(NOT_RELATED.format("n1")))
            for task in authorizer._followers:
                task.cancel()

    asyncio.run(scenario())


def test_the_node_policy_rules_are_plain_enough_for_a_set_lookup() -> None:
    # rules.py reads them into a set: that holds only without wildcards or resource names.
    for rule in node_rules():
        assert "*" not in rule["verbs"] + rule["apiGroups"] + rule["resources"], rule
        assert not rule.get("resourceNames") and not rule.get("nonResourceURLs"), rule
