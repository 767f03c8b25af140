"""core/v1 defaulting: fresh objects read back with what a 1.33 cluster's defaulters add."""

from __future__ import annotations

import base64

import pytest

from kube_apiserver.apis.core import defaults

NGINX = {
    "name": "nginx",
    "image": "nginx",
    "imagePullPolicy": "Always",
    "resources": {},
    "terminationMessagePath": "/dev/termination-log",
    "terminationMessagePolicy": "File",
}


def test_a_minimal_pod_gets_the_defaults_a_real_cluster_shows():
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
    }
    defaults.default_pod(obj)
    assert obj["spec"] == {
        "containers": [NGINX],
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": True,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    }


def test_pod_spec_defaults_leave_pod_only_defaults_out():
    spec = {
        "containers": [{"name": "nginx", "image": "nginx", "resources": {"limits": {"cpu": "1"}}}]
    }
    defaults.default_pod_spec(spec)
    assert "enableServiceLinks" not in spec
    assert "requests" not in spec["containers"][0]["resources"]


def test_a_pod_requests_what_it_limits_unless_it_says_otherwise():
    obj = {
        "spec": {
            "containers": [
                {
                    "name": "a",
                    "image": "i",
                    "resources": {
                        "limits": {"cpu": "1", "memory": "1Gi"},
                        "requests": {"cpu": "500m"},
                    },
                }
            ]
        }
    }
    defaults.default_pod(obj)
    assert obj["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "500m", "memory": "1Gi"}


def test_host_network_pods_expose_container_ports_on_the_host():
    obj = {
        "spec": {
            "hostNetwork": True,
            "containers": [{"name": "a", "image": "i", "ports": [{"containerPort": 80}]}],
        }
    }
    defaults.default_pod(obj)
    assert obj["spec"]["containers"][0]["ports"] == [
        {"containerPort": 80, "hostPort": 80, "protocol": "TCP"}
    ]


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.27", "IfNotPresent"),
        ("registry.example.com:5000/team/app", "Always"),
        ("registry.example.com:5000/team/app:v2", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:latest@sha256:" + "a" * 64, "Always"),
        ("Nginx", "IfNotPresent"),
        ("", "IfNotPresent"),
    ],
)
def test_image_pull_policy_follows_the_tag(image, policy):
    c = {"name": "a", "image": image}
    defaults.default_container(c)
    assert c["imagePullPolicy"] == policy


def test_probes_handlers_volumes_and_env_get_their_defaults():
    spec = {
        "containers": [
            {
                "name": "a",
                "image": "i:1",
                "livenessProbe": {"httpGet": {"port": 80}},
                "readinessProbe": {"grpc": {"port": 9000}},
                "lifecycle": {"preStop": {"httpGet": {"port": 80}}},
                "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
            }
        ],
        "volumes": [
            {"name": "s", "secret": {"secretName": "x"}},
            {"name": "h", "hostPath": {"path": "/tmp"}},
            {"name": "e"},
            {"name": "p", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}},
        ],
    }
    defaults.default_pod_spec(spec)
    c = spec["containers"][0]
    assert c["livenessProbe"] == {
        "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert c["readinessProbe"]["grpc"] == {"port": 9000, "service": ""}
    assert c["lifecycle"]["preStop"]["httpGet"] == {"port": 80, "path": "/", "scheme": "HTTP"}
    assert c["env"][0]["valueFrom"]["fieldRef"] == {
        "fieldPath": "metadata.name",
        "apiVersion": "v1",
    }
    assert spec["volumes"] == [
        {"name": "s", "secret": {"secretName": "x", "defaultMode": 420}},
        {"name": "h", "hostPath": {"path": "/tmp", "type": ""}},
        {"name": "e", "emptyDir": {}},
        {
            "name": "p",
            "projected": {
                "sources": [{"serviceAccountToken": {"path": "t", "expirationSeconds": 3600}}],
                "defaultMode": 420,
            },
        },
    ]


def test_a_minimal_service_gets_the_defaults_a_real_cluster_shows():
    obj = {
        "metadata": {"name": "s"},
        "spec": {"selector": {"app": "s"}, "ports": [{"name": "web", "port": 80}]},
    }
    defaults.default_service(obj)
    assert obj["spec"] == {
        "selector": {"app": "s"},
        "ports": [{"name": "web", "port": 80, "protocol": "TCP", "targetPort": 80}],
        "sessionAffinity": "None",
        "type": "ClusterIP",
        "internalTrafficPolicy": "Cluster",
    }  # clusterIPs and IP families come from the service registry, which knows the ranges
    assert obj["status"] == {"loadBalancer": {}}


def test_externally_reachable_services_get_traffic_policies():
    lb = {
        "spec": {"type": "LoadBalancer", "ports": [{"port": 443, "targetPort": "https"}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}},
    }
    defaults.default_service(lb)
    assert lb["spec"]["externalTrafficPolicy"] == "Cluster"
    assert lb["spec"]["allocateLoadBalancerNodePorts"] is True
    assert lb["spec"]["ports"][0]["targetPort"] == "https"
    assert lb["status"]["loadBalancer"]["ingress"] == [{"ip": "1.2.3.4", "ipMode": "VIP"}]


def test_external_name_services_get_no_traffic_policies():
    ext = {"spec": {"type": "ExternalName", "externalName": "example.com"}}
    defaults.default_service(ext)
    assert set(ext["spec"]) == {"type", "externalName", "sessionAffinity"}


def test_client_ip_affinity_gets_a_three_hour_timeout():
    obj = {"spec": {"sessionAffinity": "ClientIP", "ports": [{"port": 80}]}}
    defaults.default_service(obj)
    assert obj["spec"]["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


def test_a_namespace_gets_its_name_label_finalizer_and_phase():
    obj = {"metadata": {"name": "team-a"}}
    defaults.default_namespace(obj)
    assert obj == {
        "metadata": {"name": "team-a", "labels": {"kubernetes.io/metadata.name": "team-a"}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def test_a_secret_is_opaque_and_string_data_is_merged_into_data():
    obj = {"data": {"a": base64.b64encode(b"old").decode()}, "stringData": {"a": "new", "b": "x"}}
    defaults.default_secret(obj)
    assert obj == {"type": "Opaque", "data": {"a": base64.b64encode(b"new").decode(), "b": "eA=="}}


def test_a_node_reads_back_with_its_always_serialized_status():
    obj = {"metadata": {"name": "n"}, "status": {"capacity": {"cpu": "4"}}}
    defaults.default_node(obj)
    assert obj["status"]["allocatable"] == {"cpu": "4"}
    assert obj["status"]["daemonEndpoints"] == {"kubeletEndpoint": {"Port": 0}}
    assert obj["status"]["nodeInfo"]["kubeletVersion"] == ""


def test_endpoint_ports_default_to_tcp():
    obj = {"subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]}
    defaults.default_endpoints(obj)
    assert obj["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]


def test_defaulting_leaves_values_of_the_wrong_type_for_validation():
    obj = {"spec": {"containers": "nope", "volumes": [3], "securityContext": "x"}}
    defaults.default_pod(obj)
    assert obj["spec"]["containers"] == "nope"
