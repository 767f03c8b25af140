"""The Node authorizer's graph: which objects lead to which node, as pods, PVs and volume
attachments come and go."""

from __future__ import annotations

from typing import Any

from kube_apiserver.authorization.node.graph import (
    CONFIGMAP,
    NODE,
    POD,
    PV,
    PVC,
    RESOURCECLAIM,
    SECRET,
    SERVICEACCOUNT,
    VOLUMEATTACHMENT,
    Graph,
)
from kube_apiserver.authorization.node.references import pod_secret_names, pv_kubelet_secrets


def pod(name: str, node: str, **spec: Any) -> dict[str, Any]:
    return {
        "metadata": {"namespace": "ns", "name": name, "uid": f"{name}-uid"},
        "spec": {"nodeName": node, **spec},
    }


def uses(*volumes: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {"volumes": [{"name": f"v{i}", **v} for i, v in enumerate(volumes)], **spec}


def test_a_pod_leads_its_references_to_its_node_only() -> None:
    graph = Graph()
    graph.add_pod(
        pod(
            "web",
            "n1",
            serviceAccountName="sa",
            **uses({"secret": {"secretName": "s1"}}, {"configMap": {"name": "cm1"}}),
        )
    )
    for kind, name in ((SECRET, "s1"), (CONFIGMAP, "cm1"), (SERVICEACCOUNT, "sa"), (POD, "web")):
        assert graph.has_path("n1", kind, "ns", name), kind
        assert not graph.has_path("n2", kind, "ns", name), kind
    assert not graph.has_path("n1", SECRET, "other", "s1")  # same name, other namespace
    assert not graph.has_path("n1", SECRET, "ns", "s2")


def test_deleting_the_pod_removes_what_only_it_used_and_its_node() -> None:
    graph = Graph()
    graph.add_pod(pod("web", "n1", **uses({"secret": {"secretName": "s1"}})))
    graph.delete_pod("ns", "web")
    assert not graph.has_path("n1", SECRET, "ns", "s1")
    assert (SECRET, "ns", "s1") not in graph
    assert (NODE, "", "n1") not in graph


def test_a_secret_shared_by_two_pods_stays_readable_by_the_node_still_running_one() -> None:
    graph = Graph()
    graph.add_pod(pod("a", "n1", **uses({"secret": {"secretName": "shared"}})))
    graph.add_pod(pod("b", "n2", **uses({"secret": {"secretName": "shared"}})))
    assert graph.has_path("n1", SECRET, "ns", "shared")
    assert graph.has_path("n2", SECRET, "ns", "shared")
    graph.delete_pod("ns", "a")
    assert not graph.has_path("n1", SECRET, "ns", "shared")
    assert graph.has_path("n2", SECRET, "ns", "shared")


def test_re_adding_a_pod_replaces_its_edges() -> None:
    graph = Graph()
    graph.add_pod(pod("web", "n1", **uses({"secret": {"secretName": "s1"}})))
    graph.add_pod(pod("web", "n1", **uses({"secret": {"secretName": "s2"}})))
    assert not graph.has_path("n1", SECRET, "ns", "s1")
    assert graph.has_path("n1", SECRET, "ns", "s2")


def test_a_mirror_pod_grants_nothing_but_itself() -> None:
    graph = Graph()
    mirror = pod("static", "n1", serviceAccountName="sa", **uses({"secret": {"secretName": "s"}}))
    mirror["metadata"]["annotations"] = {"kubernetes.io/config.mirror": "hash"}
    graph.add_pod(mirror)
    assert graph.has_path("n1", POD, "ns", "static")
    assert not graph.has_path("n1", SECRET, "ns", "s")
    assert not graph.has_path("n1", SERVICEACCOUNT, "ns", "sa")


def test_claims_volumes_and_their_secrets_lead_to_the_node_through_the_pod() -> None:
    graph = Graph()
    graph.add_pv(
        {
            "metadata": {"name": "pv1"},
            "spec": {
                "claimRef": {"namespace": "ns", "name": "claim"},
                "csi": {
                    "driver": "d",
                    "nodePublishSecretRef": {"namespace": "ns", "name": "publish"},
                    "controllerPublishSecretRef": {"namespace": "ns", "name": "controller"},
                },
            },
        }
    )
    # Bound to a claim no pod uses yet: nobody may read any of it.
    assert not graph.has_path("n1", PV, "", "pv1")
    graph.add_pod(pod("db", "n1", **uses({"persistentVolumeClaim": {"claimName": "claim"}})))
    assert graph.has_path("n1", PVC, "ns", "claim")
    assert graph.has_path("n1", PV, "", "pv1")
    assert graph.has_path("n1", SECRET, "ns", "publish")
    assert not graph.has_path("n1", SECRET, "ns", "controller")  # the kubelet never reads it
    assert not graph.has_path("n2", PV, "", "pv1")
    graph.delete_pv("pv1")
    assert not graph.has_path("n1", PV, "", "pv1")
    assert not graph.has_path("n1", SECRET, "ns", "publish")
    assert graph.has_path("n1", PVC, "ns", "claim")


def test_generic_ephemeral_volumes_and_resource_claims_count_as_claims() -> None:
    graph = Graph()
    spec = uses(
        {"ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
        resourceClaims=[
            {"name": "direct", "resourceClaimName": "named-claim"},
            {"name": "templated", "resourceClaimTemplateName": "tmpl"},
            {"name": "pending", "resourceClaimTemplateName": "tmpl"},
        ],
    )
    made = pod("job", "n1", **spec)
    made["status"] = {
        "resourceClaimStatuses": [{"name": "templated", "resourceClaimName": "job-templated-x"}]
    }
    graph.add_pod(made)
    assert graph.has_path("n1", PVC, "ns", "job-v0")
    assert graph.has_path("n1", RESOURCECLAIM, "ns", "named-claim")
    assert graph.has_path("n1", RESOURCECLAIM, "ns", "job-templated-x")
    assert not graph.has_path("n1", RESOURCECLAIM, "ns", "tmpl")


def test_a_volume_attachment_leads_to_its_node_until_it_moves() -> None:
    graph = Graph()
    graph.add_volume_attachment("va", "n1")
    assert graph.has_path("n1", VOLUMEATTACHMENT, "", "va")
    graph.add_volume_attachment("va", "n2")
    assert not graph.has_path("n1", VOLUMEATTACHMENT, "", "va")
    assert graph.has_path("n2", VOLUMEATTACHMENT, "", "va")
    graph.delete_volume_attachment("va")
    assert not graph.has_path("n2", VOLUMEATTACHMENT, "", "va")


def test_every_way_a_pod_names_a_secret_is_found() -> None:
    container = {
        "name": "c",
        "envFrom": [{"secretRef": {"name": "env-from"}}],
        "env": [{"name": "E", "valueFrom": {"secretKeyRef": {"name": "env-key", "key": "k"}}}],
    }
    spec = uses(
        {"secret": {"secretName": "volume"}},
        {"projected": {"sources": [{"secret": {"name": "projected"}}]}},
        {"csi": {"driver": "d", "nodePublishSecretRef": {"name": "csi"}}},
        {"azureFile": {"secretName": "azure", "shareName": "s"}},
        {"rbd": {"monitors": ["m"], "image": "i", "secretRef": {"name": "rbd"}}},
        imagePullSecrets=[{"name": "pull"}],
        initContainers=[{"name": "i", "envFrom": [{"secretRef": {"name": "init"}}]}],
        containers=[container],
    )
    assert set(pod_secret_names(pod("p", "n1", **spec))) == {
        "pull",
        "init",
        "env-from",
        "env-key",
        "volume",
        "projected",
        "csi",
        "azure",
        "rbd",
    }


def test_a_pv_secret_without_a_namespace_is_in_its_claims_namespace() -> None:
    pv = {
        "spec": {
            "claimRef": {"namespace": "app", "name": "c"},
            "azureFile": {"secretName": "az", "shareName": "s"},
        }
    }
    assert list(pv_kubelet_secrets(pv)) == [("app", "az")]
    pv["spec"] = {"claimRef": {"namespace": "app"}, "cephfs": {"secretRef": {"name": "ceph"}}}
    assert list(pv_kubelet_secrets(pv)) == [("app", "ceph")]
    pv["spec"] = {"cephfs": {"secretRef": {"name": "ceph", "namespace": "own"}}}
    assert list(pv_kubelet_secrets(pv)) == [("own", "ceph")]
