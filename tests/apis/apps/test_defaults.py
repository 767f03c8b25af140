"""apps/v1 defaulting: fresh workloads read back as a 1.33 cluster returns them."""

from __future__ import annotations

from kube_apiserver.apis.apps.defaults import (
    default_daemonset,
    default_deployment,
    default_replicaset,
    default_statefulset,
)


def test_a_minimal_deployment_gets_the_defaults_a_real_cluster_shows():
    obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
            },
        },
    }
    default_deployment(obj)
    assert obj["spec"] == {
        "progressDeadlineSeconds": 600,
        "replicas": 1,
        "revisionHistoryLimit": 10,
        "selector": {"matchLabels": {"app": "web"}},
        "strategy": {
            "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            "type": "RollingUpdate",
        },
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
            "spec": {
                "containers": [
                    {
                        "image": "nginx",
                        "imagePullPolicy": "Always",
                        "name": "nginx",
                        "resources": {},
                        "terminationMessagePath": "/dev/termination-log",
                        "terminationMessagePolicy": "File",
                    }
                ],
                "dnsPolicy": "ClusterFirst",
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "terminationGracePeriodSeconds": 30,
            },
        },
    }
    assert obj["status"] == {}


def test_explicit_values_are_kept_and_recreate_gets_no_rolling_update():
    obj = {
        "spec": {
            "replicas": 0,
            "strategy": {"type": "Recreate"},
            "revisionHistoryLimit": 0,
            "template": {"spec": {"containers": []}},
        }
    }
    default_deployment(obj)
    assert obj["spec"]["replicas"] == 0 and obj["spec"]["revisionHistoryLimit"] == 0
    assert obj["spec"]["strategy"] == {"type": "Recreate"}


def test_a_partial_rolling_update_is_completed():
    obj = {"spec": {"strategy": {"rollingUpdate": {"maxSurge": 2}}}}
    default_deployment(obj)
    assert obj["spec"]["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 2, "maxUnavailable": "25%"},
    }


def test_pod_only_defaults_stay_out_of_the_template():
    obj = {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i:1"}]}}}}
    default_deployment(obj)
    assert "enableServiceLinks" not in obj["spec"]["template"]["spec"]


def test_a_replicaset_gets_one_replica_and_a_zero_status_count():
    obj = {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i:1"}]}}}}
    default_replicaset(obj)
    assert obj["spec"]["replicas"] == 1 and obj["status"] == {"replicas": 0}
    assert obj["spec"]["template"]["spec"]["dnsPolicy"] == "ClusterFirst"


def test_a_statefulset_gets_its_policies_and_claim_templates_their_claim_defaults():
    obj = {"spec": {"volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {}}]}}
    default_statefulset(obj)
    spec = obj["spec"]
    assert {k: spec[k] for k in ("podManagementPolicy", "replicas", "revisionHistoryLimit")} == {
        "podManagementPolicy": "OrderedReady",
        "replicas": 1,
        "revisionHistoryLimit": 10,
    }
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }
    assert spec["volumeClaimTemplates"] == [
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data", "creationTimestamp": None},
            "spec": {"volumeMode": "Filesystem"},
            "status": {"phase": "Pending"},
        }
    ]
    assert obj["status"] == {"replicas": 0, "availableReplicas": 0}


def test_an_explicit_rolling_update_type_gets_no_rolling_update_block():
    obj = {"spec": {"updateStrategy": {"type": "RollingUpdate"}}}
    default_statefulset(obj)
    assert obj["spec"]["updateStrategy"] == {"type": "RollingUpdate"}


def test_a_daemonset_rolls_one_node_at_a_time_without_surge():
    obj = {"spec": {}}
    default_daemonset(obj)
    assert obj["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert obj["spec"]["revisionHistoryLimit"] == 10
    on_delete = {"spec": {"updateStrategy": {"type": "OnDelete"}}}
    default_daemonset(on_delete)
    assert on_delete["spec"]["updateStrategy"] == {"type": "OnDelete"}
