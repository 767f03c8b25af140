"""apps/v1 Deployment defaulting: a fresh Deployment reads back as a 1.33 cluster returns it."""

from __future__ import annotations

from kube_apiserver.apis.apps.defaults import default_deployment


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
